// Running the notebook's code cells, one at a time in the order asked, in the notebook's
// worker (NotebookClient): each cell's status ("Running… 3 s", "Done in 1.2 s",
// "Interrupted after 4.0 s"); its output kept as a bounded tail (notebook-output.js) and
// shown in an animation frame at most every SHOW_EVERY_MS (only the newest LIVE_LINES
// while it floods, the whole tail when the cell ends); Interrupt (KeyboardInterrupt where
// the page is cross-origin isolated, else a restart, said in the notebook's status) and
// Restart.

import { NotebookClient } from "./notebook-client.js";

const SHOW_EVERY_MS = 200;     // a flood of output costs the page at most 5 updates a second,
const LIVE_LINES = 100;        // each of these lines (the whole tail once the cell has ended)
const RESET_VARIABLES = "its variables (net, training_data, …) were reset: run the cells again from the top.";
const RESTARTED = `Restarted. The notebook's Python was restarted, so ${RESET_VARIABLES}`;

function seconds(s) { return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`; }

// Why Interrupt had to restart: no shared memory (not cross-origin isolated, or an engine
// that keeps SharedArrayBuffer off even then, as WebKitGTK does).
function noSharedMemory() {
  const then = "so Interrupt restarted the notebook's Python and " + RESET_VARIABLES;
  if (globalThis.crossOriginIsolated) return `This browser gives the page no shared memory (SharedArrayBuffer), ${then}`;
  const controlled = typeof navigator !== "undefined" && navigator.serviceWorker && navigator.serviceWorker.controller;
  return `This page is not cross-origin isolated, ${then}`
    + (controlled ? " Reload the page once and Interrupt will keep the variables (in browsers that allow it)."
      : " Once the site is kept for offline use, a reload lets Interrupt keep the variables (in browsers that allow it).");
}

export class NotebookRunner {
  /**
   * Run cells for the notebook. ``say(text)`` sets the notebook's status line, ``said()``
   * reads it; ``interruptButton`` and ``restartButton`` are enabled as runs go;
   * ``files(code)`` resolves with the page's files a cell reads; ``onSendToPad(text)``
   * takes a network sent by send_to_pad (a promise).
   */
  constructor({ say, said, interruptButton, restartButton, files, onSendToPad }) {
    Object.assign(this, { say, said, interruptButton, restartButton, files, onSendToPad });
    this.queue = Promise.resolve();
    this.generation = 0;          // bumped by Interrupt, Restart and a new notebook: queued runs do not start
    this.executions = 0;          // the run order, for .ipynb's execution_count
    this.active = null;           // the running cell
    this.cells = [];              // the notebook's code cells (for queued ones' statuses)
    this.client = new NotebookClient({ onEvent: (message) => this.onEvent(message) });
    interruptButton.title = this.client.canInterrupt ? "Raise KeyboardInterrupt in the running cell; the variables stay."
      : "No shared memory here (the page is not cross-origin isolated): Interrupt restarts the notebook's Python.";
  }

  /** The notebook now has ``cells``; runs queued for the old ones do not start. */
  setCells(cells) {
    this.generation += 1;
    this.cells = cells;
  }

  /** The worker's Python version once it has started, else null. */
  get python() { return this.client.info ? this.client.info.python : null; }

  run(cell) {
    const generation = this.generation;
    const code = cell.editor.getValue();
    this.setStatus(cell, "Waiting…");
    this.interruptButton.disabled = false;
    this.restartButton.disabled = false;
    const done = this.queue.then(() => (generation === this.generation ? this.execute(cell, code) : false));
    this.queue = done.catch(() => false);
    return done;
  }

  async runAll() {
    for (const cell of this.cells) {
      if (!(await this.run(cell))) return;
    }
  }

  async execute(cell, code) {
    cell.tail.clear();
    cell.pending = [];
    this.show(cell);
    cell.interrupted = false;
    cell.executionCount = ++this.executions;
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    this.active = cell;
    cell.root.dataset.state = "running";
    const tick = () => this.setStatus(cell, `Running… ${Math.floor(elapsed())} s${cell.progress ? ` · ${cell.progress}` : ""}`);
    tick();
    cell.timer = setInterval(tick, 1000);
    if (!this.client.started) this.say("Starting the notebook's Python (first run only)…");
    try {
      const result = await this.client.run(cell.number, code, await this.files(code));
      this.flush(cell);
      const verb = result.ok ? "Done in" : cell.interrupted ? "Interrupted after" : "Failed after";
      this.setStatus(cell, `${verb} ${seconds(result.seconds)}`);
      cell.root.dataset.state = result.ok ? "done" : "failed";
      if (this.said().startsWith("Starting")) this.say("");
      return result.ok;
    } catch (error) {
      this.flush(cell);
      const stopped = error.name === "Stopped";
      this.setStatus(cell, stopped ? `Stopped after ${seconds(elapsed())}` : "Failed");
      cell.root.dataset.state = "failed";
      if (!stopped) this.say(`The notebook's Python stopped: ${error.message} Run a cell to start it again.`);
      return false;
    } finally {
      clearInterval(cell.timer);
      cell.progress = "";
      if (this.active === cell) this.active = null;
      this.interruptButton.disabled = this.active === null;
      if (cell.tail.hidden > 0) this.showAll(cell);    // the whole tail, not the live view
    }
  }

  // Queued cells will not run (Interrupt and Restart end a Run all, as in Jupyter).
  dropQueued(why) {
    this.generation += 1;
    for (const cell of this.cells) {
      if (cell !== this.active && cell.status.textContent === "Waiting…") this.setStatus(cell, `Not run (${why})`);
    }
  }

  async interrupt() {
    this.dropQueued("interrupted");
    if (this.active) this.active.interrupted = true;
    const how = await this.client.interruptCell();
    if (how === "interrupted") this.say("Interrupted: the cell stopped with KeyboardInterrupt; the notebook's variables are kept.");
    else if (how === "pending") this.say("Interrupt is waiting: the cell stops as soon as Python runs again (after a download or a long NumPy operation). Restart ends it now, but resets the variables.");
    else if (how === "restarted") this.say(noSharedMemory());
    else this.say("No cell is running.");
  }

  restart() {
    this.dropQueued("restarted");
    this.client.restart();
    this.say(RESTARTED);
  }

  setStatus(cell, text) { cell.status.textContent = text; }

  onEvent(message) {
    const cell = this.active && this.active.number === message.cell ? this.active : null;
    if (message.type === "stream" && cell) this.append(cell, message.text, message.skipped || 0);
    else if (message.type === "cell-progress" && cell) cell.progress = message.text;
    // a boot's steps show beside the cell waiting for it (a restarted worker boots unseen)
    else if (message.type === "status" && this.active) this.active.progress = message.text;
    else if (message.type === "send-to-pad") this.sendToPad(message.text);
  }

  async sendToPad(text) {
    try {
      await this.onSendToPad(text);
      this.say("The Draw pad now uses the notebook's network (“Notebook”).");
    } catch (error) {
      this.say(`The Draw pad could not take the notebook's network: ${error.message}`);
    }
  }

  // Output arrives in coalesced messages; the page shows it in the next animation frame,
  // at most every SHOW_EVERY_MS.
  append(cell, text, skipped) {
    cell.pending.push([text, skipped]);
    if (cell.flushTimer) return;
    const wait = Math.max(0, (cell.shownAt || -Infinity) + SHOW_EVERY_MS - performance.now());
    cell.flushTimer = setTimeout(() => requestAnimationFrame(() => this.flush(cell)), wait);
  }

  flush(cell) {
    clearTimeout(cell.flushTimer);
    cell.flushTimer = null;
    if (!cell.pending.length) return;
    for (const [text, skipped] of cell.pending) cell.tail.add(text, skipped);
    cell.pending = [];
    this.showAll(cell);
  }

  showAll(cell) {
    this.show(cell);
    cell.output.scrollTop = cell.output.scrollHeight;
    cell.shownAt = performance.now();
  }

  show(cell) {
    // a running cell whose output floods (lines were dropped) shows its newest lines only
    const live = cell === this.active && cell.tail.hidden > 0;
    const { text, hidden } = live ? cell.tail.last(LIVE_LINES) : cell.tail;
    const note = cell.tail.note(hidden);
    cell.note.textContent = note;
    cell.note.hidden = !note;
    cell.output.textContent = text;
    cell.output.hidden = !text;
    cell.output.classList.toggle("nb-output-live", live);   // a fixed box: its layout stays inside
  }
}
