// Training settings: defaults, limits, parsing and validation, all read from the
// one settings table (pycore/settings.json, which build.py turns into
// settings/settings-schema.js; pycore/settings.py checks the same table the same way).
// Pure functions only: no DOM, no globals. Every message is a full sentence
// meant to be shown next to the control it is about.

import { SCHEMA } from "./settings-schema.js";

/** The settings table's fields, in form order: {name, urlKey, label, type, default, min, max, hint, ...}. */
export const FIELDS = Object.freeze(SCHEMA.fields.map((field) => Object.freeze({ ...field })));
export const FIELD_NAMES = Object.freeze(FIELDS.map((field) => field.name));
const BY_NAME = Object.fromEntries(FIELDS.map((field) => [field.name, field]));
export const DEFAULTS = Object.freeze(Object.fromEntries(FIELDS.map((field) => [field.name, field.default])));

// Each training step's work (parameters × mini-batch size) is capped so that one
// step stays well under a second in the browser (see the table's stepWorkWhy).
export const MAX_STEP_WORK = SCHEMA.stepWork;

/** Return the number of weights and biases of a 784-…-10 network. */
export function parameterCount(hidden) {
  const sizes = [SCHEMA.inputs, ...hidden, SCHEMA.outputs];
  let count = 0;
  for (let l = 1; l < sizes.length; l += 1) count += sizes[l - 1] * sizes[l] + sizes[l];
  return count;
}

const INTEGER_PATTERN = /^[+]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)$/;   // 50000 or 50,000, as hints write it
const NUMBER_PATTERN = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function ok(value) {
  return { ok: true, value };
}

function fail(message) {
  return { ok: false, message };
}

function parseInteger(text, { label, min, max }) {
  const trimmed = String(text).trim();
  if (trimmed === "") {
    return fail(`${label} is required: enter a whole number from ${min} to ${max}.`);
  }
  if (!INTEGER_PATTERN.test(trimmed)) {
    return fail(`${label} must be a whole number from ${min} to ${max}, not “${trimmed}”.`);
  }
  const value = Number(trimmed.replaceAll(",", ""));
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return fail(`${label} must be from ${min} to ${max}; ${trimmed} is out of range.`);
  }
  return ok(value);
}

function parseNumber(text, { label, min, max, minExclusive, maxExclusive }) {
  const trimmed = String(text).trim();
  if (trimmed === "") {
    return fail(`${label} is required.`);
  }
  if (!NUMBER_PATTERN.test(trimmed)) {
    return fail(`${label} must be a number, not “${trimmed}”.`);
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return fail(`${label} must be a finite number.`);
  }
  if (maxExclusive) {
    if (!(value >= min && value < max)) return fail(`${label} must be at least ${min} and below ${max}.`);
  } else if (minExclusive ? !(value > min && value <= max) : !(value >= min && value <= max)) {
    return fail(minExclusive ? `${label} must be greater than ${min} and at most ${max}.`
      : `${label} must be from ${min} to ${max}.`);
  }
  return ok(value);
}

function parseLayers(text, { minLayers, maxLayers, min, max }) {
  const trimmed = String(text).trim();
  const example = "for example 30 or 100, 30";
  if (trimmed === "") {
    return fail(`Hidden layers is required: enter the units of each hidden layer, ${example}.`);
  }
  const parts = trimmed.split(/\s*[,;\s]\s*/);
  if (parts.some((part) => !INTEGER_PATTERN.test(part))) {
    return fail(`Hidden layers must be whole numbers separated by commas, ${example}.`);
  }
  if (parts.length < minLayers || parts.length > maxLayers) {
    return fail(`Use ${minLayers} to ${maxLayers} hidden layers; you gave ${parts.length}.`);
  }
  const units = parts.map(Number);
  const bad = units.find((n) => n < min || n > max);
  if (bad !== undefined) {
    return fail(`Each hidden layer needs ${min} to ${max} units; ${bad} is out of range.`);
  }
  return ok(units);
}

function parseChoice(text, { label, options }) {
  const trimmed = String(text).trim().toLowerCase();
  const values = options.map((option) => option.value);
  if (values.includes(trimmed)) {
    return ok(trimmed);
  }
  return fail(`${label} must be one of: ${values.join(", ")}.`);
}

const PARSERS = { int: parseInteger, number: parseNumber, layers: parseLayers, choice: parseChoice };

/** Return {ok: true, value} or {ok: false, message} for one field's text. */
export function parseField(name, text) {
  const field = BY_NAME[name];
  if (!field) {
    return fail(`There is no setting called “${name}”.`);
  }
  return PARSERS[field.type](text == null ? "" : text, field);
}

/** Return the text a control (or a link) shows for a field's value. */
export function formatField(name, value) {
  if (BY_NAME[name] && BY_NAME[name].type === "layers") {
    return value.join(", ");
  }
  return String(value);
}

/** Return the text of every field for the given settings (defaults if none). */
export function formatSettings(settings = DEFAULTS) {
  const texts = {};
  for (const name of FIELD_NAMES) {
    texts[name] = formatField(name, settings[name]);
  }
  return texts;
}

/**
 * Return the sentence refusing the ``cost`` with an ``out`` output layer (the cost
 * options' "outputs" in the settings table), or null if they go together.
 */
export function pairError(cost, out) {
  const options = BY_NAME.cost.options;
  const chosen = options.find((o) => o.value === cost);
  if (chosen.outputs.includes(out)) return null;
  const label = Object.fromEntries(BY_NAME.out.options.map((o) => [o.value, o.label.toLowerCase()]));
  const costs = options.filter((o) => o.outputs.includes(out)).map((o) => o.label.toLowerCase());
  return `The ${chosen.label.toLowerCase()} cost goes with a ${chosen.outputs.map((v) => label[v]).join(" or ")} `
    + `output layer; a ${label[out]} output layer goes with the ${costs.join(" or ")} cost.`;
}

/**
 * Parse every field of ``texts`` (name -> string) and check the fields
 * against each other. Return {ok, settings, errors} where errors maps a
 * field name to its message; settings is complete only when ok is true.
 */
export function parseSettings(texts) {
  const settings = {};
  const errors = {};
  for (const name of FIELD_NAMES) {
    const result = parseField(name, texts[name]);
    if (result.ok) {
      settings[name] = result.value;
    } else {
      errors[name] = result.message;
    }
  }
  if (!errors.batch && !errors.samples && settings.batch > settings.samples) {
    errors.batch = `Mini-batch size can be at most the number of training samples (${settings.samples}).`;
  }
  if (!errors.eta && !errors.lmbda && !errors.samples && !errors.reg && settings.reg === "l2") {
    const decay = 1 - (settings.eta * settings.lmbda) / settings.samples;
    if (decay <= 0) {
      errors.lmbda = `With η = ${settings.eta} and ${settings.samples} samples, L2's parameter λ must be below ${+(settings.samples / settings.eta).toPrecision(4)} (the weight decay 1 − ηλ/n must stay positive).`;
    }
  }
  if (!errors.cost && !errors.out) {
    const mismatch = pairError(settings.cost, settings.out);
    if (mismatch) errors.cost = mismatch;
  }
  if (!errors.batch && !errors.hidden) {
    const params = parameterCount(settings.hidden);
    const most = Math.max(1, Math.floor(MAX_STEP_WORK / params));
    if (settings.batch > most) {
      errors.batch = `This network has ${params.toLocaleString("en-US")} weights; use at most ${most} samples per mini-batch so each step stays quick.`;
    }
  }
  const valid = Object.keys(errors).length === 0;
  return { ok: valid, settings: valid ? settings : null, errors };
}
