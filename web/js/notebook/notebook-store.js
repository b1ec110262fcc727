// The notebook in localStorage: the person's edits of the seed's code cells
// ({cellNumber: code}), or, when they opened a notebook file, that notebook ({name, cells:
// [{type, source}]} with the code as edited); and the notebooks that a link or a file
// replaced, newest first (the last MAX_SET_ASIDE kept for "Bring back my code"). A
// set-aside entry is either an edits object or {file: {name, cells}}. Storage that is full
// or refused loses nothing already in the page: the functions answer false instead.

const STORAGE_KEY = "digit-lab-notebook-v1";
const FILE_KEY = "digit-lab-notebook-v1-file";
const SET_ASIDE_KEY = "digit-lab-notebook-v1-set-aside";
export const MAX_SET_ASIDE = 3;
const CELL_TYPES = new Set(["markdown", "code", "raw"]);

function read(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch (e) {
    return fallback;
  }
}

function write(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (e) {
    return false;     // storage full or refused: the notebook lives until the page closes
  }
}

/** Whether ``file`` has the shape of a stored notebook file. */
export function isFile(file) {
  return Boolean(file) && typeof file === "object" && typeof file.name === "string" && Array.isArray(file.cells)
    && file.cells.length > 0 && file.cells.every((cell) => cell && CELL_TYPES.has(cell.type) && typeof cell.source === "string");
}

/** The stored edits of the seed's code cells ({cellNumber: code}). */
export function loadEdits() {
  const data = read(STORAGE_KEY, {});
  return data && typeof data.cells === "object" && data.cells ? data.cells : {};
}

/** Store the edits (none: the key is removed). */
export function storeEdits(edits) {
  return write(STORAGE_KEY, Object.keys(edits).length ? { cells: edits } : null);
}

/** The stored notebook file, or null when the notebook is the seed's. */
export function loadFile() {
  const file = read(FILE_KEY, null);
  return isFile(file) ? file : null;
}

/** Store the open notebook file, or null for the seed's notebook. A file too large to
 *  store removes the older one (a reload then shows the seed's notebook, not a stale file). */
export function storeFile(file) {
  const stored = write(FILE_KEY, file);
  if (!stored) write(FILE_KEY, null);
  return stored;
}

/** The set-aside notebooks, newest first. */
export function loadSetAside() {
  const list = read(SET_ASIDE_KEY, []);
  return Array.isArray(list) ? list.filter((entry) => entry && typeof entry === "object"
    && (!("file" in entry) || isFile(entry.file))) : [];
}

/** Store the set-aside list (at most MAX_SET_ASIDE; older ones are dropped first when
 *  storage is short). Return whether at least its first entry was stored. */
export function storeSetAside(list) {
  if (!list.length) return write(SET_ASIDE_KEY, null);
  for (let n = Math.min(list.length, MAX_SET_ASIDE); n > 0; n--) {
    if (write(SET_ASIDE_KEY, list.slice(0, n))) return true;
  }
  return false;
}

/** Whether two edits objects hold the same code. */
export function sameEdits(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Whether two set-aside entries are the same notebook. */
export function sameEntry(a, b) {
  if (a.file || b.file) return Boolean(a.file && b.file) && JSON.stringify(a.file) === JSON.stringify(b.file);
  return sameEdits(a, b);
}
