"""
network_link.py
~~~~~~~~~~~~~~~

A network in a compact binary form, small enough for a link once the page
compresses it (deflate-raw) and writes it as base64url (web/js/share/network-link.js).

Layout (little-endian)::

    b"DLN" 2             magic and version
    cost                 uint8: the cost's code (costs.py: 0 QuadraticCost, 1 CrossEntropyCost)
    L                    uint8: number of layers
    sizes                L × uint16
    activations          (L-1) × uint8: each layer's activation code (activations.py:
                         0 sigmoid, 1 tanh, 2 ReLU)
    for each layer l = 1 .. L-1 (weights w of shape (n, m), biases b of shape (n, 1)):
        scales           n × float32, one per neuron
        values           n × (m+1) int8: row j is w[j, :] then b[j], each divided by scales[j]

Version 3, written for networks with conv layers, adds after the activations
(L-1) × 4 bytes, one group per layer: its type (0 dense, 1 conv) and, for a
conv layer, its filters, filter size and pooling as uint8 (0 for a dense
layer); a conv layer's weights are its (filters, channels*size*size) rows.
Version 1 (links made before the activations) has no activation bytes: all
sigmoid.  Each neuron's row [w_j, b_j] is quantized to integers -127..127 with its own
scale max|row|/127, so a weight is restored to within scales[j]/2.
``loads`` only unpacks and checks the layout; the Session passes the result
through the same validation as an uploaded model file (model_io.loads).
"""

import struct

import numpy as np

from . import activations, costs
from .conv import INPUT_SHAPE

MAGIC = b"DLN\x02"
MAGIC_V1 = b"DLN\x01"
MAGIC_CONV = b"DLN\x03"
MAX_LAYERS = 16
MAX_UNITS = 4096
MAX_BYTES = 4 * 1024 * 1024


def quantize(w, b):
    """Return (scales, values) for weights ``w`` (n, m) and biases ``b`` (n, 1):
    float32 scales of shape (n,) and int8 values of shape (n, m+1)."""
    rows = np.hstack([np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64).reshape(-1, 1)])
    scales = (np.abs(rows).max(axis=1)/127.0).astype(np.float32)
    safe = np.where(scales > 0, scales, 1).astype(np.float64)
    values = np.clip(np.round(rows/safe[:, None]), -127, 127).astype(np.int8)
    return scales, values


def dequantize(scales, values):
    """Return (w, b) restored from ``quantize``'s scales (n,) and values (n, m+1)."""
    rows = values.astype(np.float64)*scales.astype(np.float64)[:, None]
    return rows[:, :-1], rows[:, -1:].copy()


def dumps(network):
    """Return ``network`` (sizes, weights, biases, cost) in the layout above, as bytes."""
    sizes = list(network.sizes)
    parts = [MAGIC_CONV if network.convolutional else MAGIC,
             struct.pack("<BB", network.cost.code, len(sizes)),
             struct.pack("<{}H".format(len(sizes)), *sizes),
             bytes(layer.activation.code for layer in network.layers)]
    if network.convolutional:
        parts.append(b"".join(bytes([1, layer.filters, layer.size, layer.pool]) if layer.type == "conv"
                              else bytes(4) for layer in network.layers))
    for w, b in zip(network.weights, network.biases):
        scales, values = quantize(w, b)
        parts.append(scales.astype("<f4").tobytes())
        parts.append(values.tobytes())
    return b"".join(parts)


def loads(data):
    """Return {"sizes", "weights", "biases", "cost", "layers"} (nested lists,
    the book's network2.py layout and model_io's "layers") unpacked from ``data`` (bytes), or raise a ValueError
    sentence when the data is not in the layout above: wrong magic or version,
    truncated, too long, unknown cost, or sizes out of range."""
    if not isinstance(data, (bytes, bytearray)):
        raise ValueError("The network in the link must be bytes.")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ValueError("The network in the link is larger than {:,} bytes.".format(MAX_BYTES))
    if len(data) < 6 or data[:4] not in (MAGIC, MAGIC_V1, MAGIC_CONV):
        raise ValueError("The network in the link is not in Digit Lab's network format.")
    cost, count = struct.unpack_from("<BB", data, 4)
    if cost not in costs.BY_CODE:
        raise ValueError("The network in the link names an unknown cost.")
    if not 2 <= count <= MAX_LAYERS:
        raise ValueError("The network in the link has {} layers; 2 to {} are allowed."
                         .format(count, MAX_LAYERS))
    offset = 6+2*count
    codes = [activations.Sigmoid.code]*(count-1)
    if data[:4] != MAGIC_V1:
        codes = list(data[offset:offset+count-1])
        offset += count-1
    kinds = [bytes(4)]*(count-1)
    if data[:4] == MAGIC_CONV:
        kinds = [data[offset+4*l:offset+4*l+4] for l in range(count-1)]
        offset += 4*(count-1)
    if len(data) < offset:
        raise ValueError("The network in the link is cut short.")
    if not all(code in activations.BY_CODE for code in codes):
        raise ValueError("The network in the link names an unknown activation.")
    sizes = list(struct.unpack_from("<{}H".format(count), data, 6))
    if not all(1 <= n <= MAX_UNITS or kind[0] == 1 for n, kind in zip(sizes[1:], kinds)) \
            or not 1 <= sizes[0] <= MAX_UNITS:
        raise ValueError("The network in the link has layers outside 1 to {} neurons."
                         .format(MAX_UNITS))
    shapes = _shapes(sizes, kinds)
    expected = offset+sum(4*n+n*(m+1) for n, m in shapes)
    if len(data) != expected:
        raise ValueError("The network in the link is {} ({:,} bytes where its sizes need {:,})."
                         .format("cut short" if len(data) < expected else "too long",
                                 len(data), expected))
    weights, biases = [], []
    for n, m in shapes:
        scales = np.frombuffer(data, dtype="<f4", count=n, offset=offset)
        offset += 4*n
        values = np.frombuffer(data, dtype=np.int8, count=n*(m+1), offset=offset).reshape(n, m+1)
        offset += n*(m+1)
        if not np.isfinite(scales).all():
            raise ValueError("The network in the link holds numbers that are not finite.")
        w, b = dequantize(scales, values)
        weights.append(w.tolist())
        biases.append(b.tolist())
    layers = [{"type": "dense", "units": n, "activation": activations.BY_CODE[code].name}
              if kind[0] == 0 else
              {"type": "conv", "filters": kind[1], "size": kind[2], "pool": kind[3],
               "activation": activations.BY_CODE[code].name}
              for n, code, kind in zip(sizes[1:], codes, kinds)]
    return {"sizes": sizes, "weights": weights, "biases": biases,
            "cost": costs.BY_CODE[cost].__name__, "layers": layers}


def _shapes(sizes, kinds):
    """Return the (rows, columns) of each layer's weights: (n_out, n_in) for a
    dense layer, (filters, channels*size*size) for a conv layer, or raise a
    ValueError sentence for a layer type or conv layer that cannot be."""
    channels, side, _ = INPUT_SHAPE
    shapes = []
    for l, kind in enumerate(kinds):
        if kind[0] == 0:
            shapes.append((sizes[l+1], sizes[l]))
            continue
        filters, size, pool = kind[1], kind[2], kind[3]
        if kind[0] != 1 or not (filters and size and pool) or size > side or l and kinds[l-1][0] == 0:
            raise ValueError("The network in the link describes a layer that cannot be.")
        shapes.append((filters, channels*size*size))
        channels, side = filters, (side-size+1)//pool
    return shapes
