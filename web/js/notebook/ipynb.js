// Jupyter notebook files (.ipynb, nbformat 4) in and out, as pure functions (no DOM):
// toIpynb writes the page's notebook as a notebook Jupyter, Colab and JupyterLite open
// (markdown, raw and code cells, the code as edited, each cell's output as shown as one
// "stream" output, a Python 3 kernelspec and language_info); readIpynb checks a file
// strictly before anything of it reaches the page (size, JSON, nesting depth, nbformat
// major version 4, cell count, cell types, sources) and answers {ok: false, message} with
// one sentence naming the file for each refusal, never throwing. Outputs in a file are
// dropped: the page never shows what it did not run itself.

export const NBFORMAT = 4;
export const NBFORMAT_MINOR = 5;           // 4.5: every cell has an "id"
export const MAX_BYTES = 5 * 1024 * 1024;
export const MAX_CELLS = 500;
export const MAX_DEPTH = 64;
export const CELL_TYPES = ["markdown", "code", "raw"];

const KERNELSPEC = { display_name: "Python 3 (ipykernel)", language: "python", name: "python3" };

/** Split ``text`` into lines that keep their "\n", as nbformat's multiline strings do. */
export function splitLines(text) {
  return text.match(/[^\n]*\n|[^\n]+$/g) || [];
}

/** The markdown of one of the seed's text cells: its title as a heading, then its
 *  paragraphs (whose `backticks` are markdown's code already). */
export function textCellMarkdown(title, paragraphs) {
  return [`### ${title}`, ...paragraphs].join("\n\n");
}

/**
 * Return the nbformat 4 notebook (an object for JSON.stringify) of ``cells``, in order:
 * {type: "markdown" | "raw", source} or {type: "code", source, output, executionCount}
 * (``output`` the text shown under the cell, "" for none; ``executionCount`` the run's
 * number or null). ``python`` ("3.14.0"), if known, goes into language_info.
 */
export function toIpynb(cells, { python = null } = {}) {
  const out = cells.map((cell, i) => {
    const common = { id: `cell-${i + 1}`, metadata: {}, source: splitLines(cell.source) };
    if (cell.type !== "code") return { cell_type: cell.type === "raw" ? "raw" : "markdown", ...common };
    const count = Number.isInteger(cell.executionCount) && cell.executionCount > 0 ? cell.executionCount : null;
    const outputs = cell.output ? [{ output_type: "stream", name: "stdout", text: splitLines(cell.output) }] : [];
    return { cell_type: "code", execution_count: count, ...common, outputs };
  });
  const languageInfo = {
    codemirror_mode: { name: "ipython", version: 3 }, file_extension: ".py", mimetype: "text/x-python",
    name: "python", nbconvert_exporter: "python", pygments_lexer: "ipython3",
  };
  if (python) languageInfo.version = String(python);
  return {
    cells: out,
    metadata: { kernelspec: { ...KERNELSPEC }, language_info: languageInfo },
    nbformat: NBFORMAT,
    nbformat_minor: NBFORMAT_MINOR,
  };
}

/** Return the deepest nesting of arrays and objects in JSON ``text``, stopping early once
 *  it passes ``limit`` (strings are skipped, so brackets inside them do not count). */
export function jsonDepth(text, limit = Infinity) {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {                                        // a string: skip to its end
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {                    // [ {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 93 || c === 125) {                    // ] }
      depth -= 1;
    }
  }
  return deepest;
}

const count = (n, one, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
const megabytes = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Check the text of a notebook file named ``name``. Return {ok: true, cells: [{type,
 * source}], codeCells, textCells} with its markdown, code and raw cells (outputs,
 * execution counts and attachments dropped), or {ok: false, message} with one sentence
 * naming the file. ``bytes``, the file's size when known, is checked first.
 */
export function readIpynb(text, name = "the file", bytes = null) {
  const file = `“${String(name).slice(0, 80)}”`;
  const refuse = (why) => ({ ok: false, message: `${file} was not opened: ${why}` });
  const size = bytes === null ? text.length : bytes;
  if (size > MAX_BYTES) return refuse(`it is ${megabytes(size)}, and the notebook opens files up to ${megabytes(MAX_BYTES)}.`);
  if (typeof text !== "string" || !text.trim()) return refuse("it is empty.");
  if (jsonDepth(text, MAX_DEPTH) > MAX_DEPTH) return refuse(`its data nests more than ${MAX_DEPTH} levels deep, which no notebook needs.`);
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return refuse("it is not a Jupyter notebook (its text is not JSON).");
  }
  if (!data || typeof data !== "object" || Array.isArray(data) || !("nbformat" in data)) {
    return refuse("it is not a Jupyter notebook (it has no “nbformat” version).");
  }
  if (data.nbformat !== NBFORMAT) {
    const version = Number.isInteger(data.nbformat) ? `version ${data.nbformat}` : "an unknown version";
    return refuse(`it is a notebook of ${version}, and the page opens version ${NBFORMAT} (open and save it in Jupyter first to convert it).`);
  }
  if ("nbformat_minor" in data && !(Number.isInteger(data.nbformat_minor) && data.nbformat_minor >= 0)) {
    return refuse("its “nbformat_minor” is not a whole number.");
  }
  if (!Array.isArray(data.cells)) return refuse("its “cells” is not a list.");
  if (data.cells.length === 0) return refuse("it has no cells.");
  if (data.cells.length > MAX_CELLS) return refuse(`it has ${count(data.cells.length, "cell")}, and the notebook opens at most ${count(MAX_CELLS, "cell")}.`);
  const cells = [];
  for (const [i, cell] of data.cells.entries()) {
    const which = `cell ${i + 1}`;
    if (!cell || typeof cell !== "object" || Array.isArray(cell)) return refuse(`${which} is not a cell (not a JSON object).`);
    if (!CELL_TYPES.includes(cell.cell_type)) {
      const type = typeof cell.cell_type === "string" ? `the type “${cell.cell_type.slice(0, 40)}”` : "no type";
      return refuse(`${which} has ${type}; a version 4 notebook's cells are markdown, code or raw.`);
    }
    const { source } = cell;
    let text;
    if (typeof source === "string") text = source;
    else if (Array.isArray(source) && source.every((line) => typeof line === "string")) text = source.join("");
    else return refuse(`${which}'s source is neither text nor a list of lines of text.`);
    cells.push({ type: cell.cell_type, source: text });
  }
  const codeCells = cells.filter((cell) => cell.type === "code").length;
  return { ok: true, cells, codeCells, textCells: cells.length - codeCells };
}

/**
 * Read a notebook file (a File or Blob with ``name`` and ``size``): its size is checked
 * before it is read. Resolve with what readIpynb returns.
 */
export async function readIpynbFile(file) {
  const name = file.name || "the file";
  if (file.size > MAX_BYTES) return readIpynb("", name, file.size);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch (e) {
    return { ok: false, message: `“${String(name).slice(0, 80)}” was not opened: it is not a Jupyter notebook (its bytes are not UTF-8 text).` };
  }
  return readIpynb(text, name, file.size);
}
