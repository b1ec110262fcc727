// The notebook's cells as DOM, built from text nodes only (textContent; nothing from a
// file or a link is ever parsed as HTML): the seed's walkthrough cells (a title and
// paragraphs), the markdown and raw cells of an opened notebook file (headings, code
// blocks and `code` spans marked, everything else shown as the text it is), and the
// parts of a code cell (its text area, Run, a status, the note about output not shown,
// and the output log).

export function el(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** A paragraph where `backticks` mark code. */
export function paragraph(text, tag = "p") {
  return el(tag, {}, text.split("`").map((part, i) => (i % 2 ? el("code", { textContent: part }) : part)));
}

/** One of the seed's text cells. */
export function textCell(title, paragraphs) {
  return el("div", { className: "nb-text" }, [el("h3", { className: "nb-title", textContent: title }), ...paragraphs.map((p) => paragraph(p))]);
}

/** A markdown cell of an opened file: "#" lines become headings, ``` fences code blocks,
 *  blank lines separate paragraphs (their line breaks kept); nothing else is interpreted. */
export function markdownCell(source) {
  const root = el("div", { className: "nb-text nb-markdown" });
  const lines = source.split("\n");
  let block = [];
  const endBlock = () => {
    if (block.length) root.append(paragraph(block.join("\n")));
    block = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (line.trim().startsWith("```")) {
      endBlock();
      const code = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith("```"); i++) code.push(lines[i]);
      root.append(el("pre", { className: "nb-md-code", textContent: code.join("\n") }));
    } else if (heading) {
      endBlock();
      root.append(el(heading[1].length <= 2 ? "h3" : "h4", { className: "nb-title", textContent: heading[2].replace(/\s#+\s*$/, "") }));
    } else if (!line.trim()) {
      endBlock();
    } else {
      block.push(line);
    }
  }
  endBlock();
  return root;
}

/** A raw cell of an opened file: its text as it is. */
export function rawCell(source) {
  return el("div", { className: "nb-text nb-raw" }, [el("pre", { className: "nb-md-code", textContent: source })]);
}

/** The parts of code cell ``number`` holding ``code``: {root, area, run, status, note, output}. */
export function codeCellParts(number, code) {
  const label = `Code cell ${number}`;
  const area = el("textarea", { className: "nb-code", spellcheck: false, rows: Math.max(1, Math.min(24, code.split("\n").length)) });
  area.setAttribute("aria-label", label);
  area.value = code;
  const run = el("button", { className: "button button-small", type: "button", textContent: "Run" });
  run.setAttribute("aria-label", `Run cell ${number}`);
  const status = el("span", { className: "nb-cell-status", textContent: "" });
  const note = el("p", { className: "nb-output-note", hidden: true });
  const output = el("pre", { className: "nb-output", hidden: true, tabIndex: 0 });
  output.setAttribute("role", "log");
  output.setAttribute("aria-label", `Output of cell ${number}`);
  const root = el("div", { className: "nb-cell" }, [
    el("div", { className: "nb-cell-head" }, [el("span", { className: "nb-prompt", textContent: `In [${number}]` }), run, status]),
    area, note, output]);
  return { root, label, area, run, status, note, output };
}
