// The main thread's side of the notebook worker: started on the first run, one request
// per cell, Interrupt and Restart. When the page is cross-origin isolated (the service
// worker, web/sw.js, sends COOP/COEP with the site's files, so from the first reload it
// controls), Interrupt writes SIGINT into a SharedArrayBuffer that Pyodide polls: the
// running cell raises KeyboardInterrupt and every variable stays. Without isolation (the
// first visit, browsers that refuse it) or without SharedArrayBuffer even so (WebKitGTK)
// there is no shared memory, and Interrupt falls back to Restart: the worker is
// terminated and a fresh one started, its variables lost.

const INTERRUPT_WAIT_MS = 1000;       // how long Interrupt waits for the cell to end
const SIGINT = 2;

function toError(error) {
  const e = new Error(error && error.message ? error.message : "The notebook's worker failed without a message.");
  e.name = (error && error.name) || "Error";
  return e;
}

export class NotebookClient {
  /**
   * A client for the notebook's worker (not started yet). ``base`` is the URL that
   * runtime.json is relative to; ``onEvent(message)`` receives the worker's events.
   */
  constructor({ base = document.baseURI, onEvent = () => {} } = {}) {
    this.base = base;
    this.onEvent = onEvent;
    this.worker = null;
    this.starting = null;
    this.pending = new Map();
    this.nextId = 1;
    this.running = 0;             // run requests sent and not answered
    this.busy = 0;                // run() calls not finished (booting included)
    this.info = null;             // {python, runtime} once the worker has started
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
    if (this.interrupt) Atomics.store(this.interrupt, 0, 0);   // no Interrupt left over for the new worker
    this.onEvent({ type: "status", text: "Starting the notebook's Python…" });
    const cfg = await this.loadConfig();
    const worker = cfg.classic ? new Worker(cfg.workerURL) : new Worker(cfg.workerURL, { type: "module" });
    this.worker = worker;
    worker.onmessage = (event) => { if (this.worker === worker) this.dispatch(event.data); };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.worker === worker) this.discard(toError({ name: "WorkerError", message: `The notebook's worker crashed: ${event.message || "unknown error"}.` }));
    };
    this.info = await this.request("init", cfg.init);
    return this.info;
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
    this.busy += 1;               // from the first await: Interrupt during a boot restarts
    try {
      await this.start();
      this.running += 1;
      try {
        if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
        return await this.request("run", { cell, code, files });
      } finally {
        this.running -= 1;
      }
    } finally {
      this.busy -= 1;
    }
  }

  /** Whether Interrupt can raise KeyboardInterrupt (shared memory: the page is isolated). */
  get canInterrupt() { return this.interrupt !== null; }

  /**
   * Interrupt the running cell. Resolve with "interrupted" (it ended, variables kept),
   * "pending" (KeyboardInterrupt is waiting for Python to run again, e.g. after a
   * download), "restarted" (no shared memory here: the worker was restarted) or "idle".
   */
  async interruptCell() {
    if (this.busy === 0) return "idle";
    if (!this.interrupt || this.running === 0) return this.restart();   // booting: nothing to keep
    Atomics.store(this.interrupt, 0, SIGINT);
    const ended = await new Promise((resolve) => {
      const started = Date.now();
      const poll = () => {
        if (this.running === 0) resolve(true);
        else if (Date.now() - started > INTERRUPT_WAIT_MS) resolve(false);
        else setTimeout(poll, 25);
      };
      poll();
    });
    return ended ? "interrupted" : "pending";
  }

  /** End the worker whatever it does (its variables are lost) and start a fresh one. */
  restart() {
    const error = new Error("The notebook was restarted.");
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
