"""
batch_step.py
~~~~~~~~~~~~~

The training step for networks that ``fast.LeanStep`` does not arrange
(those with conv layers): one step of mini-batch gradient descent with the
update rule of ``optimizer.py``.  The conv layers run their own mini-batch
path (``conv.py``: one matrix product per layer through im2col, samples as
columns); the dense layers after them run here with the samples as rows,
as ``fast.py`` runs them, so that without a BLAS every product is an
``np.einsum`` whose inner loop adds a multiple of one contiguous row to
another (several times faster there than ``np.matmul``'s dot products,
whose every addition waits for the one before): z = a w^T (w^T copied
contiguous once a step), nabla_w = delta^T a, the error delta w.  It is the
mathematics of ``Network._gradients`` (the tests hold it to the per-sample
reference), with the lean step's interface (``step``, ``set_eta``,
``bias_gradients``), so the trainer drives either the same way.
This module uses only NumPy and the package's costs, conv and optimizer.
"""

import numpy as np

from . import costs
from .conv import kernel, product
from .optimizer import SGD


class BatchStep(object):

    def __init__(self, network, images, labels, mini_batch_size, eta, lmbda=0.0,
                 mu=0.0, reg="L2", dropout=0.0, dropout_seed=None):
        """Prepare to train ``network`` on ``images``, a (n, 784) array of
        uint8 pixels (or floats in [0, 1], or rows by an index array, as
        ``expand.ExpandedImages``) with int ``labels`` (n,), by mini-batches
        of ``mini_batch_size`` with learning rate ``eta``; ``lmbda``,
        ``mu`` and ``reg`` go to ``optimizer.SGD``.  Dropout is the lean
        step's alone (dense networks)."""
        if dropout:
            raise ValueError("Dropout works in networks of dense layers only; set it to 0 "
                             "for a network with conv layers.")
        self.network = network
        self.images = images
        self.labels = np.asarray(labels, dtype=np.intp)
        self.n = images.shape[0]
        self.mini_batch_size = int(mini_batch_size)
        self.eta = float(eta)
        self.optimizer = SGD(self.eta, lmbda, self.n, network.dtype, mu=mu, reg=reg)
        self._scale = 255.0 if images.dtype == np.uint8 else 1.0
        self._targets = np.eye(network.sizes[-1], dtype=network.dtype)     # one-hot rows
        self._nabla_b = None
        layers = network.layers
        self._convs = next(l for l, layer in enumerate(layers) if layer.type == "dense")
        self._kernels = [layer.activation.kernels(network.dtype) for layer in layers]
        self._output = costs.output_step(network.cost, layers[-1].activation, network.dtype)
        self._copy_wT = kernel() == "einsum"

    def step(self, order, k):
        """Apply one step of gradient descent for the mini-batch
        ``order[k:k+mini_batch_size]`` and return ``(cost, m)``: the batch's
        summed cost before the step and its size."""
        net, optimizer = self.network, self.optimizer
        idx = order[k:k+self.mini_batch_size]
        m = len(idx)
        rows = np.asarray(self.images[idx]).reshape(m, -1)
        X = np.empty((rows.shape[1], m), dtype=net.dtype)              # (784, m) columns
        np.divide(rows.T, self._scale, out=X, casting="unsafe")
        Y = self._targets[self.labels[idx]]                              # (m, 10) rows
        nabla_b, nabla_w, cost = self.gradients(X, Y, optimizer.scale(m))
        optimizer.decay(net.weights)
        for param, grad in zip(net.weights+net.biases, nabla_w+nabla_b):
            optimizer.apply(param, grad, out=param)
        self._nabla_b = nabla_b
        return cost, m

    def gradients(self, X, Y, scale=1.0):
        """Return ``(nabla_b, nabla_w, cost)`` for the mini-batch ``X`` (784,
        m; one sample per column) with desired outputs ``Y`` (m, 10; one per
        row), the gradients summed over the samples and multiplied by
        ``scale``, shaped like the network's biases and weights; ``cost`` is
        the summed cost before the step."""
        net = self.network
        layers, weights, biases, c = net.layers, net.weights, net.biases, self._convs
        L = len(layers)
        outputs, caches = [X], []          # the conv layers' inputs and outputs, as columns
        for l in range(c):
            cache, a = layers[l].forward(weights[l], biases[l], outputs[-1])
            caches.append(cache)
            outputs.append(a)
        rows = [np.ascontiguousarray(outputs[-1].T)]   # the dense layers' inputs and outputs (m, n)
        for l in range(c, L):
            w = weights[l]
            z = product(rows[-1], np.ascontiguousarray(w.T) if self._copy_wT else w.T)
            z += biases[l].T
            self._kernels[l][0](z, z)                   # sigma(z) in place
            rows.append(z)
        nabla_b, nabla_w = [None]*L, [None]*L
        a = rows[-1]
        delta = np.empty_like(a)
        cost = self._output(a, Y, delta, np.empty_like(a))
        if scale != 1.0:
            delta *= scale
        for l in range(L-1, c-1, -1):      # dense layers: delta (m, n_out)
            nabla_b[l] = delta.sum(axis=0).reshape(-1, 1)
            nabla_w[l] = product(delta.T, rows[l-c])
            if l == 0:
                break
            error = product(delta, weights[l])     # dC/da of the layer below (m, n_in)
            if l > c:
                delta = np.empty_like(error)
                self._kernels[l-1][1](rows[l-c], delta)     # sigma'(z) from the outputs
                delta *= error
            else:
                error = error.T
        for l in range(c-1, -1, -1):       # conv layers: error (n_out, m)
            delta = layers[l].delta(error, caches[l], outputs[l+1])
            nabla_b[l], nabla_w[l], error = layers[l].backward(
                weights[l], delta, outputs[l], l > 0, caches[l])
        return nabla_b, nabla_w, cost

    def bias_gradients(self):
        """Return, for each layer, ||(1/m) sum dC/db|| of the last mini-batch
        (the book's speed of learning; ``fast.LeanStep.bias_gradients``)."""
        return [float(np.sqrt(np.sum(nb*nb)))/self.eta for nb in self._nabla_b]

    def set_eta(self, eta):
        """Go on with learning rate ``eta`` (a schedule's halving)."""
        self.eta = float(eta)
        self.optimizer.set_eta(self.eta)
