#!/usr/bin/env python3
"""Benchmark in-browser training in headless Chromium with the offline test runtime.

One epoch on the same 10,000 MNIST samples ([784, 30, 10], m=10, eta=3.0):
  1. through the app's real worker (the Trainer's own time for the second epoch, from the
     "epoch" events: the first epoch also pays for V8 tiering up Pyodide's WebAssembly);
  2. the seed's per-sample algorithm (pycore.reference) in the same runtime;
  3. a NumPy matmul probe in the same runtime: the time of just the matrix products one
     epoch needs at the training shapes, and the epoch's FLOPs at a large GEMM's GFLOP/s.
Prints the times and the ratios, all measured in this one run.

    .venv/bin/python bench/bench_browser.py      (after python3 tests/run.py installed things)
"""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

TEST_RUNTIME = ROOT / "tests" / "test-runtime" / "node_modules" / "@pyodide" / "pyodide" / "dist"

SAMPLES, HIDDEN, M, ETA = 10000, 30, 10, 3.0
SETTINGS = {"hidden": [HIDDEN], "epochs": 2, "batch": M, "eta": ETA, "samples": SAMPLES,
            "cost": "quadratic", "lmbda": 0, "init": "large", "seed": 1}

PYTHON = r"""
import json, time
import numpy as np
from pycore import mnist
from pycore.network import Network
from pycore.reference import seed_update_mini_batch

N, H, M, ETA = {N}, {H}, {M}, {ETA}
images = mnist.read_idx("/tmp/train-images.gz")[:N]
labels = mnist.read_idx("/tmp/train-labels.gz")[:N]
order = np.random.RandomState(1).permutation(N)

# Warm up (V8 tiers WebAssembly up while it runs), as the app's first epoch does.
warm = Network([784, H, 10], seed=2)
Xw, Yw = mnist.as_inputs(images[:3000]), mnist.one_hot(labels[:3000])
for k in range(0, 3000, M):
    warm.update_batch(Xw[:, k:k + M], Yw[:, k:k + M], ETA)

# 1. The seed's per-sample algorithm, one epoch, same samples and order.
training = mnist.as_seed_lists(images, labels)
net = Network([784, H, 10], seed=1)
t = time.perf_counter()
for k in range(0, N, M):
    seed_update_mini_batch(net, [training[i] for i in order[k:k + M]], ETA)
seed_seconds = time.perf_counter() - t

# 2. pycore's fast path driven directly (no worker protocol), same epoch.
net = Network([784, H, 10], seed=1)
X, Y = mnist.as_inputs(images), mnist.one_hot(labels)
t = time.perf_counter()
for k in range(0, N, M):
    idx = order[k:k + M]
    net.update_batch(X[:, idx], Y[:, idx], ETA)
fast_seconds = time.perf_counter() - t

# 3. Matmul probe at the training shapes: the products of one mini-batch's forward and
#    backward pass, repeated for an epoch's worth of batches, with np.dot and with
#    np.matmul; the faster is the lower bound.
rng = np.random.RandomState(0)
W1, W2 = rng.randn(H, 784), rng.randn(10, H)
x, a1, d2, d1 = rng.rand(784, M), rng.rand(H, M), rng.rand(10, M), rng.rand(H, M)
batches = N // M
probe = {{}}
for name, mm in (("dot", np.dot), ("matmul", np.matmul)):
    t = time.perf_counter()
    for _ in range(batches):
        mm(W1, x); mm(W2, a1)                           # forward
        mm(W2.T, d2); mm(d2, a1.T); mm(d1, x.T)         # backward
    probe[name] = time.perf_counter() - t
matmul_seconds = min(probe.values())
flops = batches * 2 * M * (784 * H + H * 10 + 10 * H + 10 * H + H * 784)

A, B = rng.rand(512, 512), rng.rand(512, 512)
np.dot(A, B)
t = time.perf_counter()
for _ in range(5):
    np.dot(A, B)
gemm_gflops = 5 * 2 * 512 ** 3 / (time.perf_counter() - t) / 1e9

result = json.dumps({{"seed_seconds": seed_seconds, "fast_seconds": fast_seconds, "probe": probe,
                     "matmul_seconds": matmul_seconds, "flops": flops, "gemm_gflops": gemm_gflops,
                     "numpy": np.__version__}})
""".format(N=SAMPLES, H=HIDDEN, M=M, ETA=ETA)


def main():
    from playwright.sync_api import sync_playwright
    out = ROOT / ".cache" / "site-bench"
    config = build.build(out, pyodide_dist=TEST_RUNTIME)
    for name in ("bench.html", "bench-worker.js"):
        shutil.copy(str(ROOT / "bench" / "browser" / name), str(out / name))
    server, base = build.serve_in_background(out)
    url = base + "bench.html"
    files = {"/tmp/pycore.whl": config["wheel"], "/tmp/train-images.gz": config["data"]["trainImages"],
             "/tmp/train-labels.gz": config["data"]["trainLabels"]}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=build.find_chromium(), args=build.CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function("() => window.bench", timeout=30000)
        epochs = page.evaluate("(s) => window.bench.appEpochs(s)", SETTINGS)
        first, app = epochs
        py = page.evaluate("([f, c]) => window.bench.python(f, c)", [files, PYTHON])
        browser.close()
    server.shutdown()

    lower = py["flops"] / (py["gemm_gflops"] * 1e9)
    print("In-browser training, one epoch, {} samples, [784, {}, 10], m={}, float64, NumPy {} "
          "(Pyodide test runtime, headless Chromium)".format(SAMPLES, HIDDEN, M, py["numpy"]))
    print("  app worker (Trainer, real worker)   {:8.2f} s   (2nd epoch; 1st: {:.2f} s; {} / 10000)"
          .format(app["seconds"], first["seconds"], app["correct"]))
    print("  pycore fast path, same runtime      {:8.2f} s".format(py["fast_seconds"]))
    print("  seed per-sample, same runtime       {:8.2f} s".format(py["seed_seconds"]))
    print("  matmuls alone at training shapes    {:8.2f} s   (np.dot {:.2f} s, np.matmul {:.2f} s)"
          .format(py["matmul_seconds"], py["probe"]["dot"], py["probe"]["matmul"]))
    print("  epoch FLOPs / 512x512 GEMM rate     {:8.2f} s   ({:.2f} GFLOP/s, {:.2f} GFLOP)"
          .format(lower, py["gemm_gflops"], py["flops"] / 1e9))
    print("Ratios:")
    print("  seed / app worker                   {:8.1f}x   (target >= 5x)"
          .format(py["seed_seconds"] / app["seconds"]))
    print("  app worker / matmuls at shapes      {:8.2f}x   (target <= 1.3x)"
          .format(app["seconds"] / py["matmul_seconds"]))
    print("  app worker / FLOPs at GEMM rate     {:8.2f}x".format(app["seconds"] / lower))
    print("  app worker / direct fast path       {:8.2f}x   (worker + chunking overhead)"
          .format(app["seconds"] / py["fast_seconds"]))
    print(json.dumps({"app": app, "python": py}))


if __name__ == "__main__":
    main()
