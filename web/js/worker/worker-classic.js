// Classic-worker entry point for a local, complete Pyodide distribution (the offline test
// runtime, Pyodide 0.17: loaded with importScripts, packages as .js/.data pairs). The
// message handling is the same ES module the production worker uses.
// ?role=notebook runs the notebook's worker core instead of the Draw/Train one.
/* global importScripts, loadPyodide */
const queued = [];
self.onmessage = (event) => queued.push(event);

const role = new URL(self.location.href).searchParams.get("role");
import(role === "notebook" ? "../notebook/notebook-core.js" : "./worker-core.js").then(({ startWorker }) => {
  startWorker(async (config) => {
    importScripts(config.indexURL + "pyodide.js");
    const pyodide = await loadPyodide({ indexURL: config.indexURL });
    const loadPackages = (names, onMessage, onError) => pyodide.loadPackage(names, onMessage, onError);
    return { pyodide, FS: pyodide.FS || pyodide._module.FS, loadPackages };
  });
  for (const event of queued.splice(0)) self.onmessage(event);
}).catch((e) => {
  self.postMessage({ type: "fatal", error: { name: "WorkerError", message: `The worker could not start: ${e.message}` } });
});
