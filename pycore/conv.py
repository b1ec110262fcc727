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
images.  The mini-batch path is im2col: every k x k window of every sample
becomes a row of ``cols`` (m*OH*OW, C*k*k), so the convolution is one
matrix product, z = cols w^T + b, and so are its gradients
(nabla_w = delta^T cols, the input's error = delta w, added back to the
windows it came from).  Pooling keeps the index of the first largest value
of each block (row by row), and the error of a pooled output goes to that
one unit.  ``conv_reference.py`` is the same mathematics with plain loops
over positions, one sample at a time; the tests hold this to it.

This module uses only NumPy.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import activations

INPUT_SHAPE = (1, 28, 28)     # an MNIST image: one channel of 28 x 28 pixels


class ConvCache(object):
    """What a conv layer's forward pass keeps for its backward pass: the
    windows ``cols`` (m*OH*OW, C*k*k), the weighted inputs ``z`` and
    outputs ``act`` before pooling (m*OH*OW, F), and ``where``, the index of
    the largest value in each pooled block (m*PH*PW*F,)."""
    __slots__ = ("cols", "z", "act", "where")

    def __init__(self, cols, z, act, where):
        self.cols, self.z, self.act, self.where = cols, z, act, where


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
        (the windows, z and the outputs before pooling): what decides how
        many samples can be fed forward at once."""
        OH, OW = self.conv_shape
        return OH*OW*(self.fan_in+2*self.filters)

    def windows(self, a):
        """Return ``cols``, the (m*OH*OW, C*k*k) array whose rows are the
        k x k windows of the inputs ``a`` (n_in, m), sample by sample, each
        window's row in C order (channel, row, column)."""
        C, H, W = self.in_shape
        OH, OW = self.conv_shape
        k, m = self.size, a.shape[1]
        x = np.ascontiguousarray(a.T).reshape(m, C, H, W)
        s = x.strides
        view = as_strided(x, shape=(m, OH, OW, C, k, k),
                          strides=(s[0], s[2], s[3], s[1], s[2], s[3]), writeable=False)
        return view.reshape(m*OH*OW, C*k*k)

    def forward(self, w, b, a):
        """Return ``(cache, a_out)`` for the inputs ``a``, an (n_in, m)
        array: ``a_out`` the pooled outputs, an (F*PH*PW, m) array, and
        ``cache`` what the backward pass needs (a ``ConvCache``)."""
        m = a.shape[1]
        cols = self.windows(a)
        z = product(cols, w.T)
        z += b.T
        act = self.activation.fn(z)
        F, PH, PW = self.out_shape
        p = self.pool
        OH, OW = self.conv_shape
        blocks = act.reshape(m, OH, OW, F)[:, :PH*p, :PW*p]
        blocks = blocks.reshape(m, PH, p, PW, p, F).transpose(0, 1, 3, 5, 2, 4).reshape(-1, p*p)
        where = blocks.argmax(axis=1)
        pooled = blocks[np.arange(blocks.shape[0]), where]
        out = pooled.reshape(m, PH, PW, F).transpose(3, 1, 2, 0).reshape(F*PH*PW, m)
        return ConvCache(cols, z, act, where), out

    def delta(self, error, cache, a):
        """Return delta = dC/dz, an (m*OH*OW, F) array, for ``error`` =
        dC/da_out, an (F*PH*PW, m) array: each pooled output's error goes
        to the unit that won its block, times sigma'(z) there."""
        F, PH, PW = self.out_shape
        OH, OW = self.conv_shape
        p, m = self.pool, error.shape[1]
        e = error.reshape(F, PH, PW, m).transpose(3, 1, 2, 0).reshape(-1)
        spread = np.zeros((e.shape[0], p*p), dtype=error.dtype)
        spread[np.arange(e.shape[0]), cache.where] = e
        spread = spread.reshape(m, PH, PW, F, p, p).transpose(0, 1, 4, 2, 5, 3)
        d = np.zeros((m, OH, OW, F), dtype=error.dtype)
        d[:, :PH*p, :PW*p] = spread.reshape(m, PH*p, PW*p, F)
        d = d.reshape(m*OH*OW, F)
        d *= self.activation.prime_from_output(cache.act)
        return d

    def backward(self, w, delta, a_in, input_error=True, cache=None):
        """Return ``(nabla_b, nabla_w, error)`` for this layer's error
        ``delta`` = dC/dz (m*OH*OW, F) and its input ``a_in`` (n_in, m):
        the gradients summed over the mini-batch and ``error`` = dC/da_in,
        an (n_in, m) array (None unless ``input_error``).  ``cache`` is the
        forward pass's (its windows are not made again)."""
        cols = cache.cols if cache is not None else self.windows(a_in)
        nabla_w = product(delta.T, cols)
        nabla_b = delta.sum(axis=0).reshape(-1, 1)
        if not input_error:
            return nabla_b, nabla_w, None
        C, H, W = self.in_shape
        OH, OW = self.conv_shape
        k, m = self.size, a_in.shape[1]
        d_cols = product(delta, w).reshape(m, OH, OW, C, k, k)
        d_x = np.zeros((m, C, H, W), dtype=delta.dtype)
        for i in range(k):
            for j in range(k):
                d_x[:, :, i:i+OH, j:j+OW] += d_cols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
        return nabla_b, nabla_w, d_x.reshape(m, -1).T

    def to_json(self):
        """Return the layer as a model file describes it."""
        return {"type": self.type, "filters": self.filters, "size": self.size,
                "pool": self.pool, "activation": self.activation.name}


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
