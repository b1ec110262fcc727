"""The benchmarks' shared set-up: the test site (Pyodide 0.17, NumPy 1.17 without BLAS) built
into .cache/site-bench with the benchmark pages and worker of bench/browser/ beside the app,
TF.js and its wasm backend when asked, and the MNIST files the benchmark worker is given."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

BENCH = ROOT / "bench"
TEST_RUNTIME = ROOT / "tests" / "test-runtime" / "node_modules" / "@pyodide" / "pyodide" / "dist"
TFJS_FILES = {"@tensorflow/tfjs/dist/tf.min.js": "tf.min.js",
              "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js": "tf-backend-wasm.min.js"}
for flavour in ("", "-simd", "-threaded-simd"):
    TFJS_FILES["@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm{}.wasm".format(flavour)] = \
        "tfjs-backend-wasm{}.wasm".format(flavour)


def build_bench_site(pages, tfjs=False):
    """Build the test site with ``pages`` (file names in bench/browser/) and the
    benchmark worker copied in, and TF.js with ``tfjs``; return ``(out, config)``."""
    out = ROOT / ".cache" / "site-bench"
    config = build.build(out, pyodide_dist=TEST_RUNTIME)
    for name in list(pages) + ["bench-worker.js", "bench-common.js"]:
        shutil.copy(str(BENCH / "browser" / name), str(out / name))
    if tfjs:
        (out / "tfjs").mkdir(exist_ok=True)
        for source, name in TFJS_FILES.items():
            shutil.copy(str(BENCH / "node_modules" / source), str(out / "tfjs" / name))
    return out, config


def worker_files(config, test=True):
    """Return the files the benchmark worker writes into Pyodide's file system (its path ->
    the site's URL): the pycore wheel, the pretrained models and the MNIST training (and
    ``test``) files."""
    data = config["data"]
    files = {"/tmp/pycore.whl": config["wheel"], "/tmp/train-images.gz": data["trainImages"],
             "/tmp/train-labels.gz": data["trainLabels"], "/tmp/pretrained.json": config["model"],
             "/tmp/pretrained-conv.json": config["convModel"]}
    if test:
        files.update({"/tmp/test-images.gz": data["testImages"],
                      "/tmp/test-labels.gz": data["testLabels"]})
    return files


def run_in_bench_page(page_name, work, tfjs=False, test=True):
    """Build the bench site with ``page_name`` (and TF.js with ``tfjs``), open it in headless
    Chromium and return ``work(page, python, config)``: ``python(code)`` runs Python source in
    the page's benchmark worker (given ``worker_files(config, test)``) and returns the JSON
    it leaves in ``result``."""
    from playwright.sync_api import sync_playwright
    out, config = build_bench_site([page_name], tfjs=tfjs)
    server, base = build.serve_in_background(out)
    files = worker_files(config, test)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=build.find_chromium(), args=build.CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base + page_name)
            page.wait_for_function("() => window.bench", timeout=30000)
            result = work(page, lambda code: page.evaluate(
                "([f, c]) => window.bench.python(f, c)", [files, code]), config)
            browser.close()
    finally:
        server.shutdown()
    return result
