"""The JSON guard in the real production runtime (Pyodide 314 core, offline: no NumPy
needed). A 3,000-deep, 6 KB text kills Python 3.14's json.loads in WebAssembly; the guard
refuses it with a sentence and Python stays alive."""

import json
from pathlib import Path

import pytest

from harness import CACHE, PageWatch

pytestmark = pytest.mark.browser
PAGES = Path(__file__).resolve().parent / "pages"
DEEP = '"[" * 3000 + "]" * 3000'

INSTALL = """
import importlib, json, sys, zipfile
_site = [p for p in sys.path if p.endswith("site-packages")][0]
zipfile.ZipFile("/tmp/pycore.whl").extractall(_site)
importlib.invalidate_caches()
from pycore.json_guard import check_json_text
json.dumps([sys.version.split()[0], "numpy" in sys.modules])
"""

GUARD_DEEP = """
try:
    check_json_text({deep}, what="The model file")
    _answer = "accepted"
except ValueError as e:
    _answer = str(e)
_answer
""".format(deep=DEEP)

GUARD_MODEL_THEN_PARSE = """
_text = open("/tmp/pretrained.json").read()
check_json_text(_text, what="The model file")
json.dumps([len(_text), json.loads(_text)["sizes"], "numpy" in sys.modules])
"""


def run_python(browser, site, files, steps):
    """Boot the site's Pyodide in a fresh module worker, run ``steps``; return the report."""
    watch = PageWatch(browser, site)
    worker_url = site + "__tests__/python-worker.mjs"
    watch.context.route(worker_url, lambda route: route.fulfill(
        path=str(PAGES / "python-worker.mjs"), content_type="text/javascript"))
    watch.context.route(site + "__tests__/blank.html", lambda route: route.fulfill(
        body="<!doctype html><title>Python worker</title>", content_type="text/html"))
    try:
        page = watch.open("__tests__/blank.html")
        return page.evaluate("""([url, message]) => new Promise((resolve) => {
            const worker = new Worker(url, { type: "module" });
            worker.onmessage = (event) => { resolve(event.data); worker.terminate(); };
            worker.onerror = (event) => resolve({ bootError: event.message || "worker error" });
            worker.postMessage(message);
        })""", [worker_url, {"files": files, "steps": steps}])
    finally:
        watch.close()


def test_guard_refuses_deep_json_and_python_314_stays_alive(browser, production_site):
    runtime = json.loads((CACHE / "site-production" / "runtime.json").read_text())
    report = run_python(browser, production_site,
                        {"/tmp/pycore.whl": runtime["wheel"], "/tmp/pretrained.json": runtime["model"]},
                        [INSTALL, GUARD_DEEP, GUARD_MODEL_THEN_PARSE, "1 + 1"])
    assert "bootError" not in report, report
    assert report["version"].startswith("314."), report
    install, deep, model, alive = report["results"]
    assert install["ok"], install
    python, numpy_loaded = json.loads(install["value"])
    assert python.startswith("3.14.") and numpy_loaded is False, install
    assert deep == {"ok": True, "value": "The model file is nested 3,000 levels deep; "
                                         "at most 32 are allowed."}, deep
    assert model["ok"], model
    length, sizes, numpy_loaded = json.loads(model["value"])
    assert length > 500000 and sizes == [784, 100, 10] and numpy_loaded is False
    assert alive == {"ok": True, "value": "2"}, alive


def test_unguarded_json_loads_of_the_same_text_kills_python_314(browser, production_site):
    report = run_python(browser, production_site, {},
                        ["import json\njson.loads({})".format(DEEP), "1 + 1"])
    assert "bootError" not in report, report
    crash, after = report["results"]
    assert not crash["ok"] and "Maximum call stack size exceeded" in crash["error"], crash
    assert not after["ok"] and "fatally failed" in after["error"], after
