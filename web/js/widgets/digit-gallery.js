// A gallery of 28×28 images grouped by class (0–9): a title per group with its count
// ("7 — 3"; groups without images are left out), then the group's images, each a button
// (bright ink on black, as MNIST and the pad's "Network input" show them, at twice their
// size); a group shows its first ``limit`` images and a "Show all" button for the rest.
// One Tab stop for the whole gallery (a roving tabindex): the arrow keys move between
// images (Up and Down to the group before or after), Home and End to the first and last,
// Enter or Space activates. When the activated image is gone at the next show(), the
// focus moves to the image after it in its group (else the one before, else the next
// group's first, else the last image), so the keyboard is not dropped on the page while
// images are left. Elements are kept per key between shows: adding or bringing back an
// image inserts only it.

const SIDE = 28;

/** Paint ``pixels`` (SIDE*SIDE bytes, 0–255, row by row) on ``canvas`` as bright ink on black. */
export function paintDigit(canvas, pixels) {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i += 1) {
    const v = pixels[i];
    image.data[i * 4] = v;
    image.data[i * 4 + 1] = v;
    image.data[i * 4 + 2] = v;
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

export class DigitGallery {
  /**
   * container: an empty element; idPrefix: makes the groups' ids unique;
   * name(item): an image's accessible name ("Remove this 7"); onActivate(item): an image
   * was pressed; classes: how many groups (10); limit: how many images a group shows
   * until its "Show all" button is pressed; moreText(label, count): that button's text.
   * Items are {key, label, pixels, marked}: ``marked`` ones get the class "is-marked"
   * (drawn with a dashed outline).
   */
  constructor(container, { idPrefix, name, onActivate, classes = 10, limit = 12,
    moreText = (label, count) => `Show all ${count}` }) {
    Object.assign(this, { container, name, onActivate, limit, moreText });
    this.items = [];
    this.order = [];                    // the items shown, group by group
    this.elements = new Map();          // key → {li, button}
    this.current = null;                // the key of the image that has the Tab stop
    this.pending = null;                // {key, label, index} of the image last activated
    container.classList.add("digit-gallery");
    this.groups = Array.from({ length: classes }, (_, label) => {
      const box = document.createElement("div");
      box.className = "digit-group";
      const title = document.createElement("p");
      title.className = "digit-group-title";
      title.id = `${idPrefix}-${label}`;
      const list = document.createElement("ul");
      list.className = "digit-group-list";
      list.setAttribute("aria-labelledby", title.id);
      const more = Object.assign(document.createElement("button"), {
        type: "button", className: "button button-small digit-more", hidden: true });
      more.addEventListener("click", () => this.expand(label));
      box.append(title, list, more);
      container.append(box);
      return { label, box, title, list, more, items: [], shown: [], expanded: false };
    });
    container.addEventListener("keydown", (event) => this.key(event));
    container.addEventListener("focusin", (event) => {
      const key = this.keyOf(event.target);
      if (key !== null) this.setCurrent(key);
    });
  }

  keyOf(element) {
    const button = element instanceof Element ? element.closest(".digit-item") : null;
    return button && this.container.contains(button) ? Number(button.dataset.key) : null;
  }

  /** Show ``items`` (in their order within each group); see the constructor. */
  show(items) {
    const focusWasHere = this.container.contains(document.activeElement)
      || document.activeElement === document.body || document.activeElement === null;
    this.items = items;
    for (const group of this.groups) group.items = [];
    for (const item of items) this.groups[item.label].items.push(item);
    for (const group of this.groups) group.shown = group.expanded ? group.items : group.items.slice(0, this.limit);
    this.order = this.groups.flatMap((group) => group.shown);
    const shown = new Set(this.order.map((item) => item.key));
    for (const [key, { li }] of this.elements) {
      if (!shown.has(key)) {
        li.remove();
        this.elements.delete(key);
      }
    }
    for (const group of this.groups) this.fill(group);
    const keep = new Set(items.map((item) => item.key));
    this.container.classList.toggle("is-empty", items.length === 0);
    if (this.current === null || !this.elements.has(this.current)) this.current = null;
    const gone = this.pending && !keep.has(this.pending.key);
    const target = gone && focusWasHere ? this.afterRemoval(this.pending) : null;
    if (gone) this.pending = null;
    if (this.current === null && items.length) this.setCurrent(this.order[0].key);
    if (target) this.focusKey(target.key);
  }

  /** Put ``group``'s images in its list, in order, inserting only what is not there yet. */
  fill(group) {
    const { label, title, list, items, shown, more } = group;
    title.textContent = `${label} — ${items.length}`;
    group.box.hidden = items.length === 0;
    more.hidden = shown.length >= items.length;
    more.textContent = this.moreText(label, items.length);
    shown.forEach((item, index) => {
      let element = this.elements.get(item.key);
      if (!element) element = this.make(item);
      element.button.setAttribute("aria-label", this.name(item));
      element.button.classList.toggle("is-marked", Boolean(item.marked));
      if (list.children[index] !== element.li) list.insertBefore(element.li, list.children[index] || null);
    });
  }

  make(item) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "digit-item";
    button.tabIndex = -1;
    button.dataset.key = String(item.key);
    const canvas = document.createElement("canvas");
    canvas.setAttribute("aria-hidden", "true");
    paintDigit(canvas, item.pixels);
    button.append(canvas);
    button.addEventListener("click", () => {
      const group = this.groups[item.label];
      this.pending = { key: item.key, label: item.label, index: group.shown.findIndex((i) => i.key === item.key) };
      this.onActivate(item);
    });
    li.append(button);
    const element = { li, button };
    this.elements.set(item.key, element);
    return element;
  }

  /** Show all of group ``label``'s images; the focus goes to the first one that was not shown. */
  expand(label) {
    const group = this.groups[label];
    const first = group.shown.length;
    group.expanded = true;
    this.show(this.items);
    if (group.shown[first]) this.focusKey(group.shown[first].key);
  }

  /** Return the image the focus goes to once the one at {label, index} is gone (or null). */
  afterRemoval({ label, index }) {
    const { shown: items } = this.groups[label];
    if (items.length) return items[Math.min(index, items.length - 1)];
    return this.order.find((item) => item.label > label) || this.order[this.order.length - 1] || null;
  }

  setCurrent(key) {
    if (this.current !== null && this.elements.has(this.current)) this.elements.get(this.current).button.tabIndex = -1;
    this.current = key;
    this.elements.get(key).button.tabIndex = 0;
  }

  /** Move the focus to the image ``key`` (showing all of its group if it is not shown). */
  focusKey(key) {
    if (!this.elements.has(key)) {
      const item = this.items.find((i) => i.key === key);
      if (!item) return;
      this.groups[item.label].expanded = true;
      this.show(this.items);
    }
    this.setCurrent(key);
    this.elements.get(key).button.focus();
  }

  /** Arrow keys, Home and End move between the images. */
  key(event) {
    const key = this.keyOf(event.target);
    if (key === null || event.altKey || event.ctrlKey || event.metaKey) return;
    const order = this.order;
    const at = order.findIndex((item) => item.key === key);
    const item = order[at];
    let next = null;
    if (event.key === "ArrowRight") next = order[at + 1];
    else if (event.key === "ArrowLeft") next = order[at - 1];
    else if (event.key === "Home") next = order[0];
    else if (event.key === "End") next = order[order.length - 1];
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      const index = this.groups[item.label].shown.indexOf(item);
      for (let label = item.label + step; label >= 0 && label < this.groups.length; label += step) {
        const { shown: items } = this.groups[label];
        if (items.length) { next = items[Math.min(index, items.length - 1)]; break; }
      }
    } else return;
    event.preventDefault();
    if (next) this.focusKey(next.key);
  }
}
