// An append-only log (the element has role="log"): one line per entry, bounded to the
// newest ``maxLines`` (a first line says how many earlier ones are not shown), kept
// scrolled to the end unless the reader has scrolled up, also when the box changes
// height (the run layout makes it shorter). However fast lines come, each costs a few
// DOM operations and no layout: the scroll to the end is done once per frame.

export class TrainingLog {
  /**
   * A log in ``element``; ``maxLines`` lines are shown at most, ``emptyText`` while there
   * are none.
   */
  constructor(element, { maxLines = 500, emptyText = "" } = {}) {
    this.element = element;
    this.maxLines = maxLines;
    this.emptyText = emptyText;
    this.following = true;            // at the end, until the reader scrolls up
    this.scrolledTo = null;           // where follow() put it: that scroll is not the reader's
    this.frame = null;
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

  // follow() at the next frame, once however many lines came before it.
  followSoon() {
    if (this.frame !== null || !this.following) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.follow();
    });
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
    if (this.lines === this.maxLines) {
      (this.hiddenNote ? this.hiddenNote.nextElementSibling : el.firstElementChild).remove();   // the oldest line
      if (!this.hiddenNote) {
        this.hiddenNote = document.createElement("div");
        this.hiddenNote.className = "log-hidden";
        el.prepend(this.hiddenNote);
      }
      this.hidden += 1;
      this.hiddenNote.textContent = `… ${this.hidden.toLocaleString("en")} earlier line${this.hidden === 1 ? "" : "s"} not shown`;
    } else {
      this.lines += 1;
    }
    this.followSoon();
    return line;
  }

  /** Remove every line and show the empty text. */
  clear() {
    this.element.replaceChildren();
    this.lines = 0;
    this.hidden = 0;
    this.hiddenNote = null;
    if (this.emptyText) {
      const placeholder = document.createElement("div");
      placeholder.className = "log-empty";
      placeholder.textContent = this.emptyText;
      this.element.append(placeholder);
    }
  }
}
