// The chapter 5 picture: how fast each hidden layer learns while the run trains. Each
// "progress" event of a run carries "speeds", one per hidden layer: the length of the
// mean gradient of the cost with respect to the layer's biases over a mini-batch,
// ||(1/m) sum dC/db|| (pycore/fast.py: LeanStep.bias_gradients, sampled by the Trainer
// every 10th mini-batch). One line per layer over the epochs; the note under it says the
// latest figures and how many times more slowly the first hidden layer learns than the last.

import { LineChart } from "../widgets/line-chart.js";

/** Return the note for the latest ``speeds`` (one per hidden layer) after ``epochs`` epochs. */
export function speedNote(speeds, epochs) {
  const figures = speeds.map((s, l) => `layer ${l + 1}: ${s.toPrecision(2)}`).join(", ");
  const head = `After ${epochs.toFixed(1)} epochs, ${figures}.`;
  if (speeds.length < 2 || !(speeds[0] > 0)) return head;
  const ratio = speeds[speeds.length - 1] / speeds[0];
  return ratio >= 1
    ? `${head} The first hidden layer learns ${ratio.toFixed(ratio < 10 ? 1 : 0)} times more slowly than the last.`
    : `${head} The first hidden layer learns faster than the last.`;
}

export class SpeedView {
  /** chart: an empty element for the chart; note: the element for the latest figures. */
  constructor({ chart, note }) {
    this.note = note;
    this.run = null;
    this.shownEpoch = -1;
    this.chart = new LineChart(chart, {
      label: "Speed of learning chart", xLabel: "Epochs trained", yLabel: "‖∂C/∂b‖ per layer",
      includeZero: true, xIntegers: false, markers: false,
      emptyText: "Each hidden layer's speed appears once a run trains",
    });
  }

  /** A "progress" event of a run: add its hidden layers' speeds, if it has any. */
  progressed(detail) {
    if (!Array.isArray(detail.speeds) || !detail.speeds.length || !detail.batches) return;
    if (detail.run !== this.run) {
      this.chart.clear();
      this.run = detail.run;
      this.shownEpoch = -1;
    }
    const x = detail.epoch + detail.batch / detail.batches;
    detail.speeds.forEach((s, l) => this.chart.addPoint(`layer-${l}`, `Hidden layer ${l + 1}`, x, s));
    if (Math.floor(x) !== this.shownEpoch) {        // a new note once an epoch, not every chunk
      this.shownEpoch = Math.floor(x);
      this.note.textContent = speedNote(detail.speeds, x);
    }
  }
}
