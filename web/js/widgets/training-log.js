// An append-only log (the element has role="log"): one line per entry,
// trimmed to the newest ``maxLines``, kept scrolled to the end unless the
// reader has scrolled up.

export class TrainingLog {
  constructor(element, { maxLines = 500, emptyText = "" } = {}) {
    this.element = element;
    this.maxLines = maxLines;
    this.emptyText = emptyText;
    this.clear();
  }

  /** Add a line; ``kind`` ("epoch", "note", "error", "run") sets its style. */
  append(text, kind = "note") {
    const placeholder = this.element.querySelector(".log-empty");
    if (placeholder) placeholder.remove();
    const el = this.element;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    const line = document.createElement("div");
    line.className = `log-line log-${kind}`;
    line.textContent = text;
    el.append(line);
    while (el.childElementCount > this.maxLines) el.firstElementChild.remove();
    if (atEnd) el.scrollTop = el.scrollHeight;
    return line;
  }

  /** Remove every line and show the empty text. */
  clear() {
    this.element.replaceChildren();
    if (this.emptyText) {
      const placeholder = document.createElement("div");
      placeholder.className = "log-empty";
      placeholder.textContent = this.emptyText;
      this.element.append(placeholder);
    }
  }
}
