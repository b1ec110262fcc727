// The Draw card: the pad, Clear, the prediction, the ten bars and the 28×28
// network input. Predicts with whichever network the worker has active; at
// most one request in flight, newest drawing wins (latest-only.js). A test
// image (showTestImage) takes the drawing's place until the person draws or
// clears; every answer also goes to onResult (the Inside views). drawing() gives the
// 28×28 input of the drawing on the pad, once its answer has come (My digits).

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
    // ``version`` counts changes of what the pad shows; ``answered`` is the latest answer
    // and the version it answers; ``waiters`` wait for the current version's answer.
    this.version = 0;
    this.answered = { version: -1, result: null };
    this.waiters = [];
    this.pad = new DrawingPad(pad, { onChange: () => { this.changed(); this.testIndex = null; this.predict(); }, throttleMs: 150 });
    this.predictor = latestOnly((type, payload) => client.request(type, payload), {
      onResult: (result, type, payload, version) => { this.answer(version, result); this.show(result); },
      onError: (error, type, payload, version) => {
        this.answer(version, null);
        if (this.ready) onError(`The network could not read the drawing: ${error.message}`);
      },
    });
    clear.addEventListener("click", () => this.clear());
    this.showEmpty();
  }

  /** Erase the drawing (or the test image) and the answer. */
  clear() {
    this.changed();
    this.testIndex = null;
    this.pad.clear();
    this.predictor.cancel();
    this.showEmpty();
  }

  changed() {
    this.version += 1;
    this.answer(-1, null);               // waiters for an older version get nothing
  }

  /** Keep ``result`` as the answer of ``version``; wake whoever waits for it. */
  answer(version, result) {
    if (version === this.version) this.answered = { version, result };
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Return the drawing on the pad as the network sees it, {input: 784 numbers in [0, 1],
   * digit}, waiting for its answer if it is on its way; or {reason}: "test" (an MNIST test
   * image is on the pad), "empty", "small" (too small to read), "unready" (no Python yet)
   * or "failed" (no answer).
   */
  async drawing() {
    if (this.testIndex !== null) return { reason: "test" };
    if (this.pad.isEmpty()) return { reason: "empty" };
    const version = this.version;
    if (this.answered.version !== version) {
      if (!this.ready) return { reason: "unready" };
      await new Promise((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 10000);
      });
      if (this.version !== version) return this.drawing();
    }
    const { result } = this.answered.version === version ? this.answered : { result: null };
    if (!result || result.empty) return { reason: this.pad.isEmpty() ? "empty" : "failed" };
    if (!result.input) return { reason: "small" };
    return { input: result.input, digit: result.digit };
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
      this.predictor.run("predict", this.pad.getImageData(), this.version);
    }
  }

  /** Put the MNIST test image ``index`` on the prediction path instead of the drawing. */
  showTestImage(index) {
    this.changed();
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
