// An append-only log (the element has role="log"): one line per entry,
// trimmed to the newest ``maxLines``, kept scrolled to the end unless the
// reader has scrolled up, also when the box changes height (the run layout
// makes it shorter).

export class TrainingLog {
  constructor(element, { maxLines = 500, emptyText = "" } = {}) {
    this.element = element;
    this.maxLines = maxLines;
    this.emptyText = emptyText;
    this.following = true;            // at the end, until the reader scrolls up
    this.scrolledTo = null;           // where follow() put it: that scroll is not the reader's
    element.addEventListener("scroll", () => {
      if (element.scrollTop === this.scrolledTo) return;
      this.following = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    });
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => this.follow()).observe(element);
    }
    this.clear();
  }

  /** Scroll to the newest line if the reader has not scrolled up. */
  follow() {
    if (!this.following) return;
    this.element.scrollTop = this.element.scrollHeight;
    this.scrolledTo = this.element.scrollTop;
  }

  /** Add a line; ``kind`` ("epoch", "note", "error", "run") sets its style. */
  append(text, kind = "note") {
    const placeholder = this.element.querySelector(".log-empty");
    if (placeholder) placeholder.remove();
    const el = this.element;
    const line = document.createElement("div");
    line.className = `log-line log-${kind}`;
    line.textContent = text;
    el.append(line);
    while (el.childElementCount > this.maxLines) el.firstElementChild.remove();
    this.follow();
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
