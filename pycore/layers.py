"""
layers.py
~~~~~~~~~

The layers of a network, as small objects that share one interface (the
way ConvNetJS's layers do), so that a new kind of layer is one new class:

- ``n_in``, ``n_out``: the sizes of the layer's input and output columns;
- ``shapes`` and ``fan_in``: the shapes of its parameters ``(w, b)`` and
  the inputs of each neuron (what scaled init divides by);
- ``forward(w, b, a)``: return ``(z, a_out)`` for an input ``a``, an
  (n_in, m) array (one sample per column);
- ``backward(w, delta, a_in)``: for the error ``delta`` = dC/dz of this
  layer's outputs, return ``(nabla_b, nabla_w, dC/da_in)``; the previous
  layer's delta is dC/da_in * sigma'(z), its activation's derivative;
- ``to_json()``: the layer's entry in a model file's ``"layers"``.

Parameters stay with the network (``network.weights[l]``, ``biases[l]``,
the seed's lists), so the seed's code that replaces them keeps working;
a layer is the shape and the mathematics.  Later layers (softmax output,
dropout, conv + max-pool) fit in beside ``Dense`` as classes of their own.
This module uses only NumPy.
"""

import numpy as np

from . import activations
from .conv import INPUT_SHAPE, ConvPool


class Dense(object):
    """A fully connected layer: z = w a + b, a_out = sigma(z), with w of
    shape (n_out, n_in) and b of shape (n_out, 1)."""
    type = "dense"

    def __init__(self, n_in, n_out, activation="sigmoid"):
        self.n_in = int(n_in)
        self.n_out = int(n_out)
        self.activation = activations.get(activation)

    @property
    def shapes(self):
        """Return the shapes of the layer's weights and biases."""
        return (self.n_out, self.n_in), (self.n_out, 1)

    @property
    def fan_in(self):
        """Return the number of inputs of each neuron (scaled init divides by its root)."""
        return self.n_in

    @property
    def multiply_adds(self):
        """Return the multiply-adds of the forward pass per sample."""
        return self.n_in*self.n_out

    def forward(self, w, b, a):
        """Return ``(z, a_out)``: the weighted inputs z = w a + b and the
        outputs sigma(z) for ``a``, an (n_in, m) array."""
        z = np.matmul(w, a)
        z += b
        return z, self.activation.fn(z)

    def backward(self, w, delta, a_in, input_error=True, z=None):
        """Return ``(nabla_b, nabla_w, error)`` for this layer's error
        ``delta`` = dC/dz, an (n_out, m) array, and its input ``a_in``
        (n_in, m): the gradients summed over the m columns, and
        ``error`` = dC/da_in = w^T delta (None unless ``input_error``).
        The weighted inputs ``z`` are not needed (a conv layer's are)."""
        ones = np.ones((delta.shape[1], 1), dtype=delta.dtype)
        error = np.matmul(w.T, delta) if input_error else None
        return np.matmul(delta, ones), np.matmul(delta, a_in.T), error

    def delta(self, error, z, a):
        """Return delta = dC/dz = error * sigma'(z) for ``error`` = dC/da_out
        (n_out, m): sigma'(z) from the weighted inputs ``z``, or, when ``z``
        is None, from the outputs ``a`` alone."""
        if z is None:
            return error*self.activation.prime_from_output(a)
        return error*self.activation.prime(z)

    def to_json(self):
        """Return the layer as a model file describes it."""
        return {"type": self.type, "units": self.n_out, "activation": self.activation.name}


LAYERS = {Dense.type: Dense, ConvPool.type: ConvPool}


def build(spec, outputs=10, activation="sigmoid", output="sigmoid"):
    """Return the layers described by ``spec``, a list of hidden layers
    (model-file entries such as ``{"type": "conv", "filters": 20, "size":
    5, "pool": 2, "activation": "relu"}`` and ``{"type": "dense", "units":
    100}``; a missing activation is ``activation``) followed by an output
    layer of ``outputs`` units with activation ``output``.  The first layer
    reads an MNIST image (``conv.INPUT_SHAPE``); conv layers come before the
    dense ones.  Raise a ValueError sentence for a layer that cannot be."""
    shape = INPUT_SHAPE
    built = []
    for l, entry in enumerate(spec):
        kind = entry.get("type")
        act = entry.get("activation", activation)
        if not activations.get(act).elementwise:
            raise ValueError("{} can only be the output layer's activation.".format(act))
        if kind == "conv":
            if shape is None:
                raise ValueError("Layer {}: a conv layer must come before the dense layers.".format(l+1))
            built.append(conv_layer(shape, entry["filters"], entry["size"], entry.get("pool", 1), act,
                                    "Layer {}".format(l+1)))
            shape = built[-1].out_shape
        elif kind == "dense":
            n_in = built[-1].n_out if built else int(np.prod(INPUT_SHAPE))
            built.append(Dense(n_in, entry["units"], act))
            shape = None
        else:
            raise ValueError("Layer {}: unknown layer type {!r}.".format(l+1, kind))
    n_in = built[-1].n_out if built else int(np.prod(INPUT_SHAPE))
    built.append(Dense(n_in, outputs, output))
    return built


def conv_layer(shape, filters, size, pool, activation, where):
    """Return a ``ConvPool`` over inputs of ``shape`` (C, H, W), or raise a
    ValueError sentence (starting with ``where``) if its filters do not fit
    the input or its pooling does not tile the feature maps."""
    C, H, W = shape
    if size > min(H, W):
        raise ValueError("{}: a {}x{} filter does not fit its {}x{} input.".format(
            where, size, size, H, W))
    side = min(H, W)-size+1
    if side % pool:
        raise ValueError("{}: pool {} does not tile its {}x{} feature maps ({}x{} input, {}x{} "
                         "filters).".format(where, pool, side, side, H, W, size, size))
    return ConvPool(shape, filters, size, pool, activation)


def dense_stack(sizes, activation="sigmoid", output="sigmoid"):
    """Return the Dense layers of an MLP with layer ``sizes`` (input
    first): the hidden layers use ``activation`` (a name, or a list of one
    name per hidden layer), the output layer ``output``."""
    hidden = len(sizes)-2
    names = list(activation) if isinstance(activation, (list, tuple)) else [activation]*hidden
    if len(names) != hidden:
        raise ValueError("activation must name {} hidden layers, got {}.".format(hidden, len(names)))
    for name in names:
        if not activations.get(name).elementwise:
            raise ValueError("{} can only be the output layer's activation.".format(name))
    names.append(output)
    return [Dense(n_in, n_out, name) for n_in, n_out, name in zip(sizes[:-1], sizes[1:], names)]
