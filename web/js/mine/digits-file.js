// My digits' rules and file format, without DOM or storage: the cap, which digits are
// held out, the export file ("digit-lab-digits/1", one digit per line), what an import
// adds (the worker has already checked the file strictly: pycore/my_digits.py), and the
// sentences that say so.

import { formatBytes } from "../util/format.js";

export const FORMAT = "digit-lab-digits/1";
export const MAX_DIGITS = 2000;
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
export const PIXELS = 784;
export const HOLD_OUT_EVERY = 5;

const NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const PLURALS = ["zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines"];

/** Return "2,000". */
export const grouped = (n) => n.toLocaleString("en-US");

/** Return "1 seven" or "3 sevens". */
export function countOfDigit(count, label) {
  return `${grouped(count)} ${count === 1 ? NAMES[label] : PLURALS[label]}`;
}

/** Return "a 7" or "an 8". */
export const aDigit = (label) => `${label === 8 ? "an" : "a"} ${label}`;

/** Return "1 digit" or "25 digits". */
export const digitsCount = (n) => `${grouped(n)} ${n === 1 ? "digit" : "digits"}`;

export const FULL = `My digits is full (${grouped(MAX_DIGITS)} digits): remove some or export and clear.`;

/** Return how many of ``records`` have each label (10 counts). */
export function countByLabel(records) {
  const counts = new Array(10).fill(0);
  for (const r of records) counts[r.label] += 1;
  return counts;
}

/**
 * Return whether a new digit ``label`` is held out, given ``counts`` of each label already
 * in the set: the 1st, 6th, 11th… of each digit are (the count is a multiple of 5).
 */
export function heldOutFor(label, counts) {
  return counts[label] % HOLD_OUT_EVERY === 0;
}

/** Return the export file's text: the format, the count and one digit per line. */
export function exportText(records) {
  const lines = records.map((r) => JSON.stringify({ label: r.label, heldOut: r.heldOut, pixels: Array.from(r.pixels) }));
  return `{"format": "${FORMAT}", "count": ${records.length}, "digits": [\n${lines.join(",\n")}\n]}\n`;
}

/** Return the refusal for a file too large to read, or "" if its size is fine. */
export function sizeRefusal(name, bytes) {
  return bytes > MAX_FILE_BYTES
    ? `${name} is ${formatBytes(bytes)}; a digits file can be at most ${MAX_FILE_BYTES / (1024 * 1024)} MB.` : "";
}

/** Return a string that is the same for two digits with the same label and pixels. */
export function identity(label, pixels) {
  let text = String(label);
  for (let i = 0; i < pixels.length; i += 98) text += String.fromCharCode.apply(null, pixels.subarray(i, i + 98));
  return text;
}

/**
 * Plan the import of a checked file ({count, labels, heldOut, pixels}) named ``source``
 * into ``records``: return {add: [new records], duplicates} (digits already here, or twice
 * in the file, are skipped), or throw an Error whose message is the refusal.
 */
export function planImport(records, checked, source, now = Date.now()) {
  const seen = new Set(records.map((r) => identity(r.label, r.pixels)));
  const counts = countByLabel(records);
  const add = [];
  let duplicates = 0;
  for (let i = 0; i < checked.count; i += 1) {
    const label = checked.labels[i];
    const pixels = checked.pixels.slice(i * PIXELS, (i + 1) * PIXELS);
    const id = identity(label, pixels);
    if (seen.has(id)) {
      duplicates += 1;
      continue;
    }
    seen.add(id);
    const given = checked.heldOut[i];
    const heldOut = given === true || given === false ? given : heldOutFor(label, counts);
    counts[label] += 1;
    add.push({ label, pixels, heldOut, source, added: now });
  }
  const total = records.length + add.length;
  if (total > MAX_DIGITS) {
    throw new Error(`its ${grouped(add.length)} new ${add.length === 1 ? "digit" : "digits"} would make ${grouped(total)} digits; My digits holds at most ${grouped(MAX_DIGITS)}.`);
  }
  return { add, duplicates };
}

/** Return the line that reports an import: "alice.json: added 25 digits (5 were already here)." */
export function importReport(source, added, duplicates) {
  const already = duplicates === 0 ? ""
    : ` (${grouped(duplicates)} ${duplicates === 1 ? "was" : "were"} already here)`;
  return `${source}: added ${digitsCount(added)}${already}.`;
}

/** Return [[source, count], …]: "drawn" first, then the files in the order they came. */
export function countBySource(records) {
  const counts = new Map([["drawn", 0]]);
  for (const r of records) counts.set(r.source, (counts.get(r.source) || 0) + 1);
  if (!counts.get("drawn")) counts.delete("drawn");
  return [...counts];
}

/** Return the worker's copy of ``records``: {pixels, labels, heldOut}, in their order. */
export function packForWorker(records) {
  const pixels = new Uint8Array(records.length * PIXELS);
  records.forEach((r, i) => pixels.set(r.pixels, i * PIXELS));
  return { pixels, labels: records.map((r) => r.label), heldOut: records.map((r) => r.heldOut) };
}
