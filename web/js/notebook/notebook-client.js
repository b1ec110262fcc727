// The main thread's side of the notebook worker: started on the first run, one request
// per cell, and Stop. Without cross-origin isolation (GitHub Pages) Stop terminates the
// worker and starts a fresh one: the notebook's variables are lost. When the page is
// cross-origin isolated, Stop first tries Pyodide's interrupt buffer (a KeyboardInterrupt
// in the running cell, variables kept) and terminates only if the cell has not ended
// within INTERRUPT_GRACE_MS. (The isolated branch is not covered by the tests: the test
// server, like GitHub Pages, sends no COOP/COEP headers.)

const INTERRUPT_GRACE_MS = 1000;
const SIGINT = 2;

function toError(error) {
  const e = new Error(error && error.message ? error.message : "The notebook's worker failed without a message.");
  e.name = (error && error.name) || "Error";
  return e;
}

export class NotebookClient {
  constructor({ base = document.baseURI, onEvent = () => {} } = {}) {
    this.base = base;
    this.onEvent = onEvent;
    this.worker = null;
    this.starting = null;
    this.pending = new Map();
    this.nextId = 1;
    this.running = 0;
    this.interrupt = globalThis.crossOriginIsolated && typeof SharedArrayBuffer === "function"
      ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  get started() { return this.worker !== null; }

  async loadConfig() {
    const url = new URL("runtime.json", this.base);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Could not load the site's runtime settings (HTTP ${response.status}).`);
    const cfg = await response.json();
    const abs = (path) => new URL(path, url).href;
    const workerURL = new URL(abs(cfg.worker));
    workerURL.searchParams.set("role", "notebook");
    return {
      workerURL: workerURL.href,
      classic: cfg.worker.includes("classic"),
      init: {
        runtime: cfg.runtime, indexURL: abs(cfg.indexURL), packageBaseUrl: cfg.packageBaseUrl,
        wheelURL: abs(cfg.wheel),
        dataURLs: Object.fromEntries(Object.entries(cfg.data).map(([k, v]) => [k, abs(v)])),
        interruptBuffer: this.interrupt,
      },
    };
  }

  /** Start the worker unless it runs; resolve with {python, runtime}. */
  start() {
    if (!this.starting) {
      this.starting = this.boot().catch((e) => {
        this.discard(e);
        throw e;
      });
    }
    return this.starting;
  }

  async boot() {
    this.onEvent({ type: "status", text: "Starting the notebook's Python…" });
    const cfg = await this.loadConfig();
    const worker = cfg.classic ? new Worker(cfg.workerURL) : new Worker(cfg.workerURL, { type: "module" });
    this.worker = worker;
    worker.onmessage = (event) => { if (this.worker === worker) this.dispatch(event.data); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.worker === worker) this.discard(toError({ name: "WorkerError", message: `The notebook's worker crashed: ${event.message || "unknown error"}.` }));
    };
    return this.request("init", cfg.init);
  }

  dispatch(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(toError(message.error));
    } else if (message.type === "fatal") {
      this.discard(toError(message.error));
    } else {
      this.onEvent(message);
    }
  }

  request(type, payload) {
    if (!this.worker) return Promise.reject(new Error("The notebook's worker is not running."));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, payload });
    });
  }

  /** Run ``code`` as cell ``cell``; resolve with {ok, seconds}. */
  async run(cell, code, files = {}) {
    await this.start();
    this.running += 1;
    try {
      if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
      return await this.request("run", { cell, code, files });
    } finally {
      this.running -= 1;
    }
  }

  /** Stop the running cell. Resolve with "interrupted" (variables kept) or "restarted". */
  async stop() {
    if (this.interrupt && this.worker && this.running > 0) {
      Atomics.store(this.interrupt, 0, SIGINT);
      const ended = await new Promise((resolve) => {
        const started = Date.now();
        const poll = () => {
          if (this.running === 0) resolve(true);
          else if (Date.now() - started > INTERRUPT_GRACE_MS) resolve(false);
          else setTimeout(poll, 50);
        };
        poll();
      });
      if (ended) return "interrupted";
    }
    const error = new Error("The notebook was stopped.");
    error.name = "Stopped";
    this.discard(error);
    this.start().catch(() => {});  // a fresh worker, ready for the next run
    return "restarted";
  }

  discard(error) {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.starting = null;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
