// Colour scales for images of numbers: a diverging scale for weights (negative blue,
// 0 white, positive red, symmetric about 0) and a sequential one for activations
// (0 white, 1 dark blue), plus a drawn legend. Blue–red stays distinguishable for the
// common forms of colour blindness.

const NEGATIVE = [33, 102, 172];
const POSITIVE = [178, 24, 43];
const ACTIVE = [8, 48, 107];

function mix(colour, t) {
  return colour.map((c) => Math.round(255 + (c - 255) * t));
}

/** Return [r, g, b] for ``value`` on the symmetric scale −scale … +scale. */
export function diverging(value, scale) {
  const t = scale > 0 && Number.isFinite(value) ? Math.max(-1, Math.min(1, value / scale)) : 0;
  return t < 0 ? mix(NEGATIVE, -t) : mix(POSITIVE, t);
}

/** Return [r, g, b] for an activation ``value`` in [0, 1]. */
export function sequential(value) {
  const t = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
  return mix(ACTIVE, t);
}

/** Return "rgb(r, g, b)" for a colour from one of the scales. */
export function css([r, g, b]) {
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * Paint ``values`` (width*height numbers, row by row, any array-like) into ``canvas``
 * through ``colour(value)``; the canvas gets width × height pixels.
 */
export function paint(canvas, values, width, height, colour) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(width, height);
  const data = image.data;
  for (let i = 0; i < width * height; i += 1) {
    const [r, g, b] = colour(values ? values[i] : 0);
    data[i * 4] = r;
    data[i * 4 + 1] = g;
    data[i * 4 + 2] = b;
    data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * A legend: a gradient strip (decorative) and its meaning in text.
 * ``kind`` is "diverging" or "sequential"; describe(scale) returns the text.
 */
export class ColourLegend {
  constructor(container, { kind = "diverging", describe = null } = {}) {
    this.kind = kind;
    this.describe = describe;
    container.classList.add("colour-legend");
    this.strip = document.createElement("canvas");
    this.strip.className = "legend-strip";
    this.strip.setAttribute("aria-hidden", "true");
    const steps = 64;
    const values = Array.from({ length: steps }, (_, i) => (kind === "diverging" ? -1 + (2 * i) / (steps - 1) : i / (steps - 1)));
    paint(this.strip, values, steps, 1, kind === "diverging" ? (v) => diverging(v, 1) : sequential);
    this.low = document.createElement("span");
    this.high = document.createElement("span");
    this.text = document.createElement("span");
    this.text.className = "legend-text";
    const ends = document.createElement("span");
    ends.className = "legend-ends";
    ends.setAttribute("aria-hidden", "true");
    ends.append(this.low, this.high);
    const strip = document.createElement("span");
    strip.className = "legend-scale";
    strip.append(this.strip, ends);
    container.append(strip, this.text);
    this.update(1);
  }

  /** Show the scale's range: ±scale (diverging) or 0 … scale (sequential; 1 by default). */
  update(scale) {
    if (this.kind === "diverging") {
      const s = Number.isFinite(scale) ? scale.toFixed(2) : "–";
      this.low.textContent = `−${s}`;
      this.high.textContent = `+${s}`;
      this.text.textContent = this.describe ? this.describe(s)
        : `Blue: negative, white: 0, red: positive; the colours run from −${s} to +${s}.`;
    } else {
      this.low.textContent = "0";
      this.high.textContent = Number.isFinite(scale) ? String(+scale.toFixed(2)) : "–";
      this.text.textContent = this.describe ? this.describe(scale) : "White: 0, dark blue: 1.";
    }
  }
}
