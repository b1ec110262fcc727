// The Notebook section: the seed's code and our walkthrough as cells, each code cell an
// editor with Run, its output streamed into a log, edits kept in localStorage, Stop,
// Reset and a shareable link. Python runs in the notebook's own worker (NotebookClient),
// started on the first run. Text from Python or links reaches the DOM via textContent.

import { CELLS, seedCode } from "./cells.js";
import { CodeEditor, loadCodeMirror } from "./editor.js";
import { NotebookClient } from "./notebook-client.js";
import { decodeNotebook, encodeNotebook, readNotebookParam, withNotebookParam } from "./notebook-link.js";
import { copyText } from "../util/clipboard.js";

const STORAGE_KEY = "digit-lab-notebook-v1";
const SET_ASIDE_KEY = "digit-lab-notebook-v1-set-aside";   // edits that links replaced, newest first
const MAX_SET_ASIDE = 3;
const MAX_OUTPUT_CHARS = 200_000;
const RESTARTED = "Stopped. The notebook's Python was restarted, so its variables (net, training_data, …) were reset: run the cells again from the top.";

function el(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// A paragraph where `backticks` mark code; built from text nodes only.
function paragraph(text) {
  return el("p", {}, text.split("`").map((part, i) => (i % 2 ? el("code", { textContent: part }) : part)));
}

function seconds(s) { return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`; }

function loadEdits() {
  try {
    const data = JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}");
    return data && typeof data.cells === "object" && data.cells ? data.cells : {};
  } catch (e) {
    return {};
  }
}

function storeEdits(edits) {
  try {
    if (Object.keys(edits).length) localStorage.setItem(STORAGE_KEY, JSON.stringify({ cells: edits }));
    else localStorage.removeItem(STORAGE_KEY);
  } catch (e) { /* storage full or refused: edits live until the page closes */ }
}

function loadSetAside() {
  try {
    const list = JSON.parse(localStorage.getItem(SET_ASIDE_KEY) || "[]");
    return Array.isArray(list) ? list.filter((cells) => cells && typeof cells === "object") : [];
  } catch (e) {
    return [];
  }
}

function storeSetAside(list) {
  try {
    if (list.length) localStorage.setItem(SET_ASIDE_KEY, JSON.stringify(list.slice(0, MAX_SET_ASIDE)));
    else localStorage.removeItem(SET_ASIDE_KEY);
    return true;
  } catch (e) {
    return false;
  }
}

function sameEdits(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export class Notebook {
  /**
   * Build the notebook into ``root``. ``onSendToPad(text)`` returns a promise;
   * ``settingsUrl()`` returns the page's link with its settings (nb= is added to it);
   * ``onLinkProblem(text)`` is told when the link's notebook code could not be used.
   */
  constructor(root, { onSendToPad = async () => {}, settingsUrl = () => window.location.href,
    onLinkProblem = () => {}, files = async () => ({}) } = {}) {
    this.root = root;
    this.files = files;           // files(code): the page's files a cell reads ({name: text})
    this.settingsUrl = settingsUrl;
    this.onLinkProblem = onLinkProblem;
    this.onSendToPad = onSendToPad;
    this.seed = seedCode();
    this.cells = [];              // {number, editor, output, status, run, pending, timer}
    this.queue = Promise.resolve();
    this.generation = 0;          // bumped by Stop: queued runs of older generations do not start
    this.client = new NotebookClient({ onEvent: (message) => this.onEvent(message) });
    this.build();
    this.restore();
    this.observeForEditor();
  }

  build() {
    const $ = (name) => this.root.querySelector(`[data-nb="${name}"]`);
    this.ui = { cells: $("cells"), status: $("status"), notice: $("notice"), noticeText: $("notice-text"),
      runAll: $("run-all"), stop: $("stop"), reset: $("reset"), bringBack: $("bring-back"),
      copy: $("copy"), copyResult: $("copy-result") };
    let number = 0;
    for (const cell of CELLS) {
      if (cell.type === "text") {
        this.ui.cells.append(el("div", { className: "nb-text" }, [
          el("h3", { className: "nb-title", textContent: cell.title }), ...cell.paragraphs.map(paragraph)]));
      } else {
        number += 1;
        this.ui.cells.append(this.codeCell(number));
      }
    }
    this.ui.runAll.addEventListener("click", () => this.runAll());
    this.ui.stop.addEventListener("click", () => this.stop());
    this.ui.reset.addEventListener("click", () => this.reset());
    this.ui.bringBack.addEventListener("click", () => this.bringBack());
    this.ui.copy.addEventListener("click", () => this.copyLink());
    this.root.querySelector('[data-nb="notice-close"]').addEventListener("click", () => { this.ui.notice.hidden = true; });
  }

  codeCell(number) {
    const label = `Code cell ${number}`;
    const area = el("textarea", { className: "nb-code", spellcheck: false, rows: Math.min(24, this.seed[number - 1].split("\n").length) });
    area.setAttribute("aria-label", label);
    area.value = this.seed[number - 1];
    const run = el("button", { className: "button button-small", type: "button", textContent: "Run" });
    run.setAttribute("aria-label", `Run cell ${number}`);
    const status = el("span", { className: "nb-cell-status", textContent: "" });
    const output = el("pre", { className: "nb-output", hidden: true, tabIndex: 0 });
    output.setAttribute("role", "log");
    output.setAttribute("aria-label", `Output of cell ${number}`);
    const cell = { number, output, status, run, text: "", pending: "", timer: null };
    cell.editor = new CodeEditor(area, { label, onRun: () => this.run(cell), onChange: () => this.saveSoon() });
    run.addEventListener("click", () => this.run(cell));
    this.cells.push(cell);
    return el("div", { className: "nb-cell" }, [
      el("div", { className: "nb-cell-head" }, [el("span", { className: "nb-prompt", textContent: `In [${number}]` }), run, status]),
      area, output]);
  }

  // ---- editing, storage, link -------------------------------------------------

  edits() {
    const edits = {};
    for (const cell of this.cells) {
      const code = cell.editor.getValue();
      if (code !== this.seed[cell.number - 1]) edits[cell.number] = code;
    }
    return edits;
  }

  saveSoon() {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), 300);
  }

  save() {
    storeEdits(this.edits());
  }

  setCode(cells) {
    for (const cell of this.cells) {
      const code = cells[cell.number];
      cell.editor.setValue(typeof code === "string" ? code : this.seed[cell.number - 1]);
    }
  }

  /** Put your stored edits in the cells, then the link's notebook code if it has some. */
  restore() {
    this.setCode(loadEdits());
    this.ui.bringBack.hidden = !loadSetAside().length;
    this.applyLink();
    // a link pasted into this open page changes only the hash: its code is applied too
    window.addEventListener("hashchange", () => this.applyLink());
  }

  // The address's notebook code ("nb="), if not applied yet: it replaces the cells, and your
  // own edits are set aside (the last 3 kept in storage, for "Bring back my code").
  async applyLink() {
    const value = readNotebookParam(window.location.hash);
    if (value === null || value === this.appliedLink) return;
    this.appliedLink = value;
    const result = await decodeNotebook(value, this.cells.length);
    if (!result.ok) {
      this.notice(result.message);
      this.onLinkProblem(`${result.message} (Notebook)`);
      return;
    }
    const mine = this.edits();
    const earlier = loadSetAside();
    const setAside = Object.keys(mine).length > 0 && !sameEdits(mine, result.cells)
      && (earlier.length && sameEdits(earlier[0], mine) || storeSetAside([mine, ...earlier]));
    this.setCode(result.cells);
    this.save();
    if (setAside) this.ui.bringBack.hidden = false;
    this.notice("This notebook's code came from the link you opened. Read it before you run it: nothing runs until you press Run. "
      + (setAside ? "Your own edits were set aside: Bring back my code puts them back in the cells." : "Reset notebook restores the seed's code."));
  }

  /** Put the edits a notebook link replaced back into the cells (the link's code goes). */
  bringBack() {
    const [cells, ...older] = loadSetAside();
    this.setCode(cells || {});
    this.save();
    storeSetAside(older);
    // the link's code is no longer in the cells: a reload must not bring it back
    history.replaceState(history.state, "", withNotebookParam(window.location.href, null));
    this.ui.bringBack.hidden = !older.length;
    this.ui.notice.hidden = true;
    this.say(`Your own code is back in the cells; the link's code was replaced (open the link again to see it).${older.length ? " Bring back my code again goes one link further back." : ""}`);
  }

  notice(text) {
    this.ui.noticeText.textContent = text;
    this.ui.notice.hidden = false;
  }

  reset() {
    this.setCode({});
    this.save();
    this.say("The seed's code is back in every cell (Ctrl+Z in a cell undoes the reset there).");
  }

  async copyLink() {
    const result = await encodeNotebook(this.edits());
    if (!result.ok) {
      this.flash(result.message);
      return;
    }
    const url = withNotebookParam(this.settingsUrl(), result.value);
    const copied = await copyText(url);
    if (!copied) history.replaceState(history.state, "", `#${url.split("#")[1]}`);
    this.flash(copied ? "Notebook link copied. Whoever opens it sees your code; it does not run until they press Run."
      : "Could not copy; the notebook link is in the address bar.");
  }

  flash(text) {
    this.ui.copyResult.textContent = text;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { this.ui.copyResult.textContent = ""; }, 8000);
  }

  observeForEditor() {
    const upgrade = () => loadCodeMirror().then((CodeMirror) => {
      for (const cell of this.cells) {
        cell.editor.textarea.removeAttribute("aria-label");
        cell.editor.upgrade(CodeMirror);
      }
      this.root.dataset.editor = "codemirror";
    }).catch((e) => console.warn(`Notebook editors stay plain text areas: ${e.message}`));
    if (!("IntersectionObserver" in window)) { upgrade(); return; }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        upgrade();
      }
    }, { rootMargin: "600px" });
    observer.observe(this.root);
  }

  // ---- running -----------------------------------------------------------------

  say(text) { this.ui.status.textContent = text; }

  run(cell) {
    const generation = this.generation;
    const code = cell.editor.getValue();
    this.setStatus(cell, "Waiting…");
    this.ui.stop.disabled = false;
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
    cell.text = "";
    cell.pending = "";
    cell.output.textContent = "";
    cell.output.hidden = true;
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    this.active = cell;
    cell.root = cell.output.closest(".nb-cell");
    cell.root.dataset.state = "running";
    const tick = () => this.setStatus(cell, `Running… ${Math.floor(elapsed())} s${cell.progress ? ` · ${cell.progress}` : ""}`);
    tick();
    cell.timer = setInterval(tick, 1000);
    if (!this.client.started) this.say("Starting the notebook's Python (first run only)…");
    try {
      const result = await this.client.run(cell.number, code, await this.files(code));
      this.flush(cell);
      this.setStatus(cell, result.ok ? `Done in ${seconds(result.seconds)}` : `Failed after ${seconds(result.seconds)}`);
      cell.root.dataset.state = result.ok ? "done" : "failed";
      if (this.ui.status.textContent.startsWith("Starting")) this.say("");
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
      this.ui.stop.disabled = this.active === null;
    }
  }

  async stop() {
    this.generation += 1;
    for (const cell of this.cells) {
      if (cell !== this.active && cell.status.textContent === "Waiting…") this.setStatus(cell, "Not run (stopped)");
    }
    const how = await this.client.stop();
    this.say(how === "interrupted" ? "Interrupted the running cell; the notebook's variables are kept." : RESTARTED);
  }

  setStatus(cell, text) { cell.status.textContent = text; }

  onEvent(message) {
    const cell = this.cells[(message.cell || 0) - 1];
    if (message.type === "stream" && cell) this.append(cell, message.text);
    else if (message.type === "cell-progress" && cell) cell.progress = message.text;
    else if (message.type === "status" && !this.active) this.say(message.text);
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

  // Output arrives one write at a time; the DOM is updated at most once per frame.
  append(cell, text) {
    cell.pending += text;
    if (!cell.frame) cell.frame = requestAnimationFrame(() => this.flush(cell));
  }

  flush(cell) {
    cancelAnimationFrame(cell.frame);
    cell.frame = null;
    if (!cell.pending) return;
    cell.text += cell.pending;
    cell.pending = "";
    if (cell.text.length > MAX_OUTPUT_CHARS) {
      cell.text = `[earlier output trimmed]\n${cell.text.slice(-MAX_OUTPUT_CHARS / 2)}`;
    }
    cell.output.textContent = cell.text;
    cell.output.hidden = false;
    cell.output.scrollTop = cell.output.scrollHeight;
  }
}
