// Test-only (never shipped): a module worker that boots the site's own Pyodide core
// (no packages, so no network beyond our origin), writes the site's files it is asked
// for into /tmp, and runs Python snippets one after another, reporting each outcome.
// Message in: {files: {"/tmp/name": "site-relative URL"}, steps: ["python code", ...]}.
// Message out: {version, results: [{ok: true, value} | {ok: false, error}]}.
const site = new URL("../", import.meta.url);

self.onmessage = async ({ data }) => {
  try {
    const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", site).href);
    const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", site).href });
    for (const [path, url] of Object.entries(data.files || {})) {
      const response = await fetch(new URL(url, site));
      pyodide.FS.writeFile(path, new Uint8Array(await response.arrayBuffer()));
    }
    const results = [];
    for (const code of data.steps) {
      try {
        results.push({ ok: true, value: String(pyodide.runPython(code)) });
      } catch (e) {
        results.push({ ok: false, error: `${e.name}: ${e.message}` });
      }
    }
    self.postMessage({ version: pyodide.version, results });
  } catch (e) {
    self.postMessage({ bootError: `${e.name}: ${e.message}` });
  }
};
