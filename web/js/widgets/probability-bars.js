// Ten labelled <meter>s, one per digit, with the percentage beside each.
// The most probable digit's row is highlighted.

function formatPercent(p) {
  if (p >= 0.995) return "100%";
  if (p > 0 && p < 0.005) return "<1%";
  return `${Math.round(p * 100)}%`;
}

export class ProbabilityBars {
  /** Build the ten rows inside ``container`` (an empty element). */
  constructor(container, { digits = 10 } = {}) {
    this.container = container;
    this.rows = [];
    for (let digit = 0; digit < digits; digit += 1) {
      const row = document.createElement("div");
      row.className = "prob-row";

      const label = document.createElement("span");
      label.className = "prob-digit";
      label.setAttribute("aria-hidden", "true");
      label.textContent = String(digit);

      const meter = document.createElement("meter");
      meter.min = 0;
      meter.max = 1;
      meter.value = 0;
      meter.setAttribute("aria-label", `Probability of ${digit}`);

      const percent = document.createElement("span");
      percent.className = "prob-percent";
      percent.setAttribute("aria-hidden", "true");
      percent.textContent = "–";

      row.append(label, meter, percent);
      container.append(row);
      this.rows.push({ row, meter, percent });
    }
  }

  /** Show ``probabilities`` (10 numbers in [0, 1]) or, given null, the empty state. */
  update(probabilities) {
    const values = Array.isArray(probabilities) ? probabilities.map(Number) : null;
    let best = -1;
    if (values) {
      best = values.reduce((bestIndex, p, i) => (p > values[bestIndex] ? i : bestIndex), 0);
    }
    this.rows.forEach(({ row, meter, percent }, digit) => {
      const p = values && Number.isFinite(values[digit]) ? Math.min(1, Math.max(0, values[digit])) : 0;
      meter.value = p;
      meter.title = values ? `${(p * 100).toFixed(1)}%` : "";
      percent.textContent = values ? formatPercent(p) : "–";
      row.classList.toggle("is-best", digit === best);
    });
  }
}
