"""
reference.py
~~~~~~~~~~~~

The seed's per-sample training step, kept verbatim (apart from working on a
``Network`` passed in) as the baseline for the equivalence tests and the
benchmark.  It loops over the samples of a mini-batch in Python, calling the
network's per-sample ``backprop`` (the seed's, tested against finite
differences) for each.
"""

import numpy as np


def seed_update_mini_batch(network, mini_batch, eta):
    """Update ``network``'s weights and biases with one gradient-descent step
    for ``mini_batch``, a list of tuples ``(x, y)`` (x (784, 1), y one-hot
    (10, 1)), summing the per-sample gradients in a Python loop as the seed's
    ``update_mini_batch`` does."""
    nabla_b = [np.zeros(b.shape, dtype=b.dtype) for b in network.biases]
    nabla_w = [np.zeros(w.shape, dtype=w.dtype) for w in network.weights]
    for x, y in mini_batch:
        delta_nabla_b, delta_nabla_w = network.backprop(x, y)
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    network.weights = [w-(eta/len(mini_batch))*nw
                       for w, nw in zip(network.weights, nabla_w)]
    network.biases = [b-(eta/len(mini_batch))*nb
                      for b, nb in zip(network.biases, nabla_b)]
