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
images.  The mini-batch path is im2col, laid out so that the samples stay
the last axis and the copies move long runs: an (n_in, m) input already is
a (C, H, W, m) array, so a window's row of OW positions in every sample is
one run of OW*m numbers.  ``cols`` (C*k*k, OH*OW*m) holds, for each filter
tap (c, i, j), the input under that tap at every position of every sample;
the convolution is one matrix product, z = w cols + b, (F, OH, OW, m)
feature maps, and so are its gradients (nabla_w = delta cols^T; the input's
error w^T delta, added back one tap at a time over whole rows).

Pooling: sigma(z) is copied block place by block place, (F, p, p, PH, PW,
m), so the units at one place (di, dj) of every block form one array and
max-pooling is an elementwise maximum of p*p arrays (first of each block
row, then of the rows), whose result (F, PH, PW, m) is the next layer's
(n_out, m) input as it stands.  The error of a pooled output goes to one
unit of its block, the first largest value row by row: the row that holds
the block's first largest value (the first of the rows' largest), then the
first largest of that row, as ``conv_reference.py`` gives it (the same
mathematics with plain loops over positions, one sample at a time; the
tests hold this module to it).

This module uses only NumPy.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import activations

INPUT_SHAPE = (1, 28, 28)     # an MNIST image: one channel of 28 x 28 pixels


class ConvCache(object):
    """What a conv layer's forward pass keeps for its backward pass: the
    windows ``cols`` (C*k*k, OH*OW*m), the outputs before pooling ``act``
    (F, p, p, PH*PW*m; without pooling (F, OH*OW*m)) and ``rows``, the
    largest value of each block row (F, p, PH*PW*m; None without
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
        """Return the number of floats the forward pass keeps per sample
        (the windows, z, the outputs before pooling and the block rows'
        largest values): what decides how many samples can be fed forward
        at once."""
        OH, OW = self.conv_shape
        return OH*OW*(self.fan_in+3*self.filters)

    def windows(self, a):
        """Return ``cols``, the (C*k*k, OH*OW*m) array of the windows of the
        inputs ``a`` (n_in, m): row (c, i, j) holds, for each position
        (row, column) and sample, the input at (c, row+i, column+j), copied
        a window's row (OW*m numbers) at a time."""
        C, H, W = self.in_shape
        OH, OW = self.conv_shape
        k, m = self.size, a.shape[1]
        x = np.ascontiguousarray(a)                  # (C, H, W, m) as it stands
        row, col = W*m*x.itemsize, m*x.itemsize
        view = as_strided(x, shape=(C, k, k, OH, OW*m), writeable=False,
                          strides=(H*row, row, col, row, x.itemsize))
        return view.reshape(C*k*k, -1)

    def maps(self, z, m):
        """Return the (F, PH, p, PW, p, m) view of the pooled units of
        ``z``, an (F, OH*OW*m) array of feature maps (units past the last
        whole block, which no block pools, left out)."""
        F, PH, PW = self.out_shape
        OH, OW = self.conv_shape
        p = self.pool
        return z.reshape(F, OH, OW, m)[:, :PH*p, :PW*p].reshape(F, PH, p, PW, p, m)

    def forward(self, w, b, a):
        """Return ``(cache, a_out)`` for the inputs ``a``, an (n_in, m)
        array: ``a_out`` the pooled outputs, an (F*PH*PW, m) array, and
        ``cache`` what the backward pass needs (a ``ConvCache``)."""
        m, p, F = a.shape[1], self.pool, self.filters
        cols = self.windows(a)
        z = product(w, cols)                         # (F, OH*OW*m)
        z += b
        if p == 1:
            self.activation.apply(z, z)              # sigma(z) in place
            return ConvCache(cols, z, None), z.reshape(-1, m)
        _, PH, PW = self.out_shape
        act = np.empty((F, p, p, PH, PW, m), dtype=z.dtype)
        act[...] = self.maps(z, m).transpose(0, 2, 4, 1, 3, 5)
        act = act.reshape(F, p, p, -1)
        self.activation.apply(act, act)
        rows = np.maximum(act[:, :, 0], act[:, :, 1])    # each block row's largest (F, p, PH*PW*m)
        for j in range(2, p):
            np.maximum(rows, act[:, :, j], out=rows)
        out = np.maximum(rows[:, 0], rows[:, 1])
        for i in range(2, p):
            np.maximum(out, rows[:, i], out=out)
        return ConvCache(cols, act, rows), out.reshape(-1, m)

    def delta(self, error, cache, a):
        """Return delta = dC/dz, an (F, p*p*PH*PW*m) array (block place by
        block place, as ``forward`` keeps sigma(z); without pooling (F,
        OH*OW*m)), for ``error`` = dC/da_out, an (F*PH*PW, m) array, and
        the pooled outputs ``a``: each pooled output's error, times
        sigma'(z) of its block's winner, goes to that winner (the first
        largest value of the block, row by row); every other unit's delta
        is 0."""
        top = self.activation.prime_from_output(a)
        top *= error
        F, p = self.filters, self.pool
        top = top.reshape(F, -1)
        if p == 1:
            return top
        # the row that holds the block's winner gets the error, then the winner in that row
        rows = np.empty((F, p, top.shape[1]), dtype=top.dtype)
        _spread(top, [cache.rows[:, i] for i in range(p)], [rows[:, i] for i in range(p)])
        d = np.empty(cache.act.shape, dtype=top.dtype)
        _spread(rows, [cache.act[:, :, j] for j in range(p)], [d[:, :, j] for j in range(p)])
        return d.reshape(F, -1)

    def backward(self, w, delta, a_in, input_error=True, cache=None):
        """Return ``(nabla_b, nabla_w, error)`` for this layer's error
        ``delta`` = dC/dz (as ``delta`` gives it) and its input ``a_in``
        (n_in, m): the gradients summed over the mini-batch and ``error`` =
        dC/da_in, an (n_in, m) array (None unless ``input_error``).
        ``cache`` is the forward pass's (its windows are not made again)."""
        cols = cache.cols if cache is not None else self.windows(a_in)
        F, PH, PW = self.out_shape
        OH, OW = self.conv_shape
        p, m = self.pool, a_in.shape[1]
        nabla_b = delta.sum(axis=1).reshape(-1, 1)
        if p > 1:     # back to (F, OH, OW, m) feature maps
            whole = PH*p == OH and PW*p == OW
            maps = (np.empty if whole else np.zeros)((F, OH*OW*m), dtype=delta.dtype)
            self.maps(maps, m)[...] = delta.reshape(F, p, p, PH, PW, m).transpose(0, 3, 1, 4, 2, 5)
            delta = maps
        nabla_w = product(delta, cols.T)
        if not input_error:
            return nabla_b, nabla_w, None
        C, H, W = self.in_shape
        k = self.size
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
    is fastest in this NumPy (``fast.default_kernel``): ``np.matmul`` with a
    BLAS, ``np.einsum`` without one (Pyodide's NumPy)."""
    if _KERNEL[0] is None:
        from .fast import default_kernel
        _KERNEL[0] = default_kernel()
    if _KERNEL[0] == "einsum":
        return np.einsum("ik,kj->ij", a, b)
    return np.matmul(a, b)


_KERNEL = [None]
