// The notebook worker's message handling, shared by both runtime entry points
// (js/worker/worker-module.js?role=notebook for Pyodide 314, js/worker/worker-classic.js?role=notebook
// for the 0.17 test runtime), which pass `loadRuntime(config)` resolving to
// {pyodide, FS, loadPackages(names, onMessage, onError)}.
//
// Requests {id, type: "init" | "run", payload}; replies {id, ok, result | error}.
// Events: {type: "status", text} while booting, {type: "stream", cell, text, skipped}
// for the cell's output to sys.stdout/sys.stderr, coalesced by pycore/notebook.py's
// OutputThrottle (whole lines at once while they come slowly, at most ~20 messages a
// second of at most 16,384 characters when they flood; ``skipped`` counts the lines
// dropped before ``text``), {type: "cell-progress", cell, text} for downloads, and
// {type: "send-to-pad", text} with a network's JSON.
// Interrupt: when the page is cross-origin isolated it passes a SharedArrayBuffer
// (``interruptBuffer``) that Pyodide polls: a 2 written there by the page raises
// KeyboardInterrupt in the running cell (pycore/notebook.py prints it; variables stay).

const MNIST_DIR = "/tmp/mnist";
const PAGE_FILES = ["my-digits.json"];     // the only files the page may put there
const MNIST_FILES = [["trainImages", "train-images-idx3-ubyte.gz", "training images"],
  ["trainLabels", "train-labels-idx1-ubyte.gz", "training labels"],
  ["testImages", "t10k-images-idx3-ubyte.gz", "test images"],
  ["testLabels", "t10k-labels-idx1-ubyte.gz", "test labels"]];
const PROGRESS_EVERY_MS = 250;

const post = (message) => self.postMessage(message);

class UserError extends Error {
  constructor(message, name = "UserError") { super(message); this.name = name; }
}

const SETUP = `
import importlib, os, sys, zipfile
_site = [p for p in sys.path if p.endswith("site-packages")][0]
with zipfile.ZipFile("/tmp/pycore.whl") as _whl:
    _whl.extractall(_site)
importlib.invalidate_caches()
os.environ["DIGIT_LAB_MNIST"] = "${MNIST_DIR}"
import pycore.mnist_loader, pycore.notebook
sys.modules["mnist_loader"] = pycore.mnist_loader  # the book's "import mnist_loader"
from digit_lab_notebook import write as _write, send_to_pad as _send
_nb_namespace = pycore.notebook.setup(_write, _send)
_nb_run = pycore.notebook.run_cell
_nb_finish = pycore.notebook.finish_output
del _write, _send
`;

async function fetchBytes(url, label, onProgress) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new UserError(`Could not download ${label}: the network request failed (${e.message}).`);
  }
  if (!response.ok) throw new UserError(`Could not download ${label}: the server answered ${response.status}.`);
  const total = Number(response.headers.get("Content-Length")) || 0;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (onProgress && Date.now() - reported >= PROGRESS_EVERY_MS) {
      reported = Date.now();
      onProgress(loaded, total);
    }
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.length; }
  return bytes;
}

const mb = (bytes) => (bytes / 1e6).toFixed(1);

export function startWorker(loadRuntime) {
  let state = null;           // {pyodide, FS, loadPackages, config, mnist, micropip}
  let booting = null;
  let current = null;         // the cell number whose output is being written
  let queue = Promise.resolve();

  // Python's output (through OutputThrottle) and the worker's own lines about a cell.
  const write = (text, skipped = 0) => post({ type: "stream", cell: current, text: String(text), skipped: Number(skipped) || 0 });

  async function boot(config) {
    post({ type: "status", text: "Starting the notebook's Python…" });
    const { pyodide, FS, loadPackages } = await loadRuntime(config);
    if (config.interruptBuffer && pyodide.setInterruptBuffer) pyodide.setInterruptBuffer(config.interruptBuffer);
    post({ type: "status", text: "Loading NumPy for the notebook…" });
    const errors = [];
    await loadPackages(["numpy"], () => {}, (msg) => errors.push(String(msg))).catch((e) => errors.push(e.message));
    try {
      pyodide.runPython("import numpy");
    } catch (e) {
      throw new UserError("The notebook's Python started, but NumPy could not be downloaded; check your connection and run the cell again.");
    }
    FS.writeFile("/tmp/pycore.whl", await fetchBytes(config.wheelURL, "the network code"));
    pyodide.registerJsModule("digit_lab_notebook", {
      write,
      send_to_pad: (text) => post({ type: "send-to-pad", text: String(text) }),
    });
    pyodide.runPython(SETUP);
    const version = pyodide.runPython("import sys; sys.version.split()[0]");
    state = { pyodide, FS, loadPackages, config, mnist: false, micropip: false };
    return { python: version, runtime: config.runtime };
  }

  // MNIST for `import mnist_loader`: downloaded once into the Pyodide file system.
  async function ensureMnist(cell) {
    if (state.mnist) return;
    try { state.FS.mkdir(MNIST_DIR); } catch (e) { /* exists */ }
    const started = Date.now();
    let total = 0;
    for (const [key, name, label] of MNIST_FILES) {
      const bytes = await fetchBytes(state.config.dataURLs[key], `MNIST ${label}`, (loaded, size) =>
        post({ type: "cell-progress", cell, text: `Downloading MNIST ${label}: ${mb(loaded)}${size ? ` of ${mb(size)}` : ""} MB` }));
      state.FS.writeFile(`${MNIST_DIR}/${name}`, bytes);
      total += bytes.length;
    }
    state.mnist = true;
    post({ type: "cell-progress", cell, text: "" });
    write(`Downloaded MNIST (${mb(total)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  }

  // micropip, loaded on first use from the same pinned distribution as NumPy.
  async function ensureMicropip(cell) {
    if (state.micropip) return;
    post({ type: "cell-progress", cell, text: "Loading micropip…" });
    const errors = [];
    await state.loadPackages(["micropip"], () => {}, (msg) => errors.push(String(msg))).catch((e) => errors.push(e.message));
    post({ type: "cell-progress", cell, text: "" });
    try {
      state.pyodide.runPython("import micropip");
    } catch (e) {
      throw new UserError(`micropip could not be loaded${errors.length ? `: ${errors[0]}` : ""}.`);
    }
    state.micropip = true;
  }

  // The page's files a cell reads (e.g. my-digits.json for mnist_loader.my_digits()),
  // written next to MNIST; a file the page no longer has is removed.
  function writeFiles(files) {
    try { state.FS.mkdir(MNIST_DIR); } catch (e) { /* exists */ }
    for (const name of PAGE_FILES) {
      const path = `${MNIST_DIR}/${name}`;
      if (typeof files[name] === "string") state.FS.writeFile(path, files[name]);
      else if (name in files) { try { state.FS.unlink(path); } catch (e) { /* none */ } }
    }
  }

  async function runCell({ cell, code, files = {} }) {
    if (typeof code !== "string" || !Number.isInteger(cell)) throw new UserError("run needs a cell number and its code.");
    if (!files || typeof files !== "object") throw new UserError("run's files must be an object of texts.");
    current = cell;
    const started = performance.now();
    try {
      if (/\bmnist_loader\b/.test(code)) await ensureMnist(cell);
      writeFiles(files);
      if (/\bmicropip\b/.test(code)) await ensureMicropip(cell);
      // JSON string literals are valid Python string literals.
      const ok = await state.pyodide.runPythonAsync(
        `await _nb_run(${JSON.stringify(code)}, ${cell}, _nb_namespace)`);
      return { ok: Boolean(ok), seconds: (performance.now() - started) / 1000 };
    } catch (e) {
      // Not the cell's own exception (those are printed by _nb_run): a download or runtime
      // failure. What the cell printed before it goes first.
      try { state.pyodide.runPython("_nb_finish()"); } catch (ignored) { /* Python is unusable */ }
      write(`${e.message}\n`);
      return { ok: false, seconds: (performance.now() - started) / 1000 };
    } finally {
      post({ type: "cell-progress", cell, text: "" });
    }
  }

  self.onmessage = async (event) => {
    const { id, type, payload } = event.data || {};
    try {
      let result;
      if (type === "init") {
        booting = booting || boot(payload);
        result = await booting;
      } else if (type === "run") {
        if (!state) throw new UserError("The notebook's Python is not ready yet.", "NotReady");
        // One cell at a time, in the order asked, even when a cell awaits.
        const run = queue.then(() => runCell(payload));
        queue = run.catch(() => {});
        result = await run;
      } else {
        throw new UserError(`Unknown request type "${type}".`, "BadRequest");
      }
      post({ id, ok: true, result });
    } catch (e) {
      post({ id, ok: false, error: { name: e.name || "Error", message: e.message || String(e) } });
    }
  };
}
