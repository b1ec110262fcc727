// The Draw card: the pad, Clear, the prediction, the ten bars and the 28×28
// network input. Predicts with whichever network the worker has active; at
// most one request in flight, newest drawing wins (latest-only.js). A test
// image (showTestImage) takes the drawing's place until the person draws or
// clears; every answer also goes to onResult (the Inside views).

import { DrawingPad } from "../widgets/drawing-pad.js";
import { ProbabilityBars } from "../widgets/probability-bars.js";
import { InputPreview } from "../widgets/input-preview.js";
import { latestOnly } from "../util/latest-only.js";

export class DrawPanel {
  /**
   * parts: {pad, clear, prediction, bars, preview} elements; client: the WorkerClient;
   * onError(message): shows a message to the person; onResult(result or null): the
   * answer shown.
   */
  constructor({ pad, clear, prediction, answeredBy, bars, preview },
    { client, onError, describeNetwork, onResult = () => {} }) {
    this.ready = false;
    this.testIndex = null;
    this.onResult = onResult;
    this.prediction = prediction;
    this.answeredBy = answeredBy;
    this.describeNetwork = describeNetwork;
    this.bars = new ProbabilityBars(bars);
    this.preview = new InputPreview(preview);
    this.pad = new DrawingPad(pad, { onChange: () => { this.testIndex = null; this.predict(); }, throttleMs: 150 });
    this.predictor = latestOnly((type, payload) => client.request(type, payload), {
      onResult: (result) => this.show(result),
      onError: (error) => {
        if (this.ready) onError(`The network could not read the drawing: ${error.message}`);
      },
    });
    clear.addEventListener("click", () => {
      this.testIndex = null;
      this.pad.clear();
      this.predictor.cancel();
      this.showEmpty();
    });
    this.showEmpty();
  }

  setReady(ready) {
    this.ready = ready;
  }

  /** Ask for a prediction of the current drawing (or show the empty state). */
  predict() {
    if (this.testIndex !== null) {
      if (this.ready) this.predictor.run("predictTest", { index: this.testIndex });
    } else if (this.pad.isEmpty()) {
      this.predictor.cancel();
      this.showEmpty();
    } else if (this.ready) {
      this.predictor.run("predict", this.pad.getImageData());
    }
  }

  /** Put the MNIST test image ``index`` on the prediction path instead of the drawing. */
  showTestImage(index) {
    this.testIndex = index;
    this.pad.clear();
    this.predict();
  }

  showEmpty(problem = "") {
    this.prediction.textContent = "–";
    this.prediction.classList.add("is-empty");
    this.answeredBy.textContent = problem;
    this.answeredBy.classList.toggle("is-problem", Boolean(problem));
    this.bars.update(null);
    if (!problem) this.preview.update(null);
    this.onResult(null);
  }

  show(result) {
    if (!result || result.empty || (result.test ? this.testIndex === null : this.pad.isEmpty())) {
      this.showEmpty();
      return;
    }
    if (result.problem) {             // e.g. a network whose outputs are not finite
      this.preview.update(result.input);
      this.showEmpty(result.problem);
      return;
    }
    this.prediction.textContent = String(result.digit);
    this.prediction.classList.remove("is-empty");
    this.answeredBy.classList.remove("is-problem");
    const source = result.test ? `Test image ${result.test.index} (a ${result.test.label}). ` : "";
    this.answeredBy.textContent = `${source}Answered by: ${this.describeNetwork(result.model)}`;
    this.bars.update(result.probabilities);
    this.preview.update(result.input);
    this.onResult(result);
  }
}
