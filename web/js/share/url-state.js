// URL hash <-> training settings, e.g.
//   #hidden=30&epochs=30&batch=10&eta=3&samples=50000&cost=quadratic&lmbda=0&init=large&seed=1&autorun=1
// plus the page's view: "view=present" opens the presenter view (js/share/presenter.js).
// Reading never throws: unknown or malformed parameters are skipped and
// described in ``notices`` so the page can show them.

import { FIELDS, parseField } from "../settings/settings.js";

const FIELD_BY_KEY = Object.fromEntries(FIELDS.map((field) => [field.urlKey, field]));

const TRUE_WORDS = ["1", "true", "yes", "on"];
const FALSE_WORDS = ["0", "false", "no", "off"];
const MAX_NOTICE_VALUE = 40;
// The one view a link may ask for besides the normal page.
export const PRESENT = "present";
// Keys other modules read from the hash themselves ("nb": js/notebook/notebook-link.js,
// "net": js/share/network-link.js).
const OTHER_KEYS = ["nb", "net"];

function decode(part) {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch (error) {
    return null;
  }
}

function shorten(text) {
  return text.length > MAX_NOTICE_VALUE ? `${text.slice(0, MAX_NOTICE_VALUE)}…` : text;
}

/**
 * Read settings from a location hash such as "#epochs=5&eta=0.5".
 * Return {values, autorun, view, notices}: values maps field names to parsed
 * values (only the valid ones given), autorun is a boolean, view is "present"
 * or null, notices is a list of sentences about what was ignored.
 */
export function readHash(hash) {
  const values = {};
  const notices = [];
  let autorun = false;
  let view = null;
  let text = typeof hash === "string" ? hash : "";
  if (text.startsWith("#")) text = text.slice(1);
  if (text.trim() === "") return { values, autorun, view, notices };

  for (const piece of text.split("&")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    const rawName = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? "" : piece.slice(eq + 1);
    const name = decode(rawName);
    const value = decode(rawValue);
    if (name === null || value === null) {
      notices.push(`Ignored “${shorten(piece)}” in the link: it is not properly encoded.`);
      continue;
    }
    if (name === "" || OTHER_KEYS.includes(name)) continue;
    if (name === "autorun") {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) autorun = true;
      else if (FALSE_WORDS.includes(word)) autorun = false;
      else notices.push(`Ignored “autorun=${shorten(value)}” in the link: use autorun=1 or autorun=0.`);
      continue;
    }
    if (name === "view") {
      if (value === PRESENT) view = PRESENT;
      else notices.push(`Ignored “view=${shorten(value)}” in the link: the only view a link can ask for is view=present (the presenter view).`);
      continue;
    }
    const field = FIELD_BY_KEY[name];
    if (!field) {
      notices.push(`Ignored the unknown link parameter “${shorten(name)}”.`);
      continue;
    }
    const result = parseField(field.name, value);
    if (result.ok) {
      values[field.name] = result.value;
    } else {
      notices.push(`Ignored “${shorten(name)}=${shorten(value)}” in the link. ${result.message}`);
    }
  }
  return { values, autorun, view, notices };
}

function hashValue(field, value) {
  const text = field.type === "layers" ? value.join(",") : String(value);
  return encodeURIComponent(text).replace(/%2C/gi, ",");
}

/** Return the hash ("#hidden=30&epochs=30&…") for complete settings (and autorun, view). */
export function writeHash(settings, { autorun = false, view = null } = {}) {
  const pairs = FIELDS.map((field) => `${field.urlKey}=${hashValue(field, settings[field.name])}`);
  if (autorun) pairs.push("autorun=1");
  if (view === PRESENT) pairs.push(`view=${PRESENT}`);
  return `#${pairs.join("&")}`;
}

/** Return ``href`` with its hash replaced by the settings' hash. */
export function shareUrl(href, settings, options) {
  const base = String(href).split("#")[0];
  return base + writeHash(settings, options);
}

/**
 * Put the settings' hash in the address bar without a new history entry; never throws.
 * The view stays as the address bar has it (a valid "view=present" is kept).
 */
export function replaceHash(settings) {
  return replaceAddressHash(writeHash(settings, { view: readHash(window.location.hash).view }));
}

/** Return ``hash`` ("#…") with "view=present" added (``view`` is "present") or removed. */
export function withView(hash, view) {
  const pieces = String(hash || "").replace(/^#/, "").split("&")
    .filter((piece) => piece !== "" && piece !== "view" && !piece.startsWith("view="));
  if (view === PRESENT) pieces.push(`view=${PRESENT}`);
  return `#${pieces.join("&")}`;
}

/** Put ``hash`` in the address bar ("#" drops it) without a new history entry; never throws. */
export function replaceAddressHash(hash) {
  const empty = hash === "#" || hash === "";
  if (window.location.hash === (empty ? "" : hash)) return true;
  try {
    history.replaceState(history.state, "", empty ? window.location.pathname + window.location.search : hash);
    return true;
  } catch (error) {
    return false; // Some embedded or file: contexts refuse; Copy link still works.
  }
}
