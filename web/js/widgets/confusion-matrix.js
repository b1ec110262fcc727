// A confusion matrix as a table: rows the true class, columns the answer, counts in
// the cells (the diagonal, the right answers, highlighted), each row's accuracy at the
// end. A wrong-answer cell with a count is a button: onCell(trueClass, answer).

export class ConfusionMatrix {
  /** container: an empty element; classes: how many (10); onCell(t, a): a cell was chosen. */
  constructor(container, { classes = 10, caption = "Confusion matrix", onCell = () => {} } = {}) {
    this.classes = classes;
    this.onCell = onCell;
    const table = document.createElement("table");
    table.className = "confusion";
    const cap = document.createElement("caption");
    cap.textContent = caption;
    const head = document.createElement("thead");
    const top = head.insertRow();
    const corner = document.createElement("th");
    corner.scope = "col";
    corner.textContent = "True \\ answer";
    top.append(corner);
    for (let a = 0; a < classes; a += 1) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = String(a);
      top.append(th);
    }
    const acc = document.createElement("th");
    acc.scope = "col";
    acc.textContent = "Accuracy";
    top.append(acc);
    this.body = document.createElement("tbody");
    this.cells = [];
    this.accuracy = [];
    for (let t = 0; t < classes; t += 1) {
      const row = this.body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = String(t);
      row.append(th);
      this.cells.push(Array.from({ length: classes }, (_, a) => {
        const td = row.insertCell();
        if (a === t) td.className = "is-diagonal";
        return td;
      }));
      const cell = row.insertCell();
      cell.className = "row-accuracy";
      this.accuracy.push(cell);
    }
    table.append(cap, head, this.body);
    container.append(table);
    this.update(null);
  }

  /** Show ``counts`` (classes × classes) and ``perClass`` accuracies (0–1), or blanks. */
  update(counts, perClass = null) {
    let worst = 1;
    if (counts) for (let t = 0; t < this.classes; t += 1) for (let a = 0; a < this.classes; a += 1) if (a !== t) worst = Math.max(worst, counts[t][a]);
    for (let t = 0; t < this.classes; t += 1) {
      for (let a = 0; a < this.classes; a += 1) {
        const td = this.cells[t][a];
        const n = counts ? counts[t][a] : null;
        td.replaceChildren();
        td.style.background = "";
        if (n === null) {
          td.textContent = "–";
        } else if (a !== t && n > 0) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "cell-button";
          button.textContent = String(n);
          button.setAttribute("aria-label", `${n}: true ${t}, answered ${a}; show them`);
          button.addEventListener("click", () => this.onCell(t, a));
          td.append(button);
          td.style.background = `rgba(178, 24, 43, ${(0.06 + 0.3 * (n / worst)).toFixed(3)})`;
        } else {
          td.textContent = String(n);
        }
      }
      const p = perClass ? perClass[t] : null;
      this.accuracy[t].textContent = Number.isFinite(p) ? `${(100 * p).toFixed(1)}%` : "–";
    }
  }
}
