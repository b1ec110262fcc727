"""
fast.py
~~~~~~~

The lean training step: the same mathematics as ``Network.update_batch``
(one step of mini-batch gradient descent with backpropagation, quadratic or
cross-entropy cost, L2 decay (1 - eta*lmbda/n)), arranged so that almost no
time goes anywhere but the matrix products.  ``network.py`` stays the
readable version; ``Network.backprop`` is the per-sample reference that the
tests hold this step to (within 1e-9 in float64).

What is different, measured in the browser's NumPy (1.17, no BLAS), where a
mini-batch of m = 10 costs about as much in Python and small-array overhead
as in arithmetic:

- Each layer's parameters live in one matrix Q = [W | b]^T of shape
  (n_in + 1, n_out), and every activation gets a column of ones, so
  z = [a | 1] Q is one product and the bias gradient is the last row of the
  weight gradient.  ``network.weights[l]`` and ``network.biases[l]`` are
  views into Q (W = Q[:-1].T, b = Q[-1:].T), so the network object always
  holds the current values.
- Activations are rows, a (m, n + 1) array per layer, one sample per row:
  uint8 MNIST rows convert to floats without a transpose, and the input
  layer's two large products, z = [x | 1] Q and its gradient [x | 1]^T delta,
  run as ``np.einsum`` with a contiguous multiply-add as the inner loop
  (over the n_out columns of Q), where ``np.matmul`` without BLAS runs a
  strided dot product per number; the small layers keep ``np.matmul``.
- The uint8 -> float conversion (and the one-hot targets) is done for
  ``group`` mini-batches at once into one reusable buffer.
- Every intermediate has an ``out=`` buffer allocated once per batch size;
  the views into them are made once.

The arithmetic per number is the book's, in the same order: in the
browser's NumPy (no BLAS) the parameters equal ``Network.update_batch``'s
bit for bit (only the summed cost is added up in another order); where a
BLAS adds the products in its own order, they agree to rounding (~1e-15).
"""

import numpy as np

from .network import QuadraticCost


class LeanStep(object):

    def __init__(self, network, images, labels, mini_batch_size, eta, lmbda=0.0,
                 group=10):
        """Prepare to train ``network`` on ``images``, a (n, n_in) array of
        uint8 pixels (or floats in [0, 1]), with int ``labels`` (n,), by
        mini-batches of ``mini_batch_size`` with learning rate ``eta`` and
        L2 parameter ``lmbda`` (n is the training set's size).  ``group``
        mini-batches are converted to floats at a time.  The network's
        ``weights`` and ``biases`` become lists of views into this object's
        parameter matrices; when they are replaced by other lists (as
        ``model_io`` or the seed's ``update_mini_batch`` do), the next step
        takes their arrays over."""
        self.network = network
        self.images = images.reshape(images.shape[0], -1)  # (n, 28, 28) -> (n, 784), a view
        self.labels = np.asarray(labels, dtype=np.intp)
        self.n = images.shape[0]
        self.mini_batch_size = int(mini_batch_size)
        self.eta = float(eta)
        self.lmbda = float(lmbda)
        self.dtype = network.dtype
        self.decay = 1.0-self.eta*self.lmbda/self.n
        self.quadratic = network.cost is QuadraticCost
        self._targets = np.eye(network.sizes[-1], dtype=self.dtype)
        rows = min(self.n, group*self.mini_batch_size)
        self._group = max(1, rows//self.mini_batch_size)*self.mini_batch_size
        # the converted inputs of a group of mini-batches, ones in the last column
        self._inputs = np.ones((self._group, network.sizes[0]+1), dtype=self.dtype)
        self._outputs = np.empty((self._group, network.sizes[-1]), dtype=self.dtype)
        self._group_order, self._group_start, self._group_end = None, 0, 0
        self._params = None
        self._adopt()
        # gradients, shaped like the parameter matrices
        self._grads = [np.empty_like(p) for p in self._params]
        self._buffers = {}

    def step(self, order, k):
        """Apply one step of gradient descent for the mini-batch
        ``order[k:k+mini_batch_size]`` (indices into the training set) and
        return ``(cost, m)``: the batch's summed cost before the step and
        its size.  The inputs of the next ``group`` mini-batches of
        ``order`` are converted together when needed."""
        if not (order is self._group_order and self._group_start <= k < self._group_end):
            self._convert(order, k)
        net = self.network
        if net.weights is not self._weight_list or net.biases is not self._bias_list:
            self._adopt()  # someone replaced the network's lists: take their arrays over
        j = k-self._group_start
        m = min(self.mini_batch_size, self._group_end-k)
        buf = self._buffers.get(m) or self._allocate(m)
        acts, a_views, zs, sps, deltas = buf
        acts[0] = self._inputs[j:j+m]
        Y = self._outputs[j:j+m]
        # forward: z = [a | 1] Q, a = sigmoid(z) written into the next [a | 1]
        for l, Q in enumerate(self._params):
            z = zs[l]
            if l == 0:
                np.einsum("ik,kj->ij", acts[0], Q, out=z)
            else:
                np.matmul(acts[l], Q, out=z)
            np.negative(z, out=z)
            np.exp(z, out=z)
            z += 1.0
            np.reciprocal(z, out=a_views[l])
        # output error and cost (delta = dC/dz, scaled by eta/m as update_batch does)
        a, delta = a_views[-1], deltas[-1]
        if self.quadratic:
            err, sp = zs[-1], sps[-1]  # z is spent: it holds the error a-y
            np.subtract(a, Y, out=err)
            cost = 0.5*float(np.vdot(err, err))
            np.subtract(1.0, a, out=sp)
            sp *= a
            np.multiply(err, sp, out=delta)
        else:
            np.subtract(a, Y, out=delta)
            cost = net.cost.fn(a, Y)
        delta *= self.eta/m
        # backward: G = [a | 1]^T delta; delta_prev = (delta W) * a(1-a)
        last = len(self._params)-1
        for l in range(last, -1, -1):
            delta = deltas[l]
            if l == 0:
                np.einsum("ki,kj->ij", acts[0], delta, out=self._grads[0])
            else:
                np.matmul(acts[l].T, delta, out=self._grads[l])
                a, sp = a_views[l-1], sps[l-1]
                np.matmul(delta, self._weights[l], out=deltas[l-1])
                np.subtract(1.0, a, out=sp)
                sp *= a
                deltas[l-1] *= sp
        # update: w <- (1-eta*lmbda/n) w - G_w, b <- b - G_b
        for W, Q, G in zip(self._weights, self._params, self._grads):
            if self.decay != 1.0:
                W *= self.decay
            Q -= G
        return cost, m

    def _convert(self, order, k):
        """Convert the inputs and targets of ``order[k:k+group]`` into the
        group buffers."""
        idx = order[k:k+self._group]
        count = len(idx)
        rows = self.images[idx]
        X = self._inputs[:count, :-1]
        if rows.dtype == np.uint8:
            np.divide(rows, 255.0, out=X, dtype=np.float64, casting="same_kind")
        else:
            X[...] = rows
        np.take(self._targets, self.labels[idx], axis=0, out=self._outputs[:count])
        self._group_order, self._group_start, self._group_end = order, k, k+count

    def _adopt(self):
        """Copy the network's weights and biases into the matrices
        Q = [W | b]^T and make the network's arrays views into them."""
        net = self.network
        self._params = [np.ascontiguousarray(np.concatenate([w, b], axis=1).T, dtype=self.dtype)
                        for w, b in zip(net.weights, net.biases)]
        self._weights = [Q[:-1].T for Q in self._params]
        self._biases = [Q[-1:].T for Q in self._params]
        net.weights = self._weight_list = list(self._weights)
        net.biases = self._bias_list = list(self._biases)

    def _allocate(self, m):
        """Create and return the buffers for mini-batches of ``m`` samples:
        ``(acts, a_views, zs, sps, deltas)``, the activations [a | 1] of
        every layer (the input's is a view of the group buffer, set per
        step), the views a of them, the weighted inputs z, a(1-a) and the
        deltas, each (m, n) for a layer of n neurons (rows are samples)."""
        sizes = self.network.sizes
        acts = [None]+[np.ones((m, s+1), dtype=self.dtype) for s in sizes[1:-1]]
        a_views = [a[:, :-1] for a in acts[1:]]+[np.empty((m, sizes[-1]), dtype=self.dtype)]
        buf = (acts, a_views,
               [np.empty((m, s), dtype=self.dtype) for s in sizes[1:]],
               [np.empty((m, s), dtype=self.dtype) for s in sizes[1:]],
               [np.empty((m, s), dtype=self.dtype) for s in sizes[1:]])
        self._buffers[m] = buf
        return buf
