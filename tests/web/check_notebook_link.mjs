// Runs web/js/notebook/notebook-link.js (and url-state.js's readHash on an "nb" link) under
// Node and prints what they return as JSON; tests/test_notebook_link.py checks it.
import * as link from "./notebook/notebook-link.js";
import { readHash } from "./share/url-state.js";

const cells = { 1: "import numpy as np\n# ünïcode ✓ 🙂\n", 4: "net.SGD(training_data[:2000], 1, 10, 3.0, test_data=test_data)\n" };
const encoded = await link.encodeNotebook(cells);
const decoded = await link.decodeNotebook(encoded.value, 6);

const noise = Array.from({ length: 40000 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90))).join("");
const tooLong = await link.encodeNotebook({ 1: noise });

async function packed(text) {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return Buffer.from(bytes).toString("base64url");
}
const bomb = await packed(JSON.stringify({ v: 1, cells: { 1: "x".repeat(2_000_000) } }));

const malformed = {
  empty: "", notBase64: "abc$%^", notDeflate: "AAAAAAAAAAAA", oversized: "A".repeat(link.MAX_PARAM_CHARS + 1),
  notJson: await packed("not json"), wrongVersion: await packed('{"v":2,"cells":{}}'),
  cellsArray: await packed('{"v":1,"cells":["x"]}'), unknownCell: await packed('{"v":1,"cells":{"9":"x"}}'),
  badKey: await packed('{"v":1,"cells":{"01":"x"}}'), notText: await packed('{"v":1,"cells":{"2":5}}'),
  bomb,
};
const refused = {};
for (const [name, value] of Object.entries(malformed)) refused[name] = await link.decodeNotebook(value, 6);

const href = link.withNotebookParam("http://h/digit-lab/#epochs=2&nb=old&seed=3", encoded.value);
process.stdout.write(JSON.stringify({
  encoded, decoded, tooLong, refused, bombLength: bomb.length, href,
  read: link.readNotebookParam(href.split("#")[1]),
  hashNotices: readHash(href.split("#")[1]).notices,
  max: link.MAX_PARAM_CHARS,
}));
