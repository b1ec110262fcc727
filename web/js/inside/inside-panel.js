// The "Inside the network" section: the activations of every layer for what the pad
// shows (from the prediction's own reply), the weights into the first hidden layer as
// images, the confusion matrix and the mistakes on the 10,000 test images. Everything
// is computed in Python (pycore/inside_views.py); arrays arrive as typed arrays.
// Requests are made only while the section is on screen, at most one of each kind in
// flight; while a run trains, the evaluation is the one of its latest epoch (no extra
// pass over the test set).

import { ActivationGrid } from "../widgets/activation-grid.js";
import { ColourLegend } from "../widgets/colour-scale.js";
import { WeightGrid } from "../widgets/weight-grid.js";
import { ConfusionMatrix } from "../widgets/confusion-matrix.js";
import { MistakesGallery } from "../widgets/mistakes-gallery.js";
import { InputPreview } from "../widgets/input-preview.js";
import { UnitDetail } from "./unit-detail.js";
import { latestOnly } from "../util/latest-only.js";
import { formatBytes } from "../util/format.js";

const UNITS_PER_PAGE = 100;          // weight images at a time (10 × 10)
const TEST_IMAGES = 10000;

const $ = (id) => document.getElementById(id);

export class InsidePanel {
  /**
   * client: the WorkerClient; showTestImage(index): put a test image on the pad's
   * prediction path; activeNetwork(): the pad's network's name ("run-2", …);
   * currentRun(): the name of the network the run on screen trains ("run-2"), or null.
   */
  constructor(section, { client, showTestImage, activeNetwork, currentRun = () => null }) {
    Object.assign(this, { section, client, showTestImage, activeNetwork, currentRun });
    this.ready = false;
    this.visible = false;
    this.training = false;
    this.stale = { weights: true, evaluation: true };
    this.first = 0;
    this.layers = "";
    this.grids = [];
    this.prediction = null;
    this.weights = null;

    this.showing = $("inside-showing");
    this.dataNote = $("inside-data");
    this.input = new InputPreview($("inside-input"));
    this.layerList = $("inside-layers");
    this.activationsNote = $("inside-activations-note");
    new ColourLegend($("inside-activation-legend"), { kind: "sequential",
      describe: () => "White: activation 0, dark blue: activation 1." });
    this.weightLegend = new ColourLegend($("inside-weight-legend"), { kind: "diverging",
      describe: (s) => `Blue: negative weights, white: 0, red: positive; the colours run from −${s} to +${s} (99% of the weights shown lie within; larger ones get the full colour).` });
    this.weightsNote = $("inside-weights-note");
    this.pager = { box: $("inside-weight-pager"), range: $("inside-weights-range"),
      previous: $("inside-weights-previous"), next: $("inside-weights-next") };
    this.pager.previous.addEventListener("click", () => this.page(-1));
    this.pager.next.addEventListener("click", () => this.page(1));
    this.grid = new WeightGrid($("inside-weight-grid"), {
      imageName: (k) => `Weights into hidden unit ${k}`,
      onSelect: (k) => this.showUnit(k),
    });
    this.unit = new UnitDetail($("inside-unit"));
    this.evaluationNote = $("inside-evaluation");
    this.matrix = new ConfusionMatrix($("inside-confusion"), {
      onCell: (trueClass, answer) => this.gallery.setFilter({ trueClass, answer }),
    });
    this.gallery = new MistakesGallery($("inside-mistakes"), {
      label: "Misclassified test images",
      loadImages: (indices) => client.request("testImages", { indices }).then((r) => r.images),
      onChoose: (index) => this.showTestImage(index),
    });
    this.random = $("random-test-image");
    this.random.addEventListener("click", () => this.showTestImage(Math.floor(Math.random() * TEST_IMAGES)));

    this.weightLoader = latestOnly(() => client.request("firstLayer", { first: this.first, count: UNITS_PER_PAGE }), {
      onResult: (result) => this.showWeights(result),
      onError: (error) => { this.weightsNote.textContent = `The weights could not be read: ${error.message}`; },
    });
    this.evaluationLoader = latestOnly((epoch) => client.request(epoch ? "epochEvaluation" : "evaluateTest"), {
      onResult: (result) => this.showEvaluation(result),
      onError: (error, epoch) => this.evaluationFailed(error, epoch),
    });

    client.on("progress", (detail) => { if (detail.phase === "train") this.training = true; });
    client.on("train-end", () => { this.training = false; });
    client.on("epoch", () => this.epochDone());
    client.on("test-data", (detail) => this.downloading(detail));
    new IntersectionObserver((entries) => {
      this.visible = entries.some((entry) => entry.isIntersecting);
      this.refresh();
    }).observe(section);
  }

  setReady(ready) {
    this.ready = ready;
    this.random.disabled = !ready;
    if (ready) this.refresh();
  }

  /** The pad's network changed (chosen, uploaded, sent from the notebook, a run began or ended). */
  networkChanged() {
    this.stale.weights = true;
    this.stale.evaluation = true;
    this.refresh();
  }

  /** Is the pad's network the current run's ("run-N", the run on screen)? */
  onRunNetwork() {
    const run = this.currentRun();
    return run !== null && this.activeNetwork() === run;
  }

  /** The network being trained learned a little more (called a few times a second at most). */
  learned() {
    this.stale.weights = true;
    this.refresh();
  }

  epochDone() {
    if (!this.onRunNetwork()) return;
    this.stale.evaluation = true;
    this.refresh();
  }

  /** Ask for what is out of date, if the section is on screen. */
  refresh() {
    if (!this.ready || !this.visible) return;
    if (this.stale.weights) {
      this.stale.weights = false;
      this.weightLoader.run();
    }
    if (this.stale.evaluation) {
      this.stale.evaluation = false;
      const epoch = this.training && this.onRunNetwork();
      if (!epoch) this.evaluationNote.textContent = "Evaluating on the 10,000 test images…";
      this.evaluationLoader.run(epoch);
    }
  }

  // ---- activations ---------------------------------------------------------

  /** Show the pad's latest answer (predict or predictTest's reply), or nothing (null). */
  showPrediction(result) {
    const ok = result && !result.empty && !result.problem && result.activations;
    this.prediction = ok ? result : null;
    if (ok && result.layers.join() !== this.layers) this.buildLayers(result.layers);
    let offset = 0;
    this.grids.forEach((grid, l) => {
      const size = ok ? result.layers[l] : 0;
      grid.update(ok ? result.activations.subarray(offset, offset + size) : null);
      offset += size;
    });
    this.input.update(ok ? result.input : null);
    this.activationsNote.hidden = Boolean(ok);
    this.showing.textContent = ok && result.test
      ? `Showing test image ${result.test.index} (a ${result.test.label}); draw on the pad to go back to your drawing.`
      : "";
    this.showUnit(this.grid.selected);
  }

  buildLayers(sizes) {
    this.layers = sizes.join();
    this.layerList.replaceChildren();
    this.grids = sizes.map((size, l) => {
      const box = document.createElement("div");
      this.layerList.append(box);
      const output = l === sizes.length - 1;
      return new ActivationGrid(box, {
        title: output ? "Output layer" : `Hidden layer ${l + 1}`,
        unitName: output ? (i) => `Output ${i}` : (i) => `Hidden layer ${l + 1}, unit ${i}`,
        size, columns: output ? size : null,
      });
    });
  }

  // ---- weights -----------------------------------------------------------------

  page(step) {
    const units = this.weights ? this.weights.units : 0;
    this.first = Math.max(0, Math.min(units - 1, this.first + step * UNITS_PER_PAGE));
    this.weightLoader.run();
  }

  showWeights(result) {
    this.weights = result;
    if (!result.units) {
      this.grid.show({ first: 0, count: 0, weights: new Float32Array(0), scale: 0 });
      this.pager.box.hidden = true;
      this.weightsNote.textContent = "This network has no hidden layer: its inputs go straight to the outputs.";
      this.unit.show(null);
      return;
    }
    if (this.first >= result.units) {            // a smaller network than before: start again
      this.first = 0;
      this.weightLoader.run();
      return;
    }
    this.weightsNote.textContent = `${result.units} hidden units in the first hidden layer (${result.name} network).`;
    this.pager.box.hidden = result.units <= UNITS_PER_PAGE;
    this.pager.range.textContent = `Units ${result.first}–${result.first + result.count - 1} of ${result.units}`;
    this.pager.previous.disabled = result.first === 0;
    this.pager.next.disabled = result.first + result.count >= result.units;
    this.weightLegend.update(result.scale);
    this.grid.show(result);
    this.showUnit(this.grid.selected);
  }

  showUnit(unit) {
    const w = this.weights;
    if (!w || unit === null || unit < w.first || unit >= w.first + w.count) {
      this.unit.show(null);
      return;
    }
    const k = unit - w.first;
    const p = this.prediction;
    this.unit.show({
      unit, scale: w.scale, next: w.next, nextIsOutput: w.sizes.length === 3,
      weights: w.weights.subarray(k * 784, (k + 1) * 784), bias: w.biases[k],
      outgoing: w.outgoing.subarray(k * w.next, (k + 1) * w.next),
      activation: p && p.layers.length > 1 && unit < p.layers[0] ? p.activations[unit] : null,
    });
  }

  // ---- evaluation and mistakes --------------------------------------------

  showEvaluation(result) {
    this.dataNote.hidden = true;
    const which = result.epoch === null || result.epoch === undefined
      ? `the ${result.name} network` : `the trained network as of the log's "Epoch ${result.epoch}" line`;
    this.evaluationNote.textContent = `${result.correct} of ${result.total} test images right (${(100 * result.accuracy).toFixed(2)}%), ${which}.`;
    this.matrix.update(result.confusion, result.perDigit);
    this.gallery.show(result.mistakes, null);
  }

  evaluationFailed(error, epoch) {
    this.dataNote.hidden = true;
    this.evaluationNote.textContent = epoch
      ? "The test-set evaluation appears after the first epoch of training."
      : `The evaluation could not be made: ${error.message}`;
    this.matrix.update(null);
    this.gallery.show(null, null);
  }

  downloading({ label, loaded, total }) {
    this.dataNote.hidden = false;
    this.dataNote.textContent = total > 0
      ? `Downloading ${label}: ${formatBytes(loaded)} of ${formatBytes(total)}`
      : `Downloading ${label}: ${formatBytes(loaded)}`;
  }
}
