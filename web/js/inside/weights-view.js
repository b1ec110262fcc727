// The Inside view of the weights into the first hidden layer: one 28×28 image per hidden
// unit, a page of 100 at a time, and the selected unit enlarged (unit-detail.js). A conv
// network's first layer is filters, not 28×28 images: its reply says "convolutional" and
// the view hands over to the filters view (``onKind(true)``).

import { ColourLegend } from "../widgets/colour-scale.js";
import { WeightGrid } from "../widgets/weight-grid.js";
import { latestOnly } from "../util/latest-only.js";
import { UnitDetail } from "./unit-detail.js";

const UNITS_PER_PAGE = 100;          // weight images at a time (10 × 10)

export class WeightsView {
  /**
   * parts: {legend, note, pager: {box, range, previous, next}, grid, unit};
   * client: the WorkerClient; activation(unit): the unit's activation for what the
   * pad shows, or null; onKind(convolutional): each reply says whether the pad's network
   * has conv layers (true: nothing is shown here).
   */
  constructor(parts, { client, activation, onKind = () => {} }) {
    Object.assign(this, { parts, activation, onKind });
    this.first = 0;
    this.weights = null;
    this.legend = new ColourLegend(parts.legend, { kind: "diverging",
      describe: (s) => `Blue: negative weights, white: 0, red: positive; the colours run from −${s} to +${s} (99% of the weights shown lie within; larger ones get the full colour).` });
    parts.pager.previous.addEventListener("click", () => this.page(-1));
    parts.pager.next.addEventListener("click", () => this.page(1));
    this.grid = new WeightGrid(parts.grid, {
      imageName: (k) => `Weights into hidden unit ${k}`,
      onSelect: (k) => this.showUnit(k),
    });
    this.unit = new UnitDetail(parts.unit);
    this.loader = latestOnly(() => client.request("firstLayer", { first: this.first, count: UNITS_PER_PAGE }), {
      onResult: (result) => this.show(result),
      onError: (error) => { parts.note.textContent = `The weights could not be read: ${error.message}`; },
    });
  }

  /** Ask for the current page of weights (the newest request wins). */
  load() {
    this.loader.run();
  }

  page(step) {
    const units = this.weights ? this.weights.units : 0;
    this.first = Math.max(0, Math.min(units - 1, this.first + step * UNITS_PER_PAGE));
    this.load();
  }

  show(result) {
    const { note, pager } = this.parts;
    this.onKind(Boolean(result.convolutional));
    if (result.convolutional) {
      this.weights = null;
      return;
    }
    this.weights = result;
    if (!result.units) {
      this.grid.show({ first: 0, count: 0, weights: new Float32Array(0), scale: 0 });
      pager.box.hidden = true;
      note.textContent = "This network has no hidden layer: its inputs go straight to the outputs.";
      this.unit.show(null);
      return;
    }
    if (this.first >= result.units) {            // a smaller network than before: start again
      this.first = 0;
      this.load();
      return;
    }
    const run = /^run-(\d+)$/.exec(result.name || "");
    note.textContent = `${result.units} hidden units in the first hidden layer (${run ? `Run ${run[1]}` : `${result.name} network`}).`;
    pager.box.hidden = result.units <= UNITS_PER_PAGE;
    pager.range.textContent = `Units ${result.first}–${result.first + result.count - 1} of ${result.units}`;
    pager.previous.disabled = result.first === 0;
    pager.next.disabled = result.first + result.count >= result.units;
    this.legend.update(result.scale);
    this.grid.show(result);
    this.showUnit(this.grid.selected);
  }

  /** Show the selected unit enlarged (again, e.g. after a new drawing), or the hint. */
  showUnit(unit = this.grid.selected) {
    const w = this.weights;
    if (!w || unit === null || unit < w.first || unit >= w.first + w.count) {
      this.unit.show(null);
      return;
    }
    const k = unit - w.first;
    this.unit.show({
      unit, scale: w.scale, next: w.next, nextIsOutput: w.sizes.length === 3,
      weights: w.weights.subarray(k * 784, (k + 1) * 784), bias: w.biases[k],
      outgoing: w.outgoing.subarray(k * w.next, (k + 1) * w.next),
      activation: this.activation(unit),
    });
  }
}
