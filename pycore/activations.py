"""
activations.py
~~~~~~~~~~~~~~

The activation functions sigma(z) of the layers, as small objects in one
registry (``ACTIVATIONS``), each with

- ``fn(z)``: sigma(z), elementwise, in a new array;
- ``prime(z)``: sigma'(z), elementwise, in a new array;
- ``kernels(dtype)``: the in-place forms the lean training step uses,
  ``(apply, prime)`` with ``apply(z, out)`` writing sigma(z) into ``out``
  (``z`` free to be used as scratch: its values may be lost) and
  ``prime(a, out)`` writing sigma'(z) computed from the output a = sigma(z)
  alone (every activation here has one, so backpropagation never needs to
  keep the weighted inputs ``zs``), with no temporaries; built once per
  dtype with their constants and ufuncs bound, since in the browser's
  Python every look-up in the step's inner loop shows;
- ``apply(z, out)`` and ``prime_from_output(a, out=None)``: the same, for
  one call.

``fn`` works on columns (one sample per column, the book's layout), the
kernels on the lean step's rows (one sample per row); for the elementwise
activations the two are the same.

A new activation is one class and one line in ``ACTIVATIONS``; the settings
table (``settings.json``, key ``act``) offers those the page may choose.
This module uses only NumPy.
"""

import numpy as np


_KERNELS = {}   # (activation, dtype) -> its kernels, made once


class Activation(object):
    """What every activation shares: one-call forms of its kernels."""
    elementwise = True    # sigma acts on each z alone (softmax does not: output layers only)

    @classmethod
    def kernels(cls, dtype):
        """Return ``(apply, prime)`` for arrays of ``dtype`` (made once)."""
        key = (cls, np.dtype(dtype))
        if key not in _KERNELS:
            _KERNELS[key] = cls.make_kernels(np.ones((), dtype=key[1]), np.zeros((), dtype=key[1]))
        return _KERNELS[key]

    @classmethod
    def apply(cls, z, out):
        """Write sigma(z) into ``out`` (``z`` may be overwritten) and return it."""
        cls.kernels(z.dtype)[0](z, out)
        return out

    @classmethod
    def prime_from_output(cls, a, out=None):
        """Return sigma'(z) computed from the outputs ``a`` = sigma(z)."""
        if out is None:
            out = np.empty_like(a)
        cls.kernels(a.dtype)[1](a, out)
        return out


class Sigmoid(Activation):
    """The logistic function 1/(1+exp(-z)), the book's neuron."""
    name, label, code = "sigmoid", "Sigmoid", 0
    low, high = 0.0, 1.0          # the range of its outputs

    @staticmethod
    def fn(z):
        """Return sigmoid(z), elementwise."""
        return 1.0/(1.0+np.exp(-z))

    @staticmethod
    def prime(z):
        """Return the derivative sigmoid'(z) = sigmoid(z)(1-sigmoid(z))."""
        s = Sigmoid.fn(z)
        return s*(1-s)

    @staticmethod
    def make_kernels(one, zero):
        """sigmoid(z) by the operations of ``fn``, in the contiguous ``z``
        (``out`` is often a strided view: the lean step's [a | 1] rows);
        sigma'(z) = a(1-a)."""
        negative, exp, add, reciprocal, subtract, multiply = (
            np.negative, np.exp, np.add, np.reciprocal, np.subtract, np.multiply)

        def apply(z, out):
            negative(z, out=z)
            exp(z, out=z)
            add(z, one, out=z)
            reciprocal(z, out=out)

        def prime(a, out):
            subtract(one, a, out=out)
            multiply(out, a, out=out)
        return apply, prime


class Tanh(Activation):
    """The hyperbolic tangent (chapter 3: a sigmoid rescaled to [-1, 1])."""
    name, label, code = "tanh", "tanh", 1
    low, high = -1.0, 1.0

    @staticmethod
    def fn(z):
        """Return tanh(z), elementwise."""
        return np.tanh(z)

    @staticmethod
    def prime(z):
        """Return the derivative 1 - tanh(z)^2."""
        return 1.0-np.tanh(z)**2

    @staticmethod
    def make_kernels(one, zero):
        """tanh(z); sigma'(z) = 1 - a^2."""
        tanh, subtract, multiply = np.tanh, np.subtract, np.multiply

        def apply(z, out):
            tanh(z, out=out)

        def prime(a, out):
            multiply(a, a, out=out)
            subtract(one, out, out=out)
        return apply, prime


class ReLU(Activation):
    """The rectified linear unit max(0, z) (chapter 3 and chapter 6)."""
    name, label, code = "relu", "ReLU", 2
    low, high = 0.0, None         # unbounded above

    @staticmethod
    def fn(z):
        """Return max(0, z), elementwise."""
        return np.maximum(z, 0.0)

    @staticmethod
    def prime(z):
        """Return the derivative: 1 where z > 0, else 0 (0 at z = 0 itself)."""
        return (z > 0).astype(np.result_type(z, np.float32))

    @staticmethod
    def make_kernels(one, zero):
        """max(0, z); sigma'(z) = 1 where a > 0, else 0."""
        maximum, greater = np.maximum, np.greater

        def apply(z, out):
            maximum(z, zero, out=out)

        def prime(a, out):
            greater(a, zero, out=out)
        return apply, prime


class Softmax(Activation):
    """exp(z_j) / sum_k exp(z_k) over a sample's outputs (chapter 3): the outputs
    are a probability distribution.  Not elementwise: an output layer only, paired
    with the log-likelihood cost, whose fused delta a - y needs no sigma'."""
    name, label, code = "softmax", "Softmax", 3
    low, high = 0.0, 1.0
    elementwise = False

    @staticmethod
    def fn(z):
        """Return softmax(z) of each column of ``z`` (one sample per column),
        computed from z - max(z) so that exp cannot overflow."""
        e = np.exp(z-np.max(z, axis=0, keepdims=True))
        return e/np.sum(e, axis=0, keepdims=True)

    @staticmethod
    def prime(z):
        """Softmax has no elementwise derivative (its Jacobian is a matrix)."""
        raise ValueError("A softmax layer goes with the log-likelihood cost, whose output "
                         "error a - y needs no derivative of the softmax.")

    @staticmethod
    def make_kernels(one, zero):
        """softmax of each row of ``z`` (the lean step's layout: one sample per
        row); no ``prime`` (see ``prime``)."""
        amax, subtract, exp, add, divide = np.max, np.subtract, np.exp, np.add, np.divide

        def apply(z, out):
            subtract(z, amax(z, axis=1, keepdims=True), out=z)
            exp(z, out=z)
            divide(z, add.reduce(z, axis=1, keepdims=True), out=out)

        def prime(a, out):
            Softmax.prime(a)
        return apply, prime


ACTIVATIONS = {act.name: act for act in (Sigmoid, Tanh, ReLU, Softmax)}
BY_CODE = {act.code: act for act in ACTIVATIONS.values()}


def get(name):
    """Return the activation called ``name`` ("sigmoid", "tanh", "relu",
    "softmax"), or raise a ValueError sentence."""
    if isinstance(name, str) and name in ACTIVATIONS:
        return ACTIVATIONS[name]
    if name in ACTIVATIONS.values():
        return name
    raise ValueError("activation must be one of {}, got {}.".format(
        ", ".join(ACTIVATIONS), repr(name)[:40]))
