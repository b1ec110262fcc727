// Module-worker entry point for Pyodide 314 (the production runtime). Pyodide's core is
// served from our own origin; packages (NumPy) come from the pinned CDN via packageBaseUrl
// and are checked against the sha256 in our own pyodide-lock.json.
// ?role=notebook runs the notebook's worker core instead of the Draw/Train one.
const queued = [];
self.onmessage = (event) => queued.push(event);
const role = new URL(self.location.href).searchParams.get("role");
const core = role === "notebook" ? "../notebook/notebook-core.js" : "./worker-core.js";

import(core).then(({ startWorker }) => {
  startWorker(async (config) => {
    const { loadPyodide } = await import(config.indexURL + "pyodide.mjs");
    const options = { indexURL: config.indexURL };
    if (config.packageBaseUrl) options.packageBaseUrl = config.packageBaseUrl;
    const pyodide = await loadPyodide(options);
    const loadPackages = (names, messageCallback, errorCallback) =>
      pyodide.loadPackage(names, { messageCallback, errorCallback });
    return { pyodide, FS: pyodide.FS, loadPackages };
  });
  for (const event of queued.splice(0)) self.onmessage(event);
}).catch((e) => {
  self.postMessage({ type: "fatal", error: { name: "WorkerError", message: `The worker could not start: ${e.message}` } });
});
