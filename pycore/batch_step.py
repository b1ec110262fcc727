"""
batch_step.py
~~~~~~~~~~~~~

The training step for networks that ``fast.LeanStep`` does not arrange
(those with conv layers): one step of mini-batch gradient descent through
``Network._gradients``, the layers' own mini-batch path (for a conv layer,
one matrix product per layer through im2col, ``conv.py``), with the update
rule of ``optimizer.py``.  It has the lean step's interface (``step``,
``set_eta``, ``bias_gradients``), so the trainer drives either the same way.
This module uses only NumPy and the package's optimizer.
"""

import numpy as np

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
        self._targets = np.eye(network.sizes[-1], dtype=network.dtype)
        self._nabla_b = None

    def step(self, order, k):
        """Apply one step of gradient descent for the mini-batch
        ``order[k:k+mini_batch_size]`` and return ``(cost, m)``: the batch's
        summed cost before the step and its size."""
        net, optimizer = self.network, self.optimizer
        idx = order[k:k+self.mini_batch_size]
        m = len(idx)
        rows = np.asarray(self.images[idx]).reshape(m, -1)
        X = np.divide(rows, self._scale, dtype=net.dtype).T      # (784, m), rows stay contiguous
        Y = self._targets[self.labels[idx]].T
        nabla_b, nabla_w, cost = net._gradients(X, Y, optimizer.scale(m))
        optimizer.decay(net.weights)
        for param, grad in zip(net.weights+net.biases, nabla_w+nabla_b):
            optimizer.apply(param, grad, out=param)
        self._nabla_b = nabla_b
        return cost, m

    def bias_gradients(self):
        """Return, for each layer, ||(1/m) sum dC/db|| of the last mini-batch
        (the book's speed of learning; ``fast.LeanStep.bias_gradients``)."""
        return [float(np.sqrt(np.sum(nb*nb)))/self.eta for nb in self._nabla_b]

    def set_eta(self, eta):
        """Go on with learning rate ``eta`` (a schedule's halving)."""
        self.eta = float(eta)
        self.optimizer.set_eta(self.eta)
