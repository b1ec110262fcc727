// The notebook's code in a link: "nb=" in the URL hash holds the edited cells as
// JSON {"v": 1, "cells": {"4": "code", ...}}, compressed with deflate-raw
// (CompressionStream) and written as base64url. Links are capped at MAX_PARAM_CHARS
// characters of "nb" data and MAX_CODE_CHARS characters of code once decompressed.
// Decoding never throws: it answers {ok: false, message} with a sentence instead.

import { toBase64Url, pipe, readParam, unpackParam, withParam } from "../util/link-codec.js";

export const PARAM = "nb";
export const MAX_PARAM_CHARS = 16 * 1024;
export const MAX_CODE_CHARS = 256 * 1024;
const VERSION = 1;

/**
 * Encode edited cells ({cellNumber: code}) as the value of "nb".
 * Resolve with {ok: true, value} or {ok: false, message} when the link would be too long.
 */
export async function encodeNotebook(cells) {
  const json = JSON.stringify({ v: VERSION, cells });
  const bytes = new TextEncoder().encode(json);
  const packed = await pipe(bytes, new CompressionStream("deflate-raw"), Infinity);
  const value = toBase64Url(packed);
  if (value.length > MAX_PARAM_CHARS) {
    return { ok: false, message: `The edited code is too long for a link (${value.length.toLocaleString("en")} characters compressed; links hold up to ${MAX_PARAM_CHARS.toLocaleString("en")}).` };
  }
  return { ok: true, value };
}

/**
 * Decode the value of "nb" into {ok: true, cells: {cellNumber: code}} for cells 1..cellCount,
 * or {ok: false, message}.
 */
export async function decodeNotebook(value, cellCount) {
  const refuse = (why) => ({ ok: false, message: `The notebook code in the link was ignored: ${why}` });
  const unpacked = await unpackParam(value, { maxChars: MAX_PARAM_CHARS, maxBytes: MAX_CODE_CHARS * 4, tooLarge: "it unpacks to more code than a notebook link may hold." });
  if (!unpacked.ok) return refuse(unpacked.why);
  const { bytes } = unpacked;
  let data;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    return refuse("it does not hold the notebook's JSON.");
  }
  if (!data || typeof data !== "object" || data.v !== VERSION || !data.cells || typeof data.cells !== "object" || Array.isArray(data.cells)) {
    return refuse("it is not in the notebook's link format.");
  }
  const cells = {};
  let total = 0;
  for (const [key, code] of Object.entries(data.cells)) {
    const n = Number(key);
    if (!/^[1-9][0-9]*$/.test(key) || n > cellCount) return refuse(`the notebook has no code cell “${key.slice(0, 20)}”.`);
    if (typeof code !== "string") return refuse(`cell ${n} is not text.`);
    total += code.length;
    cells[n] = code;
  }
  if (total > MAX_CODE_CHARS) return refuse("it unpacks to more code than a notebook link may hold.");
  return { ok: true, cells };
}

/** Return the raw "nb" value of a location hash, or null. */
export function readNotebookParam(hash) {
  return readParam(hash, PARAM);
}

/** Return ``href`` with "nb" in its hash set to ``value``, or without it for null (other
 *  hash parameters kept). */
export function withNotebookParam(href, value) {
  return withParam(href, PARAM, value);
}
