// Runs a built sw.js (argv[2]) under Node with an in-memory Cache Storage and a fetch
// that serves the files of argv[3] (JSON {url: {status, body, headers}}), and prints
// what it did as JSON: the install, fetch events of each kind (with the answer's
// COOP/COEP headers, "isolation", and its Content-Type), and activate.
// The service worker's code is the real one; only its surroundings are stand-ins.
import fs from "node:fs";
import vm from "node:vm";

const [script, served] = [fs.readFileSync(process.argv[2], "utf8"), JSON.parse(fs.readFileSync(process.argv[3], "utf8"))];
const SCOPE = "https://site.test/app/";

class MemoryCache {
  constructor() { this.entries = new Map(); }
  async match(key) {
    const hit = this.entries.get(typeof key === "string" ? key : key.url);
    return hit ? hit.clone() : undefined;
  }
  async put(key, response) {
    const bytes = await response.arrayBuffer();          // rejects if the body broke off
    this.entries.set(typeof key === "string" ? key : key.url,
      new Response(bytes, { status: response.status, headers: response.headers }));
  }
  async keys() { return [...this.entries.keys()].map((url) => ({ url })); }
}

const stores = new Map();
const caches = {
  async open(name) {
    if (!stores.has(name)) stores.set(name, new MemoryCache());
    return stores.get(name);
  },
  async keys() { return [...stores.keys()]; },
  async delete(name) { return stores.delete(name); },
  async match(key, { cacheName }) { return stores.has(cacheName) ? stores.get(cacheName).match(key) : undefined; },
};

const fetched = [];
async function fetch(request) {
  const url = typeof request === "string" ? request : request.url;
  fetched.push(url);
  const file = served[url];
  if (!file) throw new TypeError("Failed to fetch");
  const response = new Response(file.status === 204 ? null : file.body, { status: file.status, headers: file.headers || {} });
  Object.defineProperty(response, "type", { value: file.type || "basic" });
  return response;
}

const listeners = {};
const self = {
  location: { href: SCOPE + "sw.js" },
  addEventListener: (type, fn) => { listeners[type] = fn; },
  clients: { claim: async () => { self.claimed = true; } },
  skipWaiting: () => { self.skipped = true; },
};
vm.runInNewContext(script, { self, caches, fetch, crypto: globalThis.crypto, URL, Response, Request, Headers, console });

async function dispatch(type, fields = {}) {
  const pending = [];
  let responded = null;
  const event = { ...fields, waitUntil: (p) => pending.push(p), respondWith: (p) => { responded = p; } };
  listeners[type](event);
  let response = null;
  let error = null;
  try {
    response = responded ? await responded : null;
  } catch (e) {
    error = e.message;
  }
  const isolation = response ? [response.headers.get("Cross-Origin-Opener-Policy"),
    response.headers.get("Cross-Origin-Embedder-Policy")] : null;
  const contentType = response ? response.headers.get("Content-Type") : null;
  const body = response ? await response.text() : null;
  try {
    await Promise.all(pending);
  } catch (e) {
    error = error || e.message;
  }
  return { handled: responded !== null, body, error, isolation, contentType };
}

const cacheContents = async () => Object.fromEntries(await Promise.all([...stores.entries()].map(
  async ([name, cache]) => [name, (await cache.keys()).map((k) => k.url).sort()])));

async function get(url, init) {
  fetched.length = 0;
  const result = await dispatch("fetch", { request: new Request(url, init) });
  return { ...result, fetched: fetched.slice() };
}

const out = {};
out.install = await dispatch("install");
out.afterInstall = await cacheContents();
const urls = process.argv.slice(4);
out.fetches = {};
for (const url of urls) {
  const [method, target] = url.startsWith("POST ") ? ["POST", url.slice(5)] : ["GET", url];
  out.fetches[url] = await get(target, { method });
}
out.again = {};
for (const url of urls.filter((u) => !u.startsWith("POST "))) out.again[url] = await get(url);
stores.set("digit-lab /app/ site-old", new MemoryCache());
stores.set("digit-lab /other/ site-old", new MemoryCache());
stores.set("someone-else", new MemoryCache());
out.activate = await dispatch("activate");
out.claimed = Boolean(self.claimed);
out.afterActivate = await cacheContents();
await dispatch("message", { data: { type: "skipWaiting" } });
out.skipped = Boolean(self.skipped);
console.log(JSON.stringify(out));
