// The Inside view of the test set: the confusion matrix over the 10,000 test images and
// the images the network gets wrong (any of which can go on the pad), plus the test
// set's download progress.

import { ConfusionMatrix } from "../widgets/confusion-matrix.js";
import { MistakesGallery } from "../widgets/mistakes-gallery.js";
import { latestOnly } from "../util/latest-only.js";
import { formatBytes } from "../util/format.js";

export class EvaluationView {
  /**
   * parts: {note, dataNote, matrix, mistakes}; client: the WorkerClient;
   * showTestImage(index): put a test image on the pad's prediction path.
   */
  constructor(parts, { client, showTestImage }) {
    this.parts = parts;
    this.matrix = new ConfusionMatrix(parts.matrix, {
      onCell: (trueClass, answer) => this.gallery.setFilter({ trueClass, answer }),
    });
    this.gallery = new MistakesGallery(parts.mistakes, {
      label: "Misclassified test images",
      loadImages: (indices) => client.request("testImages", { indices }).then((r) => r.images),
      onChoose: (index) => showTestImage(index),
    });
    this.loader = latestOnly((epoch) => client.request(epoch ? "epochEvaluation" : "evaluateTest"), {
      onResult: (result) => this.show(result),
      onError: (error, epoch) => this.failed(error, epoch),
    });
  }

  /** Ask for the evaluation: the run's latest epoch's (``epoch`` true) or a new pass. */
  load(epoch) {
    if (!epoch) this.parts.note.textContent = "Evaluating on the 10,000 test images…";
    this.loader.run(epoch);
  }

  show(result) {
    this.parts.dataNote.hidden = true;
    const which = result.epoch === null || result.epoch === undefined
      ? `the ${result.name} network` : `the trained network as of the log's "Epoch ${result.epoch}" line`;
    this.parts.note.textContent = `${result.correct} of ${result.total} test images right (${(100 * result.accuracy).toFixed(2)}%), ${which}.`;
    this.matrix.update(result.confusion, result.perDigit);
    this.gallery.show(result.mistakes, null);
  }

  failed(error, epoch) {
    this.parts.dataNote.hidden = true;
    this.parts.note.textContent = epoch
      ? "The test-set evaluation appears after the first epoch of training."
      : `The evaluation could not be made: ${error.message}`;
    this.matrix.update(null);
    this.gallery.show(null, null);
  }

  /** The worker reports the test set's download ("test-data" events). */
  downloading({ label, loaded, total }) {
    const { dataNote } = this.parts;
    dataNote.hidden = false;
    dataNote.textContent = total > 0
      ? `Downloading ${label}: ${formatBytes(loaded)} of ${formatBytes(total)}`
      : `Downloading ${label}: ${formatBytes(loaded)}`;
  }
}
