// Module-worker entry point for Pyodide 314 (the production runtime). Pyodide's core is
// served from our own origin; packages (NumPy) come from the pinned CDN via packageBaseUrl
// and are checked against the sha256 in our own pyodide-lock.json.
import { startWorker } from "./worker-core.js";

startWorker(async (config) => {
  const { loadPyodide } = await import(config.indexURL + "pyodide.mjs");
  const options = { indexURL: config.indexURL };
  if (config.packageBaseUrl) options.packageBaseUrl = config.packageBaseUrl;
  const pyodide = await loadPyodide(options);
  const loadPackages = (names, messageCallback, errorCallback) =>
    pyodide.loadPackage(names, { messageCallback, errorCallback });
  return { pyodide, FS: pyodide.FS, loadPackages };
});
