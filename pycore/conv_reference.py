"""
conv_reference.py
~~~~~~~~~~~~~~~~~

The readable reference for conv networks: backpropagation for one sample,
written with plain loops over positions in the style of the seed's
``backprop``, for a network of ``conv.ConvPool`` layers followed by dense
layers.  It shares nothing with the layers' mini-batch code (no im2col, no
reshaping tricks), so the tests can hold the fast path to it.

An image or a stack of feature maps is a (C, H, W) array; a conv layer's
weights row f is filter f, read as a (C, k, k) array.  This module uses only
NumPy.
"""

import numpy as np

from . import costs


def conv_pool_forward(layer, w, b, x):
    """Return ``(z, act, out, winners)`` for one sample ``x`` (C, H, W):
    the weighted inputs z (F, OH, OW), the outputs act = sigma(z), the pooled
    outputs out (F, PH, PW) and, for each pooled output, the (row, column)
    of the unit that won its block (the first largest, row by row)."""
    C, H, W = layer.in_shape
    F, k, p = layer.filters, layer.size, layer.pool
    OH, OW = layer.conv_shape
    filters = w.reshape(F, C, k, k)
    z = np.zeros((F, OH, OW), dtype=w.dtype)
    for f in range(F):
        for i in range(OH):
            for j in range(OW):
                z[f, i, j] = np.sum(filters[f]*x[:, i:i+k, j:j+k]) + b[f, 0]
    act = layer.activation.fn(z)
    _, PH, PW = layer.out_shape
    out = np.zeros((F, PH, PW), dtype=w.dtype)
    winners = {}
    for f in range(F):
        for i in range(PH):
            for j in range(PW):
                best = None
                for di in range(p):
                    for dj in range(p):
                        v = act[f, i*p+di, j*p+dj]
                        if best is None or v > best:
                            best, winners[f, i, j] = v, (i*p+di, j*p+dj)
                out[f, i, j] = best
    return z, act, out, winners


def conv_pool_backward(layer, w, x, z, winners, error):
    """Return ``(nabla_b, nabla_w, error_in)`` for one sample: ``error``
    is dC/dout (F, PH, PW), the pooled outputs' error; each goes to its
    block's winner, times sigma'(z) there, giving delta (F, OH, OW); then
    nabla_w[f] = sum over positions of delta[f, i, j] * window(i, j),
    nabla_b[f] = sum of delta[f], and error_in = dC/dx (C, H, W) adds
    delta[f, i, j] * filter f into each window."""
    C, H, W = layer.in_shape
    F, k = layer.filters, layer.size
    OH, OW = layer.conv_shape
    filters = w.reshape(F, C, k, k)
    delta = np.zeros((F, OH, OW), dtype=w.dtype)
    for (f, i, j), (wi, wj) in winners.items():
        delta[f, wi, wj] = error[f, i, j]
    delta = delta*layer.activation.prime(z)
    nabla_w = np.zeros((F, C, k, k), dtype=w.dtype)
    nabla_b = np.zeros((F, 1), dtype=w.dtype)
    error_in = np.zeros((C, H, W), dtype=w.dtype)
    for f in range(F):
        for i in range(OH):
            for j in range(OW):
                nabla_w[f] += delta[f, i, j]*x[:, i:i+k, j:j+k]
                nabla_b[f, 0] += delta[f, i, j]
                error_in[:, i:i+k, j:j+k] += delta[f, i, j]*filters[f]
    return nabla_b, nabla_w.reshape(F, C*k*k), error_in


def backprop(network, x, y):
    """Return ``(nabla_b, nabla_w)``, the gradient of the cost for one
    sample ``x`` (784, 1) with desired output ``y`` (10, 1), for a network
    of conv layers followed by dense layers, one position at a time."""
    layers = network.layers
    a = np.asarray(x, dtype=network.dtype)
    inputs, saved = [], []
    for layer, w, b in zip(layers, network.weights, network.biases):
        inputs.append(a)
        if layer.type == "conv":
            image = a.reshape(layer.in_shape)
            z, act, out, winners = conv_pool_forward(layer, w, b, image)
            saved.append((image, z, winners))
            a = out.reshape(-1, 1)
        else:
            z = np.dot(w, a)+b
            saved.append(z)
            a = layer.activation.fn(z)
    nabla_b = [None]*len(layers)
    nabla_w = [None]*len(layers)
    delta = costs.output_delta(network.cost, layers[-1].activation, a, y)
    for l in range(len(layers)-1, -1, -1):
        layer, w = layers[l], network.weights[l]
        if layer.type == "conv":
            image, z, winners = saved[l]
            nabla_b[l], nabla_w[l], error = conv_pool_backward(
                layer, w, image, z, winners, error.reshape(layer.out_shape))
            error = error.reshape(-1, 1)
            continue
        nabla_b[l] = delta
        nabla_w[l] = np.dot(delta, inputs[l].T)
        error = np.dot(w.T, delta)
        if l > 0 and layers[l-1].type == "dense":
            delta = error*layers[l-1].activation.prime(saved[l-1])
    return nabla_b, nabla_w
