// Benchmark worker (not part of the site): boots the same local Pyodide distribution as the
// app's classic worker, installs the same pycore wheel, and runs Python benchmark code sent
// by bench.html, replying with the JSON it prints into `result`.
/* global importScripts, loadPyodide */
let pyodide = null;

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "boot") {
      importScripts(data.indexURL + "pyodide.js");
      pyodide = await loadPyodide({ indexURL: data.indexURL });
      await pyodide.loadPackage(["numpy"]);
      const FS = pyodide.FS || pyodide._module.FS;
      for (const [path, url] of Object.entries(data.files)) {
        FS.writeFile(path, new Uint8Array(await (await fetch(url)).arrayBuffer()));
      }
      pyodide.runPython(`
import sys, zipfile
site = [p for p in sys.path if p.endswith("site-packages")][0]
zipfile.ZipFile("/tmp/pycore.whl").extractall(site)
import importlib; importlib.invalidate_caches()
`);
      self.postMessage({ ok: true });
    } else {
      pyodide.runPython(data.code);
      self.postMessage({ ok: true, result: JSON.parse(pyodide.globals.get("result")) });
    }
  } catch (e) {
    self.postMessage({ ok: false, message: e.message });
  }
};
