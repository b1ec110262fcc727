// Code editors for the notebook: a plain labelled <textarea> at once, upgraded to
// CodeMirror 5 (Python highlighting, line numbers, undo) once its scripts have loaded.
// CodeMirror is a UMD script, so it is loaded with <script src> tags (no eval, no inline
// code: the page's CSP allows only same-origin scripts), the first time it is needed.

const VENDOR = "vendor/codemirror/";
const SCRIPTS = ["lib/codemirror.js", "mode/python/python.js", "addon/comment/comment.js"];
const STYLES = ["lib/codemirror.css"];

let loading = null;

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
        // Esc leaves the editor, so Tab can move on (no keyboard trap).
        Esc: (cm) => cm.getInputField().blur(),
      },
    });
    this.cm.on("change", () => this.onChange());
  }

  getValue() { return this.cm ? this.cm.getValue() : this.textarea.value; }

  setValue(text) {
    if (this.cm) this.cm.setValue(text);
    else this.textarea.value = text;
  }
}
