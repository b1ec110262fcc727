"""The lean training step in the browser's own runtime (Pyodide 0.17, NumPy 1.17 without
BLAS): tests/lean_equivalence.py runs in a Pyodide worker started from the built site,
with the site's pycore wheel, and must find the lean step equal to the per-sample
reference within 1e-9 for every activation, cost, L2 and init setting, with the
einsum kernel that a NumPy without BLAS gets (and a softmax output layer with the
log-likelihood cost, momentum, L1 and dropout)."""

import json
from pathlib import Path

import pytest

from harness import BOOT_TIMEOUT_MS, PageWatch

pytestmark = pytest.mark.browser
CHECK = Path(__file__).resolve().parents[1] / "lean_equivalence.py"
CONV_CHECK = Path(__file__).resolve().parents[1] / "conv_equivalence.py"

# A worker that boots the site's Pyodide, installs the site's wheel, imports the check
# module from the source it is sent, and replies with check()'s JSON.
RUN_CHECK = """async ([check, wheel, convCheck]) => {
  const base = new URL(".", location.href).href;
  const source = `
self.onmessage = async ({ data }) => {
  try {
    importScripts(data.base + "pyodide/pyodide.js");
    const pyodide = await loadPyodide({ indexURL: data.base + "pyodide/" });
    await pyodide.loadPackage(["numpy"]);
    const FS = pyodide.FS || pyodide._module.FS;
    FS.writeFile("/tmp/pycore.whl", new Uint8Array(await (await fetch(data.base + data.wheel)).arrayBuffer()));
    FS.writeFile("/tmp/lean_equivalence.py", data.check);
    FS.writeFile("/tmp/conv_equivalence.py", data.convCheck);
    pyodide.runPython([
      "import json, sys, zipfile",
      "site = [p for p in sys.path if p.endswith('site-packages')][0]",
      "zipfile.ZipFile('/tmp/pycore.whl').extractall(site)",
      // Without this, site-packages' cached listing can miss pycore when the wheel is
      // unpacked within the same second as NumPy's load (the directory's mtime is unchanged).
      "import importlib; importlib.invalidate_caches()",
      "sys.path.insert(0, '/tmp')",
      "import numpy, lean_equivalence, conv_equivalence as conv",
      "from pycore.fast import default_kernel",
      "result = json.dumps({'numpy': numpy.__version__, 'kernel': default_kernel(), 'results': lean_equivalence.check(), 'activations': lean_equivalence.check_activations(), 'softmax': lean_equivalence.check_softmax(), 'optimizers': lean_equivalence.check_optimizers(), 'dropout': lean_equivalence.check_dropout(), 'conv': {'reference': conv.check_reference(), 'fd': conv.check_finite_differences(), 'training': conv.check_training(), 'ties': conv.check_ties(), 'layers': conv.check_layers()}})",
    ].join("\\\\n"));
    self.postMessage({ ok: true, result: pyodide.globals.get("result") });
  } catch (e) {
    self.postMessage({ ok: false, message: String(e.message || e) });
  }
};`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
  return new Promise((resolve) => {
    worker.onmessage = ({ data }) => { worker.terminate(); resolve(data); };
    worker.onerror = (e) => { worker.terminate(); resolve({ ok: false, message: e.message }); };
    worker.postMessage({ base, wheel, check, convCheck });
  });
}"""


def test_lean_step_equals_per_sample_reference_in_the_browser_runtime(browser, test_site):
    watch = PageWatch(browser, test_site)
    try:
        page = watch.page
        page.set_default_timeout(BOOT_TIMEOUT_MS)
        page.goto(test_site + "runtime.json")
        wheel = json.loads(page.locator("body").inner_text())["wheel"]
        reply = page.evaluate(RUN_CHECK, [CHECK.read_text(), wheel, CONV_CHECK.read_text()])
        assert reply["ok"], reply.get("message")
        data = json.loads(reply["result"])
        assert data["numpy"].startswith("1.17"), data["numpy"]
        assert data["kernel"] == "einsum"          # no BLAS in Pyodide 0.17's NumPy
        results = data["results"]
        assert len(results) == 16
        assert len(data["activations"]) == 32 and len(data["softmax"]) == 24
        assert len(data["optimizers"]) == 16 and len(data["dropout"]) == 8
        for r in results + data["activations"] + data["softmax"] + data["optimizers"] + data["dropout"]:
            assert r["steps"] == 10, r
            assert r["param"] <= 1e-9, r
            assert r["cost_diff"] <= 1e-9, r
        # conv layers (tests/conv_equivalence.py): their products are einsums here
        conv = data["conv"]
        assert len(conv["reference"]) == 6 and len(conv["layers"]) == 9 and len(conv["ties"]) == 3
        for r in conv["reference"] + conv["ties"] + conv["layers"]:
            assert r["grad"] <= 1e-9, r
        assert len(conv["fd"]) == 24 and all(r["diff"] <= 1e-6 for r in conv["fd"]), conv["fd"]
        assert all(r["diff"] <= 1e-9 for r in conv["training"]), conv["training"]
    finally:
        watch.close()
