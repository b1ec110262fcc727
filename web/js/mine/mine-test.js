// My digits' test: the pad's network on the learner's own digits, beside its MNIST test
// accuracy, so the gap shows: "Pretrained conv net: 27 / 30 of my digits (90.0%) · MNIST
// test: 99.42%". For a network trained with them (Train with my digits), the digits it
// never trained on (the held-out ones) are counted apart from those it did. A confusion
// matrix of the never-trained-on digits, and the misread digits as small images ("drawn
// 4, read 9"). Asked for only while the section is on screen, at most one request in
// flight (latest-only.js), at most once a second while a run trains, and always after
// the worker has the set (``synced``).

import { ConfusionMatrix } from "../widgets/confusion-matrix.js";
import { paintDigit } from "../widgets/digit-gallery.js";
import { latestOnly } from "../util/latest-only.js";
import { PIXELS, grouped } from "./digits-file.js";

const LIVE_MS = 1000;            // while training, at most one test a second
const MISREAD_SHOWN = 120;

const percent = (correct, total, digits = 1) => `${(100 * correct / total).toFixed(digits)}%`;
const score = ({ correct, total }) => `${grouped(correct)} / ${grouped(total)}`;

export class MineTest {
  /**
   * parts: {box, score, split, matrix, misread} elements; client: the WorkerClient;
   * networkLabel(name), activeNetwork(), isTraining(): see MyDigitsPanel; synced(): a
   * promise of the records the worker holds (in the order it holds them); count(): how
   * many digits the set has now.
   */
  constructor(parts, { client, networkLabel, activeNetwork, isTraining, synced, count }) {
    Object.assign(this, { parts, client, networkLabel, activeNetwork, isTraining, synced, count });
    this.ready = false;
    this.visible = false;
    this.stale = true;
    this.last = null;                 // the latest shown {name, records, result}
    this.mnist = new Map();           // name → {correct, total} or "failed", until it changes
    this.measuring = new Set();
    this.filter = null;
    this.timer = null;
    this.started = 0;
    this.matrix = new ConfusionMatrix(parts.matrix, {
      caption: "My digits: confusion matrix",
      onCell: (trueClass, answer) => { this.filter = { trueClass, answer }; this.showMisread(); },
    });
    this.misreadNote = document.createElement("p");
    this.misreadNote.className = "mine-misread-note";
    this.misreadNote.tabIndex = -1;
    this.showAll = Object.assign(document.createElement("button"), {
      type: "button", className: "button button-small", textContent: "Show all misread", hidden: true });
    this.showAll.addEventListener("click", () => {
      this.filter = null;
      this.showMisread();
      this.misreadNote.focus();
    });
    const head = document.createElement("div");
    head.className = "mine-misread-head";
    head.append(this.misreadNote, this.showAll);
    this.misreadList = document.createElement("ul");
    this.misreadList.className = "mine-misread-list";
    this.misreadList.setAttribute("aria-label", "Misread digits");
    parts.misread.append(head, this.misreadList);
    this.tester = latestOnly((name) => this.evaluate(name), {
      onResult: (shown) => this.show(shown),
      onError: (error) => this.failed(error),
    });
    new IntersectionObserver((entries) => {
      this.visible = entries.some((entry) => entry.isIntersecting);
      this.run();
    }).observe(parts.box);
    this.show({ name: null, records: [], result: null });
  }

  setReady(ready) {
    this.ready = ready;
    if (!ready) this.mnist.clear();
    this.refresh();
  }

  networkChanged() {
    this.mnist.clear();
    this.filter = null;
    this.refresh();
  }

  /** The set or the network changed: test again (now, or once on screen and ready). */
  refresh() {
    this.stale = true;
    const count = this.count();
    if (!count || !this.ready) this.show({ name: null, records: { length: count }, result: null });
    this.run();
  }

  /** The network being trained learned: test again, at most once a second. */
  learned() {
    this.stale = true;
    if (this.timer !== null) return;
    const wait = this.started + LIVE_MS - performance.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => { this.timer = null; this.run(); }, wait);
  }

  run() {
    if (!this.stale || !this.ready || !this.visible) return;
    this.stale = false;
    this.started = performance.now();
    this.tester.run(this.activeNetwork());
  }

  async evaluate(name) {
    const records = await this.synced();
    if (!records.length || !name) return { name, records, result: null };
    const result = await this.client.request("evaluateMine", { name });
    return { name, records, result };
  }

  failed(error) {
    this.parts.score.textContent = `The pad's network could not be tested on your digits: ${error.message}`;
    this.parts.split.hidden = true;
    this.matrix.update(null);
    this.last = null;
    this.showMisread();
  }

  /** Show a test's outcome ({name, records, result}), or the empty state (null). */
  show(shown) {
    const { score: line, split, box } = this.parts;
    const result = shown && shown.result;
    if (!result || result.total !== shown.records.length || !result.total) {
      this.last = null;
      box.classList.add("is-empty");
      if (!shown || !shown.records.length) line.textContent = "Add digits to test the pad's network on them.";
      else if (!result) line.textContent = this.ready ? "Testing the pad's network on your digits…" : "The test waits for Python to be ready.";
      else line.textContent = `The worker tested ${grouped(result.total)} digits instead of ${grouped(shown.records.length)}; change the set or the network to test again.`;
      split.hidden = true;
      this.matrix.update(null);
      this.showMisread();
      return;
    }
    box.classList.remove("is-empty");
    this.last = shown;
    this.showScore();
    const seen = result.seen || [];
    const trained = result.total - result.unseen.total;
    split.hidden = !seen.some(Boolean);
    split.textContent = `Never trained on (held out): ${score(result.unseen)}${result.unseen.total ? ` (${percent(result.unseen.correct, result.unseen.total)})` : ""}`
      + ` · Trained on: ${grouped(result.correct - result.unseen.correct)} / ${grouped(trained)}`;
    const counts = Array.from({ length: 10 }, () => new Array(10).fill(0));
    shown.records.forEach((r, i) => { if (!seen[i]) counts[r.label][result.predictions[i]] += 1; });
    const perClass = counts.map((row, t) => {
      const n = row.reduce((a, b) => a + b, 0);
      return n ? row[t] / n : null;
    });
    this.matrix.update(counts, perClass);
    this.showMisread();
  }

  /** The score line, with the MNIST figure (asked for once per network when not known). */
  showScore() {
    const { name, result } = this.last;
    let mnist = result.mnist || this.mnist.get(name);
    if (!mnist && !this.isTraining()) this.measure(name);
    if (mnist === "failed" || (!mnist && this.isTraining())) mnist = "–";
    else mnist = mnist ? percent(mnist.correct, mnist.total, 2) : "measuring…";
    this.parts.score.textContent = `${this.networkLabel(name)}: ${score(result)} of my digits`
      + ` (${percent(result.correct, result.total)}) · MNIST test: ${mnist}`;
  }

  async measure(name) {
    if (this.measuring.has(name)) return;
    this.measuring.add(name);
    try {
      const { correct, total } = await this.client.request("evaluateTest", { name, seconds: 0.1 });
      this.mnist.set(name, { correct, total });
    } catch (error) {
      this.mnist.set(name, "failed");
    } finally {
      this.measuring.delete(name);
    }
    if (this.last && this.last.name === name) this.showScore();
  }

  /** The misread digits (those of the confusion cell chosen, if one was). */
  showMisread() {
    const shown = this.last;
    const wrong = [];
    if (shown) {
      const { predictions, seen = [] } = shown.result;
      shown.records.forEach((r, i) => {
        const read = predictions[i];
        if (read === r.label) return;
        if (this.filter && (this.filter.trueClass !== r.label || this.filter.answer !== read || seen[i])) return;
        wrong.push({ pixels: r.pixels, label: r.label, read, seen: Boolean(seen[i]) });
      });
    }
    const which = this.filter ? `drawn ${this.filter.trueClass}, read ${this.filter.answer}` : "all";
    this.misreadNote.textContent = !shown ? ""
      : wrong.length || this.filter ? `Misread (${which}): ${grouped(wrong.length)}.` : "None of your digits is misread.";
    this.showAll.hidden = !this.filter || !shown;
    this.misreadList.replaceChildren(...wrong.slice(0, MISREAD_SHOWN).map((w) => {
      const item = document.createElement("li");
      item.className = w.seen ? "mine-misread is-seen" : "mine-misread";
      const canvas = document.createElement("canvas");
      canvas.setAttribute("aria-hidden", "true");
      paintDigit(canvas, w.pixels.length === PIXELS ? w.pixels : new Uint8Array(PIXELS));
      const caption = document.createElement("span");
      caption.textContent = `drawn ${w.label}, read ${w.read}${w.seen ? ", trained on" : ""}`;
      item.append(canvas, caption);
      return item;
    }));
    this.misreadList.hidden = wrong.length === 0;
    if (wrong.length > MISREAD_SHOWN) {
      const more = document.createElement("li");
      more.className = "mine-misread-more";
      more.textContent = `and ${grouped(wrong.length - MISREAD_SHOWN)} more`;
      this.misreadList.append(more);
    }
  }
}
