// The one module that wires the page: the worker client, the widgets, the
// training form and the URL. Widgets know nothing of each other; this does.
// Untrusted text (messages, file names, link values) reaches the DOM only
// through textContent.

import { WorkerClient } from "./worker-client.js";
import { DrawingPad } from "./widgets/drawing-pad.js";
import { ProbabilityBars } from "./widgets/probability-bars.js";
import { InputPreview } from "./widgets/input-preview.js";
import { LineChart } from "./widgets/line-chart.js";
import { TrainingLog } from "./widgets/training-log.js";
import { SettingsForm } from "./settings-form.js";
import { RunView } from "./run-view.js";
import { describeRun } from "./settings.js";
import { readHash, replaceHash, shareUrl } from "./url-state.js";
import { latestOnly } from "./latest-only.js";
import { copyText } from "./clipboard.js";
import { saveTextFile } from "./download.js";
import { formatBytes } from "./format.js";
import { Notebook } from "./notebook/notebook.js";

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const $ = (id) => document.getElementById(id);

const ui = {
  status: $("app-status"), retry: $("retry"),
  pad: $("pad"), clear: $("clear"), modelSelect: $("model-select"), prediction: $("prediction"),
  form: $("train-form"), train: $("train"), pause: $("pause"), stop: $("stop"), trainHint: $("train-hint"),
  clearCharts: $("clear-charts"),
  copyLink: $("copy-link"), copyResult: $("copy-result"),
  download: $("download-model"), upload: $("upload-model"), uploadLabel: $("upload-label"),
  modelNote: $("model-note"), messageBox: $("message-box"), message: $("message"), messageClose: $("message-close"),
  linkNotice: $("link-notice"), linkNoticeList: $("link-notice-list"), linkNoticeClose: $("link-notice-close"),
};

const app = { ready: false, everReady: false, autorun: false, run: null, runCount: 0, writingHash: false };

// ---- messages ------------------------------------------------------------

function showMessage(text) {
  ui.message.textContent = text;
  ui.messageBox.hidden = false;
}

function clearMessage() {
  ui.message.textContent = "";
  ui.messageBox.hidden = true;
}

function sentence(text) {
  const t = String(text || "Unknown error").trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function flash(element, text, ms = 4000) {
  element.textContent = text;
  clearTimeout(element.flashTimer);
  element.flashTimer = setTimeout(() => { element.textContent = ""; }, ms);
}

function showLinkNotices(notices) {
  ui.linkNoticeList.replaceChildren(...notices.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  ui.linkNotice.hidden = notices.length === 0;
}

// ---- widgets ---------------------------------------------------------------

const client = new WorkerClient();
const bars = new ProbabilityBars($("bars"));
const preview = new InputPreview($("preview"));
const log = new TrainingLog($("log"), { emptyText: "Runs appear here, one line per epoch." });
const accuracyChart = new LineChart($("chart-accuracy"), {
  label: "Test accuracy chart", xLabel: "Epochs trained", yLabel: "Test accuracy", yUnit: "%",
  clampMin: 0, clampMax: 100, emptyText: "Accuracy appears after the first epoch",
});
const costChart = new LineChart($("chart-cost"), {
  label: "Training loss chart", xLabel: "Epochs trained", yLabel: "Cost per sample",
  includeZero: true, markers: false, emptyText: "Cost appears once training starts",
});
const view = new RunView({
  title: $("run-title"), eta: $("run-eta"), progress: $("train-progress"),
  dataBox: $("data-box"), dataProgress: $("data-progress"), dataText: $("data-text"),
  log, accuracyChart, costChart,
});

// ---- drawing and prediction -----------------------------------------------

const pad = new DrawingPad(ui.pad, { onChange: requestPrediction, throttleMs: 150 });

function showEmptyPrediction() {
  ui.prediction.textContent = "–";
  ui.prediction.classList.add("is-empty");
  bars.update(null);
  preview.update(null);
}

function showPrediction(result) {
  if (!result || result.empty || pad.isEmpty()) {
    showEmptyPrediction();
    return;
  }
  ui.prediction.textContent = String(result.digit);
  ui.prediction.classList.remove("is-empty");
  bars.update(result.probabilities);
  preview.update(result.input);
}

const predictor = latestOnly((image) => client.predict(image), {
  onResult: showPrediction,
  onError: (error) => {
    if (app.ready) showMessage(`The network could not read the drawing: ${error.message}`);
  },
});

function requestPrediction() {
  if (pad.isEmpty()) {
    predictor.cancel();
    showEmptyPrediction();
  } else if (app.ready) {
    predictor.run(pad.getImageData());
  }
}

ui.clear.addEventListener("click", () => {
  pad.clear();
  predictor.cancel();
  showEmptyPrediction();
});

// ---- which network the pad uses ------------------------------------------

function option(name) {
  return ui.modelSelect.querySelector(`option[value="${name}"]`);
}

// Counts model switches, so that a models() reply sent before the latest switch
// cannot overwrite the select with a stale answer.
let modelSwitches = 0;

async function syncModels() {
  const switches = modelSwitches;
  try {
    const { available, active } = await client.models();
    for (const name of ["pretrained", "trained", "uploaded", "notebook"]) option(name).disabled = !available.includes(name);
    if (active && switches === modelSwitches) ui.modelSelect.value = ui.modelSelect.dataset.current = active;
  } catch (error) {
    // The select keeps its last known state; predicting still works.
  }
}

async function useModel(name) {
  modelSwitches += 1;
  const previous = ui.modelSelect.dataset.current || "pretrained";
  option(name).disabled = false;
  ui.modelSelect.value = name;
  try {
    await client.useModel(name);
    ui.modelSelect.dataset.current = name;
    requestPrediction();
  } catch (error) {
    ui.modelSelect.value = previous;
    showMessage(`Could not switch the drawing pad to the ${name} network: ${error.message}`);
  }
}

ui.modelSelect.addEventListener("change", () => useModel(ui.modelSelect.value));

// ---- app status ------------------------------------------------------------

function onStatus({ state, text }) {
  const wasReady = app.ready;
  app.ready = state === "ready";
  ui.status.dataset.state = state;
  ui.status.textContent = app.ready ? "Ready" : text || (state === "failed" ? "Something went wrong." : "Loading…");
  ui.retry.hidden = state !== "failed";
  document.documentElement.dataset.app = state;
  if (!app.ready && app.run) endRun({ reason: "error", message: "The Python worker stopped." });
  if (app.ready && !wasReady) onReady();
  updateControls();
}

async function onReady() {
  ui.modelSelect.dataset.current = "pretrained";
  await syncModels();
  requestPrediction();
  if (!app.everReady) {
    app.everReady = true;
    if (app.autorun) startTraining();
  }
}

client.on("status", onStatus);

function startClient(begin) {
  Promise.resolve().then(begin).catch((error) => onStatus({ state: "failed", text: error && error.message }));
}

ui.retry.addEventListener("click", () => {
  ui.retry.hidden = true;
  startClient(() => client.restart());
});

// ---- training --------------------------------------------------------------

const settingsForm = new SettingsForm(ui.form, { onChange: onSettingsChange });

function updateControls() {
  const valid = settingsForm.result.ok;
  const run = app.run;
  ui.train.disabled = !(app.ready && valid && !run);
  ui.pause.disabled = !run || run.stopping || run.id === null;
  ui.pause.textContent = run && run.paused ? "Resume" : "Pause";
  ui.stop.disabled = !run || run.stopping;
  ui.download.disabled = !app.ready;
  ui.upload.disabled = !app.ready;
  ui.uploadLabel.classList.toggle("is-disabled", !app.ready);
  ui.modelSelect.disabled = !app.ready;
  let hint = "";
  if (!valid) hint = "Fix the highlighted settings to train.";
  else if (!app.ready && !run) hint = "Training is possible once Python is ready.";
  ui.trainHint.textContent = hint;
}

function runFor(detail) {
  const run = app.run;
  if (!run || !detail) return null;
  if (run.id === null && detail.run !== undefined) run.id = detail.run;
  return detail.run === undefined || detail.run === run.id ? run : null;
}

async function startTraining() {
  const { ok, settings } = settingsForm.read();
  if (!ok || !app.ready || app.run) return;
  clearMessage();
  app.runCount += 1;
  const run = {
    id: null, number: app.runCount, settings, paused: false, stopping: false, epochsDone: 0, best: null,
    key: `run-${app.runCount}`, label: `Run ${app.runCount}: ${describeRun(settings)}`,
  };
  app.run = run;
  view.begin(run);
  updateControls();
  try {
    const result = await client.train(settings);
    if (app.run === run && run.id === null) run.id = result && result.run !== undefined ? result.run : null;
  } catch (error) {
    if (app.run === run) endRun({ reason: "error", message: error.message });
  }
  updateControls();
}

ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  startTraining();
});

async function control(action) {
  const run = app.run;
  if (!run) return;
  const before = { paused: run.paused, stopping: run.stopping };
  if (action === "stop") Object.assign(run, { stopping: true, paused: false });
  else run.paused = action === "pause";
  view.state(run);
  updateControls();
  try {
    await client[action]();
  } catch (error) {
    Object.assign(run, before);
    view.state(run);
    updateControls();
    showMessage(`Could not ${action} training: ${sentence(error.message)}`);
  }
}

ui.pause.addEventListener("click", () => control(app.run && app.run.paused ? "resume" : "pause"));
ui.stop.addEventListener("click", () => control("stop"));

client.on("data-progress", (detail) => view.data(app.run, detail));

client.on("train-progress", (detail) => {
  const run = runFor(detail);
  if (!run) return;
  view.progressed(run, detail);
  if (!run.synced) {
    // The worker predicts with the network being trained from now on: say so.
    run.synced = true;
    syncModels().then(requestPrediction);
  }
});

client.on("epoch", (detail) => {
  const run = runFor(detail);
  if (!run) return;
  run.epochsDone = detail.epoch + 1;
  if (!run.best || detail.correct > run.best.correct) run.best = detail;
  view.epochDone(run, detail);
  option("trained").disabled = false;
});

client.on("train-end", (detail) => {
  if (runFor(detail)) endRun(detail);
});

function endRun({ reason, message }) {
  const run = app.run;
  app.run = null;
  const text = message || "Training failed.";
  view.end(run, reason, text);
  if (reason === "error") showMessage(`Training failed: ${text}`);
  updateControls();
  // The worker made the new network the pad's at the run's start (unless the person
  // chose another since, or the run was stopped before it trained anything).
  if (app.ready) syncModels().then(requestPrediction);
}

ui.clearCharts.addEventListener("click", () => view.clearCharts());

// ---- settings <-> URL ------------------------------------------------------

function onSettingsChange(result) {
  updateControls();
  if (result.ok && !app.writingHash) replaceHash(result.settings);
}

function applyHash({ initial }) {
  const { values, autorun, notices } = readHash(window.location.hash);
  app.writingHash = initial;
  settingsForm.setValues(values);
  app.writingHash = false;
  showLinkNotices(notices);
  if (initial) app.autorun = autorun;
}

window.addEventListener("hashchange", () => applyHash({ initial: false }));
ui.linkNoticeClose.addEventListener("click", () => { ui.linkNotice.hidden = true; });

ui.copyLink.addEventListener("click", async () => {
  const { ok, settings } = settingsForm.read();
  if (!ok) {
    flash(ui.copyResult, "Fix the highlighted settings first.");
    return;
  }
  const url = shareUrl(window.location.href, settings);
  const copied = await copyText(url);
  if (!copied) replaceHash(settings);
  flash(ui.copyResult, copied ? "Link copied" : "Could not copy; the link is in the address bar.");
});

// ---- model files -----------------------------------------------------------

ui.download.addEventListener("click", async () => {
  clearMessage();
  try {
    const { text, filename } = await client.exportModel();
    saveTextFile(text, filename || "digit-lab-model.json");
    flash(ui.modelNote, `Saved ${filename || "the model"}.`, 6000);
  } catch (error) {
    showMessage(`Could not download the model: ${error.message}`);
  }
});

ui.upload.addEventListener("change", async () => {
  const file = ui.upload.files && ui.upload.files[0];
  ui.upload.value = "";
  if (!file) return;
  clearMessage();
  if (file.size > MAX_UPLOAD_BYTES) {
    showMessage(`“${file.name}” is too large (${formatBytes(file.size)}); model files up to ${formatBytes(MAX_UPLOAD_BYTES)} are accepted.`);
    return;
  }
  try {
    const text = await file.text();
    const info = await client.importModel(text);
    await useModel("uploaded");
    const sizes = info && Array.isArray(info.sizes) ? ` (${info.sizes.join("-")})` : "";
    flash(ui.modelNote, `Loaded “${file.name}”${sizes}; the drawing pad uses it now.`, 8000);
  } catch (error) {
    showMessage(`Could not load “${file.name}”: ${sentence(error.message)} The current network is unchanged.`);
  }
});

ui.messageClose.addEventListener("click", clearMessage);

// ---- notebook ----------------------------------------------------------------

// send_to_pad(net) in the notebook: the Draw worker loads the network as "notebook".
// Its "Copy notebook link" adds nb= to the settings' link.
new Notebook($("notebook"), {
  settingsUrl: () => {
    const { ok, settings } = settingsForm.read();
    return ok ? shareUrl(window.location.href, settings) : window.location.href;
  },
  onSendToPad: async (text) => {
    await client.request("importModel", { text, name: "notebook" });
    await useModel("notebook");
  },
});

// ---- start -----------------------------------------------------------------

showEmptyPrediction();
applyHash({ initial: true });
updateControls();
document.documentElement.dataset.boot = "ok";
startClient(() => client.start());
