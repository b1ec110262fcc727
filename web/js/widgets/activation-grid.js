// One layer's activations as a grid of cells shaded from white (0) to dark (1), or by
// any colour scale the caller passes in (with a line of text naming its range). Each
// cell is an image whose name gives the unit and its value, e.g. "Hidden layer 1,
// unit 7: 0.93". Layers larger than ``pageSize`` are shown a page at a time.

import { css, sequential } from "./colour-scale.js";

export class ActivationGrid {
  /**
   * container: an empty element; title: the layer's name ("Hidden layer 1", "Output");
   * unitName(i): the name of unit i before its value; size: the number of units;
   * columns: cells per row (default about square).
   */
  constructor(container, { title, unitName, size, columns = null, pageSize = 256 }) {
    Object.assign(this, { container, unitName, size, pageSize });
    this.first = 0;
    this.values = null;
    this.colour = sequential;
    container.classList.add("activation-layer");
    container.setAttribute("role", "group");
    container.setAttribute("aria-label", `${title}: ${size} ${size === 1 ? "unit" : "units"}`);
    const head = document.createElement("p");
    head.className = "layer-title";
    head.textContent = `${title} (${size})`;
    this.note = document.createElement("p");
    this.note.className = "layer-scale";
    this.note.hidden = true;
    this.grid = document.createElement("div");
    this.grid.className = "activation-cells";
    const shown = Math.min(size, pageSize);
    this.grid.style.gridTemplateColumns = `repeat(${columns || Math.ceil(Math.sqrt(shown))}, var(--cell, 14px))`;
    this.cells = [];
    for (let i = 0; i < shown; i += 1) {
      const cell = document.createElement("span");
      cell.className = "activation-cell";
      cell.setAttribute("role", "img");
      this.grid.append(cell);
      this.cells.push(cell);
    }
    container.append(head, this.note, this.grid);
    if (size > pageSize) container.append(this.pager());
    this.update(null);
  }

  pager() {
    const nav = document.createElement("div");
    nav.className = "pager";
    this.previous = document.createElement("button");
    this.next = document.createElement("button");
    this.range = document.createElement("span");
    for (const [button, text, step] of [[this.previous, "Previous units", -1], [this.next, "Next units", 1]]) {
      button.type = "button";
      button.className = "button button-small";
      button.textContent = text;
      button.addEventListener("click", () => {
        this.first = Math.max(0, Math.min(this.size - 1, this.first + step * this.pageSize));
        this.update(this.values);
      });
    }
    nav.append(this.previous, this.range, this.next);
    return nav;
  }

  /**
   * Show ``values`` (this layer's activations, array-like) or, given null, nothing.
   * ``scale`` (optional, kept for later pages): {colour(value) → [r, g, b], note: text
   * under the title saying what the colours mean, or null}; by default 0 … 1, white to
   * dark blue, without a note.
   */
  update(values, scale = null) {
    this.values = values;
    if (scale) {
      this.colour = scale.colour || sequential;
      this.note.textContent = scale.note || "";
      this.note.hidden = !scale.note;
    }
    this.cells.forEach((cell, k) => {
      const i = this.first + k;
      const there = i < this.size;
      cell.hidden = !there;
      if (!there) return;
      const v = values ? values[i] : null;
      cell.style.background = values ? css(this.colour(v)) : "";
      cell.classList.toggle("is-empty", !values);
      cell.setAttribute("aria-label", `${this.unitName(i)}: ${values ? v.toFixed(2) : "–"}`);
    });
    if (this.range) {
      const last = Math.min(this.size, this.first + this.pageSize) - 1;
      this.range.textContent = `Units ${this.first}–${last} of ${this.size}`;
      this.previous.disabled = this.first === 0;
      this.next.disabled = last >= this.size - 1;
    }
  }
}
