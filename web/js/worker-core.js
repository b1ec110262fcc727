// The worker's one message dispatch, shared by both entry points (module worker for
// Pyodide 314, classic worker for a local full distribution). The entry point passes
// `loadRuntime(config)`, which resolves to {pyodide, FS, loadPackages(names, onMessage,
// onError)}, the three places where the runtimes differ; everything else is here.
//
// Protocol (ARCHITECTURE.md): requests {id, type, payload}; replies {id, ok, result} or
// {id, ok: false, error: {name, message}}; events without id have a `type`:
// "progress" (phase "init" | "data" | "train"), "epoch", "train-end", "log", "ready", "fatal".

const CHUNK_SECONDS = 0.1;          // Python trains at most this long per call
const PROGRESS_EVERY_MS = 200;      // throttle of "progress" events during training

let py = null;                       // {pyodide, FS, call(name, payload)}
let config = null;
let dataLoaded = false;
let training = null;                 // {run, paused, stopped, resume}

const post = (message) => self.postMessage(message);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class UserError extends Error {
  constructor(message, name = "UserError") { super(message); this.name = name; }
}

// The last line of a Python traceback is the sentence a person can act on.
function lastLine(text) {
  const lines = String(text).trim().split("\n");
  return lines[lines.length - 1];
}

function initStep(step, text) {
  post({ type: "progress", phase: "init", step, text });
}

async function fetchBytes(url, label, onProgress, signal) {
  let response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new UserError(`Could not download ${label}: the network request failed (${e.message}).`, "NetworkError");
  }
  if (!response.ok) {
    throw new UserError(`Could not download ${label}: the server answered ${response.status}.`, "NetworkError");
  }
  const total = Number(response.headers.get("Content-Length")) || 0;
  if (!onProgress || !response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (Date.now() - reported >= PROGRESS_EVERY_MS) {
      reported = Date.now();
      onProgress(loaded, total);
    }
  }
  onProgress(loaded, total);
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.length; }
  return bytes;
}

function makeCaller(pyodide) {
  // bridge.dispatch(name, payload_json) returns a JSON envelope and never raises.
  const dispatch = pyodide.globals.get("_digit_lab_dispatch");
  return (name, payload = {}) => {
    const reply = JSON.parse(dispatch(name, JSON.stringify(payload)));
    if (!reply.ok) throw new UserError(reply.error.message, reply.error.name);
    return reply.result;
  };
}

const INSTALL_WHEEL = `
import importlib, sys, zipfile
_site = [p for p in sys.path if p.endswith("site-packages")][0]
with zipfile.ZipFile("/tmp/pycore.whl") as _whl:
    _whl.extractall(_site)
importlib.invalidate_caches()
from pycore.bridge import dispatch as _digit_lab_dispatch
`;

async function boot(loadRuntime, cfg) {
  config = cfg;
  initStep("python", "Loading Python…");
  const { pyodide, FS, loadPackages } = await loadRuntime(cfg);
  const pythonVersion = pyodide.runPython("import sys; sys.version.split()[0]");
  post({ type: "log", text: `Python ${pythonVersion} started (${cfg.runtime}).` });

  initStep("numpy", `Python ${pythonVersion} started. Loading NumPy…`);
  const loadErrors = [];
  try {
    await loadPackages(["numpy"], (msg) => post({ type: "log", text: String(msg) }),
      (msg) => loadErrors.push(String(msg)));
  } catch (e) {
    loadErrors.push(e.message);
  }
  try {
    pyodide.runPython("import numpy");
  } catch (e) {
    const where = cfg.packageBaseUrl ? ` from ${new URL(cfg.packageBaseUrl).host}` : "";
    for (const detail of loadErrors) post({ type: "log", text: `NumPy download: ${detail}` });
    throw new UserError(`Python ${pythonVersion} started, but NumPy could not be downloaded${where}. ` +
      "Check your internet connection and press Retry.", "NumPyLoadError");
  }

  initStep("pycore", "Loading Digit Lab's network code…");
  FS.writeFile("/tmp/pycore.whl", await fetchBytes(cfg.wheelURL, "the network code"));
  try {
    pyodide.runPython(INSTALL_WHEEL);
  } catch (e) {
    throw new UserError(`Digit Lab's network code could not start: ${lastLine(e.message)}`, "StartupError");
  }
  py = { pyodide, FS, call: makeCaller(pyodide) };

  initStep("model", "Loading the pretrained model…");
  const modelBytes = await fetchBytes(cfg.modelURL, "the pretrained model");
  const info = py.call("load_model", { name: "pretrained", text: new TextDecoder().decode(modelBytes) });
  return { python: pythonVersion, numpy: py.call("versions").numpy, model: info };
}

// Download MNIST once per worker; `signal` aborts the download (Stop).
async function ensureData(signal) {
  if (dataLoaded) return;
  const files = [["trainImages", "training images"], ["trainLabels", "training labels"],
    ["testImages", "test images"], ["testLabels", "test labels"]];
  const paths = {};
  try {
    for (const [key, label] of files) {
      const bytes = await fetchBytes(config.dataURLs[key], `MNIST ${label}`, (loaded, total) =>
        post({ type: "progress", phase: "data", label: `MNIST ${label}`, loaded, total }), signal);
      paths[key] = `/tmp/${key}.gz`;
      py.FS.writeFile(paths[key], bytes);
    }
    post({ type: "progress", phase: "data", label: "Preparing MNIST", loaded: 1, total: 1 });
    py.call("load_data", paths);
    dataLoaded = true;
  } finally {
    for (const path of Object.values(paths)) py.FS.unlink(path);
  }
}

async function runTraining(run, settings) {
  let lastProgress = 0;
  try {
    await ensureData(run.abort.signal);
    const info = py.call("train_start", settings);
    post({ type: "log", text: `Run ${run.id}: training ${info.sizes.join("-")} on ${info.samples} samples.` });
    for (;;) {
      if (run.stopped) break;
      if (run.paused) { await new Promise((resolve) => { run.resume = resolve; }); continue; }
      const step = py.call("train_step", { seconds: CHUNK_SECONDS });
      const now = Date.now();
      for (const event of step.events) {
        if (event.event === "epoch") post({ type: "epoch", run: run.id, ...event });
      }
      if (step.done || now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        post({ type: "progress", phase: "train", run: run.id, ...step.progress });
      }
      if (step.done) break;
      await sleep(0);                // let pause/stop/predict messages in
    }
    py.call("train_finish", {});
    post({ type: "train-end", run: run.id, reason: run.stopped ? "stopped" : "done" });
  } catch (e) {
    if (run.stopped) post({ type: "train-end", run: run.id, reason: "stopped" });
    else post({ type: "train-end", run: run.id, reason: "error", message: e.message });
    reportIfFatal(e);
  } finally {
    if (training === run) training = null;
  }
}

// After a fatal WebAssembly error (e.g. out of memory) Pyodide refuses every call:
// say so, so the page offers Retry (a fresh worker) instead of staying "Ready".
function reportIfFatal(e) {
  if (/fatally failed|Pyodide has suffered a fatal error/i.test(String(e && e.message))) {
    post({ type: "fatal", error: { name: "FatalError", message: "Python stopped after a fatal error; press Retry to restart it." } });
  }
}

let nextRun = 1;

function startTraining(payload) {
  if (training) throw new UserError("A training run is already in progress; stop it first.");
  py.call("validate_settings", payload);
  const run = { id: nextRun++, paused: false, stopped: false, resume: null, abort: new AbortController() };
  training = run;
  runTraining(run, payload);
  return { run: run.id };
}

function control(action) {
  if (!training) return { active: false };
  if (action === "pause") training.paused = true;
  if (action === "resume" || action === "stop") {
    if (action === "stop") {
      training.stopped = true;
      training.abort.abort();
    }
    training.paused = false;
    if (training.resume) { training.resume(); training.resume = null; }
  }
  return { active: true, run: training.id, paused: training.paused };
}

function predict({ pixels, width, height }) {
  if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray)) {
    throw new UserError("predict needs the drawing's pixels as a Uint8ClampedArray.");
  }
  py.FS.writeFile("/tmp/drawing.rgba", new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
  return py.call("predict", { path: "/tmp/drawing.rgba", width, height, ink: "dark" });
}

const handlers = {
  predict,
  train: startTraining,
  pause: () => control("pause"),
  resume: () => control("resume"),
  stop: () => control("stop"),
  exportModel: (payload) => py.call("export_model", payload || {}),
  // payload.name "notebook": a network sent by the notebook's send_to_pad (else an upload).
  importModel: (payload) => py.call("load_model", { name: payload.name === "notebook" ? "notebook" : "uploaded", text: payload.text, activate: true }),
  useModel: (payload) => py.call("use_model", payload),
  models: () => py.call("models", {}),
};

export function startWorker(loadRuntime) {
  let booting = null;
  self.onmessage = async (event) => {
    const { id, type, payload } = event.data || {};
    if (type === "init") {
      booting = booting || boot(loadRuntime, payload);
      try {
        const result = await booting;
        post({ id, ok: true, result });
        post({ type: "ready", ...result });
      } catch (e) {
        const error = { name: e.name || "Error", message: e.message || String(e) };
        post({ id, ok: false, error });
        post({ type: "fatal", error });
      }
      return;
    }
    try {
      if (!py) throw new UserError("Python is not ready yet.", "NotReady");
      const handler = handlers[type];
      if (!handler) throw new UserError(`Unknown request type "${type}".`, "BadRequest");
      post({ id, ok: true, result: await handler(payload) });
    } catch (e) {
      post({ id, ok: false, error: { name: e.name || "Error", message: e.message || String(e) } });
      reportIfFatal(e);
    }
  };
  post({ type: "log", text: "Worker started." });
}
