"""Timed inside Pyodide by bench/bench_browser.py (sent as text to bench-worker.js, after
a line setting PARAMS).  One epoch on the same N MNIST samples, four ways, in the same
worker, interleaved in chunks of CHUNK mini-batches so that machine noise hits all alike:

  lean     pycore.fast.LeanStep, as the app's Trainer runs it
  batch    Network.update_batch with a per-batch uint8 -> float conversion (before issue 12)
  seed     the seed's per-sample algorithm (pycore.reference)
  matmul   the bound: only the five matrix products of each mini-batch (forward: W1 x, W2 a1;
           backward: W2^T d2, d2 a1^T, d1 x^T) at the training shapes, as np.matmul or np.dot
           (whichever is faster), with fresh outputs
  base     with --baseline: the lean step of another commit's pycore (unpacked from
           /tmp/pycore_base.zip as the package pycore_base), e.g. the one before the layers
  tanh, relu  the app's lean step on a network whose hidden layer is tanh or ReLU
  products the lean step's five products at all 785 inputs (its layouts, out= buffers and
           einsum); the step itself multiplies only the pixels that are not 0 in the whole
           mini-batch (about 382 of 785 at m = 10), so it can be under this and the bound

Every way first runs one full epoch untimed (warm-up: V8 tiers Pyodide's WebAssembly up),
then ROUNDS timed epochs, in two phases: lean / matmul / products first, as the app runs
(nothing else in memory), then lean / batch / seed (the seed's 10,000 (x, y) pairs of
arrays fill the memory and Python's garbage collector, which slows everything a little:
each phase's ratios compare ways timed under the same conditions).  Sets ``result`` to a
JSON string.
"""

import gc
import json
import time

import numpy as np

from pycore import mnist
from pycore.fast import LeanStep
from pycore.network import Network
from pycore.reference import seed_update_mini_batch
from pycore.trainer import EVAL_ROWS, EVAL_WORK, _columns

N, H, M, ETA = PARAMS["samples"], PARAMS["hidden"], PARAMS["batch"], PARAMS["eta"]  # noqa: F821
ROUNDS, CHUNK = PARAMS["rounds"], PARAMS["chunk"]  # noqa: F821
images = mnist.read_idx("/tmp/train-images.gz")[:N].reshape(N, 784)
labels = mnist.read_idx("/tmp/train-labels.gz")[:N].astype(np.intp)
order = np.random.RandomState(1).permutation(N)
starts = list(range(0, N, M))

lean = LeanStep(Network([784, H, 10], seed=1), images, labels, M, ETA)
EVAL_CHUNK = int(min(EVAL_ROWS, max(10, EVAL_WORK // (784 * H + H + H * 10 + 10))))  # the Trainer's slice
batch_net = Network([784, H, 10], seed=1)
targets = np.eye(10)[:, labels]
seed_net = Network([784, H, 10], seed=1)
seed_pairs = None  # made for phase 2

rng = np.random.RandomState(0)
W1, W2 = rng.randn(H, 784), rng.randn(10, H)
x, a1, d2, d1 = rng.rand(784, M), rng.rand(H, M), rng.rand(10, M), rng.rand(H, M)
Q1, Q2 = rng.randn(785, H), rng.randn(H + 1, 10)           # [W | b]^T, as the lean step
xr, a1r, d2r, d1r = rng.rand(M, 785), rng.rand(M, H + 1), rng.rand(M, 10), rng.rand(M, H)
z1, z2, b1 = np.empty((M, H)), np.empty((M, 10)), np.empty((M, H))
g1, g2 = np.empty((785, H)), np.empty((H + 1, 10))
W2v = Q2[:-1].T


def run_lean(ks):
    for k in ks:
        lean.step(order, k)


def stepper(step):
    def run(ks):
        for k in ks:
            step.step(order, k)
    return run


others = {name: stepper(LeanStep(Network([784, H, 10], seed=1, activation=name), images, labels,
                                 M, ETA)) for name in ("tanh", "relu")}
if PARAMS.get("baseline"):  # noqa: F821
    import importlib
    import sys
    import zipfile
    zipfile.ZipFile("/tmp/pycore_base.zip").extractall("/tmp/base")
    sys.path.insert(0, "/tmp/base")
    importlib.invalidate_caches()
    from pycore_base.fast import LeanStep as BaseStep
    from pycore_base.network import Network as BaseNetwork
    others["base"] = stepper(BaseStep(BaseNetwork([784, H, 10], seed=1), images, labels, M, ETA))


def run_batch(ks):
    for k in ks:
        idx = order[k:k + M]
        batch_net.update_batch(_columns(images[idx], batch_net.dtype), targets[:, idx], ETA, 0.0, N)


def run_seed(ks):
    for k in ks:
        seed_update_mini_batch(seed_net, [seed_pairs[i] for i in order[k:k + M]], ETA)


def products(mm):
    def run(ks):
        for _ in ks:
            mm(W1, x); mm(W2, a1)                          # forward
            mm(W2.T, d2); mm(d2, a1.T); mm(d1, x.T)        # backward
    return run


def run_lean_products(ks):
    for _ in ks:
        np.einsum("ik,kj->ij", xr, Q1, out=z1); np.matmul(a1r, Q2, out=z2)
        np.matmul(d2r, W2v, out=b1); np.matmul(a1r.T, d2r, out=g2)
        np.einsum("ki,kj->ij", xr, d1r, out=g1)


def timed(ways):
    """Warm each way up for one epoch, then return its ROUNDS epoch times, chunks interleaved."""
    for run in ways.values():
        run(starts)
    times = {name: [] for name in ways}
    for r in range(ROUNDS):
        spent = {name: 0.0 for name in ways}
        for c in range(0, len(starts), CHUNK):
            ks = starts[c:c + CHUNK]
            for name, run in ways.items():
                t = time.perf_counter()
                run(ks)
                spent[name] += time.perf_counter() - t
        for name in ways:
            times[name].append(spent[name])
    return times


times = timed(dict({"lean": run_lean, "dot": products(np.dot), "matmul": products(np.matmul),
                    "products": run_lean_products}, **others))
times["bound"] = [min(d, m) for d, m in zip(times["dot"], times["matmul"])]
seed_pairs = mnist.as_seed_lists(images, labels)
phase2 = timed({"lean": run_lean, "batch": run_batch, "seed": run_seed})
times.update(lean2=phase2["lean"], batch=phase2["batch"], seed=phase2["seed"])
seed_pairs = None  # free them before the TF.js comparison runs more lean epochs here
gc.collect()

# the end-of-epoch test evaluation as the Trainer does it: uint8 chunks -> floats -> accuracy
test_images = mnist.read_idx("/tmp/test-images.gz").reshape(-1, 784)
test_labels = mnist.read_idx("/tmp/test-labels.gz").astype(np.intp)
evaluation = []
for _ in range(3):
    t = time.perf_counter()
    correct = 0
    for k in range(0, len(test_labels), EVAL_CHUNK):
        correct += lean.network.accuracy(_columns(test_images[k:k + EVAL_CHUNK], np.float64),
                                         test_labels[k:k + EVAL_CHUNK])
    evaluation.append(time.perf_counter() - t)

result = json.dumps({"times": times, "evaluation": evaluation, "correct": correct,
                     "eval_chunk": EVAL_CHUNK, "numpy": np.__version__})
