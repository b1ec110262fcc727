// The training settings in words, from the settings table alone: each field's "summary"
// (pycore/settings.json) says how three places write it, so a new setting shows up in
// all of them by adding it to the table. Pure functions only: no DOM.
//   line:  the one-line summary "[784, 30, 10] · 30 epochs · m = 10 · η = 3 · …"
//          (lineRank order; "lineOmitDefault" leaves a default out);
//   run:   the log's first line for a run, every field in table order ("runOmitDefault"
//          leaves a default out);
//   label: a run's chart label "η=3, 30 hidden, ReLU", fields in labelRank order, only
//          when not the default unless "labelAlways".
// A template's placeholders: {value}; {grouped} (50,000); {sizes} (784, 30, 10);
// {dashed} (30-10); {label} (a choice's label, or the summary's choices[value]);
// {lower} ({label} in lower case); {s} ("s" unless the value is 1).

import { SCHEMA } from "./settings-schema.js";

const FIELDS = SCHEMA.fields.filter((field) => field.summary);

function same(a, b) {
  return Array.isArray(a) ? Array.isArray(b) && a.join() === b.join() : a === b;
}

/** Return ``field``'s text in ``place`` ("line", "run" or "label") for ``value``. */
export function describeField(field, place, value) {
  const summary = field.summary;
  const option = (field.options || []).find((o) => o.value === value);
  const label = (summary.choices && summary.choices[value]) || (option ? option.label : String(value));
  const words = {
    value: Array.isArray(value) ? value.join(", ") : String(value),
    grouped: typeof value === "number" ? value.toLocaleString("en") : String(value),
    sizes: Array.isArray(value) ? [SCHEMA.inputs, ...value, SCHEMA.outputs].join(", ") : String(value),
    dashed: Array.isArray(value) ? value.join("-") : String(value),
    label,
    lower: label.toLowerCase(),
    s: value === 1 ? "" : "s",
  };
  return summary[place].replace(/\{(\w+)\}/g, (whole, key) => (key in words ? words[key] : whole));
}

/** Return the texts of the fields ``place`` shows for ``settings``, in its order. */
function describe(settings, place, { rank = null, shown = () => true } = {}) {
  const fields = FIELDS.filter((field) => field.summary[place] && settings[field.name] !== undefined
    && shown(field, settings[field.name]));
  if (rank) fields.sort((a, b) => a.summary[rank] - b.summary[rank]);
  return fields.map((field) => describeField(field, place, settings[field.name]));
}

/** The one-line summary of complete settings, in the book's notation. */
export function summarizeSettings(settings) {
  return describe(settings, "line", { rank: "lineRank",
    shown: (field, value) => !(field.summary.lineOmitDefault && same(value, field.default)) }).join(" · ");
}

/** A short label naming a run's key settings, e.g. "η=3, 30 hidden" or "η=0.1, 100 hidden, ReLU". */
export function describeRun(settings) {
  return describe(settings, "label", { rank: "labelRank",
    shown: (field, value) => field.summary.labelAlways || !same(value, field.default) }).join(", ");
}

/** A full description of a run for the training log's first line ("runOmitDefault" leaves
 *  a default out: the More settings, which the book's first experiments do not use). */
export function describeRunFully(settings) {
  return describe(settings, "run", {
    shown: (field, value) => !(field.summary.runOmitDefault && same(value, field.default)) }).join(", ");
}
