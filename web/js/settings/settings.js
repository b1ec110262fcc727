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

/** Return the number of weights and biases of a 784-…-10 MLP. */
export function parameterCount(hidden) {
  const sizes = [SCHEMA.inputs, ...hidden, SCHEMA.outputs];
  let count = 0;
  for (let l = 1; l < sizes.length; l += 1) count += sizes[l - 1] * sizes[l] + sizes[l];
  return count;
}

/** Return one sample's work in a training step of a network with these hidden layers: its
 *  parameters for an MLP; with conv layers each layer's multiply-adds plus its parameters
 *  (pycore/settings.py's step_work). */
export function stepWork(hidden) {
  if (hidden.every((n) => typeof n === "number")) return parameterCount(hidden);
  let [work, side, channels, nIn] = [0, IMAGE_SIDE, 1, SCHEMA.inputs];
  for (const item of [...hidden, SCHEMA.outputs]) {
    if (typeof item === "number") {
      work += nIn * item * 2 + item;
      nIn = item;
      continue;
    }
    const { filters, size, pool } = convParts(item);
    const maps = side - size + 1;
    work += maps * maps * channels * size * size * filters + (channels * size * size + 1) * filters;
    [side, channels] = [maps / pool, filters];
    nIn = filters * side * side;
  }
  return work;
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

const CONV_PATTERN = /^conv\s+([0-9]+)\s+([0-9]+)\s*[x×]\s*([0-9]+)(\s+pool\s+([0-9]+))?$/i;
const LAYERS_EXAMPLE = "for example 30, or 100, 30, or conv 20 5x5 pool 2, 100";
const IMAGE_SIDE = 28;   // the inputs are 28 × 28 images (conv layers see them so)

/** Return a conv layer's text in the Hidden layers field, e.g. "conv 20 5x5 pool 2". */
export function convText(filters, size, pool) {
  return `conv ${filters} ${size}x${size}${pool > 1 ? ` pool ${pool}` : ""}`;
}

/** Return {filters, size, pool} of a conv layer's canonical text. */
export function convParts(item) {
  const match = CONV_PATTERN.exec(item);
  return { filters: Number(match[1]), size: Number(match[2]), pool: Number(match[5] || 1) };
}

function parseConv(text, { maxFilters, maxPool }) {
  const match = CONV_PATTERN.exec(text);
  if (!match) {
    return fail("Write a conv layer as conv, its number of filters, their size and the pooling, "
      + `for example conv 20 5x5 pool 2; “${text.slice(0, 40)}” is not one.`);
  }
  const [filters, size, other] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const pool = match[5] ? Number(match[5]) : 1;
  if (size !== other) return fail(`Conv filters are square: write ${size}x${size}, not ${size}x${other}.`);
  if (filters < 1 || filters > maxFilters) {
    return fail(`A conv layer needs 1 to ${maxFilters} filters; ${filters} is out of range.`);
  }
  if (pool < 1 || pool > maxPool) return fail(`Pooling must be from 1 to ${maxPool}; ${pool} is out of range.`);
  return ok(convText(filters, size, pool));
}

/** Return a sentence if the conv layers do not come first, or one's filters do not fit its
 *  input, or its pooling does not tile its feature maps; else null (pycore/settings.py alike). */
function geometryError(items) {
  let side = IMAGE_SIDE;
  let dense = null;
  for (const item of items) {
    if (typeof item === "number") {
      if (dense === null) dense = item;
      continue;
    }
    if (dense !== null) return `Put the conv layers before the dense ones: ${item} comes after ${dense}.`;
    const { size, pool } = convParts(item);
    if (size > side) return `The ${size}x${size} filters of ${item} do not fit its ${side}x${side} input.`;
    const maps = side - size + 1;
    if (maps % pool) return `Pool ${pool} does not tile the ${maps}x${maps} feature maps of ${item}.`;
    side = maps / pool;
  }
  return null;
}

function parseLayers(text, field) {
  const { minLayers, maxLayers, min, max } = field;
  const items = [];
  if (Array.isArray(text)) {
    for (const item of text) {
      if (typeof item === "number") {
        items.push(item);
        continue;
      }
      const conv = parseConv(String(item), field);
      if (!conv.ok) return conv;
      items.push(conv.value);
    }
  } else {
    const trimmed = String(text).trim();
    if (trimmed === "") {
      return fail(`Hidden layers is required: enter the units of each hidden layer, ${LAYERS_EXAMPLE}.`);
    }
    for (const part of trimmed.split(/\s*[,;]\s*/)) {
      if (part.slice(0, 4).toLowerCase() === "conv") {
        const conv = parseConv(part, field);
        if (!conv.ok) return conv;
        items.push(conv.value);
        continue;
      }
      const numbers = part.split(/\s+/);
      if (numbers.some((n) => !INTEGER_PATTERN.test(n))) {
        return fail(`Hidden layers must be whole numbers or conv layers separated by commas, ${LAYERS_EXAMPLE}.`);
      }
      items.push(...numbers.map(Number));
    }
  }
  if (items.length < minLayers || items.length > maxLayers) {
    return fail(`Use ${minLayers} to ${maxLayers} hidden layers; you gave ${items.length}.`);
  }
  const bad = items.find((n) => typeof n === "number" && (n < min || n > max));
  if (bad !== undefined) {
    return fail(`Each hidden layer needs ${min} to ${max} units; ${bad} is out of range.`);
  }
  const geometry = geometryError(items);
  return geometry ? fail(geometry) : ok(items);
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
  if (!errors.dropout && !errors.hidden && settings.dropout > 0
      && settings.hidden.some((n) => typeof n !== "number")) {
    errors.dropout = "Dropout works in networks of dense layers only; set it to 0 for a network with conv layers.";
  }
  if (!errors.batch && !errors.hidden) {
    const work = stepWork(settings.hidden);
    const most = Math.max(1, Math.floor(MAX_STEP_WORK / work));
    if (settings.batch > most) {
      errors.batch = settings.hidden.every((n) => typeof n === "number")
        ? `This network has ${work.toLocaleString("en-US")} weights; use at most ${most} samples per mini-batch so each step stays quick.`
        : `This network does ${work.toLocaleString("en-US")} multiply-adds per image; use at most ${most} samples per mini-batch so each step stays quick.`;
    }
  }
  const valid = Object.keys(errors).length === 0;
  return { ok: valid, settings: valid ? settings : null, errors };
}
