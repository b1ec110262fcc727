// Runs web/js/notebook/ipynb.js and notebook-output.js under Node and prints what they
// return as JSON; tests/test_notebook_ipynb.py checks it (and validates the written
// notebook with nbformat). ./jupyter.ipynb is a notebook written by nbformat itself.
import fs from "node:fs";
import * as ipynb from "./notebook/ipynb.js";
import { OutputTail } from "./notebook/notebook-output.js";
import { CELLS, seedCode } from "./notebook/cells.js";

// The page's notebook as notebook.js hands it to toIpynb: the seed's cells, two of them run.
const seed = seedCode();
let number = 0;
const blocks = CELLS.map((cell) => {
  if (cell.type !== "code") return { type: "markdown", source: ipynb.textCellMarkdown(cell.title, cell.paragraphs) };
  number += 1;
  const ran = { 2: { output: "Downloaded MNIST (11.6 MB) in 3.2 s.\n", executionCount: 1 },
    4: { output: "… 3 earlier lines not shown\nEpoch 3: 9000 / 10000\nEpoch 4: 9100 / 10000", executionCount: 2 } }[number];
  return { type: "code", source: number === 4 ? "net.SGD(training_data[:5000], 5, 10, 3.0, test_data=test_data)\n" : seed[number - 1], ...(ran || {}) };
});
blocks.push({ type: "raw", source: "raw text\n" });
const written = ipynb.toIpynb(blocks, { python: "3.8.2" });
const reread = ipynb.readIpynb(JSON.stringify(written, null, 1), "digit-lab-notebook.ipynb");

const jupyter = ipynb.readIpynb(fs.readFileSync("./jupyter.ipynb", "utf8"), "seed.ipynb");

const nb = (cells, extra = {}) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells, ...extra });
const code = (source) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null });
const bad = {
  empty: "",
  notJson: "{\"nbformat\": 4, cells: []}",
  array: "[1, 2]",
  noVersion: JSON.stringify({ cells: [] }),
  version3: JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [] }),
  versionText: JSON.stringify({ nbformat: "4", cells: [] }),
  badMinor: nb([code("x")], { nbformat_minor: "5" }),
  cellsNotList: JSON.stringify({ nbformat: 4, nbformat_minor: 5, cells: { 0: code("x") } }),
  noCells: nb([]),
  tooMany: nb(Array.from({ length: ipynb.MAX_CELLS + 1 }, () => code("x = 1"))),
  notACell: nb([code("x"), 7]),
  heading: nb([{ cell_type: "heading", level: 1, source: "Title", metadata: {} }]),
  sourceNumber: nb([code(5)]),
  sourceMixed: nb([code(["a\n", 2])]),
  tooDeep: `{"nbformat": 4, "cells": [], "metadata": ${"[".repeat(ipynb.MAX_DEPTH + 10)}${"]".repeat(ipynb.MAX_DEPTH + 10)}}`,
};
const refused = {};
for (const [name, text] of Object.entries(bad)) refused[name] = ipynb.readIpynb(text, `${name}.ipynb`);
refused.tooLarge = await ipynb.readIpynbFile(new File([new Uint8Array(ipynb.MAX_BYTES + 1).fill(32)], "huge.ipynb"));
refused.notUtf8 = await ipynb.readIpynbFile(new File([new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])], "binary.ipynb"));
// Brackets inside strings are text, not nesting: this one opens.
const bracketsInCode = ipynb.readIpynb(nb([code("[".repeat(500))]), "brackets.ipynb");
const fromFile = await ipynb.readIpynbFile(new File([nb([code(["print(1)\n", "print(2)"]), { cell_type: "markdown", metadata: {}, source: "# Hi" }])], "two.ipynb"));

// OutputTail: 200,000 lines as the worker sends them (a burst, then coalesced messages
// that skip lines), then a single line longer than the tail.
const tail = new OutputTail({ maxLines: 2000, maxChars: 100000 });
let next = 0;
const lines = (n) => { let s = ""; for (let i = 0; i < n; i++) s += `line ${next++}\n`; return s; };
for (let i = 0; i < 8; i++) tail.add(lines(1));
while (next < 200000) {
  const skip = Math.min(5000, 200000 - next);
  next += skip;
  tail.add(lines(Math.min(3000, 200000 - next)), skip);
}
const live = tail.last(100);
const flood = { text: tail.text, hidden: tail.hidden, note: tail.note(), shown: tail.text.split("\n").length - 1,
  live: { first: live.text.split("\n")[0], lines: live.text.split("\n").length - 1, note: tail.note(live.hidden) } };
const partial = new OutputTail({ maxLines: 10 });
partial.add("a\nb\nc\nd\n");
partial.add("e", 3);
const open = new OutputTail();
open.add("a\nb\nc");
const closed = new OutputTail();
closed.add("a\nb\nc\n");
const small = new OutputTail();
small.add("Epoch 0: 9000 / 10000\n");
small.add("Epoch 1: 9100 / 10000\n");
const long = new OutputTail({ maxLines: 10, maxChars: 1000 });
long.add(`${"x".repeat(5000)}END`);

process.stdout.write(JSON.stringify({
  written, reread, jupyter, refused, bracketsInCode, fromFile, flood,
  small: { text: small.text, note: small.note() }, partialLast: [partial.last(1), partial.last(5)],
  lastLines: [open.last(1), open.last(2), closed.last(2), closed.last(3)], long: { length: long.text.length, end: long.text.slice(-4), note: long.note() },
  lines: [ipynb.splitLines("a\nb\n"), ipynb.splitLines("a\nb"), ipynb.splitLines(""), ipynb.splitLines("\n\n")],
  seedCells: CELLS.length, seedCode: seed,
}));
