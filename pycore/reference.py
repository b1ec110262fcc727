"""
reference.py
~~~~~~~~~~~~

The seed's per-sample training step, kept verbatim (apart from working on a
``Network`` passed in) as the baseline for the equivalence tests and the
benchmark.  It loops over the samples of a mini-batch in Python, calling a
per-sample backpropagation for each, with the quadratic cost.
"""

import numpy as np


def seed_sigmoid(z):
    """Return the sigmoid function of ``z``, as the seed defines it."""
    return 1.0/(1.0+np.exp(-z))


def seed_sigmoid_prime(z):
    """Return the derivative of the sigmoid, as the seed defines it."""
    return seed_sigmoid(z)*(1-seed_sigmoid(z))


def seed_backprop(network, x, y):
    """Return ``(nabla_b, nabla_w)``, the quadratic-cost gradient of
    ``network`` for one sample ``x`` (784, 1) with one-hot ``y`` (10, 1),
    computed exactly as the seed's ``backprop``."""
    nabla_b = [np.zeros(b.shape, dtype=b.dtype) for b in network.biases]
    nabla_w = [np.zeros(w.shape, dtype=w.dtype) for w in network.weights]
    # feedforward
    activation = x
    activations = [x]  # stores activations layer by layer
    zs = []  # stores z vectors layer by layer
    for b, w in zip(network.biases, network.weights):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = seed_sigmoid(z)
        activations.append(activation)
    # backward pass
    delta = (activations[-1] - y) * seed_sigmoid_prime(zs[-1])
    nabla_b[-1] = delta
    nabla_w[-1] = np.dot(delta, activations[-2].transpose())
    for _layer in range(2, network.num_layers):
        z = zs[-_layer]
        sp = seed_sigmoid_prime(z)
        delta = np.dot(network.weights[-_layer+1].transpose(), delta) * sp
        nabla_b[-_layer] = delta
        nabla_w[-_layer] = np.dot(delta, activations[-_layer-1].transpose())
    return (nabla_b, nabla_w)


def seed_update_mini_batch(network, mini_batch, eta):
    """Update ``network``'s weights and biases with one gradient-descent step
    for ``mini_batch``, a list of tuples ``(x, y)`` (x (784, 1), y one-hot
    (10, 1)), summing the per-sample gradients in a Python loop as the seed's
    ``update_mini_batch`` does."""
    nabla_b = [np.zeros(b.shape, dtype=b.dtype) for b in network.biases]
    nabla_w = [np.zeros(w.shape, dtype=w.dtype) for w in network.weights]
    for x, y in mini_batch:
        delta_nabla_b, delta_nabla_w = seed_backprop(network, x, y)
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    network.weights = [w-(eta/len(mini_batch))*nw
                       for w, nw in zip(network.weights, nabla_w)]
    network.biases = [b-(eta/len(mini_batch))*nb
                      for b, nb in zip(network.biases, nabla_b)]


def seed_evaluate(network, test_data):
    """Return the number of ``(x, y)`` pairs with int label ``y`` that
    ``network`` classifies correctly, fed forward one sample at a time."""
    return sum(int(np.argmax(network.feedforward(x)) == y) for (x, y) in test_data)
