// Helpers shared by the benchmark pages (bench.html, conv-bench.html): not part of the site.

/** Load a classic script; resolve once it ran. */
export function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} did not load.`));
    document.head.append(script);
  });
}

/** Return the bytes of a gzipped IDX file. */
export async function idx(url) {
  const stream = (await fetch(url)).body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Boot the benchmark worker (bench-worker.js: the site's Pyodide with the pycore wheel and
 *  ``files`` written into its file system); resolve with run(code), which runs Python there
 *  and resolves with the JSON it leaves in ``result``. */
export function benchWorker(files) {
  const worker = new Worker("./bench-worker.js");
  const ask = (message) => new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => (data.ok ? resolve(data.result) : reject(new Error(data.message)));
    worker.postMessage(message);
  });
  return ask({ type: "boot", indexURL: new URL("pyodide/", location.href).href, files })
    .then(() => (code) => ask({ type: "run", code }));
}
