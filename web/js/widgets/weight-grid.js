// A grid of small images, one per unit, each of its incoming weights (e.g. 784 = 28×28)
// on a symmetric diverging scale. Each tile is a button holding an image named
// ``imageName(k)``; one tab stop for the grid, arrow keys, Home and End move between
// tiles, Enter/Space or a click selects one.

import { diverging, paint } from "./colour-scale.js";

export class WeightGrid {
  /**
   * container: an empty element; side: the image's side (28); imageName(k): the name of
   * unit k's image; onSelect(k): a tile was chosen.
   */
  constructor(container, { side = 28, imageName, onSelect = () => {} }) {
    Object.assign(this, { container, side, imageName, onSelect });
    this.tiles = [];
    this.first = 0;
    this.selected = null;
    container.classList.add("weight-grid");
    container.addEventListener("keydown", (event) => this.key(event));
  }

  /**
   * Show the units first … first+count-1: ``weights`` holds count*side*side numbers,
   * unit after unit; ``scale`` is the largest absolute value (the colours' ends).
   */
  show({ first, count, weights, scale }) {
    if (first !== this.first || count !== this.tiles.length) this.build(first, count);
    const n = this.side * this.side;
    const colour = (v) => diverging(v, scale);
    this.tiles.forEach(({ canvas }, k) => {
      paint(canvas, weights.subarray(k * n, (k + 1) * n), this.side, this.side, colour);
    });
  }

  build(first, count) {
    this.container.replaceChildren();
    this.first = first;
    this.tiles = [];
    this.container.style.gridTemplateColumns = `repeat(${Math.max(1, Math.ceil(Math.sqrt(count)))}, minmax(0, 1fr))`;
    for (let k = 0; k < count; k += 1) {
      const unit = first + k;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "weight-tile";
      button.tabIndex = -1;
      const canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", this.imageName(unit));
      button.append(canvas);
      button.addEventListener("click", () => this.select(unit));
      this.container.append(button);
      this.tiles.push({ unit, button, canvas });
    }
    const chosen = this.tiles.find((t) => t.unit === this.selected) || this.tiles[0];
    if (chosen) chosen.button.tabIndex = 0;
    this.mark();
  }

  /** Select unit ``unit`` (shown on this page) and tell the owner. */
  select(unit) {
    this.selected = unit;
    this.mark();
    this.onSelect(unit);
  }

  mark() {
    for (const { unit, button } of this.tiles) {
      button.setAttribute("aria-pressed", String(unit === this.selected));
    }
  }

  key(event) {
    const index = this.tiles.findIndex((t) => t.button === document.activeElement);
    if (index < 0) return;
    const columns = Math.max(1, Math.ceil(Math.sqrt(this.tiles.length)));
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns,
      Home: -index, End: this.tiles.length - 1 - index };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(this.tiles.length - 1, index + moves[event.key]));
    this.tiles[index].button.tabIndex = -1;
    this.tiles[next].button.tabIndex = 0;
    this.tiles[next].button.focus();
  }
}
