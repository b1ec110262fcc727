"""
Checks of conv networks against their independent references, written so
that they run anywhere pycore runs: tests/test_conv.py runs them in CPython
and tests/browser/test_lean_step.py in the browser's runtime (NumPy 1.17
without BLAS, where the conv products are einsum).

- ``check_reference``: the mini-batch gradients (im2col, ``conv.py``)
  equal the sum of the per-sample reference (``conv_reference.backprop``,
  plain loops over positions) for each activation, pooling and output;
- ``check_finite_differences``: the gradients equal central differences of
  the summed cost, for weights and biases of every layer (conv, dense,
  softmax output);
- ``check_training``: BatchStep's steps equal steps taken with the reference
  gradients (the same update rule written out here);
- ``check_ties``: the same as ``check_reference`` on mostly blank inputs
  (as MNIST's background), whose pooling blocks hold equal values;
- ``check_layers``: single conv layers against the reference's layer
  functions, the input's error too, among them blocks that do not tile the
  feature maps (units that no block pools) and 3 x 3 pooling, on inputs
  with tied blocks: the error goes to the first largest value of a block,
  row by row (in a whole network a tie in a blank region changes no
  gradient: every window there is the same).

This file imports only NumPy and pycore.
"""

import numpy as np

from pycore import conv_reference
from pycore.conv import ConvPool
from pycore.batch_step import BatchStep
from pycore.network import Network

NETWORKS = {
    "two conv-pool layers": [{"type": "conv", "filters": 3, "size": 5, "pool": 2},
                             {"type": "conv", "filters": 4, "size": 3, "pool": 2},
                             {"type": "dense", "units": 7}],
    "conv without pooling, odd sizes": [{"type": "conv", "filters": 2, "size": 7, "pool": 1},
                                        {"type": "conv", "filters": 3, "size": 5, "pool": 3}],
}
SETTINGS = [("relu", "log-likelihood", "softmax"), ("sigmoid", "cross-entropy", "sigmoid"),
            ("tanh", "quadratic", "sigmoid")]


def make(layers, activation, cost, output, seed=1):
    """Return a small conv network with scaled init."""
    return Network.from_layers(layers, cost=cost, output=output, activation=activation,
                               init="scaled", seed=seed)


def batch(m, seed=0, dtype=np.float64):
    """Return (X, Y): m random inputs (784, m), a third of them 0, and one-hot outputs."""
    rng = np.random.RandomState(seed)
    X = rng.rand(784, m)*(rng.rand(784, m) > 0.33)
    return X.astype(dtype), np.eye(10)[:, rng.randint(0, 10, m)].astype(dtype)


def reference_sum(net, X, Y):
    """Return the per-sample reference gradients summed over the columns."""
    nb = [np.zeros_like(b) for b in net.biases]
    nw = [np.zeros_like(w) for w in net.weights]
    for i in range(X.shape[1]):
        b, w = conv_reference.backprop(net, X[:, i:i+1], Y[:, i:i+1])
        for l in range(len(nb)):
            nb[l] += b[l]
            nw[l] += w[l]
    return nb, nw


def check_reference(m=4):
    """Return one dict per network x setting: the largest difference between
    the mini-batch gradients and the summed reference ("grad"), and between
    their forward outputs ("out")."""
    results = []
    for name, layers in NETWORKS.items():
        for activation, cost, output in SETTINGS:
            net = make(layers, activation, cost, output)
            X, Y = batch(m)
            nb, nw = net.backprop_batch(X, Y)
            rb, rw = reference_sum(net, X, Y)
            grad = max(float(np.abs(a-b).max()) for a, b in zip(nb+nw, rb+rw))
            size = max(float(np.abs(a).max()) for a in rb+rw)
            results.append({"network": name, "activation": activation, "cost": cost,
                            "grad": grad, "size": size, "layers": len(nb)})
    return results


def check_finite_differences(eps=1e-6, m=3):
    """Return one dict per setting and parameter array: the largest
    difference between the gradient and central differences of the summed
    cost, over a few entries of every weight and bias array."""
    results = []
    for activation, cost, output in SETTINGS:
        net = make(NETWORKS["two conv-pool layers"], activation, cost, output, seed=2)
        X, Y = batch(m, seed=3)
        nb, nw = net.backprop_batch(X, Y)

        def total():
            return float(net.cost.fn(net.feedforward(X), Y))*1.0
        for kind, params, grads in (("w", net.weights, nw), ("b", net.biases, nb)):
            for l, (p, g) in enumerate(zip(params, grads)):
                worst = 0.0
                rng = np.random.RandomState(l)
                for _ in range(6):
                    idx = tuple(rng.randint(0, s) for s in p.shape)
                    old = p[idx]
                    p[idx] = old+eps
                    up = total()
                    p[idx] = old-eps
                    down = total()
                    p[idx] = old
                    worst = max(worst, abs((up-down)/(2*eps)-g[idx]))
                results.append({"activation": activation, "param": "{}[{}]".format(kind, l),
                                "layer": net.layers[l].type, "diff": worst})
    return results


def check_training(steps=4, m=5, eta=0.05, lmbda=0.5):
    """Return the largest difference between the parameters after ``steps``
    BatchStep steps and after the same steps with the reference gradients
    (w <- (1-eta*lmbda/n) w - (eta/m) nabla_w, b <- b - (eta/m) nabla_b)."""
    results = []
    for activation, cost, output in SETTINGS:
        layers = NETWORKS["two conv-pool layers"]
        net, ref = make(layers, activation, cost, output), make(layers, activation, cost, output)
        rng = np.random.RandomState(4)
        images = (rng.rand(20, 784)*(rng.rand(20, 784) > 0.5)*255).astype(np.uint8)
        labels = rng.randint(0, 10, 20)
        step = BatchStep(net, images, labels, m, eta, lmbda)
        order = rng.permutation(20)
        n = 20
        for k in range(0, steps*m, m):
            step.step(order, k)
            idx = order[k:k+m]
            nb, nw = reference_sum(ref, images[idx].T/255.0, np.eye(10)[:, labels[idx]])
            ref.weights = [(1-eta*lmbda/n)*w-(eta/m)*g for w, g in zip(ref.weights, nw)]
            ref.biases = [b-(eta/m)*g for b, g in zip(ref.biases, nb)]
        diff = max(float(np.abs(a-b).max()) for a, b in zip(net.weights+net.biases,
                                                            ref.weights+ref.biases))
        results.append({"activation": activation, "cost": cost, "diff": diff, "steps": steps})
    return results


def blank_batch(m, seed=0, dtype=np.float64):
    """Return (X, Y): m inputs (784, m) blank but for a random 8 x 8 patch
    each (equal values in every blank window), and one-hot outputs."""
    rng = np.random.RandomState(seed)
    X = np.zeros((28, 28, m))
    for i in range(m):
        r, c = rng.randint(4, 16, 2)
        X[r:r+8, c:c+8, i] = rng.rand(8, 8)
    return X.reshape(784, m).astype(dtype), np.eye(10)[:, rng.randint(0, 10, m)].astype(dtype)


def tied_blocks(layer, w, b, x):
    """Return how many pooling blocks of one sample ``x`` (C, H, W) hold
    their largest value more than once."""
    act = conv_reference.conv_pool_forward(layer, w, b, x)[1]
    p, (F, PH, PW) = layer.pool, layer.out_shape
    blocks = act[:, :PH*p, :PW*p].reshape(F, PH, p, PW, p).transpose(0, 1, 3, 2, 4).reshape(-1, p*p)
    return int(np.sum(np.sum(blocks == blocks.max(axis=1, keepdims=True), axis=1) > 1))


def check_ties(m=4):
    """Return one dict per setting: the largest difference between the
    mini-batch gradients and the summed reference on ``blank_batch``
    inputs, with biases drawn from [0.1, 0.5] (so that ReLU's tied values
    are not 0), and the number of tied blocks in the first sample."""
    results = []
    for activation, cost, output in SETTINGS:
        net = make(NETWORKS["two conv-pool layers"], activation, cost, output)
        rng = np.random.RandomState(5)
        net.biases = [0.1+0.4*rng.rand(*b.shape) for b in net.biases]
        X, Y = blank_batch(m)
        nb, nw = net.backprop_batch(X, Y)
        rb, rw = reference_sum(net, X, Y)
        grad = max(float(np.abs(a-b).max()) for a, b in zip(nb+nw, rb+rw))
        ties = tied_blocks(net.layers[0], net.weights[0], net.biases[0], X[:, 0].reshape(1, 28, 28))
        results.append({"activation": activation, "grad": grad, "ties": ties})
    return results


LAYERS = {"blocks that do not tile": ((2, 13, 11), 3, 4, 3),
          "3 x 3 pooling": ((1, 14, 14), 2, 3, 3),
          "2 x 2 pooling": ((3, 10, 10), 4, 3, 2)}


def check_layers(m=3):
    """Return one dict per layer of ``LAYERS`` and activation: the largest
    difference between the layer's mini-batch forward and backward passes
    and the reference's per-sample layer functions (pooled outputs "out";
    gradients and the input's error "grad"), and the tied blocks."""
    results = []
    for name, (shape, filters, size, pool) in LAYERS.items():
        for activation in ("relu", "sigmoid", "tanh"):
            layer = ConvPool(shape, filters, size, pool, activation)
            rng = np.random.RandomState(6)
            w = rng.randn(*layer.shapes[0])*0.5
            b = 0.1+0.4*rng.rand(*layer.shapes[1])
            x = rng.rand(layer.n_in, m)*(rng.rand(layer.n_in, m) > 0.4)
            x[:, 0] = 0.0                                  # a blank sample: every block tied
            x[:layer.n_in//2, 1] = 0.0                     # half blank
            error = rng.randn(layer.n_out, m)
            cache, out = layer.forward(w, b, x)
            nb, nw, ex = layer.backward(w, layer.delta(error, cache, out), x, True, cache)
            ref_out, rb, rw, rx = [], 0, 0, []
            for i in range(m):
                xi = x[:, i].reshape(shape)
                z, act, pooled, winners = conv_reference.conv_pool_forward(layer, w, b, xi)
                b_i, w_i, x_i = conv_reference.conv_pool_backward(
                    layer, w, xi, z, winners, error[:, i].reshape(layer.out_shape))
                ref_out.append(pooled.reshape(-1))
                rb, rw = rb+b_i, rw+w_i
                rx.append(x_i.reshape(-1))
            grad = max(float(np.abs(nb-rb).max()), float(np.abs(nw-rw).max()),
                       float(np.abs(ex-np.array(rx).T).max()))
            results.append({"layer": name, "activation": activation, "grad": grad,
                            "out": float(np.abs(out-np.array(ref_out).T).max()),
                            "ties": tied_blocks(layer, w, b, x[:, 0].reshape(shape))})
    return results
