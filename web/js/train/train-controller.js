// The training flow on the page: Train, Pause/Resume, Step, Stop and Continue
// training, the settings form, and the run view (title, progress, log, charts).
// The worker's Session owns the run (its id, pause and stop state); this keeps the
// page's one copy of what the person sees and passes the worker's events to the
// view unchanged.

import { SettingsForm } from "../settings/settings-form.js";
import { describeRun } from "../settings/describe.js";
import { countOf } from "../util/format.js";
import { chanceAdvice, scheduleLine } from "./advice.js";

function sentence(text) {
  const t = String(text || "Unknown error").trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

const RE_PREDICT_MS = 400;            // re-read the drawing while the network learns
const STEP_TIMEOUT_MS = 600_000;      // the first Step may wait for the MNIST download
const CHANCE = 0.2;                   // best test accuracy below this: the run did not learn

export class TrainController {
  /**
   * parts: {form, train, pause, step, stop, continueButton, hint, clearCharts} elements;
   * view: a RunView; client: the WorkerClient; showMessage/clearMessage: the page's
   * message box; onSettings(result): the form changed; onNetwork(): the pad's network may
   * have changed; onLearned(): the network being trained changed (a few times a second at
   * most); padNetwork(): the pad's network's name; networkLabel(name): how to call it;
   * onRunNetwork({sizes, cost, activation}): the network a run that started trains (startRun's reply);
   * onRunStart(run): a run starts; onRunEnd(run, reason): it ended ("done", "stopped" or "error").
   */
  constructor(parts, { view, client, showMessage, clearMessage, onSettings, onNetwork, onLearned,
    padNetwork, networkLabel, onRunNetwork = () => {}, onRunStart = () => {}, onRunEnd = () => {} }) {
    Object.assign(this, parts);
    Object.assign(this, { view, client, showMessage, clearMessage, onSettings, onNetwork, onLearned,
      padNetwork, networkLabel, onRunNetwork, onRunStart, onRunEnd });
    this.learnedAt = 0;
    this.ready = false;
    this.run = null;
    this.runCount = 0;
    this.settingsForm = new SettingsForm(this.form, {
      onChange: (result) => { this.update(); this.onSettings(result); },
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.start();
    });
    this.pause.addEventListener("click", () => this.control(this.run && this.run.paused ? "resumeRun" : "pauseRun"));
    this.stop.addEventListener("click", () => this.control("stopRun"));
    this.step.addEventListener("click", () => this.stepOnce());
    this.continueButton.addEventListener("click", () => this.start({ continueFrom: this.padNetwork() }));
    this.clearCharts.addEventListener("click", () => this.view.clearCharts());
    client.on("progress", (detail) => this.progressed(detail));
    client.on("epoch", (detail) => this.epochDone(detail));
    client.on("schedule", (detail) => { if (this.mine(detail)) this.view.log.append(scheduleLine(detail)); });
    client.on("train-end", (detail) => { if (this.mine(detail)) this.end(detail); });
    this.update();
  }

  setReady(ready) {
    this.ready = ready;
    if (!ready && this.run) this.end({ reason: "error", message: "The Python worker stopped." });
    this.update();
  }

  /** Is this event about the run on screen? (Before the worker answered Train, the
   *  first event names the run.) */
  mine(detail) {
    const run = this.run;
    if (!run || !detail) return false;
    if (run.id === null && detail.run !== undefined) run.id = detail.run;
    return detail.run === undefined || detail.run === run.id;
  }

  update() {
    const valid = this.settingsForm.result.ok;
    const run = this.run;
    const idle = this.ready && valid && !run;
    const pad = this.padNetwork();
    this.train.disabled = !idle;
    this.pause.disabled = !run || run.stopping;   // requests reach the worker in order
    this.pause.textContent = run && run.paused ? "Resume" : "Pause";
    // (not disabled while a step runs: the button would lose the keyboard focus)
    this.step.disabled = !(idle || (run && run.paused && !run.stopping));
    this.stop.disabled = !run || run.stopping;
    this.continueButton.disabled = !(idle && pad);
    this.settingsForm.setLocked(Boolean(run));
    let hint = "";
    if (run && run.paused) hint = `Run ${run.number} is paused: Step trains one mini-batch, Resume goes on.`;
    else if (run) hint = `Settings are locked while Run ${run.number} trains; Stop it to change them.`;
    else if (!valid) hint = "Fix the highlighted settings to train.";
    else if (!this.ready) hint = "Training is possible once Python is ready.";
    else if (pad) {
      const epochs = this.settingsForm.result.settings.epochs;
      const step = this.padRun() ? `Step goes on with ${this.networkLabel(pad)}, one mini-batch at a time`
        : "Step starts a new network, like Train, and trains it one mini-batch at a time";
      hint = `${step}. Continue training trains ${this.networkLabel(pad)} for ${countOf(epochs, "more epoch")} with these settings (its layers and cost stay).`;
    }
    this.hint.textContent = hint;
  }

  /** Start a run with the form's settings (Train, or a link's autorun); `paused` starts it
   *  paused (Step), `continueFrom` trains that network further (Continue training). */
  async start({ paused = false, continueFrom = null } = {}) {
    const { ok, settings } = this.settingsForm.read();
    if (!ok || !this.ready || this.run) return;
    this.clearMessage();
    // A kept run ("run-N") goes on under its own number; any other network becomes a new run.
    const kept = /^run-(\d+)$/.exec(continueFrom || "");
    const number = kept ? Number(kept[1]) : (this.runCount += 1);
    const key = `run-${number}`;
    const continued = continueFrom ? this.networkLabel(continueFrom) : null;
    const run = {
      id: null, number, settings, paused, stopping: false, stepping: false, epochsDone: 0,
      total: settings.epochs, best: null, key, continued, inPlace: Boolean(kept),
      // the chart line: a continued run's goes on under its first name
      label: (kept && this.view.seriesLabel(key)) || `Run ${number}: ${continued ? `continues ${continued}` : describeRun(settings)}`,
    };
    this.run = run;
    this.onRunStart(run);
    this.view.begin(run);
    if (paused) this.view.state(run);
    this.update();
    // the settings fold into their line just after (settings-summary.js): no scroll to Pause now
    if (!paused) this.pause.focus({ preventScroll: true });
    try {
      const request = { ...settings, paused };
      if (continueFrom) request.continueFrom = continueFrom;
      if (!kept) request.number = number;
      const info = await this.client.request("startRun", request);
      if (this.run === run) {
        if (run.id === null) run.id = info.run;
        Object.assign(run, { number: info.number, key: info.name, offset: info.offset,
          epochsDone: Math.max(run.epochsDone, info.offset), total: info.offset + info.epochs,
          activation: typeof info.activation === "string" ? info.activation : "sigmoid" });
        this.view.started(run, info.trainedWith, info.mine);
        this.onRunNetwork(info);
      }
      if (info.dropped && info.dropped.length) {
        this.view.log.append(`Digit Lab keeps the networks of the last 5 runs: ${info.dropped.join(", ")} was dropped.`);
      }
    } catch (error) {
      if (this.run === run) this.end({ reason: "error", message: error.message });
    }
    this.update();
  }

  /** The pad's network if it is a run's ("run-N"): Step goes on with it. */
  padRun() {
    const pad = this.padNetwork();
    return /^run-\d+$/.test(pad || "") ? pad : null;
  }

  /** Step: train exactly one mini-batch of the paused run. With no run, start a paused
   *  one first: the pad's run's network going on (as Continue training), else a new one. */
  async stepOnce() {
    if (!this.run) await this.start({ paused: true, continueFrom: this.padRun() });
    const run = this.run;
    if (!run || !run.paused || run.stopping || run.stepping) return;
    run.stepping = true;
    this.update();
    try {
      const step = await this.client.request("stepBatch", {}, [], STEP_TIMEOUT_MS);
      if (this.run === run && step.cost !== null) this.view.stepped(run, step);
      this.onLearned();                 // show what one step changed right away
    } catch (error) {
      if (this.run === run) this.showMessage(`Could not step: ${sentence(error.message)}`);
    } finally {
      run.stepping = false;
      this.update();
    }
  }

  async control(action) {
    const run = this.run;
    if (!run) return;
    const before = { paused: run.paused, stopping: run.stopping };
    if (action === "stopRun") Object.assign(run, { stopping: true, paused: false });
    else run.paused = action === "pauseRun";
    this.view.state(run);
    this.update();
    try {
      await this.client.request(action);
      if (action === "pauseRun") this.onLearned();   // the pad's answer says "paused" at once
    } catch (error) {
      Object.assign(run, before);
      this.view.state(run);
      this.update();
      const verb = { pauseRun: "pause", resumeRun: "resume", stopRun: "stop" }[action];
      this.showMessage(`Could not ${verb} training: ${sentence(error.message)}`);
    }
  }

  progressed(detail) {
    if (detail.phase === "data") {
      this.view.data(this.run, detail);
      return;
    }
    if (!this.mine(detail)) return;
    this.view.progressed(this.run, detail);
    this.run.position = (detail.epoch || 0) + (detail.batch || 0) / (detail.batches || 1);
    if (!this.run.synced) {
      // The worker predicts with the network being trained from now on: say so.
      this.run.synced = true;
      this.onNetwork();
    } else if (Date.now() - this.learnedAt >= RE_PREDICT_MS) {
      this.learnedAt = Date.now();
      this.onLearned();
    }
  }

  epochDone(detail) {
    if (!this.mine(detail)) return;
    const run = this.run;
    run.epochsDone = detail.epoch + 1;
    if (!run.best || detail.correct > run.best.correct) run.best = detail;
    this.view.epochDone(run, detail);
  }

  /** Describe the network being trained when it answers the pad, e.g. "Run 2 after 1.4
   *  epochs, training" (epochs trained, where the title counts the epoch under way). */
  describe(name) {
    const run = this.run;
    if (!run || name !== run.key) return null;
    const where = Number.isFinite(run.position) ? ` after ${run.position.toFixed(run.position < 1 ? 2 : 1)} epochs` : "";
    return `Run ${run.number}${where}, ${run.paused ? "paused" : "training"}`;
  }

  /** Does leaving the page lose something: a run going on, or a trained network not downloaded? */
  hasUnsavedWork() {
    return Boolean(this.run) || Boolean(this.last && this.last.trained && !this.last.saved);
  }

  end({ reason, message, trained }) {
    const run = this.run;
    this.run = null;
    if (run) Object.assign(run, { trained: Boolean(trained), saved: false });
    this.last = run;
    const text = message || "Training failed.";
    this.view.end(run, reason, text);
    if (reason === "error") this.showMessage(`Training failed: ${text}`);
    if (run && run.best && run.best.accuracy < CHANCE && reason !== "error") {
      const advice = chanceAdvice(run.settings.eta, run.activation || run.settings.act, run.settings.init);
      this.view.note(run, `Run ${run.number} stayed at chance level (best ${(100 * run.best.accuracy).toFixed(1)}%, about what guessing gives): the network did not learn. ${advice}`);
    }
    if (run) this.onRunEnd(run, reason);
    this.update();
    const focusLost = !document.activeElement
      || [this.pause, this.stop, document.body].includes(document.activeElement);
    if (focusLost && !this.train.disabled) this.train.focus();
    // The worker made the new network the pad's when it started training (unless the
    // person chose another since, or the run was stopped before it trained anything).
    if (this.ready) this.onNetwork();
  }
}
