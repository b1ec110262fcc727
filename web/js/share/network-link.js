// A trained network in a link: "net=" in the URL hash holds the network in the
// compact binary form of pycore/network_link.py (per-row int8 weights and biases),
// compressed with deflate-raw and written as base64url. Links are refused beyond
// MAX_PARAM_CHARS characters of "net" data; the Python Session checks the unpacked
// network as strictly as an uploaded model file. Decoding never throws: it answers
// {ok: false, message} with a sentence instead.

import { toBase64Url, pipe, readParam, unpackParam, withParam } from "../util/link-codec.js";

export const PARAM = "net";
export const MAX_PARAM_CHARS = 64 * 1024;
export const MAX_BYTES = 4 * 1024 * 1024;   // pycore/network_link.py: MAX_BYTES
const MAGIC = [0x44, 0x4c, 0x4e];           // "DLN", then the version byte
const VERSIONS = [1, 2, 3];   // pycore/network_link.py: 1 (sigmoid only), 2 (with activations), 3 (conv layers)

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Encode the network's bytes (pycore network_link format) as the value of "net".
 * Resolve with {ok: true, value} or {ok: false, message} when the link would be too long.
 */
export async function encodeNetwork(bytes) {
  const packed = await pipe(bytes, new CompressionStream("deflate-raw"), Infinity);
  const value = toBase64Url(packed);
  if (value.length > MAX_PARAM_CHARS) {
    return { ok: false, message: `This network is too large for a link (${kb(value.length)} compressed; links hold networks up to ${kb(MAX_PARAM_CHARS)}). Use Download model to share it as a file instead.` };
  }
  return { ok: true, value };
}

/** Decode the value of "net" into {ok: true, bytes} or {ok: false, message}. */
export async function decodeNetwork(value) {
  const refuse = (why) => ({ ok: false, message: `The network in the link could not be loaded: ${why} The drawing pad uses the pretrained network.` });
  const unpacked = await unpackParam(value, { maxChars: MAX_PARAM_CHARS, maxBytes: MAX_BYTES, tooLarge: "it unpacks to more data than a network link may hold." });
  if (!unpacked.ok) return refuse(unpacked.why);
  const { bytes } = unpacked;
  if (bytes.length <= MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b) || !VERSIONS.includes(bytes[MAGIC.length])) {
    return refuse("it is not in Digit Lab's network format.");
  }
  return { ok: true, bytes };
}

/** Return the raw "net" value of a location hash, or null. */
export function readNetworkParam(hash) {
  return readParam(hash, PARAM);
}

/** Return ``href`` with "net" in its hash set to ``value`` (other hash parameters kept). */
export function withNetworkParam(href, value) {
  return withParam(href, PARAM, value);
}
