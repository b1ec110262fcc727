// Runs web/js/share/network-link.js under Node and prints what it answers, as JSON, for
// tests/test_network_link_js.py.
import * as link from "./share/network-link.js";
import { toBase64Url, toBase64, fromBase64, pipe } from "./util/link-codec.js";

function bytes(n, seed = 1) {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i += 1) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; out[i] = x >>> 24; }
  return out;
}
const network = bytes(24032);
network.set([0x44, 0x4c, 0x4e, 0x01], 0);
const deflate = async (b) => toBase64Url(await pipe(b, new CompressionStream("deflate-raw"), Infinity));

const encoded = await link.encodeNetwork(network);
const decoded = await link.decodeNetwork(encoded.value);
const big = bytes(80000, 7);
big.set([0x44, 0x4c, 0x4e, 0x01], 0);
const zeros = new Uint8Array(link.MAX_BYTES + 10);
zeros.set([0x44, 0x4c, 0x4e, 0x01], 0);
const answers = {
  empty: await link.decodeNetwork(""),
  notBase64: await link.decodeNetwork("abc$def"),
  notDeflate: await link.decodeNetwork(toBase64Url(bytes(300, 3))),
  truncated: await link.decodeNetwork(encoded.value.slice(0, 4 * Math.floor(encoded.value.length / 8))),
  wrongMagic: await link.decodeNetwork(await deflate(bytes(500, 5))),
  version2: await link.decodeNetwork(await deflate(Uint8Array.from([0x44, 0x4c, 0x4e, 0x02, 1, 2, 3]))),
  version3: await link.decodeNetwork(await deflate(Uint8Array.from([0x44, 0x4c, 0x4e, 0x03, 1, 2, 3]))),
  version4: await link.decodeNetwork(await deflate(Uint8Array.from([0x44, 0x4c, 0x4e, 0x04, 1, 2, 3]))),
  oversized: await link.decodeNetwork("A".repeat(link.MAX_PARAM_CHARS + 1)),
  bomb: await link.decodeNetwork(await deflate(zeros)),
};
for (const value of Object.values(answers)) delete value.bytes;
const href = link.withNetworkParam("http://h/digit-lab/#epochs=2&net=old&seed=3", encoded.value);
console.log(JSON.stringify({
  encodedOk: encoded.ok, valueLength: encoded.ok ? encoded.value.length : null,
  alphabetOk: /^[A-Za-z0-9_-]+$/.test(encoded.value),
  same: decoded.ok && decoded.bytes.length === network.length && decoded.bytes.every((b, i) => b === network[i]),
  tooLarge: await link.encodeNetwork(big),
  href: href.replace(encoded.value, "VALUE"), read: link.readNetworkParam(href.split("#")[1]) === encoded.value,
  answers, padded: [1, 2, 3, 4, 5].map((n) => toBase64(network.subarray(0, n))),
  unpadded: [1, 2, 3, 4, 5].every((n) => fromBase64(toBase64(network.subarray(0, n))).join() === network.subarray(0, n).join()),
}));
