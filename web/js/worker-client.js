// The main thread's side of the worker protocol: requests with ids that resolve to
// promises (`request(type, payload)`, type as in pycore/bridge.py's table or
// worker-core.js's handlers), and events passed on unchanged by their `type`
// (`on("epoch", …)`). The main thread never runs Python.

const RUNTIME_CONFIG = "runtime.json";

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
      throw new Error(`Could not load the site's runtime settings (${e.message}).`);
    }
    if (!response.ok) throw new Error(`Could not load the site's runtime settings (HTTP ${response.status}).`);
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
    // A terminated worker's last messages must not reach the new one's listeners.
    worker.onmessage = (event) => { if (this.worker === worker) this.dispatch(event.data); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.worker !== worker) return;
      this.fail({ name: "WorkerError", message: `The worker crashed: ${event.message || "unknown error"}.` });
    };
    const result = await this.request("init", cfg.init);
    this.status("ready", "Ready");
    return result;
  }

  fail(error) {
    for (const { reject } of this.pending.values()) reject(toError(error));
    this.pending.clear();
    this.status("failed", toError(error).message);
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

  request(type, payload = {}, transfer = []) {
    if (!this.worker) return Promise.reject(new Error("The worker is not running."));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, payload }, transfer);
    });
  }

}
