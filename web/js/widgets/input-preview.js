// The 28×28 image the network receives, drawn pixel for pixel (bright ink on
// black, as in MNIST); CSS scales it up with image-rendering: pixelated.

export class InputPreview {
  constructor(canvas, { size = 28 } = {}) {
    this.canvas = canvas;
    this.size = size;
    canvas.width = size;
    canvas.height = size;
    this.ctx = canvas.getContext("2d", { willReadFrequently: true });
    this.image = this.ctx.createImageData(size, size);
    this.update(null);
  }

  /** Show ``values`` (size*size numbers in [0, 1], row by row) or a blank input. */
  update(values) {
    const data = this.image.data;
    const count = this.size * this.size;
    for (let i = 0; i < count; i += 1) {
      const v = values && Number.isFinite(values[i]) ? Math.min(1, Math.max(0, values[i])) : 0;
      const level = Math.round(v * 255);
      data[i * 4] = level;
      data[i * 4 + 1] = level;
      data[i * 4 + 2] = level;
      data[i * 4 + 3] = 255;
    }
    this.ctx.putImageData(this.image, 0, 0);
    this.canvas.classList.toggle("is-empty", !values);
  }
}
