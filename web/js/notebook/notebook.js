// The Notebook section: the seed's code and our walkthrough as cells (or a notebook file
// the person opened), each code cell an editor with Run and its output; Run all,
// Interrupt, Restart, Reset, Download/Open .ipynb and a shareable link. Edits are kept in
// localStorage (notebook-store.js); a link's code or an opened file replaces the cells
// only after the person's own notebook is set aside, for "Bring back my code". Running,
// Interrupt and Restart are notebook-runner.js's (Python in the notebook's own worker,
// started on the first run); .ipynb files are read and written by ipynb.js.
// Text from Python, links and files reaches the DOM via textContent only.

import { CELLS, seedCode } from "./cells.js";
import { CodeEditor, loadCodeMirror } from "./editor.js";
import { NotebookRunner } from "./notebook-runner.js";
import { decodeNotebook, encodeNotebook, readNotebookParam, withNotebookParam } from "./notebook-link.js";
import { OutputTail } from "./notebook-output.js";
import * as store from "./notebook-store.js";
import { codeCellParts, markdownCell, rawCell, textCell } from "./notebook-view.js";
import { readIpynbFile, textCellMarkdown, toIpynb } from "./ipynb.js";
import { copyText } from "../util/clipboard.js";
import { saveTextFile } from "../util/download.js";

const SEED_FILE_NAME = "digit-lab-notebook.ipynb";

export class Notebook {
  /**
   * Build the notebook into ``root``. ``onSendToPad(text)`` returns a promise;
   * ``settingsUrl()`` returns the page's link with its settings (nb= is added to it);
   * ``onLinkProblem(text)`` is told when the link's notebook code could not be used;
   * ``files(code)`` resolves with the page's files a cell reads ({name: text}).
   */
  constructor(root, { onSendToPad = async () => {}, settingsUrl = () => window.location.href,
    onLinkProblem = () => {}, files = async () => ({}) } = {}) {
    this.root = root;
    this.settingsUrl = settingsUrl;
    this.onLinkProblem = onLinkProblem;
    this.seed = seedCode();
    this.file = null;             // the opened notebook file {name, cells}, or null: the seed's
    this.blocks = [];             // the cells in order: {type, source} or {type: "code", cell}
    this.cells = [];              // the code cells: {number, editor, output, note, status, run, tail, …}
    this.codeMirror = null;
    this.build();
    this.runner = new NotebookRunner({ say: (text) => this.say(text), said: () => this.ui.status.textContent,
      interruptButton: this.ui.interrupt, restartButton: this.ui.restart, files, onSendToPad });
    this.restore();
    this.observeForEditor();
  }

  build() {
    const $ = (name) => this.root.querySelector(`[data-nb="${name}"]`);
    this.ui = { cells: $("cells"), status: $("status"), notice: $("notice"), noticeText: $("notice-text"),
      runAll: $("run-all"), interrupt: $("interrupt"), restart: $("restart"), reset: $("reset"),
      bringBack: $("bring-back"), copy: $("copy"), copyResult: $("copy-result"), download: $("download"),
      open: $("open") };
    this.ui.runAll.addEventListener("click", () => this.runner.runAll());
    this.ui.interrupt.addEventListener("click", () => this.runner.interrupt());
    this.ui.restart.addEventListener("click", () => this.runner.restart());
    this.ui.reset.addEventListener("click", () => this.reset());
    this.ui.bringBack.addEventListener("click", () => this.bringBack());
    this.ui.copy.addEventListener("click", () => this.copyLink());
    this.ui.download.addEventListener("click", () => this.download());
    this.ui.open.addEventListener("change", () => {
      const [file] = this.ui.open.files;
      this.ui.open.value = "";            // the same file again is a new choice
      if (file) this.open(file);
    });
    this.root.querySelector('[data-nb="notice-close"]').addEventListener("click", () => { this.ui.notice.hidden = true; });
  }

  // ---- the document: the seed's cells or an opened file ---------------------------

  /** Show the seed's cells with ``edits`` ({cellNumber: code}), or the notebook ``file``. */
  render(file = null, edits = {}) {
    this.file = file;
    this.blocks = [];
    this.cells = [];
    const nodes = [];
    const cells = file ? file.cells : CELLS;
    for (const cell of cells) {
      if (cell.type === "code") {
        const number = this.cells.length + 1;
        const code = file ? cell.source : (typeof edits[number] === "string" ? edits[number] : this.seed[number - 1]);
        const codeCell = this.codeCell(number, code);
        this.blocks.push({ type: "code", cell: codeCell });
        nodes.push(codeCell.root);
      } else if (file) {
        this.blocks.push({ type: cell.type, source: cell.source });
        nodes.push(cell.type === "raw" ? rawCell(cell.source) : markdownCell(cell.source));
      } else {
        this.blocks.push({ type: "markdown", source: textCellMarkdown(cell.title, cell.paragraphs) });
        nodes.push(textCell(cell.title, cell.paragraphs));
      }
    }
    this.ui.cells.replaceChildren(...nodes);
    this.runner.setCells(this.cells);
    if (this.codeMirror) this.upgradeEditors();
    this.root.dataset.document = file ? "file" : "seed";
  }

  codeCell(number, code) {
    const parts = codeCellParts(number, code);
    const cell = { ...parts, number, tail: new OutputTail(), pending: [], flushTimer: null, timer: null };
    cell.editor = new CodeEditor(parts.area, { label: parts.label, onRun: () => this.runner.run(cell), onChange: () => this.saveSoon() });
    parts.run.addEventListener("click", () => this.runner.run(cell));
    this.cells.push(cell);
    return cell;
  }

  /** The seed's code cells' edits ({cellNumber: code}); {} for an opened file. */
  edits() {
    const edits = {};
    if (this.file) return edits;
    for (const cell of this.cells) {
      const code = cell.editor.getValue();
      if (code !== this.seed[cell.number - 1]) edits[cell.number] = code;
    }
    return edits;
  }

  /** The opened file with the code as edited, or null. */
  currentFile() {
    if (!this.file) return null;
    return { name: this.file.name, cells: this.blocks.map((block) => (block.cell
      ? { type: "code", source: block.cell.editor.getValue() } : { type: block.type, source: block.source })) };
  }

  /** The person's notebook as a set-aside entry, or null when it is the seed's, unedited. */
  currentEntry() {
    if (this.file) return { file: this.currentFile() };
    const edits = this.edits();
    return Object.keys(edits).length ? edits : null;
  }

  /** Set the person's notebook aside before ``incoming`` (edits, or null for a file)
   *  replaces it: "nothing" (unedited, or the same code), "stored" or "failed". */
  setAside(incoming = null) {
    const mine = this.currentEntry();
    if (!mine || (incoming && !mine.file && store.sameEdits(mine, incoming))) return "nothing";
    const earlier = store.loadSetAside();
    const stored = (earlier.length && store.sameEntry(earlier[0], mine)) || store.storeSetAside([mine, ...earlier]);
    if (stored) this.ui.bringBack.hidden = false;
    return stored ? "stored" : "failed";
  }

  saveSoon() {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), 300);
  }

  /** Keep the notebook in storage; return false when it did not fit. */
  save() {
    clearTimeout(this.saveTimer);
    const kept = [store.storeFile(this.currentFile()), store.storeEdits(this.edits())];   // null / {} clear
    return kept.every(Boolean);
  }

  setCode(edits) {
    for (const cell of this.cells) {
      const code = edits[cell.number];
      cell.editor.setValue(typeof code === "string" ? code : this.seed[cell.number - 1]);
    }
  }

  /** Show the stored notebook (an opened file, or your edits), then the link's code if any. */
  restore() {
    const file = store.loadFile();
    this.render(file, file ? {} : store.loadEdits());
    this.ui.bringBack.hidden = !store.loadSetAside().length;
    this.applyLink();
    // a link pasted into this open page changes only the hash: its code is applied too
    window.addEventListener("hashchange", () => this.applyLink());
  }

  // The address's notebook code ("nb="), if not applied yet: it replaces the cells (the
  // seed's, with the link's edits), and your own notebook is set aside.
  async applyLink() {
    const value = readNotebookParam(window.location.hash);
    if (value === null || value === this.appliedLink) return;
    this.appliedLink = value;
    const result = await decodeNotebook(value, this.seed.length);
    if (!result.ok) {
      this.notice(result.message);
      this.onLinkProblem(`${result.message} (Notebook)`);
      return;
    }
    const setAside = this.setAside(result.cells) === "stored";
    if (this.file) this.render(null, result.cells);
    else this.setCode(result.cells);
    this.save();
    this.notice("This notebook's code came from the link you opened. Read it before you run it: nothing runs until you press Run. "
      + (setAside ? "Your own edits were set aside: Bring back my code puts them back in the cells." : "Reset notebook restores the seed's code."));
  }

  /** Open a notebook file: checked, then shown in place of yours (set aside first). */
  async open(file) {
    const result = await readIpynbFile(file);
    if (!result.ok) {
      this.notice(result.message);
      return;
    }
    const name = String(file.name || "notebook.ipynb").slice(0, 120);
    const setAside = this.setAside();
    if (setAside === "failed") {
      this.notice(`“${name}” was not opened: your own notebook could not be set aside (this browser's storage is full). Download it as .ipynb first, then Reset notebook and open the file again.`);
      return;
    }
    this.render({ name, cells: result.cells });
    const kept = this.save();
    const counts = `${result.codeCells} code cell${result.codeCells === 1 ? "" : "s"} and ${result.textCells} text cell${result.textCells === 1 ? "" : "s"}`;
    this.notice(`“${name}” is open: ${counts}, its outputs left out. Read it before you run it: nothing runs until you press Run. `
      + (setAside === "stored" ? "Your own notebook was set aside: Bring back my code puts it back." : "Reset notebook brings back the seed's notebook.")
      + (kept ? "" : " It is too large to keep in this browser's storage: download it as .ipynb before you close the page."));
  }

  /** Put the notebook a link or a file replaced back in place (the replacement goes). */
  bringBack() {
    const [entry, ...older] = store.loadSetAside();
    if (entry && entry.file) this.render(entry.file);
    else if (this.file) this.render(null, entry || {});
    else this.setCode(entry || {});
    this.save();
    store.storeSetAside(older);
    // the link's code is no longer in the cells: a reload must not bring it back
    history.replaceState(history.state, "", withNotebookParam(window.location.href, null));
    this.ui.bringBack.hidden = !older.length;
    this.ui.notice.hidden = true;
    this.say(`Your own code is back in the cells; the link's or file's notebook was replaced (open it again to see it).${older.length ? " Bring back my code again goes one step further back." : ""}`);
  }

  say(text) { this.ui.status.textContent = text; }

  notice(text) {
    this.ui.noticeText.textContent = text;
    this.ui.notice.hidden = false;
  }

  reset() {
    if (this.file) {
      const setAside = this.setAside() === "stored";
      this.render(null, {});
      this.save();
      this.say(`The seed's notebook is back.${setAside ? " The notebook you opened was set aside: Bring back my code puts it back." : ""}`);
      return;
    }
    this.setCode({});
    this.save();
    this.say("The seed's code is back in every cell (Ctrl+Z in a cell undoes the reset there).");
  }

  async copyLink() {
    if (this.file) {
      this.flash("A link holds edits of Digit Lab's own notebook; this one came from a file: share it with Download .ipynb.");
      return;
    }
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

  /** Save the notebook as .ipynb: the code as edited, each cell's output as shown. */
  download() {
    const cells = this.blocks.map((block) => {
      if (!block.cell) return block;
      const { cell } = block;
      this.runner.flush(cell);
      const note = cell.tail.note();
      return { type: "code", source: cell.editor.getValue(), executionCount: cell.executionCount || null,
        output: (note ? `${note}\n` : "") + cell.tail.text };
    });
    const name = this.file ? this.file.name.replace(/(\.ipynb)?$/i, ".ipynb") : SEED_FILE_NAME;
    saveTextFile(`${JSON.stringify(toIpynb(cells, { python: this.runner.python }), null, 1)}\n`, name, "application/x-ipynb+json");
    this.flash(`Downloaded ${name}: Jupyter, Colab and JupyterLite open it.`);
  }

  flash(text) {
    this.ui.copyResult.textContent = text;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { this.ui.copyResult.textContent = ""; }, 8000);
  }

  upgradeEditors() {
    for (const cell of this.cells) {
      if (cell.editor.cm) continue;
      cell.editor.textarea.removeAttribute("aria-label");
      cell.editor.upgrade(this.codeMirror);
    }
  }

  observeForEditor() {
    const upgrade = () => loadCodeMirror().then((CodeMirror) => {
      this.codeMirror = CodeMirror;
      this.upgradeEditors();
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
}
