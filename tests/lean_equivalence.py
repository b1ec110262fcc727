"""The lean step (pycore.fast.LeanStep) against the per-sample reference.

``check()`` trains small networks for a few mini-batches twice, once with
``LeanStep`` and once with the book's algorithm built from
``Network.backprop`` (one sample at a time, gradients summed, then
w <- (1-eta*lmbda/n) w - (eta/m) sum nabla_w, b <- b - (eta/m) sum nabla_b),
for every cost, L2 (0 and > 0), init and a one- and two-hidden-layer network
(``check()``: sigmoid, the book's; ``check_activations()``: tanh and ReLU;
``check_softmax()``: a softmax output layer with the log-likelihood cost;
``check_optimizers()``: momentum and L1),
with a final mini-batch smaller than m and mini-batch groups that do not
divide the epoch.  The images are MNIST-like: most pixels 0, a border of
columns 0 in every image, so that the lean step's dropping of all-zero
columns is exercised.  It returns the largest differences found.

This file imports only NumPy and pycore: tests/test_fast.py runs it in
CPython, tests/browser/test_lean_step.py sends its source to Pyodide 0.17
(NumPy 1.17) and calls ``check()`` there.
"""

import numpy as np

from pycore.fast import LeanStep
from pycore.network import Network

N, M, ETA = 47, 10, 0.5          # 4 full mini-batches and one of 7
EPOCHS = 2


def reference_step(net, X, labels, eta, lmbda, n, mu=0.0, reg="L2", velocities=None):
    """Apply one step of the book's algorithm to ``net`` for the inputs
    ``X`` (784, m) with int ``labels`` (m,), using ``Network.backprop`` per
    sample; return the batch's summed cost before the step.  With ``reg``
    "L1" the weights move eta*lmbda/n towards 0 instead of shrinking; with
    momentum ``mu`` each weight and bias keeps a velocity in ``velocities``
    (a dict, empty at the first step): v <- mu v - (eta/m) nabla, w <- w + v."""
    m = X.shape[1]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    cost = 0.0
    for i in range(m):
        x = X[:, i:i+1]
        y = np.zeros((net.sizes[-1], 1))
        y[labels[i]] = 1.0
        cost += net.cost.fn(net.feedforward(x), y)
        delta_nabla_b, delta_nabla_w = net.backprop(x, y)
        nabla_b = [nb+dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw+dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    if reg == "L1":
        weights = [w-(eta*lmbda/n)*np.sign(w) for w in net.weights]
    else:
        weights = [(1-eta*lmbda/n)*w for w in net.weights]
    if not mu:
        net.weights = [w-(eta/m)*nw for w, nw in zip(weights, nabla_w)]
        net.biases = [b-(eta/m)*nb for b, nb in zip(net.biases, nabla_b)]
        return cost
    for key, params, grads in (("w", weights, nabla_w), ("b", net.biases, nabla_b)):
        v = velocities.get(key) or [np.zeros(p.shape) for p in params]
        velocities[key] = [mu*vl-(eta/m)*g for vl, g in zip(v, grads)]
    net.weights = [w+v for w, v in zip(weights, velocities["w"])]
    net.biases = [b+v for b, v in zip(net.biases, velocities["b"])]
    return cost


def sparse_images(rng, n, pixels):
    """Return ``n`` random uint8 images of ``pixels`` pixels, about 70% of
    them 0 and the first and last eighth of the columns 0 in every image."""
    images = rng.randint(0, 256, size=(n, pixels)).astype(np.uint8)
    images[rng.rand(n, pixels) < 0.7] = 0
    images[:, :pixels//8] = 0
    images[:, pixels-pixels//8:] = 0
    return images


def run_pair(sizes, cost, lmbda, init, group=2, seed=0, activation="sigmoid", output="sigmoid",
             mu=0.0, reg="L2", **options):
    """Train two copies of one network (hidden layers of ``activation``)
    for ``EPOCHS`` epochs on random uint8 images, with LeanStep (given
    ``options``: kernel, sparse) and with ``reference_step``; return
    ``(max parameter difference, max cost difference, steps)``."""
    rng = np.random.RandomState(seed)
    images = sparse_images(rng, N, sizes[0])
    labels = rng.randint(0, sizes[-1], size=N)
    lean_net = Network(sizes, cost=cost, init=init, seed=seed+1, activation=activation, output=output)
    ref_net = Network(sizes, cost=cost, init=init, seed=seed+1, activation=activation, output=output)
    lean = LeanStep(lean_net, images, labels, M, ETA, lmbda, group=group, mu=mu, reg=reg, **options)
    velocities = {}
    worst_param, worst_cost, steps = 0.0, 0.0, 0
    for epoch in range(EPOCHS):
        order = rng.permutation(N)
        for k in range(0, N, M):
            lean_cost, m = lean.step(order, k)
            idx = order[k:k+M]
            assert m == len(idx)
            ref_cost = reference_step(ref_net, images[idx].T/255.0, labels[idx], ETA, lmbda, N,
                                      mu, reg, velocities)
            worst_cost = max(worst_cost, abs(lean_cost-ref_cost))
            steps += 1
        for p, q in zip(lean_net.weights+lean_net.biases, ref_net.weights+ref_net.biases):
            assert p.shape == q.shape
            worst_param = max(worst_param, float(np.abs(p-q).max()))
    return worst_param, worst_cost, steps


def check():
    """Return a list of dicts, one per setting, with the largest parameter
    and cost differences between the lean step and the reference."""
    results = []
    for sizes in ([784, 12, 10], [784, 9, 7, 10]):
        for cost in ("QuadraticCost", "CrossEntropyCost"):
            for lmbda in (0.0, 2.0):
                for init in ("large", "scaled"):
                    param, cost_diff, steps = run_pair(sizes, cost, lmbda, init)
                    results.append({"sizes": sizes, "cost": cost, "lmbda": lmbda,
                                    "init": init, "param": param, "cost_diff": cost_diff,
                                    "steps": steps})
    return results


def check_activations(activations=("tanh", "relu")):
    """Return ``check()``'s results for networks whose hidden layers use
    each of ``activations``, every cost, L2 and init, one dict per setting
    (with its "activation")."""
    results = []
    for activation in activations:
        for sizes in ([784, 12, 10], [784, 9, 7, 10]):
            for cost in ("QuadraticCost", "CrossEntropyCost"):
                for lmbda in (0.0, 2.0):
                    for init in ("large", "scaled"):
                        param, cost_diff, steps = run_pair(sizes, cost, lmbda, init,
                                                           activation=activation)
                        results.append({"activation": activation, "sizes": sizes, "cost": cost,
                                        "lmbda": lmbda, "init": init, "param": param,
                                        "cost_diff": cost_diff, "steps": steps})
    return results


def check_softmax():
    """Return ``check()``'s results for a softmax output layer with the
    log-likelihood cost, under each hidden activation, L2 and init."""
    results = []
    for activation in ("sigmoid", "tanh", "relu"):
        for sizes in ([784, 12, 10], [784, 9, 7, 10]):
            for lmbda in (0.0, 2.0):
                for init in ("large", "scaled"):
                    param, cost_diff, steps = run_pair(sizes, "LogLikelihoodCost", lmbda, init,
                                                       activation=activation, output="softmax")
                    results.append({"activation": activation, "output": "softmax", "sizes": sizes,
                                    "cost": "LogLikelihoodCost", "lmbda": lmbda, "init": init,
                                    "param": param, "cost_diff": cost_diff, "steps": steps})
    return results


def check_optimizers():
    """Return ``check()``'s results with momentum (mu 0 and 0.9) and each
    regularization (L2, L1), every cost, and both network shapes."""
    results = []
    for mu in (0.0, 0.9):
        for reg in ("L2", "L1"):
            for sizes in ([784, 12, 10], [784, 9, 7, 10]):
                for cost in ("QuadraticCost", "CrossEntropyCost"):
                    param, cost_diff, steps = run_pair(sizes, cost, 2.0, "scaled", mu=mu, reg=reg)
                    results.append({"mu": mu, "reg": reg, "sizes": sizes, "cost": cost,
                                    "param": param, "cost_diff": cost_diff, "steps": steps})
    return results


def dropout_reference_step(net, X, labels, eta, p, rng):
    """Apply one step of gradient descent with inverted dropout to ``net``,
    one sample at a time: for each hidden layer, in order, one (m, n) draw
    from ``rng`` keeps unit j of sample i where it is >= p, scaled by
    1/(1-p); the dropped units pass no error back.  Return the summed cost."""
    m = X.shape[1]
    hidden = net.layers[:-1]
    masks = [(rng.random_sample((m, layer.n_out)) >= p)/(1.0-p) for layer in hidden]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    cost = 0.0
    for i in range(m):
        a = X[:, i:i+1]
        y = np.zeros((net.sizes[-1], 1))
        y[labels[i]] = 1.0
        inputs, primes, kept = [], [], []
        for l, (layer, w, b) in enumerate(zip(net.layers, net.weights, net.biases)):
            inputs.append(a)
            z = np.dot(w, a)+b
            a = layer.activation.fn(z)
            if l < len(hidden):
                keep = masks[l][i].reshape(-1, 1)
                primes.append(layer.activation.prime(z))
                kept.append(keep)
                a = a*keep
        cost += net.cost.fn(a, y)
        out = net.layers[-1].activation
        delta = a-y if out.name in net.cost.fuses else net.cost.derivative(a, y)*out.prime_from_output(a)
        for l in range(len(net.layers)-1, -1, -1):
            nabla_b[l] += delta
            nabla_w[l] += np.dot(delta, inputs[l].T)
            if l > 0:
                delta = np.dot(net.weights[l].T, delta)*primes[l-1]*kept[l-1]
    net.weights = [w-(eta/m)*nw for w, nw in zip(net.weights, nabla_w)]
    net.biases = [b-(eta/m)*nb for b, nb in zip(net.biases, nabla_b)]
    return cost


def check_dropout(p=0.5):
    """Return the largest differences between the lean step with dropout
    ``p`` and ``dropout_reference_step`` drawing the same masks, for each
    network shape, cost and hidden activation."""
    results = []
    for sizes in ([784, 12, 10], [784, 9, 7, 10]):
        for cost in ("QuadraticCost", "CrossEntropyCost"):
            for activation in ("sigmoid", "relu"):
                rng = np.random.RandomState(0)
                images = sparse_images(rng, N, sizes[0])
                labels = rng.randint(0, sizes[-1], size=N)
                lean_net = Network(sizes, cost=cost, init="scaled", seed=1, activation=activation)
                ref_net = Network(sizes, cost=cost, init="scaled", seed=1, activation=activation)
                lean = LeanStep(lean_net, images, labels, M, ETA, dropout=p, dropout_seed=5)
                masks = np.random.RandomState(5)
                worst_param, worst_cost, steps = 0.0, 0.0, 0
                for epoch in range(EPOCHS):
                    order = rng.permutation(N)
                    for k in range(0, N, M):
                        lean_cost, m = lean.step(order, k)
                        idx = order[k:k+M]
                        ref_cost = dropout_reference_step(ref_net, images[idx].T/255.0, labels[idx],
                                                          ETA, p, masks)
                        worst_cost = max(worst_cost, abs(lean_cost-ref_cost))
                        steps += 1
                    for a, b in zip(lean_net.weights+lean_net.biases, ref_net.weights+ref_net.biases):
                        worst_param = max(worst_param, float(np.abs(a-b).max()))
                results.append({"sizes": sizes, "cost": cost, "activation": activation, "p": p,
                                "param": worst_param, "cost_diff": worst_cost, "steps": steps})
    return results
