"""Where the time of one lean step goes, part by part: run by bench/profile_step.py in the
benchmark worker (Pyodide) or in CPython, after a line setting PARAMS.  ``parts_step`` is
LeanStep.step with a clock read between its parts (a copy: the run checks that it leaves the
parameters bit for bit where LeanStep.step does).  One epoch of [784, H, 10] on N MNIST
samples, m = M; one warm-up epoch, then ROUNDS epochs; per part the best round's mean in
microseconds per mini-batch, next to the matmul bound (the five products alone, np.matmul
at the training shapes, as bench/browser/epoch_bench.py times it).  Sets ``result``."""

import json
import time

import numpy as np

from pycore import mnist
from pycore.fast import LeanStep
from pycore.network import Network

N, H, M = PARAMS["samples"], PARAMS["hidden"], PARAMS["batch"]  # noqa: F821
ROUNDS, DATA = PARAMS["rounds"], PARAMS["data"]  # noqa: F821
images = mnist.read_idx(DATA + "train-images.gz")[:N].reshape(N, 784)
labels = mnist.read_idx(DATA + "train-labels.gz")[:N].astype(np.intp)
order = np.random.RandomState(1).permutation(N)
starts = list(range(0, N, M))
clock = time.perf_counter


def parts_step(lean, order, k, T):
    """Do what ``lean.step(order, k)`` does, adding each part's seconds to ``T``."""
    t = clock()
    j = k-lean._group_start
    if not (order is lean._group_order and 0 <= j < lean._group_end-lean._group_start
            and j % lean.mini_batch_size == 0):
        lean._convert(order, k)
        j = 0
    t, T["convert inputs (a group at a time)"] = clock(), T["convert inputs (a group at a time)"]+clock()-t
    X, XT, cols, kept, kept_rows, grad, Y = lean._batches[j//lean.mini_batch_size]
    buf = lean._buffers.get(X.shape[0]) or lean._allocate(X.shape[0])
    Q0 = lean._params[0]
    einsum = lean.kernel == "einsum"
    t, T["python: look-ups"] = clock(), T["python: look-ups"]+clock()-t
    if cols is None:
        kept = Q0
    else:
        np.take(Q0, cols, axis=0, out=kept, mode="wrap")
    t, T["take the kept rows of Q0"] = clock(), T["take the kept rows of Q0"]+clock()-t
    z, a = buf.z0, buf.a0
    if einsum:
        np.einsum("ik,kj->ij", X, kept, out=z)
    else:
        np.matmul(X, kept, out=z)
    t, T["product 1: z1 = [x | 1] Q0 (K rows)"] = clock(), T["product 1: z1 = [x | 1] Q0 (K rows)"]+clock()-t
    buf.apply0(z, a)
    t, T["sigmoid, hidden layers"] = clock(), T["sigmoid, hidden layers"]+clock()-t
    for a_prev, Q, z, a, apply in buf.forward:
        np.matmul(a_prev, Q, out=z)
        t, T["product 2: z2 = [a1 | 1] Q1"] = clock(), T["product 2: z2 = [a1 | 1] Q1"]+clock()-t
        apply(z, a)
        t, T["sigmoid, output layer"] = clock(), T["sigmoid, output layer"]+clock()-t
    delta = buf.delta
    cost = buf.output(a, Y, delta, buf.err)
    t, T["error a - y and cost"] = clock(), T["error a - y and cost"]+clock()-t
    np.multiply(delta, buf.scale, out=delta)
    t, T["output delta, times eta/m"] = clock(), T["output delta, times eta/m"]+clock()-t
    for a_prev_T, delta, G, W, delta_prev, a_prev, sp, prime in buf.backward:
        np.matmul(a_prev_T, delta, out=G)
        t, T["product 3: G1 = [a1 | 1]^T delta2"] = clock(), T["product 3: G1 = [a1 | 1]^T delta2"]+clock()-t
        np.matmul(delta, W, out=delta_prev)
        t, T["product 4: delta2 W1"] = clock(), T["product 4: delta2 W1"]+clock()-t
        prime(a_prev, sp)
        np.multiply(delta_prev, sp, out=delta_prev)
        t, T["hidden delta: times a(1-a)"] = clock(), T["hidden delta: times a(1-a)"]+clock()-t
    if einsum:
        np.einsum("ki,kj->ij", X, buf.delta0, out=grad)
    else:
        np.matmul(XT, buf.delta0, out=grad)
    t, T["product 5: G0 = [x | 1]^T delta1 (K rows)"] = clock(), T["product 5: G0 = [x | 1]^T delta1 (K rows)"]+clock()-t
    if lean.optimizer.decays:
        lean.optimizer.decay(lean._weights)
        if cols is not None:
            np.take(Q0, cols, axis=0, out=kept, mode="wrap")
    for Q, G in buf.updates:
        lean.optimizer.apply(Q, G, out=Q)
    lean.optimizer.apply(kept, grad, out=kept)
    t, T["update Q -= G"] = clock(), T["update Q -= G"]+clock()-t
    if cols is not None:
        lean._rows0[cols] = kept_rows
    T["put the kept rows back"] += clock()-t
    T["K"] += len(kept)
    return cost


PARTS = ["convert inputs (a group at a time)", "python: look-ups", "take the kept rows of Q0",
         "product 1: z1 = [x | 1] Q0 (K rows)", "sigmoid, hidden layers", "product 2: z2 = [a1 | 1] Q1",
         "sigmoid, output layer", "error a - y and cost", "output delta, times eta/m",
         "product 3: G1 = [a1 | 1]^T delta2", "product 4: delta2 W1", "hidden delta: times a(1-a)",
         "product 5: G0 = [x | 1]^T delta1 (K rows)", "update Q -= G", "put the kept rows back"]

lean = LeanStep(Network([784, H, 10], seed=1), images, labels, M, 3.0)
check = LeanStep(Network([784, H, 10], seed=1), images, labels, M, 3.0, kernel=lean.kernel)
rng = np.random.RandomState(0)
W1, W2 = rng.randn(H, 784), rng.randn(10, H)
x, a1, d2, d1 = rng.rand(784, M), rng.rand(H, M), rng.rand(10, M), rng.rand(H, M)


def bound():
    for _ in starts:
        np.matmul(W1, x); np.matmul(W2, a1); np.matmul(W2.T, d2); np.matmul(d2, a1.T); np.matmul(d1, x.T)


rounds = []
for r in range(ROUNDS+1):   # the first is the warm-up
    T = dict.fromkeys(PARTS+["K"], 0.0)
    t = clock()
    for k in starts:
        parts_step(lean, order, k, T)
    total = clock()-t
    t = clock()
    for k in starts:
        check.step(order, k)
    plain = clock()-t
    t = clock()
    bound()
    rounds.append(dict(T, total=total, plain=plain, bound=clock()-t))
same = all(np.array_equal(p, q) for p, q in zip(lean.network.weights+lean.network.biases,
                                                check.network.weights+check.network.biases))
best = min(rounds[1:], key=lambda r: r["plain"])
c = clock()
for _ in range(1000):
    clock()
result = json.dumps({"numpy": np.__version__, "kernel": lean.kernel, "same_as_step": same,
                     "parts": [[p, best[p]/len(starts)*1e6] for p in PARTS],
                     "K": best["K"]/len(starts), "instrumented": best["total"]/len(starts)*1e6,
                     "step": best["plain"]/len(starts)*1e6, "bound": best["bound"]/len(starts)*1e6,
                     "clock": (clock()-c)/1000*1e6, "rounds": len(rounds)-1})
