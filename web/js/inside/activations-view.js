// The Inside view of the feedforward pass: the input the network receives and the
// activations of every layer for what the pad shows (from the prediction's own reply),
// each layer on a colour scale that fits its activation (activation-scale.js). A conv
// layer ("layerShapes" [F, PH, PW]) is shown as its F feature maps (feature-maps.js).

import { ActivationGrid } from "../widgets/activation-grid.js";
import { ColourLegend, diverging, sequential } from "../widgets/colour-scale.js";
import { InputPreview } from "../widgets/input-preview.js";
import { layerActivations, layerRanges, layerScale } from "./activation-scale.js";
import { FeatureMaps } from "./feature-maps.js";

const SIGMOID_ONLY = "White: activation 0, dark blue: activation 1.";
const MIXED = "Layers from 0 to 1 (sigmoid): white is activation 0, dark blue activation 1; each other layer says its scale under its title.";

/** Return one shape per layer: the reply's "layerShapes" where they fit the sizes, else [size]. */
export function layerShapes(result) {
  const given = Array.isArray(result.layerShapes) ? result.layerShapes : [];
  return result.layers.map((size, l) => {
    const shape = given[l];
    const fits = Array.isArray(shape) && shape.length === 3
      && shape.every((n) => Number.isInteger(n) && n > 0) && shape[0] * shape[1] * shape[2] === size;
    return fits ? shape.slice() : [size];
  });
}

/** Return the colour function for a layerScale result. */
export function colourFor(scale) {
  return scale.kind === "diverging" ? (v) => diverging(v, scale.high) : (v) => sequential(v / scale.high);
}

export class ActivationsView {
  /** parts: {input (canvas), layers (list element), note, legend, showing} */
  constructor(parts) {
    this.parts = parts;
    this.input = new InputPreview(parts.input);
    this.legendText = SIGMOID_ONLY;
    this.legend = new ColourLegend(parts.legend, { kind: "sequential", describe: () => this.legendText });
    this.key = "";
    this.grids = [];
    this.prediction = null;
  }

  /** Show the pad's latest answer (predict or predictTest's reply), or nothing (null). */
  show(result) {
    const ok = Boolean(result && !result.empty && !result.problem && result.activations);
    this.prediction = ok ? result : null;
    const activations = ok ? layerActivations(result, result.layers.length) : null;
    const ranges = ok ? layerRanges(result, result.layers.length) : null;
    const shapes = ok ? layerShapes(result) : null;
    if (ok && `${shapes.join(";")}|${ranges.join(";")}` !== this.key) this.build(result.layers, ranges, shapes);
    let offset = 0;
    this.grids.forEach((grid, l) => {
      const size = ok ? result.layers[l] : 0;
      const values = ok ? result.activations.subarray(offset, offset + size) : null;
      offset += size;
      if (!ok) {
        grid.update(null);
        return;
      }
      const scale = layerScale(activations[l], values, ranges[l]);
      grid.update(values, { colour: colourFor(scale), note: scale.plain ? null : scale.legend });
    });
    this.input.update(ok ? result.input : null);
    this.parts.note.hidden = ok;
    this.parts.showing.textContent = ok && result.test
      ? `Showing test image ${result.test.index} (a ${result.test.label}); draw on the pad to go back to your drawing.`
      : "";
  }

  build(sizes, ranges, shapes) {
    this.key = `${shapes.join(";")}|${ranges.join(";")}`;
    const plain = ranges.map(([low, high]) => low === 0 && high === 1);
    const mixed = plain.includes(false);
    this.parts.legend.hidden = !plain.includes(true);
    this.legendText = mixed ? MIXED : SIGMOID_ONLY;
    this.legend.update(1);
    this.parts.layers.replaceChildren();
    let convs = 0;
    this.grids = sizes.map((size, l) => {
      const box = document.createElement("div");
      this.parts.layers.append(box);
      if (shapes[l].length === 3) {
        convs += 1;
        return new FeatureMaps(box, { conv: convs, shape: shapes[l] });
      }
      const output = l === sizes.length - 1;
      return new ActivationGrid(box, {
        title: output ? "Output layer" : `Hidden layer ${l + 1}`,
        unitName: output ? (i) => `Output ${i}` : (i) => `Hidden layer ${l + 1}, unit ${i}`,
        size, columns: output ? size : null,
      });
    });
  }

  /** The first hidden layer's activation of ``unit`` for what the pad shows, or null. */
  firstHidden(unit) {
    const p = this.prediction;
    return p && p.layers.length > 1 && unit < p.layers[0] ? p.activations[unit] : null;
  }
}
