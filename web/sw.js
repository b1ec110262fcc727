// Digit Lab's service worker: after the first visit the site works with no network.
// build.py writes dist/sw.js as this file preceded by `const BUILD = {...}`:
//   files       every other site file with its sha256 ("js/boot.js": "3f…")
//   onDemand    the files fetched only when needed (MNIST), cached on first use
//   version     a hash over the file list and this code: any changed file changes it
//   dataVersion the same over the on-demand files alone
//   cdn         the pinned Pyodide CDN prefix NumPy's wheel comes from (null for a
//               local runtime), cdnVersion a hash of it, cdnFiles the worker's packages
//               there ({file name: sha256}, from our lock file), fetched at install too
// A changed build changes this script's bytes, so the browser installs the new worker;
// it precaches the new files under new cache names and waits until the page asks it to
// take over ("A new version is ready — Reload", js/share/offline.js). Activation deletes the
// caches of older builds. Nothing from any other origin is ever cached, nor any error
// or partial response.
//
// Cross-origin isolation without server headers (GitHub Pages cannot send them): every
// answer this worker gives for the site's own files carries ISOLATION's headers, so a
// page loaded through it (from the first reload on) is crossOriginIsolated and the
// notebook can interrupt Python through shared memory (js/notebook/notebook-client.js).
// COEP is require-corp rather than credentialless: every engine with SharedArrayBuffer
// supports require-corp (Safari has no credentialless), and the one cross-origin request
// the site makes, NumPy's wheel from the pinned CDN, is a CORS fetch (Pyodide's fetch in
// the worker, mode "cors"; the CDN answers Access-Control-Allow-Origin: *), which
// require-corp lets through as it is. Answers from the CDN pass through untouched.
/* global BUILD */

const BASE = new URL("./", self.location.href);
const PREFIX = `digit-lab ${BASE.pathname} `;     // one site's caches, not its neighbours'
const SITE_CACHE = `${PREFIX}site-${BUILD.version}`;
const DATA_CACHE = `${PREFIX}data-${BUILD.dataVersion}`;
const CDN_CACHE = BUILD.cdn ? `${PREFIX}cdn-${BUILD.cdnVersion}` : null;
const CDN = BUILD.cdn ? new URL(BUILD.cdn) : null;
const SITE_FILES = new Set(Object.keys(BUILD.files));
const ON_DEMAND = new Set(BUILD.onDemand);
const PRECACHE = [...SITE_FILES].filter((path) => !ON_DEMAND.has(path));
const PARALLEL = 4;
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

// A whole, successful, readable response: no error status, no opaque response, no
// partial content.
function cacheable(response) {
  return response.status === 200 && (response.type === "basic" || response.type === "cors") &&
    !response.headers.has("Content-Range");
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Store a response under `url` in `cache` if its bytes have the `sha256` expected;
// return whether it was stored. For a site file, a mismatch means the server has
// another build's file (a deploy under way).
async function storeChecked(cache, url, response, sha256) {
  const bytes = await response.arrayBuffer();
  if (await sha256Hex(bytes) !== sha256) return false;
  await cache.put(url, new Response(bytes,
    { status: 200, statusText: response.statusText, headers: response.headers }));
  return true;
}

// Store a site file's response if it is this build's.
function storeSiteFile(cache, path, response) {
  return storeChecked(cache, new URL(path, BASE).href, response, BUILD.files[path]);
}

// Precache one file; fail (so this worker is not installed with a mixed set of files)
// on an error or another build's file.
async function precacheFile(cache, path) {
  const response = await fetch(new URL(path, BASE).href, { cache: "no-cache" });
  if (!cacheable(response)) throw new Error(`${path}: the server answered ${response.status}.`);
  if (!(await storeSiteFile(cache, path, response))) {
    throw new Error(`${path} is not the file of this build (another deploy under way?).`);
  }
}

async function precache() {
  const cache = await caches.open(SITE_CACHE);
  const queue = PRECACHE.slice();
  const fetchNext = async () => {
    while (queue.length) {
      const path = queue.shift();
      if (!(await cache.match(new URL(path, BASE).href))) await precacheFile(cache, path);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, fetchNext));
}

// The worker's packages from the pinned CDN, so that the next visit needs no network even
// though this visit's Python worker started before this service worker (and so fetched
// NumPy itself). Best effort: without the CDN the site itself still installs, and the
// packages are kept when the worker next fetches them.
async function precacheCdn() {
  const cache = await caches.open(CDN_CACHE);
  await Promise.all(Object.entries(BUILD.cdnFiles).map(async ([name, sha256]) => {
    const url = new URL(name, CDN).href;
    if (await cache.match(url)) return;
    try {
      const response = await fetch(url, { mode: "cors" });
      if (!cacheable(response) || !(await storeChecked(cache, url, response, sha256))) {
        throw new Error(`the CDN answered ${response.status}`);
      }
    } catch (e) {
      console.warn(`Digit Lab: ${name} is not kept for offline use yet (${e.message}).`);
    }
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(Promise.all([precache(), CDN ? precacheCdn() : null]));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SITE_CACHE, DATA_CACHE, CDN_CACHE]);
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && !keep.has(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page's Reload button (js/share/offline.js) lets a waiting worker take over.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skipWaiting") self.skipWaiting();
});

// ``response`` with ISOLATION's headers added (its body streamed, not copied). Opaque
// answers (a redirected navigation) cannot be rebuilt and pass as they are.
function isolated(response) {
  if (response.type === "opaque" || response.type === "opaqueredirect" || response.status < 200) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Precached files: from the cache (the network only if the entry went missing).
async function fromSite(path, request) {
  const hit = await caches.match(new URL(path, BASE).href, { cacheName: SITE_CACHE });
  return hit || fetch(request);
}

// On-demand site files (MNIST) and the pinned CDN's packages: the cache, or the network
// while a copy is kept (the page reads its download as it arrives, for its progress bar).
// A site file is kept only if it is whole and this build's; a CDN package only if the
// response is whole (Pyodide checks it against our lock file's sha256).
async function cacheOnFirstUse(cacheName, key, request, event, keep) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  if (cacheable(response)) event.waitUntil(keep(cache, response.clone()).catch(() => {}));
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("Range")) return;
  const url = new URL(request.url);
  if (url.origin === BASE.origin && url.pathname.startsWith(BASE.pathname)) {
    let path = url.pathname.slice(BASE.pathname.length);
    if (path === "" || path.endsWith("/")) path += "index.html";
    if (ON_DEMAND.has(path)) {
      event.respondWith(cacheOnFirstUse(DATA_CACHE, new URL(path, BASE).href, request, event,
        (cache, response) => storeSiteFile(cache, path, response)).then(isolated));
    } else if (SITE_FILES.has(path)) {
      event.respondWith(fromSite(path, request).then(isolated));
    }
  } else if (CDN && url.origin === CDN.origin && url.pathname.startsWith(CDN.pathname)) {
    event.respondWith(cacheOnFirstUse(CDN_CACHE, request.url, request, event,
      (cache, response) => cache.put(request.url, response)));
  }
});
