"""
conv.py
~~~~~~~

A convolutional layer with max-pooling, the book's ``ConvPoolLayer``
(chapter 6, ``network3.py``): F feature maps, each a k x k filter slid over
the input with stride 1 (a valid convolution), an activation, then the
largest value of each p x p block (max-pooling).  It shares the interface of
``layers.Dense`` (``shapes``, ``fan_in``, ``forward``, ``backward``,
``delta``, ``to_json``), so a network is still a list of layers.

Samples are columns, as everywhere in the package: the input is an
(n_in, m) array whose column holds a sample's C x H x W values in C order
(channel, row, column; a 28 x 28 image is 784 values row by row), and the
output an (F * PH * PW, m) array, feature map by feature map, the way
``network3.py`` flattens its output for the dense layer after it.

The weights are an (F, C*k*k) array: row f is filter f, read as C k x k
images.  The mini-batch path is im2col, laid out so that NumPy never moves
single numbers: an (n_in, m) input already is a (C, H, W, m) array (each
pixel's m samples side by side), and its columns are first split into p
phases (columns r, r+p, r+2p, ... for each r < p), so that the units in
column dj of every pooling block read, for each filter tap, whole runs of
PW*m inputs.  ``cols`` (C*k*k, p*PH*p*PW*m) holds the input under each tap
(c, i, j) for every pooled unit and sample, ordered (block column dj, row,
block, sample); the convolution is one matrix product, z = w cols + b, and
so are its gradients (nabla_w = delta cols^T; the input's error, w^T delta
as (F, OH, OW, m) feature maps, added back one tap at a time over whole
rows).  In that order the units of one block column dj are one array and
the two rows of a block two runs, so max-pooling is an elementwise maximum,
first over the p columns of each block row, then over its p rows, and the
pooled output (F, PH, PW, m) is the next layer's (n_out, m) input as it
stands.  The error of a pooled output goes to one unit of its block, the
first largest value row by row: the first row holding the block's largest
value, then the first largest of that row.  ``conv_reference.py`` is the
same mathematics with plain loops over positions, one sample at a time;
the tests hold this module to it.

This module uses only NumPy.
"""

import numpy as np

from . import activations

INPUT_SHAPE = (1, 28, 28)     # an MNIST image: one channel of 28 x 28 pixels


class ConvCache(object):
    """What a conv layer's forward pass keeps for its backward pass: the
    windows ``cols`` (C*k*k, p*PH*p*PW*m), the outputs before pooling
    ``act`` (F, p, PH*p*PW*m; without pooling (F, OH*OW*m)) and ``rows``,
    the largest value of each block row (F, PH, p, PW*m; None without
    pooling)."""
    __slots__ = ("cols", "act", "rows")

    def __init__(self, cols, act, rows):
        self.cols, self.act, self.rows = cols, act, rows


class ConvPool(object):
    """A conv layer of ``filters`` k x k filters (``size``) over inputs of
    shape ``in_shape`` (C, H, W), followed by ``activation`` and p x p
    max-pooling (``pool``; 1: none)."""
    type = "conv"

    def __init__(self, in_shape, filters, size, pool=2, activation="relu"):
        C, H, W = (int(s) for s in in_shape)
        self.in_shape = (C, H, W)
        self.filters, self.size, self.pool = int(filters), int(size), int(pool)
        self.activation = activations.get(activation)
        k, p = self.size, self.pool
        self.conv_shape = (H-k+1, W-k+1)             # OH, OW
        self.out_shape = (self.filters, (H-k+1)//p, (W-k+1)//p)
        self.n_in = C*H*W
        self.n_out = self.filters*self.out_shape[1]*self.out_shape[2]

    @property
    def shapes(self):
        """Return the shapes of the layer's weights (F, C*k*k) and biases (F, 1)."""
        C, k = self.in_shape[0], self.size
        return (self.filters, C*k*k), (self.filters, 1)

    @property
    def fan_in(self):
        """Return the number of inputs of each neuron, C*k*k."""
        return self.shapes[0][1]

    @property
    def multiply_adds(self):
        """Return the multiply-adds of the forward pass per sample."""
        OH, OW = self.conv_shape
        return OH*OW*self.fan_in*self.filters

    @property
    def work(self):
        """Return (at most) the number of floats the forward pass keeps per
        sample (the windows, the outputs before pooling and the block rows'
        largest values): what decides how many samples can be fed forward
        at once."""
        OH, OW = self.conv_shape
        return OH*OW*(self.fan_in+2*self.filters)

    def phases(self, a):
        """Return the inputs ``a`` (n_in, m) as a (C, H, p, ceil(W/p), m)
        array: phase r holds the columns r, r+p, r+2p, ... of every row
        (each column's m samples side by side)."""
        C, H, W = self.in_shape
        p, m = self.pool, a.shape[1]
        x = a.reshape(C, H, W, m)
        if p == 1:
            return np.ascontiguousarray(x).reshape(C, H, 1, W, m)
        xp = np.empty((C, H, p, -(-W//p), m), dtype=a.dtype)
        for r in range(p):
            xp[:, :, r, :len(range(r, W, p))] = x[:, :, r::p]
        return xp

    def windows(self, a):
        """Return ``cols``, the (C*k*k, p*PH*p*PW*m) array of the windows
        of the inputs ``a`` (n_in, m) at the pooled positions: row (c, i,
        j) holds, for each column dj of a pooling block, each row y < PH*p,
        each block column bj and each sample, the input at (c, y+i,
        bj*p+dj+j).  Copied from ``phases`` a tap and a block column at a
        time, in runs of PW*m numbers."""
        C, H, W = self.in_shape
        F, PH, PW = self.out_shape
        k, p, m = self.size, self.pool, a.shape[1]
        xp = self.phases(a)
        sc, sy, sr, sq, s = xp.strides
        cols = np.empty((C, k, k, p, PH*p, PW*m), dtype=a.dtype)
        for j in range(k):                # (a view made by np.ndarray: as_strided costs more)
            for dj in range(p):           # tap column j of block column dj: phase (dj+j) % p
                start = (dj+j) % p*sr + (dj+j)//p*sq
                cols[:, :, j, dj] = np.ndarray((C, k, PH*p, PW*m), a.dtype, xp, start, (sc, sy, sy, s))
        return cols.reshape(C*k*k, -1)

    def forward(self, w, b, a):
        """Return ``(cache, a_out)`` for the inputs ``a``, an (n_in, m)
        array: ``a_out`` the pooled outputs, an (F*PH*PW, m) array, and
        ``cache`` what the backward pass needs (a ``ConvCache``).  sigma(z),
        z = w cols + b, is (F, p, PH*p*PW*m): the units of one column dj of
        every block form one array, so pooling is an elementwise maximum,
        first over the p columns of each block row, then over the rows."""
        m, p, F = a.shape[1], self.pool, self.filters
        cols = self.windows(a)
        act = product(w, cols)
        act += b
        self.activation.apply(act, act)              # sigma(z) in place
        if p == 1:
            return ConvCache(cols, act, None), act.reshape(-1, m)
        _, PH, PW = self.out_shape
        A = act.reshape(F, p, -1)
        rows = np.maximum(A[:, 0], A[:, 1])          # each block row's largest (F, PH*p*PW*m)
        for j in range(2, p):
            np.maximum(rows, A[:, j], out=rows)
        R = rows.reshape(F, PH, p, PW*m)
        out = np.maximum(R[:, :, 0], R[:, :, 1])
        for i in range(2, p):
            np.maximum(out, R[:, :, i], out=out)
        return ConvCache(cols, A, R), out.reshape(-1, m)

    def delta(self, error, cache, a):
        """Return delta = dC/dz, an (F, p*PH*p*PW*m) array in the order of
        ``windows``' columns, for ``error`` = dC/da_out, an (F*PH*PW, m)
        array, and the pooled outputs ``a``: each pooled output's error,
        times sigma'(z) of its block's winner, goes to that winner (the
        first largest value of the block, row by row); every other unit's
        delta is 0."""
        top = self.activation.prime_from_output(a)
        top *= error
        F, p = self.filters, self.pool
        if p == 1:
            return top.reshape(F, -1)
        # the row that holds the block's winner gets the error, then the winner in that row
        R, A = cache.rows, cache.act
        rows = np.empty(R.shape, dtype=top.dtype)
        _spread(top.reshape(R[:, :, 0].shape), [R[:, :, i] for i in range(p)],
                [rows[:, :, i] for i in range(p)])
        d = np.empty(A.shape, dtype=top.dtype)
        _spread(rows.reshape(F, -1), [A[:, j] for j in range(p)], [d[:, j] for j in range(p)])
        return d.reshape(F, -1)

    def backward(self, w, delta, a_in, input_error=True, cache=None):
        """Return ``(nabla_b, nabla_w, error)`` for this layer's error
        ``delta`` = dC/dz (as ``delta`` gives it) and its input ``a_in``
        (n_in, m): the gradients summed over the mini-batch and ``error`` =
        dC/da_in, an (n_in, m) array (None unless ``input_error``).
        ``cache`` is the forward pass's (its windows are not made again)."""
        cols = cache.cols if cache is not None else self.windows(a_in)
        nabla_w = product(delta, cols.T)
        nabla_b = delta.sum(axis=1).reshape(-1, 1)
        if not input_error:
            return nabla_b, nabla_w, None
        C, H, W = self.in_shape
        F, PH, PW = self.out_shape
        OH, OW = self.conv_shape
        k, p, m = self.size, self.pool, a_in.shape[1]
        if p > 1:     # as (F, OH, OW, m) feature maps
            whole = PH*p == OH and PW*p == OW
            maps = (np.empty if whole else np.zeros)((F, OH, OW, m), dtype=delta.dtype)
            maps[:, :PH*p, :PW*p].reshape(F, PH*p, PW, p, m)[...] = \
                delta.reshape(F, p, PH*p, PW, m).transpose(0, 2, 3, 1, 4)
            delta = maps.reshape(F, -1)
        taps = product(w.T, delta).reshape(C, k, k, OH, OW*m)
        d_x = np.zeros((C, H, W*m), dtype=delta.dtype)
        for i in range(k):        # each tap's error, added to the inputs under it
            for j in range(k):
                part = d_x[:, i:i+OH, j*m:(j+OW)*m]
                np.add(part, taps[:, i, j], out=part)
        return nabla_b, nabla_w, d_x.reshape(-1, m)

    def to_json(self):
        """Return the layer as a model file describes it."""
        return {"type": self.type, "filters": self.filters, "size": self.size,
                "pool": self.pool, "activation": self.activation.name}


def _spread(value, views, outs):
    """Write ``value`` into ``outs[t]`` where ``views[t]`` holds the first
    largest of the ``views`` (arrays of one shape, in their order), and 0
    into the other ``outs``."""
    if len(views) == 2:
        second = np.greater(views[1], views[0], out=outs[1])    # 1 where the second wins
        np.multiply(value, second, out=outs[1])
        np.subtract(value, outs[1], out=outs[0])
        return
    best = views[0].copy()
    winner = np.zeros(best.shape, dtype=np.int8)
    for t in range(1, len(views)):
        np.copyto(winner, t, where=np.greater(views[t], best))
        np.maximum(best, views[t], out=best)
    for t, out in enumerate(outs):
        np.multiply(value, winner == t, out=out)


def product(a, b):
    """Return the matrix product ``a @ b`` of two 2-d arrays, the way that
    is fastest in this NumPy (``kernel``)."""
    if kernel() == "einsum":
        return np.einsum("ik,kj->ij", a, b)
    return np.matmul(a, b)


def kernel():
    """Return how ``product`` multiplies (``fast.default_kernel``):
    "matmul" with a BLAS, "einsum" without one (Pyodide's NumPy)."""
    if _KERNEL[0] is None:
        from .fast import default_kernel
        _KERNEL[0] = default_kernel()
    return _KERNEL[0]


_KERNEL = [None]
