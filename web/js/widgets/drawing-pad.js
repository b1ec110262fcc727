// A drawing pad: black round strokes on a white canvas, for mouse, pen and
// touch (pointer events). Calls ``onChange`` throttled while drawing and once
// more when a stroke ends. Knows nothing about networks.
//
// The strokes are also kept as paths. getImageData() re-renders them, scaled to
// fill the output, with a pen proportional to the drawing's size (as MNIST's pen
// was proportional to the digit), so a digit drawn small is not read as a blob.

const INK = "#000";
const PAPER = "#fff";
const PEN_TO_SIZE = 0.115;   // pen width / the drawing's longer side (0.075 pad pen on a 0.65-high digit)
const FILL = 0.8;            // the rendered drawing, pen included, spans this much of the output
const MIN_SIZE = 0.02;       // a dot or a tiny mark counts as this large (pad widths)

export class DrawingPad {
  /**
   * canvas: the <canvas> to draw on (CSS sets its size; touch-action: none).
   * options.onChange(): called at most every ``throttleMs`` while drawing and
   *   when a stroke ends.
   * options.outputSize: width and height of the pixels getImageData returns.
   * options.lineWidth: stroke width as a fraction of the pad's width.
   */
  constructor(canvas, { onChange = () => {}, throttleMs = 150, outputSize = 280, lineWidth = 0.075 } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.onChange = onChange;
    this.throttleMs = throttleMs;
    this.outputSize = outputSize;
    this.lineWidthFraction = lineWidth;
    this.pointerId = null;
    this.last = null;
    this.empty = true;
    this.strokes = [];             // [[{x, y}, ...], ...] in pad widths (0..1 across)
    this.lastNotified = 0;
    this.timer = null;
    this.output = document.createElement("canvas");
    this.output.width = outputSize;
    this.output.height = outputSize;

    this.resize();
    this.bindEvents();
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => this.resize()).observe(canvas);
    }
  }

  bindEvents() {
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => this.start(e));
    c.addEventListener("pointermove", (e) => this.move(e));
    c.addEventListener("pointerup", (e) => this.end(e));
    c.addEventListener("pointercancel", (e) => this.end(e));
    c.addEventListener("lostpointercapture", (e) => this.end(e));
    // Keep the page from scrolling or zooming under a finger or pen.
    c.addEventListener("touchstart", (e) => e.preventDefault(), { passive: false });
    c.addEventListener("contextmenu", (e) => e.preventDefault());
  }

  /** Match the backing store to the displayed size (HiDPI aware), keeping the drawing. */
  resize() {
    const rect = this.canvas.getBoundingClientRect();
    const ratio = Math.min(window.devicePixelRatio || 1, 3);
    const width = Math.max(1, Math.round(rect.width * ratio));
    const height = Math.max(1, Math.round(rect.height * ratio));
    if (width === this.canvas.width && height === this.canvas.height) return;
    let copy = null;
    if (!this.empty) {
      copy = document.createElement("canvas");
      copy.width = this.canvas.width;
      copy.height = this.canvas.height;
      copy.getContext("2d").drawImage(this.canvas, 0, 0);
    }
    this.canvas.width = width;
    this.canvas.height = height;
    this.paper();
    if (copy) this.ctx.drawImage(copy, 0, 0, width, height);
  }

  paper() {
    this.ctx.save();
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.fillStyle = PAPER;
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ctx.restore();
  }

  point(event) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / (rect.width || 1)) * this.canvas.width,
      y: ((event.clientY - rect.top) / (rect.height || 1)) * this.canvas.height,
    };
  }

  /** Return the canvas point ``p`` in pad widths, the unit strokes are kept in. */
  unit(p) {
    return { x: p.x / this.canvas.width, y: p.y / this.canvas.width };
  }

  strokeWidth() {
    return this.canvas.width * this.lineWidthFraction;
  }

  start(event) {
    if (this.pointerId !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    // preventDefault also keeps the focus where it was: a focusable pad (tabindex) takes it,
    // as a press on it would; otherwise let go of it, as a press on the page would (a field
    // left focused would take the next keys meant for the page)
    const focused = document.activeElement;
    if (this.canvas.tabIndex >= 0) this.canvas.focus({ preventScroll: true });
    else if (focused && focused !== document.body && typeof focused.blur === "function") focused.blur();
    this.pointerId = event.pointerId;
    try {
      this.canvas.setPointerCapture(event.pointerId);
    } catch (error) {
      // Capture is a nicety (strokes leaving the pad); drawing works without it.
    }
    this.last = this.point(event);
    this.strokes.push([this.unit(this.last)]);
    this.dot(this.last);
    this.changed();
  }

  move(event) {
    if (event.pointerId !== this.pointerId) return;
    event.preventDefault();
    const events = typeof event.getCoalescedEvents === "function" ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) {
      const p = this.point(e);
      this.strokes[this.strokes.length - 1].push(this.unit(p));
      this.line(this.last, p);
      this.last = p;
    }
    this.changed();
  }

  end(event) {
    if (event.pointerId !== this.pointerId) return;
    this.pointerId = null;
    this.last = null;
    this.notifyNow();
  }

  dot(p) {
    const ctx = this.ctx;
    ctx.fillStyle = INK;
    ctx.beginPath();
    ctx.arc(p.x, p.y, this.strokeWidth() / 2, 0, Math.PI * 2);
    ctx.fill();
    this.empty = false;
  }

  line(from, to) {
    const ctx = this.ctx;
    ctx.strokeStyle = INK;
    ctx.lineWidth = this.strokeWidth();
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    this.empty = false;
  }

  /** Throttle: notify now if the last notice is old enough, else once the time is up. */
  changed() {
    const wait = this.lastNotified + this.throttleMs - performance.now();
    if (wait <= 0) {
      this.notifyNow();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.notifyNow(), wait);
    }
  }

  notifyNow() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastNotified = performance.now();
    this.onChange();
  }

  /** Erase everything (no onChange call: the caller resets its own display). */
  clear() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pointerId = null;
    this.last = null;
    this.paper();
    this.empty = true;
    this.strokes = [];
  }

  isEmpty() {
    return this.empty;
  }

  /**
   * Return {pixels: Uint8ClampedArray RGBA, width, height, drawn} at the output size:
   * the strokes, black on white, scaled to fill the output and drawn with a pen
   * proportional to their size, wherever and however large they were drawn; ``drawn``
   * is how large they were drawn: the larger side of the ink's bounding box on the pad
   * (the pad's pen included), as a fraction of the pad's side.
   */
  getImageData() {
    const size = this.outputSize;
    const ctx = this.output.getContext("2d", { willReadFrequently: true });
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = PAPER;
    ctx.fillRect(0, 0, size, size);
    renderStrokes(ctx, this.strokes, size);
    const data = ctx.getImageData(0, 0, size, size);
    const box = strokesBox(this.strokes);
    const side = Math.min(1, this.canvas.height / this.canvas.width);      // in pad widths
    const ink = box ? Math.max(box.right - box.left, box.bottom - box.top) + this.lineWidthFraction : 0;
    const drawn = box ? ink / side : null;
    return { pixels: data.data, width: size, height: size, drawn };
  }
}

/** Return the bounding box {left, right, top, bottom} of ``strokes``' points, or null. */
function strokesBox(strokes) {
  let [left, right, top, bottom] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const stroke of strokes) {
    for (const p of stroke) {
      left = Math.min(left, p.x);
      right = Math.max(right, p.x);
      top = Math.min(top, p.y);
      bottom = Math.max(bottom, p.y);
    }
  }
  return left <= right ? { left, right, top, bottom } : null;
}

/**
 * Draw ``strokes`` (lists of {x, y}) on ``ctx``, a ``size``×``size`` canvas: centred,
 * the longer side of their bounding box plus the pen filling FILL of it, with round
 * strokes PEN_TO_SIZE times that side wide.
 */
export function renderStrokes(ctx, strokes, size) {
  const box = strokesBox(strokes);
  if (!box) return;
  const { left, right, top, bottom } = box;
  const extent = Math.max(right - left, bottom - top, MIN_SIZE);
  const pen = PEN_TO_SIZE * extent;
  const scale = (FILL * size) / (extent + pen);
  ctx.save();
  ctx.translate(size / 2, size / 2);
  ctx.scale(scale, scale);
  ctx.translate(-(left + right) / 2, -(top + bottom) / 2);
  ctx.fillStyle = INK;
  ctx.strokeStyle = INK;
  ctx.lineWidth = pen;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  for (const stroke of strokes) {
    ctx.beginPath();
    ctx.arc(stroke[0].x, stroke[0].y, pen / 2, 0, Math.PI * 2);   // the pad's dot at pointerdown
    ctx.fill();
    if (stroke.length > 1) {
      ctx.beginPath();
      ctx.moveTo(stroke[0].x, stroke[0].y);
      for (const p of stroke.slice(1)) ctx.lineTo(p.x, p.y);
      ctx.stroke();
    }
  }
  ctx.restore();
}
