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
as in arithmetic (``bench/profile_step.py`` times every part):

- Each layer's parameters live in one matrix Q = [W | b]^T of shape
  (n_in + 1, n_out), and every activation gets a column of ones, so
  z = [a | 1] Q is one product and the bias gradient is the last row of the
  weight gradient.  ``network.weights[l]`` and ``network.biases[l]`` are
  views into Q (W = Q[:-1].T, b = Q[-1:].T), so the network object always
  holds the current values.
- Activations are rows, a (m, n + 1) array per layer, one sample per row.
- Pixels that are 0 in every image of a mini-batch are left out of the input
  layer: their terms x_k w_jk add exactly 0 to z, and their rows of the
  weight gradient x^T delta are exactly 0, so the input layer multiplies
  only the K columns of x that are not all zero (about 380 of 784 for
  MNIST at m = 10) with the K matching rows of Q, taken out before the step
  and put back after it.  The sums keep their order: the results are the
  dense product's, bit for bit (unless a weight were inf or nan, where
  0 * inf is nan).  This is done where the input layer runs as
  ``np.einsum``, which is
- without a BLAS (Pyodide's NumPy): the input layer's two products,
  z = [x | 1] Q and its gradient [x | 1]^T delta, run as ``np.einsum`` (a
  contiguous multiply-add as the inner loop, where ``np.matmul`` without
  BLAS runs a strided dot product per number).  With a BLAS, ``np.matmul``
  is several times faster than einsum and the gathering would cost more
  than it saves: the input layer is dense matmul (``default_kernel``).
  The small layers always use ``np.matmul``.
- The uint8 -> float conversion, the one-hot targets and the kept columns
  of each mini-batch are done for ``group`` mini-batches at once, in a few
  whole-array calls; when sparse, only the kept columns are converted (the
  raw pixels are gathered first, then divided in one call).
- Every intermediate has an ``out=`` buffer allocated once per batch size,
  the views into them are made once, and scalars are 0-d arrays (NumPy
  converts a Python float on every call).

The arithmetic per number is the book's, in the same order: with einsum in
the browser's NumPy (no BLAS) the parameters equal ``Network.update_batch``'s
bit for bit (only the summed cost is added up in another order); where a
BLAS adds the products in its own order, they agree to rounding (~1e-15).
"""

import numpy as np

from .costs import output_step
from .optimizer import SGD

KERNELS = ("einsum", "matmul")


class LeanStep(object):

    def __init__(self, network, images, labels, mini_batch_size, eta, lmbda=0.0,
                 group=10, kernel=None, sparse=None, mu=0.0, reg="L2", dropout=0.0,
                 dropout_seed=None):
        """Prepare to train ``network`` on ``images``, a (n, n_in) array of
        uint8 pixels (or floats in [0, 1]; or anything with ``shape``,
        ``dtype`` and rows by an index array, as ``expand.ExpandedImages``),
        with int ``labels`` (n,), by
        mini-batches of ``mini_batch_size`` with learning rate ``eta`` and
        L2 parameter ``lmbda`` (n is the training set's size).  ``group``
        mini-batches are converted to floats at a time.  ``kernel`` is the
        input layer's product, "einsum" or "matmul"; None takes
        ``default_kernel()``.  ``sparse`` leaves out the pixels that are 0
        in a whole mini-batch; None does so with einsum (worth it without
        BLAS, not with one: the gathering costs more than it saves; never
        with momentum).  ``mu`` and ``reg`` are the momentum co-efficient and
        the regularization, "L2" or "L1" (``optimizer.SGD``).  ``dropout``
        is the probability that a hidden unit is left out of a mini-batch
        (inverted dropout, masks drawn from ``RandomState(dropout_seed)``:
        nothing changes at test time).  The network's ``weights`` and ``biases``
        become lists of views into this object's parameter matrices; when
        they are replaced by other lists (as ``model_io`` or the seed's
        ``update_mini_batch`` do), the next step takes their arrays over."""
        if network.convolutional:
            raise ValueError("LeanStep trains networks of dense layers; a network with conv "
                             "layers trains with batch_step.BatchStep (Trainer picks it).")
        if kernel is not None and kernel not in KERNELS:
            raise ValueError("kernel must be one of {}, got {!r}.".format(KERNELS, kernel))
        self.network = network
        if isinstance(images, np.ndarray):
            images = images.reshape(images.shape[0], -1)    # (n, 28, 28) -> (n, 784), a view
        self.images = images          # or rows made when indexed (expand.ExpandedImages)
        self.labels = np.asarray(labels, dtype=np.intp)
        self.n = images.shape[0]
        self.mini_batch_size = int(mini_batch_size)
        self.eta = float(eta)
        self.lmbda = float(lmbda)
        self.dtype = network.dtype
        self.optimizer = SGD(self.eta, self.lmbda, self.n, self.dtype, mu=mu, reg=reg)   # the update rule
        self.cost = network.cost
        self.activations = [layer.activation for layer in network.layers]
        if not 0.0 <= dropout < 1.0:
            raise ValueError("dropout must be at least 0 and below 1, got {!r}.".format(dropout))
        self.dropout = float(dropout)
        self.dropout_rng = np.random.RandomState(dropout_seed)
        self._targets = np.eye(network.sizes[-1], dtype=self.dtype)
        n_in = network.sizes[0]
        rows = min(self.n, group*self.mini_batch_size)
        self._group = max(1, rows//self.mini_batch_size)*self.mini_batch_size
        # the raw pixels of a group, one extra column holding the value that
        # converts to 1.0: the bias input, kept in every mini-batch
        uint8 = self.images.dtype == np.uint8
        self._scale = 255.0 if uint8 else 1.0
        self._pixels = np.empty((self._group, n_in+1), dtype=self.images.dtype)
        self._pixels[:, -1] = self._scale
        self._dense = np.empty(self._group*(n_in+1), dtype=self.dtype)
        self._inputs = np.empty(self._group*(n_in+1), dtype=self.dtype)
        self._raw = np.empty(self._group*(n_in+1), dtype=self.images.dtype)   # kept raw pixels
        self._block_ends = np.arange(1, self._group//self.mini_batch_size+1)*(n_in+1)
        self._outputs = np.empty((self._group, network.sizes[-1]), dtype=self.dtype)
        self._group_order, self._group_start, self._group_end = None, 0, 0
        self._last = None           # the last step's plan and input-layer gradient
        self._batches = []
        self._params = None
        self._buffers = {}
        self._adopt()
        n_1 = network.sizes[1]
        self._kept = np.empty((n_in+1, n_1), dtype=self.dtype)      # the kept rows of Q_0
        self._kept_rows = _rows(self._kept)
        self._kept_grad = np.empty((n_in+1, n_1), dtype=self.dtype)
        self.kernel = kernel or default_kernel()
        self.sparse = self.kernel == "einsum" if sparse is None else bool(sparse)
        if self.optimizer.mu:
            # with momentum every weight moves every step (its velocity), not only those
            # of the pixels a mini-batch uses: the input layer stays whole
            self.sparse = False

    def bias_gradients(self):
        """Return, for each layer, the length of the last mini-batch's mean
        gradient with respect to the layer's biases, ||(1/m) sum dC/db||:
        the book's speed of learning of a layer (chapter 5).  It is read
        from the step's own gradient buffers (the bias row of [W | b]^T's
        gradient, scaled by eta/m there), so it costs nothing per step."""
        buf, grad = self._last
        rows = [grad[-1]]+[G[-1] for Q, G in buf.updates]
        return [float(np.sqrt(np.dot(r, r)))/self.eta for r in rows]

    def set_eta(self, eta):
        """Go on with learning rate ``eta`` (a schedule's halving)."""
        self.eta = float(eta)
        self.optimizer.set_eta(self.eta)
        for m, buf in self._buffers.items():
            buf.scale[...] = self.optimizer.scale(m)

    def step(self, order, k):
        """Apply one step of gradient descent for the mini-batch
        ``order[k:k+mini_batch_size]`` (indices into the training set) and
        return ``(cost, m)``: the batch's summed cost before the step and
        its size.  The inputs of the next ``group`` mini-batches of
        ``order`` are converted together when needed."""
        j = k-self._group_start
        if not (order is self._group_order and 0 <= j < self._group_end-self._group_start
                and j % self.mini_batch_size == 0):
            self._convert(order, k)
            j = 0
        net = self.network
        if net.weights is not self._weight_list or net.biases is not self._bias_list:
            self._adopt()  # someone replaced the network's lists: take their arrays over
        X, XT, cols, kept, kept_rows, grad, Y = self._batches[j//self.mini_batch_size]
        m = X.shape[0]
        buf = self._buffers.get(m) or self._allocate(m)
        multiply, matmul, optimizer = np.multiply, np.matmul, self.optimizer
        Q0 = self._params[0]
        einsum = self.kernel == "einsum"
        # forward: z = [a | 1] Q, a = sigma(z) written into the next [a | 1]
        if cols is None:
            kept = Q0
        else:
            np.take(Q0, cols, axis=0, out=kept, mode="wrap")   # mode="raise" copies out first
        z, a = buf.z0, buf.a0
        if einsum:
            np.einsum("ik,kj->ij", X, kept, out=z)
        else:
            matmul(X, kept, out=z)
        buf.apply0(z, a)
        for a_prev, Q, z, a, apply in buf.forward:
            matmul(a_prev, Q, out=z)
            apply(z, a)
        # output error and cost (delta = dC/dz, scaled by eta/m as update_batch does)
        delta = buf.delta
        cost = buf.output(a, Y, delta, buf.err)
        multiply(delta, buf.scale, out=delta)
        # backward: G = [a | 1]^T delta; delta_prev = (delta W) * sigma'(z_prev), from a_prev
        for a_prev_T, delta, G, W, delta_prev, a_prev, sp, prime in buf.backward:
            matmul(a_prev_T, delta, out=G)
            matmul(delta, W, out=delta_prev)
            prime(a_prev, sp)
            multiply(delta_prev, sp, out=delta_prev)
        delta = buf.delta0
        if einsum:
            np.einsum("ki,kj->ij", X, delta, out=grad)
        else:
            matmul(XT, delta, out=grad)
        # update (optimizer.SGD): w <- (1-eta*lmbda/n) w - G_w, b <- b - G_b
        if optimizer.decays:
            optimizer.decay(self._weights)
            if cols is not None:
                np.take(Q0, cols, axis=0, out=kept, mode="wrap")
        apply = optimizer.apply
        for Q, G in buf.updates:
            apply(Q, G, out=Q)
        apply(kept, grad, out=kept)
        if cols is not None:
            self._rows0[cols] = kept_rows   # put them back (the others' gradient is exactly 0)
        self._last = (buf, grad)
        return cost, m

    def _convert(self, order, k):
        """Convert the inputs and targets of ``order[k:k+group]``: for each
        mini-batch, a (m, n_in + 1) float array [x | 1], or, when sparse, the
        K columns of it that are not 0 in all its images (the bias column
        among them) as a (m, K) array, with their indices."""
        mbs, pixels = self.mini_batch_size, self._pixels
        idx = order[k:k+self._group]
        count = len(idx)
        nb = -(-count//mbs)
        width = pixels.shape[1]
        pixels[:count, :-1] = self.images[idx]
        pixels[count:nb*mbs, :-1] = 0   # a last, short mini-batch: its padding adds no column
        np.take(self._targets, self.labels[idx], axis=0, out=self._outputs[:count])
        self._group_order, self._group_start, self._group_end = order, k, k+count
        if not self.sparse:
            dense = self._dense[:count*width].reshape(count, width)   # [x | 1] of the whole group
            np.divide(pixels[:count], self._scale, out=dense, dtype=np.float64, casting="same_kind")
            X = dense
            self._batches = [(X[j:j+mbs], X[j:j+mbs].T, None, None, None, self._kept_grad,
                              self._outputs[j:min(j+mbs, count)]) for j in range(0, count, mbs)]
            return
        blocks = pixels[:nb*mbs].reshape(nb, mbs, width)
        if pixels.dtype == np.uint8:
            mask = np.bitwise_or.reduce(blocks, axis=1)
        else:
            mask = np.logical_or.reduce(blocks != 0, axis=1)
        kept = np.flatnonzero(mask)                          # b*width + column, batch by batch
        bounds = [0]+np.searchsorted(kept, self._block_ends[:nb]).tolist()
        np.remainder(kept, width, out=kept)
        self._batches = batches = []
        start = 0
        for b in range(nb):
            lo, hi = bounds[b], bounds[b+1]
            K, m, cols = hi-lo, min(mbs, count-b*mbs), kept[lo:hi]
            X = self._inputs[start:start+m*K].reshape(m, K)
            np.take(pixels[b*mbs:b*mbs+m], cols, axis=1, mode="wrap",
                    out=self._raw[start:start+m*K].reshape(m, K))
            batches.append((X, X.T, cols, self._kept[:K], self._kept_rows[:K],
                            self._kept_grad[:K], self._outputs[b*mbs:b*mbs+m]))
            start += m*K
        # only the kept columns become floats: one division for the whole group
        np.divide(self._raw[:start], self._scale, out=self._inputs[:start], dtype=np.float64,
                  casting="same_kind")

    def _adopt(self):
        """Copy the network's weights and biases into the matrices
        Q = [W | b]^T and make the network's arrays views into them."""
        net = self.network
        self._params = [np.ascontiguousarray(np.concatenate([w, b], axis=1).T, dtype=self.dtype)
                        for w, b in zip(net.weights, net.biases)]
        self._weights = [Q[:-1].T for Q in self._params]
        self._rows0 = _rows(self._params[0])
        self._biases = [Q[-1:].T for Q in self._params]
        net.weights = self._weight_list = list(self._weights)
        net.biases = self._bias_list = list(self._biases)
        self._buffers = {}   # their plans name the old matrices

    def _allocate(self, m):
        """Create and return the buffers and the per-layer plan for
        mini-batches of ``m`` samples: the activations [a | 1] of the hidden
        layers, the weighted inputs z, a(1-a) and the deltas, each (m, n)
        for a layer of n neurons (rows are samples), with the views the step
        uses, grouped per layer in the order the step visits them."""
        sizes, dtype = self.network.sizes, self.dtype
        L = len(sizes)-1
        acts = [None]+[np.ones((m, s+1), dtype=dtype) for s in sizes[1:-1]]
        outs = [a[:, :-1] for a in acts[1:]]+[np.empty((m, sizes[-1]), dtype=dtype)]
        zs = [np.empty((m, s), dtype=dtype) for s in sizes[1:]]
        sps = [np.empty((m, s), dtype=dtype) for s in sizes[1:]]
        deltas = [np.empty((m, s), dtype=dtype) for s in sizes[1:]]
        grads = [np.empty_like(Q) for Q in self._params]
        act = self.activations
        buf = _Plan()
        kernels = [a.kernels(dtype) for a in act]
        if self.dropout:
            kernels = [_dropped(apply, prime, outs[l], sps[l], self.dropout, self.dropout_rng)
                       for l, (apply, prime) in enumerate(kernels[:-1])]+kernels[-1:]
        buf.z0, buf.a0, buf.apply0 = zs[0], outs[0], kernels[0][0]
        buf.output = output_step(self.cost, act[-1], dtype)
        buf.forward = [(acts[l], self._params[l], zs[l], outs[l], kernels[l][0]) for l in range(1, L)]
        buf.delta, buf.delta0 = deltas[-1], deltas[0]
        buf.err = zs[-1]          # z is spent: it holds dC/da where the cost needs it
        buf.scale = np.array(self.optimizer.scale(m), dtype=dtype)
        buf.backward = [(acts[l].T, deltas[l], grads[l], self._weights[l], deltas[l-1],
                         outs[l-1], sps[l-1], kernels[l-1][1])
                        for l in range(L-1, 0, -1)]
        buf.updates = [(self._params[l], grads[l]) for l in range(1, L)]
        self._buffers[m] = buf
        return buf


def _dropped(apply, prime, a, sp, p, rng):
    """Return ``(apply, prime)`` kernels for a hidden layer whose outputs
    ``a`` (m, n) are dropped out with probability ``p`` while training
    (inverted dropout): after sigma(z), sigma'(z) goes into ``sp``, each unit
    of each sample is kept with probability 1-p (a fresh mask from ``rng``
    per mini-batch) and the kept ones are scaled by 1/(1-p), in ``a`` and in
    ``sp`` alike, so the backward pass's error reaches only the units that
    took part; ``prime`` then has nothing left to do."""
    mask = np.empty(a.shape, dtype=a.dtype)
    keep = np.array(1.0/(1.0-p), dtype=a.dtype)
    greater_equal, multiply = np.greater_equal, np.multiply

    def dropped_apply(z, out):
        apply(z, out)
        prime(out, sp)
        greater_equal(rng.random_sample(mask.shape), p, out=mask)
        multiply(mask, keep, out=mask)
        multiply(out, mask, out=out)
        multiply(sp, mask, out=sp)

    def done(a, out):
        pass
    return dropped_apply, done


def _rows(Q):
    """Return a 1-d view of the C-contiguous 2-d array ``Q`` whose items
    are its rows (as raw bytes): NumPy copies such items with one memcpy
    each when they are scattered by an index array."""
    return Q.view(np.dtype((np.void, Q.shape[1]*Q.itemsize))).reshape(-1)


class _Plan(object):
    """The buffers and per-layer views of steps with one mini-batch size."""
    __slots__ = ("z0", "a0", "apply0", "output", "forward", "delta", "delta0", "err", "scale",
                 "backward", "updates")


def default_kernel():
    """Return the input layer's product for this NumPy: "matmul" when NumPy
    was built with a BLAS (several times faster than einsum at m = 10),
    "einsum" without one (Pyodide's NumPy, where ``np.matmul`` runs a strided
    dot product per number).  Decided from NumPy's build configuration, so
    one installation always makes the same choice."""
    config = np.__config__
    info = getattr(config, "CONFIG", None)   # NumPy >= 1.26
    if isinstance(info, dict):
        return "matmul" if info.get("Build Dependencies", {}).get("blas", {}).get("found") else "einsum"
    found = any(getattr(config, name) for name in dir(config)   # older: blas_opt_info etc.
                if name.startswith("blas") and name.endswith("opt_info"))
    return "matmul" if found else "einsum"
