// One hidden unit of the first hidden layer, enlarged: its 28×28 weights, its bias, its
// activation for what the pad shows, and its weights to the next layer (column K of
// self.weights[1]) as signed bars.

import { css, diverging, paint } from "../widgets/colour-scale.js";

const MAX_OUTGOING = 32;             // rows shown for a large next layer

export class UnitDetail {
  constructor(container) {
    this.container = container;
    this.show(null);
  }

  /**
   * Show unit ``unit``: {unit, weights (784), bias, activation (or null), outgoing
   * (next), next, nextIsOutput, scale}; or, given null, how to choose one.
   */
  show(detail) {
    const box = this.container;
    box.replaceChildren();
    if (!detail) {
      const hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = "Select a weight image to see it large, with its bias, activation and outgoing weights.";
      box.append(hint);
      return;
    }
    const { unit, weights, bias, activation, outgoing, next, nextIsOutput, scale } = detail;
    const title = document.createElement("p");
    title.className = "unit-title";
    title.textContent = `Hidden unit ${unit}`;
    const canvas = document.createElement("canvas");
    canvas.className = "unit-image";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `Weights into hidden unit ${unit}, enlarged`);
    paint(canvas, weights, 28, 28, (v) => diverging(v, scale));
    const facts = document.createElement("dl");
    facts.className = "unit-facts";
    const fact = (term, value) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      facts.append(dt, dd);
    };
    fact("Bias b", bias.toFixed(3).replace("-", "−"));
    fact("Activation for what the pad shows", activation === null ? "– (draw a digit)" : activation.toFixed(3));
    const head = document.createElement("p");
    head.className = "unit-outgoing-title";
    const shown = Math.min(next, MAX_OUTGOING);
    head.textContent = nextIsOutput ? "Weights to the outputs"
      : `Weights to hidden layer 2${shown < next ? ` (units 0–${shown - 1} of ${next})` : ""}`;
    const list = document.createElement("ul");
    list.className = "unit-outgoing";
    let largest = 0;
    for (let j = 0; j < shown; j += 1) largest = Math.max(largest, Math.abs(outgoing[j]));
    for (let j = 0; j < shown; j += 1) {
      const w = outgoing[j];
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.className = "outgoing-name";
      name.textContent = nextIsOutput ? `Output ${j}` : `Unit ${j}`;
      const track = document.createElement("span");
      track.className = "outgoing-track";
      track.setAttribute("aria-hidden", "true");
      const bar = document.createElement("span");
      bar.className = w < 0 ? "outgoing-bar is-negative" : "outgoing-bar";
      bar.style.width = `${largest > 0 ? (50 * Math.abs(w)) / largest : 0}%`;
      bar.style.background = css(diverging(w, largest || 1));
      track.append(bar);
      const value = document.createElement("span");
      value.className = "outgoing-value";
      value.textContent = `${w >= 0 ? "+" : "−"}${Math.abs(w).toFixed(2)}`;
      item.append(name, track, value);
      list.append(item);
    }
    box.append(title, canvas, facts, head, list);
  }
}
