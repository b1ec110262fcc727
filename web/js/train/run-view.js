// What a person sees of a training run: the title line, time left, the
// progress bars (run and MNIST download), the training log and the charts.
// A view only: train-controller.js owns the run's state and calls these methods.

import { describeRunFully } from "../settings/describe.js";
import { countOf, formatBytes, formatDuration, formatEpochLine } from "../util/format.js";

export class RunView {
  /**
   * parts: {title, eta, progress, dataBox, dataProgress, dataText} elements,
   * log (a TrainingLog), accuracyChart and costChart (LineCharts).
   */
  constructor(parts) {
    Object.assign(this, parts);
  }

  /** A run was asked for: announce it in the log and reset the progress. */
  begin(run) {
    const s = run.settings;
    const how = `its own layers and cost; mini-batch ${s.batch}, η=${s.eta}, ${s.samples} samples, λ=${s.lmbda}, seed ${s.seed}`;
    let line = `Run ${run.number}: ${describeRunFully(s)}`;
    if (run.inPlace) line = `Run ${run.number} goes on for ${countOf(s.epochs, "more epoch")} (${how})`;
    else if (run.continued) line = `Run ${run.number}: trains a copy of ${run.continued} for ${countOf(s.epochs, "epoch")} (${how})`;
    this.log.append(line, "run");
    this.title.textContent = `Run ${run.number}: starting…`;
    this.eta.textContent = "";
    this.progress.value = 0;
    this.accuracyChart.extendX(run.settings.epochs);
    this.costChart.extendX(run.settings.epochs);
  }

  /** The name of the chart line of the network `key` ("run-2"), if it has one. */
  seriesLabel(key) {
    return this.costChart.seriesName(key) || this.accuracyChart.seriesName(key);
  }

  /** The worker started the run: stretch the charts to the epochs the network will have
   *  trained (``run.total``); for a copy, say from which epoch it counts on, and whether it
   *  was trained with another η or λ (``was``, from its model file). */
  started(run, was, mine = null) {
    this.accuracyChart.extendX(run.total);
    this.costChart.extendX(run.total);
    const s = run.settings;
    const name = run.continued ? run.continued.charAt(0).toUpperCase() + run.continued.slice(1) : "";
    if (run.continued && !run.inPlace && run.offset > 0) {
      this.log.append(`${name}'s model file says it was trained for ${countOf(run.offset, "epoch")}: its epochs count on from there.`);
    }
    if (run.continued && was && (was.eta !== s.eta || was.lmbda !== s.lmbda)) {
      this.log.append(`${name} was trained with η=${was.eta}, λ=${was.lmbda}; with η=${s.eta}, λ=${s.lmbda} it may unlearn some of what it knows. Stop, set those values, and Continue training to keep them.`);
    }
    if (mine) this.log.append(describeMine(mine));
  }

  /** Show MNIST download progress ({loaded, total, label} in bytes). */
  data(run, { loaded, total, label }) {
    this.dataBox.hidden = false;
    if (total > 0) {
      this.dataProgress.value = Math.min(1, loaded / total);
      const downloading = /MNIST (training|test)/.test(label) || loaded < total;
      this.dataText.textContent = downloading
        ? `Downloading ${label}: ${formatBytes(loaded)} of ${formatBytes(total)}`
        : `${label}…`;
    } else {
      this.dataProgress.removeAttribute("value");
      this.dataText.textContent = `Downloading ${label}: ${formatBytes(loaded)}`;
    }
    if (run) this.title.textContent = `Run ${run.number}: getting MNIST ready…`;
  }

  /** Show a "train-progress" event: bar, epoch, time left, a cost point. */
  progressed(run, detail) {
    this.dataBox.hidden = true;
    const epochs = detail.epochs || run.settings.epochs;
    const epoch = Math.min(epochs, (detail.epoch || 0) + 1);
    if (Number.isFinite(detail.fraction)) this.progress.value = detail.fraction;
    const batch = run.paused && detail.batch < detail.batches ? `, mini-batch ${detail.batch} of ${detail.batches}` : "";
    this.title.textContent = `Run ${run.number}: epoch ${epoch} of ${epochs}${batch}`;
    if (!run.paused && !run.stopping) {
      const seconds = detail.remaining;
      const left = Number.isFinite(seconds) && seconds >= 1 ? `about ${formatDuration(seconds)} left` : "";
      this.eta.textContent = Number.isFinite(seconds) && seconds < 1 ? "almost done" : left;
    }
    if (Number.isFinite(detail.cost) && detail.batches > 0) {
      const x = (detail.epoch || 0) + (detail.batch || 0) / detail.batches;
      this.costChart.addPoint(run.key, run.label, x, detail.cost);
    }
  }

  /** Show an "epoch" event: the book's log line and an accuracy point. */
  epochDone(run, detail) {
    this.log.append(formatEpochLine(detail), "epoch");
    this.accuracyChart.addPoint(run.key, run.label, detail.epoch + 1, 100 * detail.accuracy);
  }

  /** Log a Step: the mini-batch it trained and its cost. */
  stepped(run, { epoch, batch, batches, cost }) {
    this.log.append(`Step: mini-batch ${batch} of ${batches} in epoch ${epoch}, cost ${cost.toFixed(4)}`, "note");
  }

  /** Say the run is paused, stopping, or going again. */
  state(run) {
    const downloading = !this.dataBox.hidden;
    if (run.stopping) this.eta.textContent = "Stopping…";
    else if (run.paused && downloading) this.eta.textContent = "Paused: MNIST keeps downloading; training waits until you resume";
    else if (run.paused) this.eta.textContent = "Paused";
    else this.eta.textContent = "";
  }

  /** Add a remark about a run to the log (e.g. it stayed at chance level). */
  note(run, text) {
    this.log.append(text, "error");
    this.title.textContent += " (did not learn)";
  }

  /** The run ended with ``reason`` "done", "stopped" or "error". */
  end(run, reason, message) {
    this.dataBox.hidden = true;
    this.eta.textContent = "";
    const best = run.best ? ` Best: ${run.best.correct} / ${run.best.total} after epoch ${run.best.epoch}.` : "";
    if (reason === "done") {
      this.progress.value = 1;
      this.title.textContent = `Run ${run.number}: done`;
      this.log.append(`Run ${run.number} finished.${best}`, "run");
    } else if (reason === "stopped") {
      this.title.textContent = `Run ${run.number}: stopped after ${run.epochsDone} of ${countOf(run.total || run.settings.epochs, "epoch")}`;
      this.log.append(`Run ${run.number} stopped after ${countOf(run.epochsDone, "epoch")}.${best}`, "run");
    } else {
      this.title.textContent = `Run ${run.number}: failed`;
      this.log.append(`Run ${run.number} failed: ${message}`, "error");
    }
  }

  clearCharts() {
    this.accuracyChart.clear();
    this.costChart.clear();
  }
}

/** The log line for a run with "Train with my digits" on (the startRun reply's "mine"). */
export function describeMine({ digits, heldOut, times, samples, share }) {
  const held = heldOut ? ` ${countOf(heldOut, "held-out digit")} never trained on.` : "";
  if (!digits) {
    return `Train with my digits is on, but My digits has no digits to train on yet: this run uses MNIST alone.${held}`;
  }
  const total = Math.round(samples / share);
  return `Training with my digits: ${countOf(digits, "digit")}, each repeated ${times} times: ` +
    `${samples.toLocaleString("en-US")} of the epoch's ${total.toLocaleString("en-US")} samples ` +
    `(${(100 * share).toFixed(1)}%).${held}`;
}
