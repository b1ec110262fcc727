"""
activations.py
~~~~~~~~~~~~~~

The activation functions sigma(z) of the layers, as small objects in one
registry (``ACTIVATIONS``), each with

- ``fn(z)``: sigma(z), elementwise, in a new array;
- ``prime(z)``: sigma'(z), elementwise, in a new array;
- ``apply(z, out)``: sigma(z) written into ``out`` (which may be ``z``
  itself), with no temporaries, ``z`` free to be used as scratch (its
  values may be lost): the form the lean training step uses;
- ``prime_from_output(a, out=None)``: sigma'(z) computed from the output
  a = sigma(z) alone (every activation here has one), so backpropagation
  never needs to keep the weighted inputs ``zs``.

A new activation is one class and one line in ``ACTIVATIONS``; the settings
table (``settings.json``, key ``act``) offers those the page may choose.
This module uses only NumPy.
"""

import numpy as np

# 1 as a 0-d array of each float type: NumPy converts a Python float on every
# call, which the lean step's small arrays would notice
_ONE = {np.dtype(t): np.ones((), dtype=t) for t in ("float64", "float32")}
_ZERO = {np.dtype(t): np.zeros((), dtype=t) for t in ("float64", "float32")}


class Sigmoid(object):
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
    def apply(z, out):
        """Write sigmoid(z) into ``out`` (the same operations as ``fn``),
        working in ``z`` itself: contiguous, where ``out`` is often a
        strided view (the lean step's [a | 1] rows)."""
        np.negative(z, out=z)
        np.exp(z, out=z)
        np.add(z, _ONE[z.dtype], out=z)
        return np.reciprocal(z, out=out)

    @staticmethod
    def prime_from_output(a, out=None):
        """Return sigma'(z) = a(1-a) for a = sigmoid(z)."""
        if out is None:
            return a*(1-a)
        np.subtract(_ONE[out.dtype], a, out=out)
        return np.multiply(out, a, out=out)


class Tanh(object):
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
    def apply(z, out):
        """Write tanh(z) into ``out``."""
        return np.tanh(z, out=out)

    @staticmethod
    def prime_from_output(a, out=None):
        """Return sigma'(z) = 1 - a^2 for a = tanh(z)."""
        if out is None:
            return 1.0-a*a
        np.multiply(a, a, out=out)
        return np.subtract(_ONE[out.dtype], out, out=out)


class ReLU(object):
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
    def apply(z, out):
        """Write max(0, z) into ``out``."""
        return np.maximum(z, _ZERO[out.dtype], out=out)

    @staticmethod
    def prime_from_output(a, out=None):
        """Return sigma'(z) = 1 where a = max(0, z) > 0, else 0."""
        if out is None:
            return (a > 0).astype(a.dtype)
        return np.greater(a, _ZERO[out.dtype], out=out)


ACTIVATIONS = {act.name: act for act in (Sigmoid, Tanh, ReLU)}
BY_CODE = {act.code: act for act in ACTIVATIONS.values()}


def get(name):
    """Return the activation called ``name`` ("sigmoid", "tanh", "relu"), or
    raise a ValueError sentence."""
    if isinstance(name, str) and name in ACTIVATIONS:
        return ACTIVATIONS[name]
    if name in ACTIVATIONS.values():
        return name
    raise ValueError("activation must be one of {}, got {}.".format(
        ", ".join(ACTIVATIONS), repr(name)[:40]))
