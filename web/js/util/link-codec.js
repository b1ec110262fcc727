// Bytes <-> link text, shared by the links that carry data in the URL hash
// (notebook code "nb=", a network "net="): base64url, deflate-raw with a size
// limit (CompressionStream), and reading or setting one hash parameter.

export function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Return the bytes of base64url ``text``, or null if it is not base64url. */
export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch (e) {
    return null;
  }
}

/** Return standard base64 of ``bytes`` (what the Python bridge reads). */
export function toBase64(bytes) {
  const text = toBase64Url(bytes).replace(/-/g, "+").replace(/_/g, "/");
  return text + "=".repeat((4 - (text.length % 4)) % 4);
}

/** Return the bytes of standard base64 ``text``, or null. */
export function fromBase64(text) {
  return typeof text === "string" && /^[A-Za-z0-9+/]*=*$/.test(text)
    ? fromBase64Url(text.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")) : null;
}

/**
 * Pipe ``bytes`` through a (de)compression ``stream``; resolve with the output, or null
 * once it grows beyond ``limit`` bytes. Rejects when the stream's data is invalid.
 */
export async function pipe(bytes, stream, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) { out.set(chunk, offset); offset += chunk.length; }
  return out;
}

/**
 * Unpack a link parameter's ``value`` (base64url of deflate-raw data): resolve with
 * {ok: true, bytes}, or {ok: false, why} where ``why`` is the end of a sentence ("it is
 * empty."); ``tooLarge`` is the one for data that unpacks to more than ``maxBytes``.
 */
export async function unpackParam(value, { maxChars, maxBytes, tooLarge }) {
  const fail = (why) => ({ ok: false, why });
  if (typeof value !== "string" || value === "") return fail("it is empty.");
  if (value.length > maxChars) return fail(`it is longer than ${maxChars.toLocaleString("en")} characters.`);
  const packed = fromBase64Url(value);
  if (!packed) return fail("it is not base64url text.");
  let bytes;
  try {
    bytes = await pipe(packed, new DecompressionStream("deflate-raw"), maxBytes);
  } catch (e) {
    return fail("it is damaged or cut short (not valid compressed data).");
  }
  if (!bytes) return fail(tooLarge);
  return { ok: true, bytes };
}

/** Return the raw value of parameter ``name`` in a location hash, or null. */
export function readParam(hash, name) {
  const text = String(hash || "").replace(/^#/, "");
  for (const piece of text.split("&")) {
    if (piece.startsWith(`${name}=`)) return piece.slice(name.length + 1);
  }
  return null;
}

/** Return ``href`` with parameter ``name`` in its hash set to ``value``, or removed if
 *  ``value`` is null (others kept). */
export function withParam(href, name, value) {
  const [base, hash = ""] = String(href).split("#");
  const pieces = hash.split("&").filter((piece) => piece !== "" && !piece.startsWith(`${name}=`));
  if (value !== null) pieces.push(`${name}=${value}`);
  return `${base}#${pieces.join("&")}`;
}
