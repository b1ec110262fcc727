"""
inside.py
~~~~~~~~~

What the "Inside the network" views show, computed from a network and the
test set: the confusion matrix, per-digit accuracy and the mistakes of one
evaluation pass (``evaluation``), and the weights into the units of the
first hidden layer, the rows of ``weights[0]`` (``first_layer``).  Arrays
meant for the page are float32, int32 or uint8 NumPy arrays; the bridge
hands them to the worker as buffers, never as JSON.

This module uses only NumPy.
"""

import numpy as np

MAX_UNITS_PER_PAGE = 1024
SCALE_PERCENTILE = 99   # the colour scale's ends: 99% of the weights shown lie within


def confusion_matrix(labels, guesses, n=10):
    """Return the (n, n) int matrix whose entry [i, j] counts the samples
    of true digit ``labels == i`` that the network answered ``guesses == j``;
    ``labels`` and ``guesses`` are int arrays of shape (m,)."""
    labels = np.asarray(labels, dtype=np.intp).reshape(-1)
    guesses = np.asarray(guesses, dtype=np.intp).reshape(-1)
    return np.bincount(labels*n+guesses, minlength=n*n).reshape(n, n)


def evaluation(labels, guesses, n=10):
    """Return what one pass over a test set shows, as a dict: "correct",
    "total", "accuracy", "confusion" (rows the true digit, columns the
    answer, a list of n lists of ints), "perDigit" (the fraction of each
    digit answered correctly, None for a digit with no samples) and
    "mistakes", an int32 array of shape (k, 3): test index, true digit,
    answer for each of the k wrong answers, in index order."""
    labels = np.asarray(labels, dtype=np.intp).reshape(-1)
    guesses = np.asarray(guesses, dtype=np.intp).reshape(-1)
    confusion = confusion_matrix(labels, guesses, n)
    totals = confusion.sum(axis=1)
    correct = int(np.trace(confusion))
    wrong = np.flatnonzero(labels != guesses)
    mistakes = np.stack([wrong, labels[wrong], guesses[wrong]], axis=1).astype(np.int32)
    return {"correct": correct, "total": int(len(labels)),
            "accuracy": correct/len(labels) if len(labels) else None,
            "confusion": confusion.tolist(),
            "perDigit": [float(confusion[d, d])/totals[d] if totals[d] else None
                         for d in range(n)],
            "mistakes": mistakes}


def first_layer(net, first=0, count=None):
    """Return the weights into the hidden units ``first`` .. ``first+count-1``
    of the first hidden layer of ``net``: "weights" a float32 (count, 784)
    array (rows of ``net.weights[0]``, one 28×28 image each), "biases"
    (count,), "outgoing" a float32 (count, n_next) array (column K of
    ``net.weights[1]`` is unit K's weights to the next layer), "scale" the
    99th percentile of the absolute weights shown (the ends of a symmetric
    colour scale: one outlier does not wash the images out), "units"
    the layer's size and "next" the size of the layer the outgoing weights
    go to, "sizes" the network's layer sizes.  A network without hidden
    layers has "units": 0."""
    sizes = net.sizes
    if len(sizes) < 3:
        return {"sizes": list(sizes), "units": 0, "first": 0, "count": 0, "next": sizes[-1],
                "scale": 0.0,
                "weights": np.zeros((0, sizes[0]), np.float32),
                "biases": np.zeros(0, np.float32), "outgoing": np.zeros((0, sizes[-1]), np.float32)}
    units = sizes[1]
    count = units if count is None else count
    if not 0 <= first < units or not 1 <= count <= MAX_UNITS_PER_PAGE:
        raise ValueError("Hidden units {} to {} do not exist: the first hidden layer has units 0 "
                         "to {}.".format(first, first+count-1, units-1))
    last = min(units, first+count)
    weights = net.weights[0][first:last].astype(np.float32)
    return {"sizes": list(sizes), "units": units, "first": first, "count": last-first,
            "next": sizes[2],
            "scale": float(np.percentile(np.abs(weights), SCALE_PERCENTILE)),
            "weights": weights,
            "biases": net.biases[0][first:last, 0].astype(np.float32),
            "outgoing": np.ascontiguousarray(net.weights[1][:, first:last].T, dtype=np.float32)}
