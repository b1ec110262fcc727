// The learner's own digits, kept in the browser: IndexedDB (database "digit-lab", store
// "my-digits", an autoincrement key that is the order they were added), with every record
// also held in memory, sorted by key, so reading never waits. Where IndexedDB cannot be
// opened (a private window, a browser that forbids storage) the same store works in
// memory only and says why in ``problem``. No DOM here.
//
// A record: {label, pixels: Uint8Array(784), heldOut, source: "drawn" | a file's name,
// added: Date.now()}; in memory each also carries its ``key``.

const DB_NAME = "digit-lab";
const STORE = "my-digits";
const OPEN_TIMEOUT_MS = 5000;

/** Return a record as stored (without its key). */
function stored({ label, pixels, heldOut, source, added }) {
  return { label, pixels, heldOut, source, added };
}

/** Return the sentence for an IndexedDB error. */
function failure(error, what) {
  const name = error && error.name === "QuotaExceededError"
    ? "the browser's storage for this site is full" : (error && error.message) || "an unknown error";
  return new Error(`Could not ${what}: ${name}.`);
}

function requestDone(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    let request;
    try {
      request = indexedDB.open(DB_NAME, 1);
    } catch (error) {
      reject(error);
      return;
    }
    const timer = setTimeout(() => reject(new Error("the browser did not open it in time")), OPEN_TIMEOUT_MS);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) {
        request.result.createObjectStore(STORE, { autoIncrement: true });
      }
    };
    request.onsuccess = () => { clearTimeout(timer); resolve(request.result); };
    request.onerror = () => { clearTimeout(timer); reject(request.error); };
    request.onblocked = () => { clearTimeout(timer); reject(new Error("another tab holds an older version of it")); };
  });
}

export class DigitStore {
  /** Use DigitStore.open(); ``db`` is an IDBDatabase or null (memory only). */
  constructor(db, records, problem = "") {
    this.db = db;
    this.records = records;        // [{key, label, pixels, heldOut, source, added}], by key
    this.problem = problem;
    this.nextKey = records.length ? records[records.length - 1].key + 1 : 1;
    if (db) db.onversionchange = () => { db.close(); this.db = null; };
  }

  /** Open the store: IndexedDB if the browser allows it, else memory only (``problem`` says why). */
  static async open() {
    let db = null;
    try {
      if (typeof indexedDB === "undefined") throw new Error("this browser has no IndexedDB");
      db = await openDatabase();
      const tx = db.transaction(STORE, "readonly");
      const store = tx.objectStore(STORE);
      const [keys, values] = await Promise.all([requestDone(store.getAllKeys()), requestDone(store.getAll())]);
      const records = keys.map((key, i) => ({ key, ...stored(values[i]) }))
        .filter((r) => r.pixels instanceof Uint8Array && r.pixels.length === 784);
      return new DigitStore(db, records);
    } catch (error) {
      if (db) db.close();
      const why = (error && error.message) || "it could not be opened";
      return new DigitStore(null, [], `This browser does not let the page keep your digits (${why.replace(/\.$/, "")}), so they stay only until you leave the page: use Export to keep them.`);
    }
  }

  get persistent() {
    return this.db !== null;
  }

  get size() {
    return this.records.length;
  }

  /** Run ``work(store)`` in one readwrite transaction; resolve when it is committed. */
  write(work, what) {
    if (!this.db) return Promise.resolve(work(null));
    return new Promise((resolve, reject) => {
      let result;
      let tx;
      try {
        tx = this.db.transaction(STORE, "readwrite");
        result = work(tx.objectStore(STORE));
      } catch (error) {
        reject(failure(error, what));
        return;
      }
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(failure(tx.error, what));
      tx.onabort = () => reject(failure(tx.error, what));
    });
  }

  /** Add ``records`` (without keys) in one transaction; return them with their new keys. */
  async add(records) {
    let requests = [];
    await this.write((store) => {
      if (store) requests = records.map((record) => store.add(stored(record)));
    }, records.length === 1 ? "save the digit" : "save the digits");
    const added = records.map((record, i) => {
      const key = requests.length ? requests[i].result : this.nextKey + i;
      return { key, ...stored(record) };
    });
    for (const record of added) this.nextKey = Math.max(this.nextKey, record.key + 1);
    this.records.push(...added);
    this.sort();
    return added;
  }

  /** Remove the records with ``keys``; return them (for Undo). */
  async remove(keys) {
    const gone = new Set(keys);
    const removed = this.records.filter((r) => gone.has(r.key));
    await this.write((store) => {
      if (store) for (const key of keys) store.delete(key);
    }, "remove the digit");
    this.records = this.records.filter((r) => !gone.has(r.key));
    return removed;
  }

  /** Remove every record; return them (for Undo). */
  async clear() {
    const removed = this.records;
    await this.write((store) => { if (store) store.clear(); }, "clear your digits");
    this.records = [];
    return removed;
  }

  /** Put ``records`` back under their own keys (Undo), in their places in the order. */
  async restore(records) {
    await this.write((store) => {
      if (store) for (const record of records) store.put(stored(record), record.key);
    }, "bring the digits back");
    const have = new Set(this.records.map((r) => r.key));
    this.records.push(...records.filter((r) => !have.has(r.key)));
    this.sort();
  }

  sort() {
    this.records.sort((a, b) => a.key - b.key);
  }
}
