// Runs the pure parts of web/js/widgets/line-chart.js under Node (niceScale, yScale,
// tickLabels, chartLayout with a fixed-width text measure) and prints the results as JSON;
// tests/test_line_chart.py checks them.
import { appendInOrder, chartLayout, niceScale, tickLabels, yScale } from "./line-chart.js";

const ranges = [[0.05, 0.13, 5], [0, 100, 5], [90.1, 97.8, 5], [0, 2.3e-4, 5], [0.13, 0.13, 5],
  [0, 0, 5], [-0.3, 0.7, 5], [0, 30, 6], [0, 7, 6], [3, 3, 5], [1e6, 3.5e6, 5], [0, 0.0123, 5]];
const scales = ranges.map(([lo, hi, count]) => {
  const scale = niceScale(lo, hi, count);
  return { lo, hi, ...scale, labels: tickLabels(scale) };
});
// The accuracy chart's y axis (clamped to 0–100%) for one point or equal values, and for
// ranges near the clamps; a clamp that is not a multiple of the step (7).
const accuracy = { clampMin: 0, clampMax: 100 };
const clamped = [[93, 93, accuracy], [100, 100, accuracy], [0, 0, accuracy], [99.5, 99.9, accuracy],
  [0.2, 3, accuracy], [12.5, 97.8, accuracy], [6.9, 6.9, { clampMax: 7 }], [0.5, 6.9, { clampMax: 7 }],
  [0, 0, { includeZero: true, clampMin: 0 }], [0.3, 0.3, { includeZero: true, clampMin: 0 }]]
  .map(([lo, hi, options]) => ({ lo, hi, options, ...yScale(lo, hi, options) }));

const integerScale = { ...niceScale(0, 3, 6, true), labels: tickLabels(niceScale(0, 3, 6, true)) };

// 7 px per character: wide enough to be pessimistic for a 12 px font's digits.
const measure = (text) => 7 * text.length;
const layouts = [[0, 0.13, "Cost per sample", ""], [0, 2.3e-4, "Cost per sample", ""],
  [12.5, 97.8, "Test accuracy", "%"], [0.05, 0.13, "A much longer axis title than usual", ""]]
  .flatMap(([lo, hi, yLabel, yUnit]) => [[640, 210], [330, 210]].map(([width, height]) => ({
    yLabel, width,
    ...chartLayout({ width, height, measure, xLabel: "Epochs trained", yLabel, yUnit,
      scales: { x: niceScale(0, 30, 6, true), y: niceScale(lo, hi, 5) } }),
  })));
const empty = chartLayout({ width: 640, height: 210, measure, xLabel: "Epochs trained",
  yLabel: "Test accuracy", scales: null });

// A run stopped at x = 1.5 that goes on from its last whole epoch (x = 1): points at
// 1.25 and 1.5 are redrawn, not doubled back over.
const line = [0.5, 1, 1.25, 1.5, 1.1, 1.6, 2, 2].reduce(
  (points, x, i) => appendInOrder(points, { x, y: i }), []);

process.stdout.write(JSON.stringify({ scales, clamped, integerScale, layouts, empty, line }));
