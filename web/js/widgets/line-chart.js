// A small canvas line chart: several overlaid series, a legend, axis labels,
// "nice" ticks, HiDPI aware, redrawn at most a few times per second.
// Colours come from CSS custom properties on the container (--chart-*).

const PALETTE = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];
const FONT_PX = 12;
const FONT = `${FONT_PX}px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`;
const EDGE = 4;          // space between the canvas's edge and the axis titles
const TITLE_GAP = 8;     // between an axis title and its tick labels
const TICK_GAP = 8;      // between tick labels and the plot (ticks are 4 px long)
const PLOT_TOP = 14;
const PLOT_RIGHT = 16;

/** Return the smallest "nice" step (1, 2 or 5 times a power of ten) of at least span / count. */
function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Return how many decimals show a multiple of ``step`` (1, 2 or 5 × 10^k) exactly. */
function decimalsFor(step) {
  return Math.max(0, Math.min(12, -Math.floor(Math.log10(step) + 1e-9)));
}

/**
 * Return {min, max, step, decimals, ticks} covering [lo, hi] with about ``count``
 * steps: the step is 1, 2 or 5 × 10^k (a whole number when ``integers``), every tick a
 * multiple of it, ``decimals`` the digits that write every tick the same way. An empty
 * span (lo == hi) is widened around the value. Neither the axis's ends (min, max) nor a
 * tick go below ``clamp.min`` or above ``clamp.max`` (e.g. 0 and 100 for a percentage);
 * an end that a clamp cuts is the clamp's value, which need not be a tick.
 */
export function niceScale(lo, hi, count, integers = false,
  { min: floor = -Infinity, max: ceiling = Infinity } = {}) {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo = Math.max(floor, lo - pad);
    hi = Math.min(ceiling, hi + pad);
  }
  let step = niceStep(hi - lo, count);
  if (integers) step = Math.max(1, step);
  const decimals = decimalsFor(step);
  const at = (k) => Number((k * step).toFixed(decimals)) + 0;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks = [];
  for (let k = first; k <= last; k += 1) {
    const tick = at(k);
    if (tick >= floor && tick <= ceiling) ticks.push(tick);
  }
  return { min: Math.max(floor, at(first)), max: Math.min(ceiling, at(last)), step, decimals, ticks };
}

/**
 * Return the y axis's scale (niceScale's) for data from ``lo`` to ``hi`` and a chart's
 * ``options`` (see LineChart): the data with 5% room above and below, or yMin/yMax when
 * given, from 0 with includeZero; never reaching past clampMin/clampMax, not even for one
 * value or equal values (an accuracy of 93% alone gets 80–100%, not 80–105%).
 */
export function yScale(lo, hi,
  { includeZero = false, yMin, yMax, clampMin = -Infinity, clampMax = Infinity } = {}) {
  if (includeZero) lo = Math.min(0, lo);
  if (yMin !== undefined) lo = yMin;
  if (yMax !== undefined) hi = yMax;
  const pad = (hi - lo) * 0.05;
  if (yMin === undefined && !(includeZero && lo === 0)) lo -= pad;
  if (yMax === undefined) hi += pad;
  lo = Math.max(clampMin, lo);
  hi = Math.min(clampMax, hi);
  return niceScale(lo, hi, 5, false, { min: clampMin, max: clampMax });
}

/** Return the tick labels of ``scale`` (from niceScale), all with the same decimals. */
export function tickLabels(scale, unit = "") {
  return scale.ticks.map((v) => `${v.toFixed(scale.decimals)}${unit}`);
}

/**
 * Return where everything goes on a ``width``×``height`` chart: {plot: {left, top,
 * width, height}, texts: [{kind, text, x, y, align, baseline, rotate, box}]} for the y
 * axis title ("yTitle", rotated), the y tick labels ("yTick"), the x tick labels
 * ("xTick") and the x axis title ("xTitle"). ``measure(text)`` returns a text's width
 * in pixels (the canvas context's measureText in the page); ``scales`` is {x, y} from
 * niceScale or null (no data: titles only). The plot's left edge makes room for the
 * widest y label, so the rotated y title never overlaps the labels; each ``box`` is
 * the text's {left, top, right, bottom}.
 */
export function chartLayout({ width, height, scales, measure, xLabel = "", yLabel = "", yUnit = "" }) {
  const yTexts = scales ? tickLabels(scales.y, yUnit) : [];
  const xTexts = scales ? tickLabels(scales.x) : [];
  const yWidths = yTexts.map((t) => measure(t));
  const labelsWidth = Math.max(0, ...yWidths);
  const left = EDGE + (yLabel ? FONT_PX + TITLE_GAP : 0) + labelsWidth + TICK_GAP;
  const bottom = TICK_GAP + FONT_PX + (xLabel ? TITLE_GAP + FONT_PX : 0) + EDGE;
  const plot = {
    left, top: PLOT_TOP,
    width: Math.max(10, width - left - PLOT_RIGHT),
    height: Math.max(10, height - PLOT_TOP - bottom),
  };
  const plotBottom = plot.top + plot.height;
  const texts = [];
  const box = (x0, y0, w, h) => ({ left: x0, top: y0, right: x0 + w, bottom: y0 + h });
  if (yLabel) {
    const w = measure(yLabel);
    const cx = EDGE + FONT_PX / 2;
    const cy = plot.top + plot.height / 2;
    texts.push({ kind: "yTitle", text: yLabel, x: cx, y: cy, align: "center", baseline: "middle",
      rotate: true, box: box(EDGE, cy - w / 2, FONT_PX, w) });
  }
  if (scales) {
    const sy = (v) => plot.top + (1 - (v - scales.y.min) / (scales.y.max - scales.y.min)) * plot.height;
    const sx = (v) => plot.left + ((v - scales.x.min) / (scales.x.max - scales.x.min)) * plot.width;
    scales.y.ticks.forEach((v, i) => {
      const x = plot.left - TICK_GAP;
      const y = Math.round(sy(v)) + 0.5;
      texts.push({ kind: "yTick", text: yTexts[i], x, y, align: "right", baseline: "middle",
        box: box(x - yWidths[i], y - FONT_PX / 2, yWidths[i], FONT_PX) });
    });
    scales.x.ticks.forEach((v, i) => {
      const w = measure(xTexts[i]);
      const x = Math.round(sx(v)) + 0.5;
      const y = plotBottom + TICK_GAP;
      texts.push({ kind: "xTick", text: xTexts[i], x, y, align: "center", baseline: "top",
        box: box(x - w / 2, y, w, FONT_PX) });
    });
  }
  if (xLabel) {
    const w = measure(xLabel);
    const x = plot.left + plot.width / 2;
    const y = plotBottom + TICK_GAP + FONT_PX + TITLE_GAP;
    texts.push({ kind: "xTitle", text: xLabel, x, y, align: "center", baseline: "top",
      box: box(x - w / 2, y, w, FONT_PX) });
  }
  return { plot, texts };
}

/**
 * Add ``point`` ({x, y}) to a series' ``points``, kept in order of x: a point at or before
 * the series' last x replaces the part of the line from there on (a run that goes on from
 * its last whole epoch after a Stop mid-epoch redraws that epoch instead of doubling back).
 */
export function appendInOrder(points, point) {
  while (points.length && points[points.length - 1].x >= point.x) points.pop();
  points.push(point);
  return points;
}

export class LineChart {
  /**
   * container: an empty element; the chart adds a canvas and a legend to it.
   * options: label (the canvas's accessible name), xLabel, yLabel,
   *   yUnit (suffix for y ticks, e.g. "%"), yMin/yMax (fixed bounds, optional),
   *   clampMin/clampMax (never extend past these), includeZero, xIntegers,
   *   emptyText, minIntervalMs (redraw throttle), markers (dots on points).
   */
  constructor(container, options = {}) {
    this.options = {
      label: "Chart", xLabel: "", yLabel: "", yUnit: "", includeZero: false, xIntegers: true,
      emptyText: "No data yet", minIntervalMs: 250, markers: true, ...options,
    };
    this.series = new Map();
    this.colorIndex = 0;
    this.xExtent = 1;
    this.lastDraw = 0;
    this.timer = null;

    this.container = container;
    container.classList.add("chart");
    this.canvas = document.createElement("canvas");
    this.canvas.className = "chart-canvas";
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", this.options.label);
    this.legend = document.createElement("ul");
    this.legend.className = "chart-legend";
    container.append(this.canvas, this.legend);

    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => this.drawNow()).observe(this.canvas);
    }
    this.drawNow();
  }

  /** Add a point to the series ``key`` (created with ``name`` on first use). */
  addPoint(key, name, x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    let series = this.series.get(key);
    if (!series) {
      series = { name, color: PALETTE[this.colorIndex % PALETTE.length], points: [] };
      this.colorIndex += 1;
      this.series.set(key, series);
      this.renderLegend();
    }
    appendInOrder(series.points, { x, y });
    this.requestDraw();
  }

  /** Make the x axis reach at least ``x`` (e.g. the planned number of epochs). */
  extendX(x) {
    if (Number.isFinite(x) && x > this.xExtent) {
      this.xExtent = x;
      this.requestDraw();
    }
  }

  /** Return the name of the series `key`, or null if there is none. */
  seriesName(key) {
    const series = this.series.get(key);
    return series ? series.name : null;
  }

  /** Remove every series. */
  clear() {
    this.series.clear();
    this.colorIndex = 0;
    this.xExtent = 1;
    this.renderLegend();
    this.drawNow();
  }

  pointCount() {
    let count = 0;
    for (const s of this.series.values()) count += s.points.length;
    return count;
  }

  renderLegend() {
    this.legend.replaceChildren();
    for (const series of this.series.values()) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "chart-swatch";
      swatch.style.backgroundColor = series.color;
      swatch.setAttribute("aria-hidden", "true");
      const text = document.createElement("span");
      text.textContent = series.name;
      item.append(swatch, text);
      this.legend.append(item);
    }
    this.legend.hidden = this.series.size === 0;
  }

  /** Redraw soon, but not more often than every minIntervalMs. */
  requestDraw() {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastDraw + this.options.minIntervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      requestAnimationFrame(() => this.drawNow());
    }, wait);
  }

  colors() {
    const style = getComputedStyle(this.container);
    const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    return {
      text: read("--chart-text", "#374151"),
      muted: read("--chart-muted", "#6b7280"),
      grid: read("--chart-grid", "#e5e7eb"),
      axis: read("--chart-axis", "#9ca3af"),
      background: read("--chart-background", "#ffffff"),
    };
  }

  bounds() {
    const o = this.options;
    let xMax = -Infinity;
    let yLo = Infinity;
    let yHi = -Infinity;
    for (const s of this.series.values()) {
      for (const p of s.points) {
        xMax = Math.max(xMax, p.x);
        yLo = Math.min(yLo, p.y);
        yHi = Math.max(yHi, p.y);
      }
    }
    if (!Number.isFinite(xMax)) return null;
    const x = niceScale(0, Math.max(this.xExtent, xMax), 6, o.xIntegers);
    return { x, y: yScale(yLo, yHi, o) };
  }

  drawNow() {
    this.lastDraw = performance.now();
    const canvas = this.canvas;
    const rect = canvas.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const ratio = Math.min(window.devicePixelRatio || 1, 3);
    const w = Math.round(rect.width * ratio);
    const h = Math.round(rect.height * ratio);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const width = rect.width;
    const height = rect.height;
    const c = this.colors();
    ctx.fillStyle = c.background;
    ctx.fillRect(0, 0, width, height);
    ctx.font = FONT;

    const scale = this.bounds();
    canvas.dataset.series = String(this.series.size);
    canvas.dataset.points = String(this.pointCount());
    // the newest point's x: where a line goes on (read by tests, like the two above)
    const newest = [...this.series.values()].map((s) => s.points[s.points.length - 1]).filter(Boolean);
    canvas.dataset.lastX = newest.length ? String(newest[newest.length - 1].x) : "";
    const o = this.options;
    const layout = chartLayout({ width, height, scales: scale, measure: (t) => ctx.measureText(t).width,
      xLabel: o.xLabel, yLabel: o.yLabel, yUnit: o.yUnit });
    this.layout = layout;
    const plot = layout.plot;
    if (!scale) {
      this.drawFrame(ctx, plot, c);
      this.drawTexts(ctx, layout.texts, c);
      ctx.fillStyle = c.muted;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(o.emptyText, plot.left + plot.width / 2, plot.top + plot.height / 2);
      return;
    }
    const sx = (x) => plot.left + ((x - scale.x.min) / (scale.x.max - scale.x.min)) * plot.width;
    const sy = (y) => plot.top + (1 - (y - scale.y.min) / (scale.y.max - scale.y.min)) * plot.height;
    this.drawGrid(ctx, plot, scale, sx, sy, c);
    this.drawFrame(ctx, plot, c);
    this.drawTexts(ctx, layout.texts, c);
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.left, plot.top - 4, plot.width + 4, plot.height + 8);
    ctx.clip();
    for (const series of this.series.values()) this.drawSeries(ctx, series, sx, sy);
    ctx.restore();
  }

  drawFrame(ctx, plot, c) {
    ctx.strokeStyle = c.axis;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(plot.left + 0.5, plot.top);
    ctx.lineTo(plot.left + 0.5, plot.top + plot.height + 0.5);
    ctx.lineTo(plot.left + plot.width, plot.top + plot.height + 0.5);
    ctx.stroke();
  }

  drawGrid(ctx, plot, scale, sx, sy, c) {
    ctx.lineWidth = 1;
    ctx.strokeStyle = c.grid;
    for (const v of scale.y.ticks) {
      const y = Math.round(sy(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(plot.left, y);
      ctx.lineTo(plot.left + plot.width, y);
      ctx.stroke();
    }
    ctx.strokeStyle = c.axis;
    for (const v of scale.x.ticks) {
      const x = Math.round(sx(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, plot.top + plot.height);
      ctx.lineTo(x, plot.top + plot.height + 4);
      ctx.stroke();
    }
  }

  /** Draw the axis titles and tick labels placed by chartLayout. */
  drawTexts(ctx, texts, c) {
    for (const t of texts) {
      ctx.save();
      ctx.fillStyle = t.kind.endsWith("Title") ? c.text : c.muted;
      ctx.textAlign = t.align;
      ctx.textBaseline = t.baseline;
      ctx.translate(t.x, t.y);
      if (t.rotate) ctx.rotate(-Math.PI / 2);
      ctx.fillText(t.text, 0, 0);
      ctx.restore();
    }
  }

  drawSeries(ctx, series, sx, sy) {
    const points = series.points;
    ctx.strokeStyle = series.color;
    ctx.fillStyle = series.color;
    ctx.lineWidth = 2;
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(sx(p.x), sy(p.y)) : ctx.lineTo(sx(p.x), sy(p.y))));
    ctx.stroke();
    if ((this.options.markers && points.length <= 60) || points.length === 1) {
      for (const p of points) {
        ctx.beginPath();
        ctx.arc(sx(p.x), sy(p.y), 3, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }
}
