// A gallery of misclassified images: a list of buttons, each a 28×28 thumbnail named
// like "Test image 1247: true 9, answered 4", shown a page at a time ("Show more").
// The images are asked for only for the buttons shown (loadImages(indices) resolves to
// a Uint8Array of 784 bytes per image). While a filter is on, "Show all mistakes" next to
// the summary takes it off.

/** Return a small button, hidden until needed, that calls ``onClick``. */
function hiddenButton(text, onClick) {
  const button = Object.assign(document.createElement("button"), {
    type: "button", className: "button button-small", textContent: text, hidden: true });
  button.addEventListener("click", onClick);
  return button;
}

export class MistakesGallery {
  /**
   * container: an empty element; label: the list's name; loadImages(indices): see above;
   * onChoose(index): a thumbnail was activated.
   */
  constructor(container, { label, loadImages, onChoose = () => {}, pageSize = 48, side = 28 }) {
    Object.assign(this, { loadImages, onChoose, pageSize, side });
    this.summary = document.createElement("p");
    this.summary.className = "gallery-summary";
    this.summary.setAttribute("aria-live", "polite");
    this.summary.tabIndex = -1;       // the focus goes here when "Show all mistakes" hides
    this.showAll = hiddenButton("Show all mistakes", () => this.resetFilter());
    const head = document.createElement("div");
    head.className = "gallery-head";
    head.append(this.summary, this.showAll);
    this.list = document.createElement("ul");
    this.list.className = "gallery";
    this.list.setAttribute("aria-label", label);
    this.more = hiddenButton("Show more mistakes", () => this.page());
    container.append(head, this.list, this.more);
    this.all = [];
    this.rows = [];
    this.shown = 0;
    this.filter = null;
    this.generation = 0;
  }

  /** Show ``mistakes``, an Int32Array of (index, true, answer) triples, or none (null). */
  show(mistakes, filter = this.filter) {
    this.all = [];
    this.known = Boolean(mistakes);
    if (mistakes) {
      for (let i = 0; i + 2 < mistakes.length; i += 3) this.all.push([mistakes[i], mistakes[i + 1], mistakes[i + 2]]);
    }
    this.setFilter(filter);
  }

  /** Show only the mistakes ``{trueClass, answer}`` (or all, given null). */
  setFilter(filter) {
    this.filter = filter;
    this.rows = filter ? this.all.filter(([, t, a]) => t === filter.trueClass && a === filter.answer) : this.all;
    this.generation += 1;
    this.list.replaceChildren();
    this.shown = 0;
    const which = filter ? `true ${filter.trueClass}, answered ${filter.answer}` : "all";
    this.summary.textContent = this.known
      ? `Mistakes (${which}): ${this.rows.length} ${this.rows.length === 1 ? "image" : "images"}.` : "";
    this.showAll.hidden = !(filter && this.known);
    this.page();
  }

  /**
   * Take the filter off. The focus, on the button that is now hidden, moves to the summary
   * ("Mistakes (all): 213 images."), just before the first image.
   */
  resetFilter() {
    const hadFocus = document.activeElement === this.showAll;
    this.setFilter(null);
    if (hadFocus) this.summary.focus();
  }

  async page() {
    const rows = this.rows.slice(this.shown, this.shown + this.pageSize);
    this.shown += rows.length;
    this.more.hidden = this.shown >= this.rows.length;
    if (!rows.length) return;
    const generation = this.generation;
    const canvases = rows.map(([index, t, a]) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "gallery-item";
      button.setAttribute("aria-label", `Test image ${index}: true ${t}, answered ${a}`);
      button.title = `Test image ${index}: true ${t}, answered ${a}`;
      const canvas = document.createElement("canvas");
      canvas.width = this.side;
      canvas.height = this.side;
      canvas.setAttribute("aria-hidden", "true");
      button.append(canvas);
      button.addEventListener("click", () => this.onChoose(index));
      item.append(button);
      this.list.append(item);
      return canvas;
    });
    let pixels;
    try {
      pixels = await this.loadImages(rows.map(([index]) => index));
    } catch (error) {
      return;                         // the buttons work without their thumbnails
    }
    if (generation !== this.generation) return;
    const n = this.side * this.side;
    canvases.forEach((canvas, k) => {
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(this.side, this.side);
      for (let i = 0; i < n; i += 1) {
        const v = pixels[k * n + i];
        image.data.set([v, v, v, 255], i * 4);
      }
      ctx.putImageData(image, 0, 0);
    });
  }
}
