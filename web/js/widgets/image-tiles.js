// A row of small images painted from numbers (a conv layer's filters, its feature maps):
// each a canvas of width × height pixels, one pixel per number, named for screen readers.
// The canvases are made again only when the number of images or their size changes;
// otherwise they are repainted in place.

import { paint } from "./colour-scale.js";

export class ImageTiles {
  /** container: an empty element; className: the class of each image ("image-tile"). */
  constructor(container, { className = "image-tile" } = {}) {
    Object.assign(this, { container, className });
    this.canvases = [];
    this.shape = "";
    container.classList.add("image-tiles");
  }

  /**
   * Show ``count`` images of ``width`` × ``height``: image k is ``values(k)`` (width*height
   * numbers, row by row; null paints ``colour(0)``) through ``colour(value)`` → [r, g, b],
   * named ``name(k)``.
   */
  show({ count, width, height, values, colour, name }) {
    const shape = `${count}|${width}|${height}`;
    if (shape !== this.shape) this.build(count, shape);
    this.canvases.forEach((canvas, k) => {
      paint(canvas, values(k), width, height, colour);
      canvas.setAttribute("aria-label", name(k));
    });
  }

  build(count, shape) {
    this.shape = shape;
    this.container.replaceChildren();
    this.canvases = Array.from({ length: count }, () => {
      const canvas = document.createElement("canvas");
      canvas.className = this.className;
      canvas.setAttribute("role", "img");
      this.container.append(canvas);
      return canvas;
    });
  }
}
