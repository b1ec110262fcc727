# Conv-network timings, run by bench/bench_conv.py in the benchmark worker (Pyodide test
# runtime) or in CPython. PARAMS (set before this code) holds "data" (the folder of the gzipped
# MNIST files), "samples", "batch", "eta", "nets" ({name: hidden layers}), "dtypes". This code
# defines the functions and objects the driver then calls one at a time (the worker's globals
# persist between calls); it sets `result` to a JSON string.
import json
import time

import numpy as np

from pycore import conv, mnist
from pycore.network import Network
from pycore.fast import default_kernel
from pycore.trainer import Trainer

DATA = PARAMS["data"]
DATASET = mnist.load_data(DATA + "train-images.gz", DATA + "train-labels.gz",
                          DATA + "test-images.gz", DATA + "test-labels.gz")
SAMPLES, M, ETA = PARAMS["samples"], PARAMS["batch"], PARAMS["eta"]
SUBSET = (DATASET["training"][0][:SAMPLES], DATASET["training"][1][:SAMPLES])


def network(layers, dtype, seed=1):
    """Return a conv network with ReLU hidden layers, softmax output, log-likelihood cost."""
    return Network.from_layers(layers, cost="log-likelihood", output="softmax",
                               activation="relu", init="scaled", seed=seed, dtype=dtype)


def products(net, m):
    """Return a function that runs, once, the matrix products of one mini-batch step of
    ``net`` with ``m`` samples, through conv.product with the operands laid out as the step
    lays them out (conv layers: conv.ConvPool; dense layers: batch_step.BatchStep, the
    samples as rows), on arrays of their shapes."""
    rng = np.random.RandomState(0)
    jobs = []
    for l, layer in enumerate(net.layers):
        w = net.weights[l]
        if layer.type == "conv":
            F, PH, PW = layer.out_shape
            OH, OW = layer.conv_shape
            p = layer.pool
            cols = rng.rand(w.shape[1], p*PH*p*PW*m).astype(net.dtype)
            delta = rng.rand(F, cols.shape[1]).astype(net.dtype)
            jobs += [(conv.product, w, cols), (conv.product, delta, cols.T)]
            if l > 0:
                jobs.append((conv.product, w.T, rng.rand(F, OH*OW*m).astype(net.dtype)))
        else:
            a = rng.rand(m, layer.n_in).astype(net.dtype)
            delta = rng.rand(m, layer.n_out).astype(net.dtype)
            wT = np.ascontiguousarray(w.T) if conv.kernel() == "einsum" else w.T
            jobs += [(conv.product, a, wT), (conv.product, delta.T, a)]
            if l > 0:
                jobs.append((conv.product, delta, w))

    def run():
        for f, a, b in jobs:
            f(a, b)
    return run


class Timed(object):
    """One network's training on the SAMPLES images, timed a pass at a time, and its bound."""

    def __init__(self, layers, dtype):
        self.net = network(layers, dtype)
        self.trainer = Trainer(self.net, SUBSET, 10**6, M, ETA, 0.0, seed=1)
        self.bound_step = products(self.net, M)
        self.epoch(SAMPLES//5)                    # warm-up
        self.bound(SAMPLES//5)

    def epoch(self, samples=SAMPLES):
        """Return the seconds the trainer takes for ``samples`` images."""
        start = time.perf_counter()
        for _ in self.trainer.step(max_batches=samples//M):
            pass
        return time.perf_counter()-start

    def bound(self, samples=SAMPLES):
        """Return the seconds the step's products alone take for ``samples`` images."""
        start = time.perf_counter()
        for _ in range(samples//M):
            self.bound_step()
        return time.perf_counter()-start


def answer_time(layers, dtype, repeats=30):
    """Return the median seconds of one forward pass of one test image (the pad's answer)."""
    net = network(layers, dtype)
    x = (DATASET["test"][0][:1].T/255.0).astype(net.dtype)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        net.feedforward(x)
        times.append(time.perf_counter()-start)
    return sorted(times)[len(times)//2]


def pad_answer_time(path, repeats=30):
    """Return the median seconds of the pad's whole answer in Python (``Session.answer``: the
    forward pass and the reply with every layer's activations) for a test image, with the
    model file at ``path`` (the site's pretrained MLP or conv net) on the pad."""
    from pycore.session import Session
    session = Session()
    with open(path) as f:
        session.load_model("pretrained", f.read(), activate=True)
    x = DATASET["test"][0][:1].T/255.0
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        session.answer(x)
        times.append(time.perf_counter()-start)
    return sorted(times)[len(times)//2]


def heap_bytes():
    """Return the wasm heap's size in bytes (None outside the browser)."""
    try:
        import js
        return int(js.self.pyodide._module.HEAP8.length)
    except Exception:
        return None


def five_minutes(layers, m, eta, mu, lmbda, dtype, epochs):
    """Start the fast preset's run on the 50,000 training images, scored on the 10,000
    test images after each epoch; return its trainer."""
    net = network(layers, dtype)
    return Trainer(net, DATASET["training"], epochs, m, eta, lmbda, test=DATASET["test"],
                   seed=1, mu=mu)


def next_epoch(trainer):
    """Train ``trainer`` to the end of its next epoch; return that epoch's event."""
    while True:
        for event in trainer.step(max_batches=100):
            if event.get("type") == "epoch":
                return {k: event.get(k) for k in ("epoch", "correct", "total", "seconds", "cost")}


TIMED = {}
result = json.dumps({"numpy": np.__version__, "kernel": default_kernel(),
                     "test": int(DATASET["test"][0].shape[0])})
