// A code cell's output as the page keeps it: a bounded tail (the newest MAX_LINES lines,
// at most MAX_CHARS characters) and the count of earlier lines not shown, so that a cell
// printing without end costs the page the same little work per message as one printing
// ten lines. The worker already coalesces and caps its messages (pycore/notebook.py's
// OutputThrottle); ``skipped`` in a message counts the lines it dropped before the text.
// While output floods in, the page shows only the newest lines (``last``), and the whole
// tail when the cell ends. Pure (no DOM): the notebook puts the text and ``note()`` in the page.

export const MAX_LINES = 1000;
export const MAX_CHARS = 50_000;

function countNewlines(text, start = 0, end = text.length) {
  let n = 0;
  for (let i = text.indexOf("\n", start); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) n += 1;
  return n;
}

export class OutputTail {
  /** An empty tail keeping at most ``maxLines`` lines and ``maxChars`` characters. */
  constructor({ maxLines = MAX_LINES, maxChars = MAX_CHARS } = {}) {
    this.maxLines = maxLines;
    this.maxChars = maxChars;
    this.clear();
  }

  /** Forget everything. */
  clear() {
    this.text = "";
    this.lines = 0;          // newlines in text
    this.hidden = 0;         // whole lines before text not shown
    this.cut = false;        // the start of text is the end of a longer line
  }

  /** Add ``text`` after ``skipped`` lines the worker did not send. */
  add(text, skipped = 0) {
    if (skipped > 0) {
      // The shown text is older than the skipped lines: drop it, so that what is shown
      // is always one unbroken tail.
      this.hidden += this.lines + skipped;
      this.text = "";
      this.lines = 0;
      this.cut = false;
    }
    this.text += text;
    this.lines += countNewlines(text);
    if (this.text.length > this.maxChars) {
      const from = this.text.length - this.maxChars;
      let start = this.text.indexOf("\n", from - 1) + 1;
      const midLine = start === 0 || start - from > this.maxChars / 2;
      if (midLine) start = from;
      const dropped = countNewlines(this.text, 0, start);
      this.hidden += dropped;
      this.lines -= dropped;
      this.cut = midLine;
      this.text = this.text.slice(start);
    }
    if (this.lines > this.maxLines) {
      let drop = this.lines - this.maxLines;
      let start = 0;
      while (drop-- > 0) start = this.text.indexOf("\n", start) + 1;
      this.hidden += this.lines - this.maxLines;
      this.lines = this.maxLines;
      this.cut = false;
      this.text = this.text.slice(start);
    }
  }

  /** The newest ``lines`` lines of the tail, for a live view that lays out less while
   *  output floods in: {text, hidden} (hidden counting the tail's lines left out too). */
  last(lines) {
    if (this.lines <= lines) return { text: this.text, hidden: this.hidden };
    let start = this.text.length;
    for (let n = this.text.endsWith("\n") ? lines + 1 : lines; n > 0 && start > 0; n--) {
      start = this.text.lastIndexOf("\n", start - 1);
    }
    const text = this.text.slice(start + 1);
    return { text, hidden: this.hidden + countNewlines(this.text, 0, start + 1) };
  }

  /** The line that says what is not shown ("… 183,412 earlier lines not shown"), or "";
   *  ``hidden`` is the count to give (the whole tail's by default). */
  note(hidden = this.hidden) {
    if (hidden > 0) return `… ${hidden.toLocaleString("en")} earlier line${hidden === 1 ? "" : "s"} not shown`;
    return this.cut ? "… the start of a long line is not shown" : "";
  }
}
