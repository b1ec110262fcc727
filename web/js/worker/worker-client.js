// The main thread's side of the worker protocol: requests with ids that resolve to
// promises (`request(type, payload)`, type as in pycore/bridge.py's table or
// worker-core.js's handlers), and events passed on unchanged by their `type`
// (`on("epoch", …)`). The main thread never runs Python.

const RUNTIME_CONFIG = "runtime.json";
const INIT_TIMEOUT_MS = 300_000;     // booting Python on a slow connection
const REPLY_TIMEOUT_MS = 60_000;     // any other request
const HEARTBEAT_MS = 2_000;          // a "ping" this often once the worker is ready…
const SILENT_MS = 12_000;            // …and no answer for this long means it is gone
const DEAD = "The Python worker stopped responding (it may have run out of memory or been closed by the browser). Press Retry to restart it; a network being trained is lost.";

function toError(error) {
  const e = new Error(error && error.message ? error.message : "The worker failed without a message.");
  e.name = (error && error.name) || "Error";
  return e;
}

export class WorkerClient {
  constructor({ base = document.baseURI } = {}) {
    this.base = base;
    this.listeners = new Map();
    this.pending = new Map();
    this.nextId = 1;
    this.worker = null;
    this.starting = null;
  }

  on(type, handler) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(handler);
    return () => this.listeners.get(type).delete(handler);
  }

  emit(type, detail) {
    for (const handler of this.listeners.get(type) || []) {
      try { handler(detail); } catch (e) { console.error(e); }
    }
  }

  status(state, text, step = state) {
    this.emit("status", { state, text, step });
  }

  async loadConfig() {
    const url = new URL(RUNTIME_CONFIG, this.base);
    let response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new Error(`Could not load the site's runtime settings, runtime.json (${e.message}). Check your connection and press Retry.`);
    }
    if (!response.ok) throw new Error(`Could not load the site's runtime settings, runtime.json (the server answered ${response.status}). Press Retry.`);
    const cfg = await response.json();
    const abs = (path) => new URL(path, url).href;
    return {
      runtime: cfg.runtime,
      workerURL: abs(cfg.worker),
      classic: cfg.workerType === "classic",
      init: {
        runtime: cfg.runtime,
        indexURL: abs(cfg.indexURL),
        packageBaseUrl: cfg.packageBaseUrl,
        wheelURL: abs(cfg.wheel),
        modelURL: abs(cfg.model),
        convModelURL: abs(cfg.convModel),
        dataURLs: Object.fromEntries(Object.entries(cfg.data).map(([k, v]) => [k, abs(v)])),
      },
    };
  }

  // Boot the worker: Python, NumPy, pycore, the pretrained model. Resolves with versions.
  start() {
    if (!this.starting) {
      this.starting = this.boot().catch((e) => {
        this.status("failed", e.message);
        this.starting = null;
        throw e;
      });
    }
    return this.starting;
  }

  async boot() {
    this.status("loading", "Starting…", "start");
    const cfg = await this.loadConfig();
    const worker = cfg.classic ? new Worker(cfg.workerURL) : new Worker(cfg.workerURL, { type: "module" });
    this.worker = worker;
    this.dead = false;
    // A terminated worker's last messages must not reach the new one's listeners.
    worker.onmessage = (event) => { if (this.worker === worker) this.dispatch(event.data); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.worker !== worker) return;
      this.fail({ name: "WorkerError", message: `The Python worker crashed (${event.message || "no message"}). Press Retry to restart it.` });
    };
    worker.onmessageerror = () => {
      if (this.worker === worker) this.fail({ name: "WorkerError", message: "A message from the Python worker could not be read. Press Retry to restart it." });
    };
    const result = await this.request("init", cfg.init, [], INIT_TIMEOUT_MS);
    this.status("ready", "Ready");
    this.heartbeat(worker);
    return result;
  }

  // Ping the worker every HEARTBEAT_MS; a worker that closed itself or was killed
  // without an error event never answers, and is reported after SILENT_MS.
  heartbeat(worker) {
    let answered = Date.now();
    const timer = setInterval(() => {
      if (this.worker !== worker || this.dead) { clearInterval(timer); return; }
      if (Date.now() - answered > SILENT_MS) {
        clearInterval(timer);
        this.fail({ name: "WorkerGone", message: DEAD });
        return;
      }
      this.request("ping", {}, [], SILENT_MS * 2).then(() => { answered = Date.now(); }, () => {});
    }, HEARTBEAT_MS);
  }

  fail(error) {
    this.dead = true;
    const e = toError(error);
    for (const { reject, timer } of this.pending.values()) { clearTimeout(timer); reject(e); }
    this.pending.clear();
    this.status("failed", e.message);
  }

  // Hard stop: kill the worker and boot a fresh one (used by Retry).
  restart() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.fail({ name: "Restarted", message: "The worker was restarted." });
    this.starting = null;
    return this.start();
  }

  // The one dispatch of messages from the worker.
  dispatch(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      clearTimeout(waiter.timer);
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(toError(message.error));
      return;
    }
    switch (message.type) {
      case "progress":
        if (message.phase === "init") this.status("loading", message.text, message.step);
        else this.emit("progress", message);
        break;
      case "log": console.info(`[worker] ${message.text}`); break;
      case "fatal": this.fail(message.error); break;
      default: this.emit(message.type, message);   // epoch, train-end, ready, …: unchanged
    }
  }

  // Send a request; a reply that does not come within `timeout` ms means the worker is
  // gone (a dead worker sends no error event), which fails every pending request.
  request(type, payload = {}, transfer = [], timeout = REPLY_TIMEOUT_MS) {
    if (!this.worker || this.dead) {
      const e = new Error(this.worker ? DEAD : "The Python worker is not running; press Retry.");
      e.name = "WorkerGone";
      return Promise.reject(e);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.has(id)) this.fail({ name: "WorkerGone", message: DEAD });
      }, timeout);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, type, payload }, transfer);
    });
  }

}
