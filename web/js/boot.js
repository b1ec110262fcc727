// The one module that wires the page: the worker client, the panels and the
// app status. Panels know nothing of each other; this does.
// Untrusted text (messages, file names, link values) reaches the DOM only
// through textContent.

import { WorkerClient } from "./worker/worker-client.js";
import { LineChart } from "./widgets/line-chart.js";
import { TrainingLog } from "./widgets/training-log.js";
import { RunView } from "./train/run-view.js";
import { DrawPanel } from "./draw/draw-panel.js";
import { ModelPanel } from "./draw/model-panel.js";
import { TrainController } from "./train/train-controller.js";
import { BookExperiments } from "./train/book-experiments.js";
import { ArchitectureMenu } from "./train/architecture.js";
import { SharePanel } from "./share/share-panel.js";
import { Notebook } from "./notebook/notebook.js";
import { InsidePanel } from "./inside/inside-panel.js";
import { MyDigitsPanel } from "./mine/my-digits-panel.js";
import { SettingsSummary } from "./settings/settings-summary.js";
import { Presenter } from "./share/presenter.js";
import { startOffline } from "./share/offline.js";

const $ = (id) => document.getElementById(id);

// ---- messages ------------------------------------------------------------

const messageBox = $("message-box");
function showMessage(text) {
  $("message").textContent = text;
  messageBox.hidden = false;
}
function clearMessage() {
  $("message").textContent = "";
  messageBox.hidden = true;
}
$("message-close").addEventListener("click", clearMessage);

// ---- panels ----------------------------------------------------------------

const client = new WorkerClient();
const messages = { showMessage, clearMessage };

const NETWORK_NAMES = { "pretrained-conv": "the pretrained conv net", pretrained: "the pretrained MLP",
  uploaded: "the uploaded network",
  notebook: "the notebook's network", shared: "the network from the link" };
let models = null;
let training = null;
let inside = null;
let share = null;
let mine = null;
const networkLabel = (name) => (models && models.label(name)) || NETWORK_NAMES[name] || name;
const draw = new DrawPanel({
  pad: $("pad"), clear: $("clear"), prediction: $("prediction"), answeredBy: $("answered-by"),
  bars: $("bars"), preview: $("preview"),
}, {
  client, onError: showMessage,
  describeNetwork: (name) => (training && training.describe(name)) || networkLabel(name),
  onResult: (result) => {
    if (inside) inside.showPrediction(result);
    if (mine) mine.showAnswer(result);
  },
});
inside = new InsidePanel($("inside"), {
  client, showTestImage: (index) => draw.showTestImage(index),
  activeNetwork: () => $("model-select").dataset.current,
  currentRun: () => (training && training.run ? training.run.key : null),
});
mine = new MyDigitsPanel($("mine"), {
  pad: $("pad"), draw, client,
  networkLabel: (name) => {
    const option = $("model-select").querySelector(`option[value="${CSS.escape(name)}"]`);
    return option ? option.textContent : name;
  },
  activeNetwork: () => $("model-select").dataset.current,
  isTraining: () => Boolean(training && training.run),
});
const networkChanged = () => {
  draw.predict();
  inside.networkChanged();
  mine.networkChanged();
  if (training) training.update();     // Continue training names the pad's network
  if (share) share.padChanged($("model-select").dataset.current);
};

models = new ModelPanel({
  select: $("model-select"), download: $("download-model"), upload: $("upload-model"),
  uploadLabel: $("upload-label"), note: $("model-note"),
}, {
  client, ...messages, onChange: networkChanged,
  onSaved: (filename) => {
    if (training.last && filename.startsWith(`digit-lab-${training.last.key}-`)) training.last.saved = true;
  },
});

const view = new RunView({
  title: $("run-title"), eta: $("run-eta"), progress: $("train-progress"),
  dataBox: $("data-box"), dataProgress: $("data-progress"), dataText: $("data-text"),
  log: new TrainingLog($("log"), { emptyText: "Runs appear here, one line per epoch." }),
  accuracyChart: new LineChart($("chart-accuracy"), {
    label: "Test accuracy chart", xLabel: "Epochs trained", yLabel: "Test accuracy", yUnit: "%",
    clampMin: 0, clampMax: 100, emptyText: "Accuracy appears after the first epoch",
  }),
  costChart: new LineChart($("chart-cost"), {
    label: "Training loss chart", xLabel: "Epochs trained", yLabel: "Cost per sample",
    includeZero: true, markers: false, emptyText: "Cost appears once training starts",
  }),
});

let summary = null;
let book = null;
let architecture = null;
training = new TrainController({
  form: $("train-form"), train: $("train"), pause: $("pause"), step: $("step"), stop: $("stop"),
  continueButton: $("continue"), hint: $("train-hint"), clearCharts: $("clear-charts"),
}, {
  view, client, ...messages,
  onSettings: (result) => {
    if (share) share.settingsChanged(result);
    if (summary) summary.settingsChanged(result);
    if (book) book.settingsChanged(result);
    if (architecture) architecture.settingsChanged(result);
  },
  onNetwork: () => models.sync().then(networkChanged),
  onLearned: () => { draw.predict(); inside.learned(); mine.learned(); },
  padNetwork: () => $("model-select").dataset.current || null,
  networkLabel,
  onRunNetwork: (info) => { if (summary) summary.runNetwork(info); },
  onRunStart: (run) => { inside.runStarted(); book.runStarted(run); architecture.setRunning(true); },
  onRunEnd: (run, reason) => { book.runEnded(run, reason, view.log); architecture.setRunning(false); },
});
book = new BookExperiments({ select: $("book-select"), figure: $("book-figure"), why: $("book-why") }, {
  setValues: (values) => training.settingsForm.setValues(values),
  readSettings: () => training.settingsForm.read(),
});
architecture = new ArchitectureMenu({ select: $("architecture-select"), hint: $("architecture-hint") }, {
  setValues: (values) => training.settingsForm.setValues(values),
  readSettings: () => training.settingsForm.read(),
});

// Leaving during a run, or with a trained network not downloaded, loses it: ask first.
window.addEventListener("beforeunload", (event) => {
  if (training.hasUnsavedWork()) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// The settings' one-line summary (during a run, and in the presenter view) and the view.
summary = new SettingsSummary({
  card: document.querySelector(".train-card"), box: $("settings-summary"), text: $("settings-summary-text"),
  edit: $("edit-settings"), fields: $("train-fields"), form: $("train-form"),
}, { result: training.settingsForm.result });
new Presenter({ toggle: $("presenter-toggle"), stepKey: $("presenter-step-key") }, { summary });

share = new SharePanel({
  copyLink: $("copy-link"), copyResult: $("copy-result"),
  linkNetwork: $("link-network"), linkAutorun: $("link-autorun"), linkNote: $("link-note"),
  linkView: $("link-view"),
  notice: $("link-notice"), noticeTitle: $("link-notice-title"), noticeList: $("link-notice-list"),
  noticeClose: $("link-notice-close"),
}, {
  readSettings: () => training.settingsForm.read(),
  setValues: (values) => training.settingsForm.setValues(values),
  exportNetwork: () => models.exportLink(),
  padNetwork: () => $("model-select").dataset.current || null,
  networkLabel,
  loadNetwork: (bytes) => models.loadLink(bytes),
  onNetworkLoaded: () => models.sync().then(networkChanged),
});

// send_to_pad(net) in the notebook: the Draw worker loads the network as "notebook".
new Notebook($("notebook"), {
  settingsUrl: () => share.link(),
  onLinkProblem: (text) => share.addNotice(text),
  onSendToPad: (text) => models.loadText(text, "notebook"),
  // a cell that reads mnist_loader.my_digits() gets My digits as my-digits.json
  files: async (code) => (/\bmy_digits\b/.test(code) ? { "my-digits.json": await mine.fileText() } : {}),
});

// ---- app status ------------------------------------------------------------

const status = $("app-status");
const retry = $("retry");
let ready = false;
let autorun = share.apply();

function onStatus({ state, text }) {
  const wasReady = ready;
  ready = state === "ready";
  status.dataset.state = state;
  status.textContent = ready ? "Ready" : text || (state === "failed" ? "Something went wrong." : "Loading…");
  retry.hidden = state !== "failed";
  document.documentElement.dataset.app = state;
  draw.setReady(ready);
  models.setReady(ready);
  training.setReady(ready);
  inside.setReady(ready);
  mine.setReady(ready);              // a fresh worker gets the set before any test
  if (ready && !wasReady) onReady();
}

async function onReady() {
  $("model-select").dataset.current = "pretrained-conv";
  await share.applyNetwork();       // the link's network, if any (once)
  await models.sync();
  networkChanged();
  if (autorun) {
    autorun = false;
    training.start();
  }
}

client.on("status", onStatus);

function startClient(begin) {
  Promise.resolve().then(begin).catch((error) => onStatus({ state: "failed", text: error && error.message }));
}

retry.addEventListener("click", () => {
  retry.hidden = true;
  startClient(() => client.restart());
});

// ---- start -----------------------------------------------------------------

onStatus({ state: "loading", text: "Starting…" });
document.documentElement.dataset.boot = "ok";
startClient(() => client.start());
startOffline({ notice: $("update-notice"), reload: $("update-reload") });
