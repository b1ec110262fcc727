// The Train section's "Book experiments" menu: each of the book's headline MNIST
// experiments (js/train/book-table.js, which build.py writes from pycore/book.py's
// table) loads its settings into the form and shows the figure the book reports, with
// its chapter and section. A run started from an experiment ends with the book's figure
// beside ours in the log; when ours ends far below, the page says why that can happen
// and what to try. All text reaches the DOM through textContent.

import { EXPERIMENTS, FAR_BELOW } from "./book-table.js";
import { SCHEMA } from "../settings/settings-schema.js";
import { fillSelect } from "../widgets/select-options.js";

const DEFAULTS = Object.fromEntries(SCHEMA.fields.map((field) => [field.name, field.default]));
const percent = (x) => `${x.toFixed(2)}%`;
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Return the experiment with id ``id``, or null. */
export function findExperiment(id) {
  return EXPERIMENTS.find((experiment) => experiment.id === id) || null;
}

/** Return the book's figure with where it is, e.g. "Book: 96.59% (test accuracy; chapter 1,
 *  “Implementing our network to classify digits”)". */
export function bookFigure(experiment) {
  const { accuracy, measure, approximate } = experiment.book;
  return `Book: ${approximate ? "about " : ""}${percent(accuracy)} (${measure} accuracy; chapter ${experiment.chapter}, “${experiment.section}”)`;
}

/** Return the names of the settings in ``settings`` that differ from the experiment's
 *  (the fields it does not name are compared with their defaults). */
export function changedSettings(experiment, settings) {
  const wanted = { ...DEFAULTS, ...experiment.settings };
  return Object.keys(wanted).filter((name) => name in settings && !same(settings[name], wanted[name]));
}

/** Return the log's last line for a run of ``experiment`` whose best epoch was ``best``
 *  (an "epoch" event), e.g. "Book: 96.59% · ours: 95.12% (epoch 29)". */
export function comparisonLine(experiment, best, changed = []) {
  const { accuracy, measure, approximate } = experiment.book;
  const book = `${approximate ? "about " : ""}${percent(accuracy)}`;
  const differ = changed.length ? `; your settings differ in ${changed.join(", ")}` : "";
  if (measure === "test") {
    return `Book: ${book} · ours: ${percent(100 * best.accuracy)} (epoch ${best.epoch}${differ})`;
  }
  return `Book: ${book} (${measure}) · ours: ${percent(100 * best.accuracy)} (test, epoch ${best.epoch}${differ})`;
}

/** Is ``best`` (an "epoch" event) more than FAR_BELOW points below the book's figure? */
export function farBelow(experiment, best) {
  return 100 * best.accuracy < experiment.book.accuracy - FAR_BELOW;
}

export class BookExperiments {
  /**
   * parts: {select, figure, why} elements: the menu, the line naming the book's figure,
   * and the paragraph that explains a run ending far below the book's.
   * setValues(values): fill the training form; readSettings(): the form's {ok, settings}.
   */
  constructor(parts, { setValues, readSettings }) {
    Object.assign(this, parts, { setValues, readSettings });
    this.current = null;
    fillSelect(this.select, [["", "Choose one of the book's experiments…"],
      ...EXPERIMENTS.map((experiment) => [experiment.id, experiment.title])]);
    this.select.addEventListener("change", () => this.choose(this.select.value));
    this.show();
  }

  /** Load the experiment with id ``id`` (or none, for "") into the form. */
  choose(id) {
    this.current = findExperiment(id);
    this.select.value = this.current ? this.current.id : "";
    this.why.hidden = true;
    this.why.textContent = "";
    if (this.current) this.setValues({ ...DEFAULTS, ...this.current.settings });
    this.show();
  }

  /** Show the chosen experiment's figure, and which settings now differ from the book's. */
  show() {
    if (!this.current) {
      this.figure.textContent = "Loads the settings of one of the book's runs and shows the figure the book reports.";
      return;
    }
    const { ok, settings } = this.readSettings();
    const changed = ok ? changedSettings(this.current, settings) : [];
    const differ = changed.length ? ` Your settings differ from the book's in: ${changed.join(", ")}.` : "";
    const note = this.current.differs ? ` ${this.current.differs}` : "";
    this.figure.textContent = `${bookFigure(this.current)}.${note}${differ}`;
  }

  /** The form changed: say whether it still holds the book's settings. */
  settingsChanged() {
    this.show();
  }

  /** A run started: remember the experiment it comes from (not for Continue training). */
  runStarted(run) {
    this.select.disabled = true;
    if (this.current && !run.continued) {
      run.book = { experiment: this.current, changed: changedSettings(this.current, run.settings) };
    }
  }

  /** A run ended: put the book's figure beside ours as the log's last line; when ours is
   *  far below, say why that can happen and what to try (in the log and under the menu). */
  runEnded(run, reason, log) {
    this.select.disabled = false;
    if (!run || !run.book || !run.best || reason === "error") return;
    const { experiment, changed } = run.book;
    if (farBelow(experiment, run.best)) {
      const text = `Ours ended more than ${FAR_BELOW} points below the book's. ${experiment.why}`;
      this.why.textContent = text;
      this.why.hidden = false;
      log.append(text, "note");
    }
    log.append(comparisonLine(experiment, run.best, changed), "run");
  }
}
