#!/usr/bin/env python3
"""Benchmark in-browser training in headless Chromium with the offline test runtime
(Pyodide 0.17, NumPy 1.17 without BLAS). Everything is measured in this one run:

1. One epoch of [784, 30, 10] on the same 10,000 MNIST samples, m = 10, in one Pyodide
   worker (bench/browser/epoch_bench.py): the app's lean step (pycore.fast, as the Trainer
   runs it), the previous update_batch path, the seed's per-sample algorithm and the
   matmul bound (the five products of each mini-batch alone). Each first runs one full
   epoch untimed (warm-up), then ROUNDS epochs timed in chunks of CHUNK mini-batches,
   interleaved (lean / bound first, then lean / previous / seed with the seed's data in
   memory); medians and min-max over the rounds, ratios taken round by round. The same
   lean step on tanh and ReLU hidden layers is timed beside it, and with `--baseline COMMIT`
   the lean step of pycore at another commit too (git's copy of that commit's pycore/,
   unpacked in the worker as the package pycore_base): app / baseline, round by round.
2. TF.js 4.22 with the wasm backend (bench-only: bench/package.json, installed here with
   `npm ci` when missing, never by the tests, never shipped): model.fit on the same 10,000
   samples, same layers, sigmoid, SGD, m = 10, one warm-up epoch, then ROUNDS timed epochs,
   each followed by one more lean-step epoch in the benchmark worker (app / TF.js epoch by
   epoch: the two alternate, so machine noise hits both alike).
   Keras' mean squared error is mean over the batch of mean over the 10 outputs of
   (a - y)^2 = (1/m) sum_x (2/10) * 0.5||a - y||^2, so SGD with learning rate lr steps by
   (lr/5)/m * sum_x grad(0.5||a - y||^2): lr = 5 * eta gives our step (eta/m) * sum_x grad.
3. The whole page: open the app, Epochs = 1 with the other defaults (50,000 samples), click
   Train, until the "Epoch 0:" line, split into download, parse, training and evaluation,
   for [784, 30, 10] and [784, 100, 10]; then the worker's wasm heap. The split comes from
   the worker's own messages ("progress" phase "data", the first "train" progress event and
   its `elapsed`, the "epoch" event and its `seconds`), recorded by wrapping the worker's
   postMessage from outside (Playwright), with no hook in the app.

    .venv/bin/python bench/bench_browser.py [--baseline 1989d68] [--no-tfjs] [--no-page]
                                                 (after python3 tests/run.py installed things)
"""

import argparse
import json
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

from bench_site import BENCH, TEST_RUNTIME, build_bench_site  # noqa: E402,F401

SAMPLES, HIDDEN, M, ETA = 10000, 30, 10, 3.0
ROUNDS, CHUNK = 5, 100
PAGE_TIMEOUT_MS = 900_000

# Record every message the app's worker posts (time, type, phase, label, text, seconds).
RECORD_WORKER_MESSAGES = """() => {
  const events = self.__benchEvents = [];
  const post = self.postMessage.bind(self);
  self.postMessage = (message, ...rest) => {
    if (message && message.type) {
      events.push({ t: Date.now(), type: message.type, phase: message.phase, label: message.label,
                    text: message.text, seconds: message.seconds, epoch: message.epoch,
                    elapsed: message.elapsed });
    }
    return post(message, ...rest);
  };
}"""


def ensure_bench_packages():
    """Run ``npm ci`` in bench/ unless its lock file's packages are installed."""
    installed = BENCH / "node_modules" / ".package-lock.json"
    lock = BENCH / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    print("+ npm ci (in bench/: TF.js for the comparison)", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=str(BENCH), check=True)


def spread(values, digits=2):
    """Return "median (min-max)" of ``values``."""
    return "{0:.{3}f} ({1:.{3}f}-{2:.{3}f})".format(statistics.median(values), min(values),
                                                   max(values), digits)


def epoch_bench(page, files, rounds, baseline=None):
    code = "PARAMS = {}\n".format(json.dumps({"samples": SAMPLES, "hidden": HIDDEN, "batch": M,
                                               "eta": ETA, "rounds": rounds, "chunk": CHUNK,
                                               "baseline": baseline}))
    code += (BENCH / "browser" / "epoch_bench.py").read_text()
    return page.evaluate("([f, c]) => window.bench.python(f, c)", [files, code])


# One more epoch of the lean step in the benchmark worker (epoch_bench.py's globals).
LEAN_EPOCH = """
t = time.perf_counter()
run_lean(starts)
result = json.dumps(time.perf_counter() - t)
"""


def tfjs_bench(page, files, data, rounds):
    """Time TF.js epochs alternating with lean-step epochs; return both lists."""
    try:
        info = page.evaluate("(p) => window.bench.tfjs(p)", {
            "imagesURL": data["trainImages"], "labelsURL": data["trainLabels"], "samples": SAMPLES,
            "hidden": HIDDEN, "batch": M, "learningRate": 5 * ETA})
    except Exception as e:  # reported, not fatal: the rest of the benchmark stands
        return {"error": str(e).splitlines()[0]}
    info["epochs"], info["lean"] = [], []
    for _ in range(rounds):
        info["epochs"].append(page.evaluate("() => window.bench.tfjsEpoch()"))
        info["lean"].append(page.evaluate("([f, c]) => window.bench.python(f, c)", [files, LEAN_EPOCH]))
    return info


def full_page(browser, base, hidden, expand=False):
    """Train one epoch from the app's page (of the expanded data if ``expand``: 250,000
    images); return the phase times and the wasm heap."""
    from playwright.sync_api import expect
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  service_workers="block")   # measure the app, not its cache
    page = context.new_page()
    page.goto(base + ("#expand=on" if expand else ""))
    expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=180_000)
    worker = page.workers[0]
    worker.evaluate(RECORD_WORKER_MESSAGES)
    page.get_by_label("Epochs", exact=True).fill("1")
    page.get_by_label("Hidden layers", exact=True).fill(str(hidden))
    start = page.evaluate("Date.now()")
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=PAGE_TIMEOUT_MS)
    end = page.evaluate("Date.now()")
    events = worker.evaluate("self.__benchEvents")
    heap = worker.evaluate("self.pyodide ? pyodide._module.HEAP8.length : null")
    line = [x for x in log.inner_text().splitlines() if x.startswith("Epoch 0:")][0]
    context.close()
    data = [e for e in events if e["type"] == "progress" and e["phase"] == "data"]
    download_start = data[0]["t"]
    parse_start = [e for e in data if e["label"] == "Preparing MNIST"][0]["t"]
    # training starts where the first "train" progress event's elapsed time began
    first = [e for e in events if e["type"] == "progress" and e["phase"] == "train"][0]
    run_start = first["t"] - 1000 * first["elapsed"]
    epoch = [e for e in events if e["type"] == "epoch"][0]
    return {"hidden": hidden, "expand": expand, "total": (end - start) / 1000, "before": (download_start - start) / 1000,
            "download": (parse_start - download_start) / 1000, "parse": (run_start - parse_start) / 1000,
            "training": epoch["seconds"], "rest": (epoch["t"] - run_start) / 1000 - epoch["seconds"],
            "shown": (end - epoch["t"]) / 1000, "heap": heap, "line": line}


def main():
    from playwright.sync_api import sync_playwright
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed epochs per way")
    parser.add_argument("--no-tfjs", action="store_true", help="skip the TF.js comparison")
    parser.add_argument("--no-page", action="store_true", help="skip the whole-page runs")
    parser.add_argument("--baseline", metavar="COMMIT",
                        help="also time the lean step of pycore at this git commit, interleaved")
    args = parser.parse_args()
    ensure_bench_packages()
    out, config = build_bench_site(["bench.html"], tfjs=True)
    if args.baseline:
        write_baseline(args.baseline, out / "pycore_base.zip")
    server, base = build.serve_in_background(out)
    data = config["data"]
    files = {"/tmp/pycore.whl": config["wheel"], "/tmp/train-images.gz": data["trainImages"],
             "/tmp/train-labels.gz": data["trainLabels"], "/tmp/test-images.gz": data["testImages"],
             "/tmp/test-labels.gz": data["testLabels"]}
    if args.baseline:
        files["/tmp/pycore_base.zip"] = "pycore_base.zip"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=build.find_chromium(), args=build.CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "bench.html")
        page.wait_for_function("() => window.bench", timeout=30000)
        py = epoch_bench(page, files, args.rounds, args.baseline)
        py["baseline"] = args.baseline
        tfjs = {"error": "skipped (--no-tfjs)"} if args.no_tfjs else tfjs_bench(page, files, data, args.rounds)
        page.close()
        pages = [] if args.no_page else [full_page(browser, base, hidden) for hidden in (30, 100)] + [
            full_page(browser, base, 30, expand=True)]
        browser.close()
    server.shutdown()
    report(py, tfjs, pages)


def write_baseline(commit, path):
    """Write pycore as of git ``commit`` into the zip ``path`` as the package pycore_base
    (its imports are relative, so it runs beside today's pycore)."""
    listing = subprocess.run(["git", "ls-tree", "-r", "--name-only", commit, "pycore/"],
                             cwd=str(ROOT), check=True, capture_output=True, text=True).stdout.split()
    with zipfile.ZipFile(str(path), "w") as z:
        for name in listing:
            data = subprocess.run(["git", "show", "{}:{}".format(commit, name)], cwd=str(ROOT),
                                  check=True, capture_output=True).stdout
            z.writestr("pycore_base/" + name[len("pycore/"):], data)


def report(py, tfjs, pages):
    t = py["times"]
    print("In-browser training, one epoch of {} samples, [784, {}, 10], m={}, eta={}, float64, "
          "NumPy {} (Pyodide test runtime, headless Chromium)".format(SAMPLES, HIDDEN, M, ETA, py["numpy"]))
    print("Seconds per epoch, median (min-max) of {} rounds, after a full warm-up epoch, timed in "
          "chunks of {} mini-batches, interleaved:".format(len(t["lean"]), CHUNK))
    print("  app lean step (pycore.fast)           {}".format(spread(t["lean"], 3)))
    if "base" in t:
        print("  the lean step at {:<20} {}".format(py.get("baseline") or "the baseline", spread(t["base"], 3)))
    print("  app lean step, tanh hidden layer      {}".format(spread(t["tanh"], 3)))
    print("  app lean step, ReLU hidden layer      {}".format(spread(t["relu"], 3)))
    print("  matmul bound: five products alone     {}   (np.matmul {}, np.dot {})".format(
        spread(t["bound"], 3), spread(t["matmul"], 3), spread(t["dot"], 3)))
    print("  the lean step's five products, dense  {}   (its layouts and einsum, all 785 inputs; the "
          "step itself multiplies only the pixels not 0 in the whole mini-batch)".format(
        spread(t["products"], 3)))
    print(" then with the seed's 10,000 (x, y) pairs in memory:")
    print("  app lean step (pycore.fast)           {}".format(spread(t["lean2"], 3)))
    print("  previous update_batch path            {}".format(spread(t["batch"], 3)))
    print("  seed per-sample algorithm             {}".format(spread(t["seed"], 3)))
    print("  test evaluation, 10,000 images        {}   (uint8 chunks of {:,})".format(
        spread(py["evaluation"], 3), py["eval_chunk"]))
    if "error" in tfjs:
        print("  TF.js wasm model.fit                  not measured: {}".format(tfjs["error"]))
    else:
        tf_times = [e["seconds"] for e in tfjs["epochs"]]
        print("  TF.js {} {} model.fit, float32      {}   (warm-up {:.2f} s; SIMD {}, threads {}; "
              "accuracy on its training data {:.3f})".format(
                  tfjs["version"], tfjs["backend"], spread(tf_times, 3), tfjs["warmup"]["seconds"],
                  tfjs["simd"], tfjs["threads"], tfjs["epochs"][-1]["accuracy"]))
        print("  app lean step, epochs alternating     {}   (with the TF.js epochs)".format(
            spread(tfjs["lean"], 3)))
    ratio = lambda a, b: [x / y for x, y in zip(a, b)]  # noqa: E731
    print("Ratios (round by round; median (min-max)):")
    print("  seed / app                            {}x   (target >= 5x)".format(
        spread(ratio(t["seed"], t["lean2"]))))
    print("  app / matmul bound                    {}x   (target <= 1.3x)".format(
        spread(ratio(t["lean"], t["bound"]))))
    if "base" in t:
        print("  app / baseline's lean step            {}x   (target <= 1.0x: no slower)".format(
            spread(ratio(t["lean"], t["base"]), 3)))
    print("  tanh / sigmoid, ReLU / sigmoid        {}x, {}x".format(
        spread(ratio(t["tanh"], t["lean"])), spread(ratio(t["relu"], t["lean"]))))
    print("  app / its products at 785 inputs      {}x".format(spread(ratio(t["lean"], t["products"]))))
    print("  previous path / app                   {}x".format(spread(ratio(t["batch"], t["lean2"]))))
    if "error" not in tfjs:
        print("  app / TF.js-wasm                      {}x   (epoch by epoch, alternating)".format(
            spread(ratio(tfjs["lean"], tf_times))))
    print("The whole page: Epochs = 1, 50,000 samples, click Train until the \"Epoch 0:\" line (s):")
    for r in pages:
        print("  [784, {}, 10]{}: {:.1f} s = start {:.2f} + download {:.2f} + parse {:.2f} + training {:.2f} "
              "+ evaluation and chunking {:.2f} + display {:.2f}   ({})".format(
                  r["hidden"], ", expanded data (250,000 images)" if r["expand"] else "", r["total"], r["before"], r["download"], r["parse"], r["training"],
                  r["rest"], r["shown"], r["line"]))
    heap = pages[0]["heap"] if pages else None
    print("Wasm heap of the app's worker after that 50,000-image epoch of [784, 30, 10]: {}"
          "   (target <= 100 MB)".format("{:.1f} MB ({:.1f} MiB)".format(heap / 1e6, heap / 2**20)
                                         if heap else "not measured"))
    for r in pages:
        if r["expand"] and r["heap"]:
            print("Wasm heap after one expanded epoch (250,000 images made per mini-batch): {:.1f} MB "
                  "({:.1f} MiB)".format(r["heap"] / 1e6, r["heap"] / 2**20))
    print(json.dumps({"python": py, "tfjs": tfjs, "pages": pages}))


if __name__ == "__main__":
    main()
