// Code editors for the notebook: a plain labelled <textarea> at once, upgraded to
// CodeMirror 5 (Python highlighting, line numbers, undo) once its scripts have loaded.
// CodeMirror is a UMD script, so it is loaded with <script src> tags (no eval, no inline
// code: the page's CSP allows only same-origin scripts), the first time it is needed.
//
// Tab in a code editor is two things: Python's indentation and the keyboard's way
// through the page. An editor entered with the keyboard lets Tab and Shift+Tab move on
// (the code untouched) until the person changes the code or clicks in it (moving
// through it with the arrow keys is not editing); from then on Tab indents, and Esc gives Tab back to moving on (as CodeMirror 6's "tab focus mode").
// A hint above the focused editor (also its aria-describedby) says which it is; it
// keeps its line when hidden (css/notebook.css), as a click on Run must not move Run.

const VENDOR = "vendor/codemirror/";
const SCRIPTS = ["lib/codemirror.js", "mode/python/python.js", "addon/comment/comment.js"];
const STYLES = ["lib/codemirror.css"];
const HINT_TAB_MOVES = "Tab moves on · type to edit, then Tab indents";
const HINT_TAB_INDENTS = "Tab indents · Esc then Tab leaves the editor";
const PRESS_MS = 1000;     // a focus this soon after a press in the editor came from the pointer

let loading = null;
let hints = 0;

function addScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`Could not load ${src}.`));
    document.head.append(script);
  });
}

/** Load CodeMirror once; resolve with its global, or reject (the textareas keep working). */
export function loadCodeMirror(base = document.baseURI) {
  if (!loading) {
    loading = (async () => {
      for (const href of STYLES) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = new URL(VENDOR + href, base).href;
        document.head.append(link);
      }
      for (const src of SCRIPTS) await addScript(new URL(VENDOR + src, base).href);
      if (!window.CodeMirror) throw new Error("CodeMirror did not load.");
      return window.CodeMirror;
    })();
  }
  return loading;
}

export class CodeEditor {
  /**
   * Wrap ``textarea`` (already labelled). ``onRun`` is called on Shift+Enter,
   * ``onChange`` after every edit.
   */
  constructor(textarea, { label, onRun = () => {}, onChange = () => {} }) {
    this.textarea = textarea;
    this.label = label;
    this.onRun = onRun;
    this.onChange = onChange;
    this.cm = null;
    this.tabMoves = false;    // Tab moves focus on (true) or indents (false)
    this.pressedAt = -Infinity;
    textarea.addEventListener("input", () => onChange());
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        onRun();
      }
    });
  }

  /** Replace the textarea by a CodeMirror editor with the same text and label. */
  upgrade(CodeMirror) {
    if (this.cm) return;
    this.cm = CodeMirror.fromTextArea(this.textarea, {
      mode: { name: "python", version: 3 },
      lineNumbers: true,
      indentUnit: 4,
      indentWithTabs: false,
      viewportMargin: Infinity,
      inputStyle: "contenteditable",
      screenReaderLabel: this.label,
      extraKeys: {
        "Shift-Enter": () => this.onRun(),
        Tab: (cm) => (cm.somethingSelected() ? cm.indentSelection("add") : cm.execCommand("insertSoftTab")),
        "Shift-Tab": (cm) => cm.indentSelection("subtract"),
        "Ctrl-/": "toggleComment",
        "Cmd-/": "toggleComment",
        // Esc gives Tab back to moving on, so the editor is no keyboard trap.
        Esc: () => this.setTabMoves(true),
      },
    });
    // an edit by the person (typing, paste, delete, undo; not setValue) means they are editing
    this.cm.on("change", (cm, change) => {
      if (change.origin !== "setValue") this.setTabMoves(false);
      this.onChange();
    });
    this.hint = Object.assign(document.createElement("p"), { className: "nb-key-hint", id: `code-editor-hint-${++hints}` });
    this.cm.getWrapperElement().before(this.hint);   // above: in view where Tab lands, on line 1
    this.cm.getInputField().setAttribute("aria-describedby", this.hint.id);
    this.setTabMoves(true);
    const pressed = () => {
      this.pressedAt = performance.now();
      if (this.cm.hasFocus()) this.setTabMoves(false);
    };
    this.cm.on("mousedown", pressed);
    this.cm.on("touchstart", pressed);
    this.cm.on("focus", () => this.setTabMoves(performance.now() - this.pressedAt > PRESS_MS));
    this.cm.on("keydown", (cm, event) => {
      if (event.key === "Tab" && this.tabMoves) event.codemirrorIgnore = true;   // the browser moves focus
    });
  }

  /** Let Tab and Shift+Tab move focus on (``true``) or indent the code (``false``). */
  setTabMoves(moves) {
    this.tabMoves = moves;
    this.hint.textContent = moves ? HINT_TAB_MOVES : HINT_TAB_INDENTS;
  }

  getValue() { return this.cm ? this.cm.getValue() : this.textarea.value; }

  setValue(text) {
    if (this.cm) this.cm.setValue(text);
    else this.textarea.value = text;
  }
}
