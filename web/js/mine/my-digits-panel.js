// The "My digits" card: the learner's own drawings as a labelled set. Add the pad's
// drawing as a digit (the pad's answer first, or one of ten buttons, or the keys 0–9
// while the pad has focus); the set grouped by digit, each image a button that removes
// it (Undo brings it back, in its place); where the digits came from; Export and Import
// (files.js); and the pad's network tested on them (mine-test.js). The set lives in
// IndexedDB (digit-store.js); the worker keeps a copy for testing and training, sent
// after every change and whenever Python becomes ready. Changes happen one at a time
// (a queue), so a key pressed twice adds the drawing once.

import { DigitStore } from "./digit-store.js";
import { DigitGallery } from "../widgets/digit-gallery.js";
import { MineFiles } from "./files.js";
import { MineTest } from "./mine-test.js";
import {
  FULL, MAX_DIGITS, aDigit, countByLabel, countBySource, countOfDigit, digitsCount, exportText,
  grouped, heldOutFor, identity, packForWorker,
} from "./digits-file.js";

const REFUSALS = {
  test: "Only your own drawing can be added: the pad shows an MNIST test image. Draw a digit first.",
  empty: "Draw a digit on the pad first, then add it.",
  small: "That drawing is too small to add: draw the digit larger.",
  unready: "Wait until Python is ready: the pad's answer gives the 28×28 image that is added.",
  failed: "The pad has no answer for this drawing, so it cannot be added: draw it again.",
};

export class MyDigitsPanel {
  /**
   * section: the card (its parts are found by id); pad: the drawing pad's canvas (keys 0–9
   * add while it has focus); draw: the DrawPanel (drawing(), clear()); client: the
   * WorkerClient; networkLabel(name): how the pad's menu names a network; activeNetwork():
   * the pad's network's name; isTraining(): whether a run is going on.
   */
  constructor(section, { pad, draw, client, networkLabel, activeNetwork, isTraining }) {
    const $ = (id) => section.querySelector(`#${id}`);
    Object.assign(this, { section, draw, client });
    this.ready = false;
    this.undo = null;                        // the records Undo puts back
    this.queue = Promise.resolve();
    this.synced = Promise.resolve([]);       // the records the worker holds, once it does
    this.parts = {
      answer: $("mine-add-answer"), keys: $("mine-add-digits"), status: $("mine-status"),
      storage: $("mine-storage"), total: $("mine-total"), sources: $("mine-sources"),
      exportButton: $("mine-export"), clearAll: $("mine-clear"), undoBox: $("mine-undo-box"),
      undoText: $("mine-undo-text"), undoButton: $("mine-undo"), empty: $("mine-empty"),
      galleryHint: $("mine-gallery-hint"),
    };
    const { answer, keys, exportButton, clearAll, undoButton } = this.parts;
    for (let label = 0; label < 10; label += 1) {
      const button = Object.assign(document.createElement("button"), {
        type: "button", className: "button mine-key", textContent: String(label) });
      button.setAttribute("aria-label", `Add as ${label}`);
      button.addEventListener("click", () => this.add(label));
      keys.append(button);
    }
    this.showAnswer(null);
    answer.addEventListener("click", () => this.add(null));
    pad.addEventListener("keydown", (event) => {
      if (!/^[0-9]$/.test(event.key) || event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
      event.preventDefault();
      this.add(Number(event.key));
    });
    exportButton.addEventListener("click", () => this.files.save(this.store.records));
    clearAll.addEventListener("click", () => this.clearAll());
    undoButton.addEventListener("click", () => this.bringBack());

    this.gallery = new DigitGallery($("mine-gallery"), {
      idPrefix: "mine-group",
      name: (item) => `Remove this ${item.label}${item.marked ? ", held out" : ""}`,
      moreText: (label, count) => `Show all ${countOfDigit(count, label)}`,
      onActivate: (item) => this.remove(item.key),
    });
    this.files = new MineFiles({ input: $("mine-import-file"), report: $("mine-import-report") }, {
      client, records: () => this.store.records,
      serial: (work) => this.serial(work),
      addRecords: (records) => this.store.add(records),
      onChange: () => this.changed(),
    });
    this.test = new MineTest({
      box: $("mine-test"), score: $("mine-score"), split: $("mine-split"), matrix: $("mine-confusion"),
      misread: $("mine-misread"),
    }, { client, networkLabel, activeNetwork, isTraining, synced: () => this.synced,
      count: () => (this.store ? this.store.size : 0) });

    this.opening = DigitStore.open().then((store) => {
      this.store = store;
      this.parts.storage.textContent = store.problem;
      this.parts.storage.hidden = !store.problem;
      this.changed();
      return store;
    });
  }

  /** Python is ready (again, after Retry: a fresh worker has no copy) or gone. */
  setReady(ready) {
    const was = this.ready;
    this.ready = ready;
    this.test.setReady(ready);
    if (ready && !was && this.store) this.sync();
  }

  /** The pad's network changed (chosen, uploaded, a run began or ended). */
  networkChanged() {
    this.test.networkChanged();
  }

  /** The network being trained learned a little more. */
  learned() {
    this.test.learned();
  }

  /** Return the set as a digits file's text, or null when it is empty (the notebook's
   *  my-digits.json, which mnist_loader.my_digits() reads). */
  async fileText() {
    const store = await this.opening;
    return store.size ? exportText(store.records) : null;
  }

  /** The pad's answer (a DrawPanel result, or null): the first "Add as" button follows it. */
  showAnswer(result) {
    const digit = result && !result.test && Number.isInteger(result.digit) ? result.digit : null;
    const { answer } = this.parts;
    answer.textContent = `Add as ${digit === null ? "–" : digit}`;
    answer.setAttribute("aria-label", `Add as ${digit === null ? "the pad's answer" : `${digit}, the pad's answer`}`);
    answer.setAttribute("aria-disabled", String(digit === null));
  }

  /** Run ``work`` after every change asked for before it. */
  serial(work) {
    const next = this.queue.then(() => this.opening).then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Announce ``text`` under the add buttons (again, if it is what the line says already). */
  say(text) {
    const { status } = this.parts;
    clearTimeout(this.sayTimer);
    if (status.textContent !== text) {
      status.textContent = text;
      return;
    }
    status.textContent = "";
    this.sayTimer = setTimeout(() => { status.textContent = text; }, 100);
  }

  /** Add the pad's drawing as the digit ``label`` (null: the pad's answer). */
  add(wanted) {
    return this.serial(async () => {
      const store = this.store;
      if (store.size >= MAX_DIGITS) {
        this.say(FULL);
        return;
      }
      const drawing = await this.draw.drawing();
      if (drawing.reason || (wanted === null && !Number.isInteger(drawing.digit))) {
        this.say(REFUSALS[drawing.reason || "small"]);
        return;
      }
      const label = wanted === null ? drawing.digit : wanted;
      const pixels = Uint8Array.from(drawing.input, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
      const id = identity(label, pixels);
      if (store.records.some((r) => r.label === label && identity(r.label, r.pixels) === id)) {
        this.say(`This drawing is already in My digits as ${aDigit(label)}, pixel for pixel: draw it a little differently.`);
        return;
      }
      const counts = countByLabel(store.records);
      const heldOut = heldOutFor(label, counts);
      try {
        await store.add([{ label, pixels, heldOut, source: "drawn", added: Date.now() }]);
      } catch (error) {
        this.say(error.message);
        return;
      }
      this.draw.clear();
      this.say(`Added ${aDigit(label)} (${countOfDigit(counts[label] + 1, label)}).${heldOut ? " Held out for the test." : ""}`);
      this.changed();
    });
  }

  remove(key) {
    return this.serial(async () => {
      let removed;
      try {
        removed = await this.store.remove([key]);
      } catch (error) {
        this.offerUndo(error.message, null);
        return;
      }
      if (!removed.length) return;
      const { label } = removed[0];
      const left = countByLabel(this.store.records)[label];
      this.offerUndo(`Removed ${aDigit(label)} (${countOfDigit(left, label)} left).`, removed);
      this.changed();
      // the gallery moved the focus to the next image; after the last one, Undo takes it
      if (!this.store.size && document.activeElement === document.body) this.parts.undoButton.focus();
    });
  }

  clearAll() {
    return this.serial(async () => {
      let removed;
      try {
        removed = await this.store.clear();
      } catch (error) {
        this.offerUndo(error.message, null);
        return;
      }
      this.offerUndo(`Cleared ${digitsCount(removed.length)}.`, removed);
      this.changed();
      this.parts.undoButton.focus();          // Clear all is disabled now: keep the keyboard here
    });
  }

  /** Show ``text`` above the gallery, with Undo when there are ``records`` to bring back. */
  offerUndo(text, records) {
    this.undo = records && records.length ? records : null;
    this.parts.undoText.textContent = text;
    this.parts.undoButton.hidden = !this.undo;
    this.parts.undoBox.hidden = false;
  }

  bringBack() {
    return this.serial(async () => {
      const records = this.undo;
      if (!records) return;
      const { undoText, undoButton } = this.parts;
      if (this.store.size + records.length > MAX_DIGITS) {
        undoText.textContent = FULL;
        return;
      }
      try {
        await this.store.restore(records);
      } catch (error) {
        undoText.textContent = error.message;
        return;
      }
      this.undo = null;
      undoText.textContent = records.length === 1 ? `Brought back ${aDigit(records[0].label)}.`
        : `Brought back ${digitsCount(records.length)}.`;
      const hadFocus = document.activeElement === undoButton;
      undoButton.hidden = true;
      this.changed();
      if (hadFocus) this.gallery.focusKey(records[0].key);
    });
  }

  /** The set changed: show it, send it to the worker, test again. */
  changed() {
    const records = this.store.records;
    const { total, sources, exportButton, clearAll, empty, galleryHint } = this.parts;
    this.gallery.show(records.map(({ key, label, pixels, heldOut }) => ({ key, label, pixels, marked: heldOut })));
    const held = records.filter((r) => r.heldOut).length;
    const missing = countByLabel(records).flatMap((n, label) => (n ? [] : [label]));
    total.textContent = records.length
      ? `${digitsCount(records.length)} of at most ${grouped(MAX_DIGITS)} · ${grouped(held)} held out`
        + (missing.length ? ` · none yet: ${missing.join(", ")}` : "") : "";
    empty.hidden = records.length > 0;
    galleryHint.hidden = records.length === 0;
    sources.replaceChildren(...countBySource(records).map(([source, count]) => {
      const item = document.createElement("li");
      item.textContent = `${source === "drawn" ? "Drawn here" : source}: ${grouped(count)}`;
      return item;
    }));
    sources.hidden = records.length === 0;
    exportButton.disabled = records.length === 0;
    clearAll.disabled = records.length === 0;
    this.sync();
  }

  /** Send the set to the worker (in gallery order: by key); its tests wait for this. */
  sync() {
    if (!this.ready || !this.store) {
      this.test.refresh();
      return;
    }
    const records = this.store.records.slice();
    const payload = packForWorker(records);
    const previous = this.synced;
    this.synced = previous.catch(() => {})
      .then(() => this.client.request("setMyDigits", payload, [payload.pixels.buffer]))
      .then(() => records);
    this.synced.catch(() => {});
    this.test.refresh();
  }
}
