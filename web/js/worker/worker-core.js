// The worker's one message dispatch, shared by both entry points (module worker for
// Pyodide 314, classic worker for a local full distribution). The entry point passes
// `loadRuntime(config)`, which resolves to {pyodide, FS, loadPackages(names, onMessage,
// onError)}, the three places where the runtimes differ; everything else is here.
//
// Protocol (ARCHITECTURE.md): requests {id, type, payload}; replies {id, ok, result} or
// {id, ok: false, error: {name, message}}; events without id have a `type`:
// "progress" (phase "init" | "data" | "train"), "epoch", "train-end", "log", "ready", "fatal".
// Training events come from Python (pycore/session.py) and are posted unchanged.

const CHUNK_SECONDS = 0.1;          // Python trains at most this long per call
const PROGRESS_EVERY_MS = 200;      // throttle of download "progress" events

let py = null;                       // {pyodide, FS, call(name, payload)}
let config = null;
let dataLoaded = false;

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
    throw new UserError(`Could not download ${label}: the request failed (${e.message}). Check your connection and try again.`, "NetworkError");
  }
  if (!response.ok) {
    throw new UserError(`Could not download ${label}: the server answered ${response.status}. Try again later.`, "NetworkError");
  }
  const total = Number(response.headers.get("Content-Length")) || 0;
  if (!onProgress || !response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  let reported = 0;
  for (;;) {
    let part;
    try {
      part = await reader.read();
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw new UserError(`The download of ${label} broke off (${e.message}). Check your connection and try again.`, "NetworkError");
    }
    const { done, value } = part;
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

// NumPy arrays come out of the bridge as files ({$buffer: path, dtype, shape}): read each
// into a typed array with its own ArrayBuffer (transferred to the page with the reply).
const TYPED = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array };

function readBuffers(FS, value) {
  if (!value || typeof value !== "object") return value;
  if (typeof value.$buffer === "string") {
    const bytes = FS.readFile(value.$buffer);
    FS.unlink(value.$buffer);
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return new TYPED[value.dtype](own.buffer);
  }
  for (const key of Object.keys(value)) value[key] = readBuffers(FS, value[key]);
  return value;
}

// The typed arrays' buffers in a reply (a few levels deep), to transfer rather than copy.
function transferables(value, found = [], depth = 0) {
  if (ArrayBuffer.isView(value)) found.push(value.buffer);
  else if (value && typeof value === "object" && depth < 4) {
    for (const item of Object.values(value)) transferables(item, found, depth + 1);
  }
  return found;
}

function makeCaller(pyodide, FS) {
  // Bridge.dispatch(name, payload_json) returns a JSON envelope and never raises.
  const dispatch = pyodide.globals.get("_digit_lab_bridge").dispatch;
  return (name, payload = {}) => {
    const reply = JSON.parse(dispatch(name, JSON.stringify(payload)));
    if (!reply.ok) throw new UserError(reply.error.message, reply.error.name);
    return readBuffers(FS, reply.result);
  };
}

const INSTALL_WHEEL = `
import importlib, sys, zipfile
_site = [p for p in sys.path if p.endswith("site-packages")][0]
with zipfile.ZipFile("/tmp/pycore.whl") as _whl:
    _whl.extractall(_site)
importlib.invalidate_caches()
from pycore.bridge import Bridge
_digit_lab_bridge = Bridge()
`;

async function boot(loadRuntime, cfg) {
  config = cfg;
  initStep("python", "Step 1 of 4: loading Python…");
  let runtime;
  try {
    runtime = await loadRuntime(cfg);
  } catch (e) {
    throw new UserError(`Could not download or start Python (the Pyodide runtime in ${cfg.indexURL.replace(/^.*\/\/[^/]+/, "")}): ${e.message || e}. Check your connection and press Retry.`, "StartupError");
  }
  const { pyodide, FS, loadPackages } = runtime;
  const pythonVersion = pyodide.runPython("import sys; sys.version.split()[0]");
  post({ type: "log", text: `Python ${pythonVersion} started (${cfg.runtime}).` });

  initStep("numpy", `Step 2 of 4: Python ${pythonVersion} started; loading NumPy…`);
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

  initStep("pycore", "Step 3 of 4: loading Digit Lab's network code…");
  FS.writeFile("/tmp/pycore.whl", await fetchBytes(cfg.wheelURL, "the network code"));
  try {
    pyodide.runPython(INSTALL_WHEEL);
  } catch (e) {
    throw new UserError(`Digit Lab's network code could not start: ${lastLine(e.message)}`, "StartupError");
  }
  py = { pyodide, FS, call: makeCaller(pyodide, FS) };

  initStep("model", "Step 4 of 4: loading the pretrained networks…");
  let info;
  // the MLP, then the conv net, which answers the pad
  for (const [name, url, file, activate] of [["pretrained", cfg.modelURL, "pretrained.json", false],
    ["pretrained-conv", cfg.convModelURL, "pretrained-conv.json", true]]) {
    const modelBytes = await fetchBytes(url, "the pretrained model");
    try {
      info = py.call("loadModel", { name, text: new TextDecoder().decode(modelBytes), activate });
    } catch (e) {
      throw new UserError(`The site's pretrained model (models/${file}) is damaged and could not be loaded: ${e.message} Reload the page; if this persists, the site's files are broken.`, "StartupError");
    }
  }
  return { python: pythonVersion, numpy: py.call("versions").numpy, model: info };
}

// Download MNIST once per worker, smallest files first; `signal` aborts the download
// (Stop). Files that arrived whole are kept, so a later Train does not fetch them again.
const downloaded = {};

async function ensureData(signal) {
  if (dataLoaded) return;
  await ensureTestData(true);
  const files = [["trainLabels", "training labels"], ["trainImages", "training images"]];
  for (const [key, label] of files) {
    if (downloaded[key]) continue;
    downloaded[key] = await fetchBytes(config.dataURLs[key], `MNIST ${label}`, (loaded, total) =>
      post({ type: "progress", phase: "data", label: `MNIST ${label}`, loaded, total }), signal);
  }
  post({ type: "progress", phase: "data", label: "Preparing MNIST", loaded: 1, total: 1 });
  const paths = {};
  try {
    for (const [key] of files) {
      paths[key] = `/tmp/${key}.gz`;
      py.FS.writeFile(paths[key], downloaded[key]);
    }
    py.call("loadData", paths);
    dataLoaded = true;
  } catch (e) {
    for (const key of Object.keys(downloaded)) delete downloaded[key];   // damaged: fetch anew
    throw e;
  } finally {
    for (const path of Object.values(paths)) py.FS.unlink(path);
  }
  for (const key of Object.keys(downloaded)) delete downloaded[key];     // Python has them now
}

// The test set alone (1.6 MB): the Inside views never need the training set. One
// download at a time, shared by whoever asks first; its progress goes out as Train's
// "progress" (phase "data") events, or as "test-data" events for the Inside section.
let testLoading = null;

function ensureTestData(training = false) {
  testLoading = testLoading || (async () => {
    const paths = {};
    try {
      for (const [key, label] of [["testLabels", "test labels"], ["testImages", "test images"]]) {
        const bytes = await fetchBytes(config.dataURLs[key], `MNIST ${label}`, (loaded, total) =>
          post(training ? { type: "progress", phase: "data", label: `MNIST ${label}`, loaded, total }
            : { type: "test-data", label: `MNIST ${label}`, loaded, total }));
        paths[key] = `/tmp/${key}.gz`;
        py.FS.writeFile(paths[key], bytes);
      }
      py.call("loadTestData", paths);
    } catch (e) {
      testLoading = null;                      // a later request tries again
      throw e;
    } finally {
      for (const path of Object.values(paths)) py.FS.unlink(path);
    }
  })();
  return testLoading;
}

async function withTestData(type, payload) {
  await ensureTestData();
  return py.call(type, payload || {});
}

// A network's pass over the 10,000 test images, in ~0.1 s calls: a conv network's takes
// seconds, and the worker must keep answering (pings, the pad, a run) between them.
async function evaluateInSlices(payload, type = "evaluateTest") {
  if (type === "evaluateTest") await ensureTestData();
  let request = { ...(payload || {}), seconds: CHUNK_SECONDS };
  for (;;) {
    const result = py.call(type, request);
    if (!result.pending) return result;
    request = { ...request, name: result.name };   // the same network, even if the pad changes
    await sleep(0);
  }
}

// The one training loop: Python (the Session) owns the run, its id and its pause and
// stop state; this loop only calls it in ~0.1 s chunks, posts its events unchanged and
// yields between chunks so that pause, stop and predictions get in. `waking` resolves
// when a paused run is resumed or stopped; `abort` cancels the MNIST download on Stop.
let loop = null;                     // {wake, abort, ready} while a run is going

async function trainLoop() {
  let end;
  try {
    await loop.ready;
    for (;;) {
      const step = py.call("stepRun", { seconds: CHUNK_SECONDS });
      for (const event of step.events) post(event);
      if (step.done) break;
      if (step.paused) await new Promise((resolve) => { loop.wake = resolve; });
      else await sleep(0);
    }
    end = py.call("finishRun");
  } catch (e) {
    reportIfFatal(e);
    try {
      end = py.call("finishRun", e.name === "AbortError" ? {} : { reason: "error", message: e.message });
    } catch (again) {
      end = { type: "train-end", reason: "error", message: e.message };
    }
  } finally {
    loop = null;
  }
  post(end);
}

// After a fatal WebAssembly error (e.g. out of memory) Pyodide refuses every call:
// say so, so the page offers Retry (a fresh worker) instead of staying "Ready".
// Return the fatal error (or null) so a request's reply says the same.
function reportIfFatal(e) {
  if (/fatally failed|fatal error|Maximum call stack size exceeded|out of memory/i.test(String(e && e.message))) {
    const error = { name: "FatalError", message: "Python stopped after a fatal error (it cannot be used any more); press Retry to restart it." };
    post({ type: "fatal", error });
    return error;
  }
  return null;
}

function startRun(payload) {
  if (loop) throw new UserError("A training run is already in progress; stop it first.");
  const info = py.call("startRun", payload);
  loop = { wake: null, abort: new AbortController() };
  loop.ready = ensureData(loop.abort.signal);
  loop.ready.catch(() => {});          // trainLoop reports a failed download
  trainLoop();
  return info;
}

// Step: one mini-batch of the paused run (once MNIST is there); a step that ends the
// run wakes the loop, which then finishes it.
async function stepBatch() {
  const current = loop;
  if (!current) throw new UserError("No training run is in progress; Step starts one when pressed again.");
  await current.ready;
  if (loop !== current) throw new UserError("The run ended before the step.");
  const step = py.call("stepBatch");
  for (const event of step.events) post(event);
  delete step.events;
  if (step.done && current.wake) { current.wake(); current.wake = null; }
  return step;
}

// Pause, resume and stop change the Session's state; a paused loop is woken to see it.
function control(name) {
  const state = py.call(name);
  if (loop && name === "stopRun") loop.abort.abort();
  if (loop && loop.wake && name !== "pauseRun") { loop.wake(); loop.wake = null; }
  return state;
}

function predict({ pixels, width, height, drawn = null }) {
  if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray)) {
    throw new UserError("predict needs the drawing's pixels as a Uint8ClampedArray.");
  }
  py.FS.writeFile("/tmp/drawing.rgba", new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
  return py.call("predict", { path: "/tmp/drawing.rgba", width, height, ink: "dark", drawn });
}

// My digits: the bytes go to Python as files, like a drawing. A digits file's text
// (checkDigits) and the page's whole set (setMyDigits: n × 784 pixels, labels, heldOut).
function withFile(type, path, bytes, payload) {
  py.FS.writeFile(path, bytes);
  try {
    return py.call(type, { ...payload, path });
  } finally {
    py.FS.unlink(path);
  }
}

function checkDigits({ text } = {}) {
  if (typeof text !== "string") throw new UserError("checkDigits needs the file's text.");
  return withFile("checkDigits", "/tmp/digits-file.json", new TextEncoder().encode(text), {});
}

function setMyDigits({ pixels, labels, heldOut } = {}) {
  if (!(pixels instanceof Uint8Array)) throw new UserError("setMyDigits needs the pixels as a Uint8Array.");
  return withFile("setMyDigits", "/tmp/my-digits.bin", pixels, { labels, heldOut });
}

// Requests that need the worker's own work; every other request goes to the bridge as is.
const handlers = {
  predict,
  startRun,
  stepBatch,
  pauseRun: () => control("pauseRun"),
  resumeRun: () => control("resumeRun"),
  stopRun: () => control("stopRun"),
  predictTest: (payload) => withTestData("predictTest", payload),
  evaluateTest: (payload) => evaluateInSlices(payload),
  testImages: (payload) => withTestData("testImages", payload),
  checkDigits,
  setMyDigits,
  evaluateMine: (payload) => evaluateInSlices(payload, "evaluateMine"),   // 2,000 digits: seconds
};

export function startWorker(loadRuntime) {
  let booting = null;
  self.onmessage = async (event) => {
    const { id, type, payload } = event.data || {};
    if (type === "ping") {
      post({ id, ok: true, result: "pong" });
      return;
    }
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
      const result = await (handler ? handler(payload) : py.call(type, payload || {}));
      self.postMessage({ id, ok: true, result }, transferables(result));
    } catch (e) {
      const fatal = reportIfFatal(e);
      post({ id, ok: false, error: fatal || { name: e.name || "Error", message: e.message || String(e) } });
    }
  };
  post({ type: "log", text: "Worker started." });
}
