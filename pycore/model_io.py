"""
model_io.py
~~~~~~~~~~~

Save and load networks as JSON in the layout of the book's network2.py,
``{"sizes", "weights", "biases", "cost"}`` (which the book's own ``load``
still reads), plus a "format" key, "layers" (what each layer is:
``[{"type": "dense", "units": 100, "activation": "relu"}, ...]``; a file
without it is all sigmoid, as the book's are) and any extra keys (e.g.
training settings).  Loading is strict: anything that is
not a well-formed, finite, reasonably sized model raises a ValueError whose
message says what is wrong; over-long or over-deep text is refused before
``json.loads`` parses it (see json_guard.py).  No pickle, no eval.
"""

import json

import numpy as np

from .json_guard import NonFinite as _NonFinite, check_json_text, json_type as _json_type
from .json_guard import reject_constant as _reject_constant
from . import activations
from . import layers as layer_types
from .layers import LAYERS
from .costs import OUTPUTS as COST_OUTPUTS
from .network import COSTS, Network

FORMAT = "digit-lab-model/2"   # 2: with "layers"
MAX_LAYERS = 16
MAX_UNITS = 4096
MAX_PARAMS = 5000000
CONV_LIMITS = (("filters", 256), ("size", 28), ("pool", 28))   # a conv layer's keys and caps
_NUMBER = (int, float)
# Limits on the text itself, checked before parsing.  A model nests 4 levels: the
# object, "weights", a layer, a row; extra keys (settings, notes) get some slack.
# The page accepts files up to 64 MB; a model of MAX_LAYERS layers of MAX_UNITS
# neurons has fewer than 130,000 arrays.
OUTPUTS = sorted({name for names in COST_OUTPUTS.values() for name in names})   # sigmoid, softmax
MAX_JSON_DEPTH = 16
MAX_JSON_CHARS = 64 * 1024 * 1024
MAX_JSON_CONTAINERS = 250000


def dumps(network, extra=None, digits=None):
    """Return ``network`` as a JSON string: {"format", "sizes", "weights",
    "biases", "cost", **extra}.  With ``digits``, every float is rounded to
    that many significant digits (7 keeps a model compact); otherwise
    float64 values are written exactly and float32 values with the 9
    digits that restore them exactly."""
    if digits is None and network.dtype == np.float32:
        digits = 9
    data = {"format": FORMAT, "sizes": list(network.sizes),
            "weights": [_to_lists(w, digits) for w in network.weights],
            "biases": [_to_lists(b, digits) for b in network.biases],
            "cost": network.cost.__name__,
            "layers": [layer.to_json() for layer in network.layers]}
    if extra:
        for key, value in extra.items():
            if key in data:
                raise ValueError("extra key {!r} would overwrite the model's own data."
                                 .format(key))
            data[key] = value
    return json.dumps(data, allow_nan=False, separators=(",", ":"))


def loads(text, max_units=MAX_UNITS, max_params=MAX_PARAMS, max_layers=MAX_LAYERS,
          dtype="float64"):
    """Return the Network stored in ``text`` (a JSON string or UTF-8 bytes),
    or raise a ValueError sentence if the model file is not valid: not JSON,
    not an object, missing keys, wrong types, ragged or mismatched shapes,
    sizes not matching the arrays, NaN or infinite numbers, more than
    ``max_layers`` layers, ``max_units`` neurons in a layer or
    ``max_params`` parameters, or an unknown cost.  Text longer than
    MAX_JSON_CHARS, nested deeper than MAX_JSON_DEPTH or with more than
    MAX_JSON_CONTAINERS arrays and objects is refused before it is parsed."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("The model file is not UTF-8 text.")
    if not isinstance(text, str):
        raise ValueError("The model must be given as text, got {}.".format(
            type(text).__name__))
    check_json_text(text, max_depth=MAX_JSON_DEPTH, max_chars=MAX_JSON_CHARS,
                    max_containers=MAX_JSON_CONTAINERS, what="The model file")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except _NonFinite as e:
        raise ValueError("The model file contains {}, which is not a finite number."
                         .format(e.args[0]))
    except (ValueError, RecursionError) as e:
        raise ValueError("The model file is not valid JSON ({}).".format(e))
    if not isinstance(data, dict):
        raise ValueError("The model file must be a JSON object, got {}.".format(
            _json_type(data)))
    missing = [key for key in ("sizes", "weights", "biases", "cost") if key not in data]
    if missing:
        raise ValueError("The model file is missing the key{} {}.".format(
            "s" if len(missing) > 1 else "", ", ".join(repr(k) for k in missing)))
    cost = data["cost"]
    if not isinstance(cost, str):
        raise ValueError("cost must be a string, got {}.".format(_json_type(cost)))
    if cost not in COSTS:
        raise ValueError("cost must be one of {}, got {!r}.".format(
            ", ".join(sorted(COSTS)), cost[:40]))
    sizes = _check_sizes(data["sizes"], max_layers)
    spec, hidden, output = _check_layer_kinds(data.get("layers"), sizes, max_units)
    if spec is None:
        shapes = [((y, x), (y, 1)) for x, y in zip(sizes[:-1], sizes[1:])]
    else:
        try:
            built = layer_types.build(spec, sizes[-1], output=output)   # shapes only: no arrays yet
        except ValueError as e:
            raise ValueError("The model's layers cannot be: {}".format(e))
        derived = [built[0].n_in]+[layer.n_out for layer in built]
        if derived != sizes:
            raise ValueError("sizes must be {} for these layers, got {}.".format(derived, sizes))
        shapes = [layer.shapes for layer in built]
    params = sum(w[0]*w[1]+b[0] for w, b in shapes)
    if params > max_params:
        raise ValueError("The model has {} parameters; at most {} are allowed.".format(
            params, max_params))
    if spec is None:
        network = Network(sizes, cost=COSTS[cost], dtype=dtype, activation=hidden, output=output)
    else:
        network = Network.from_layers(spec, outputs=sizes[-1], cost=COSTS[cost], dtype=dtype,
                                      output=output)
    weights = _check_layers(data["weights"], "weights", sizes,
                            [layer.shapes[0] for layer in network.layers])
    biases = _check_layers(data["biases"], "biases", sizes,
                           [layer.shapes[1] for layer in network.layers])
    network.weights = [w.astype(network.dtype) for w in weights]
    network.biases = [b.astype(network.dtype) for b in biases]
    network.trained_with = _trained_with(data.get("training"))
    return network


def _check_layer_kinds(layers, sizes, max_units):
    """Return ``(spec, hidden, output)`` for a model file's optional "layers"
    entry, checked against its ``sizes``, or raise a ValueError sentence:
    for an MLP ``spec`` is None and ``hidden`` the hidden layers'
    activations (a list of names); with conv layers ``spec`` is the hidden
    layers' descriptions (``Network.from_layers``).  ``output`` is the
    output layer's activation.  Without "layers" every layer is sigmoid."""
    if layers is None:
        _check_units(sizes, 0, max_units)
        return None, ["sigmoid"]*(len(sizes)-2), "sigmoid"
    if not isinstance(layers, list):
        raise ValueError("layers must be an array of layer descriptions, got {}."
                         .format(_json_type(layers)))
    if len(layers) != len(sizes)-1:
        raise ValueError("layers must describe {} layers for sizes {}, got {}.".format(
            len(sizes)-1, sizes, len(layers)))
    _check_units(sizes[:1], 0, max_units)
    names, spec = [], []
    for l, layer in enumerate(layers):
        where = "layers[{}]".format(l)
        if not isinstance(layer, dict):
            raise ValueError("{} must be an object, got {}.".format(where, _json_type(layer)))
        kind = layer.get("type")
        if not isinstance(kind, str) or kind not in LAYERS:
            raise ValueError("{} has type {}; Digit Lab knows the layer types {}.".format(
                where, _short(kind), ", ".join(sorted(LAYERS))))
        if kind == "dense":
            units = layer.get("units")
            if isinstance(units, bool) or not isinstance(units, int) or units != sizes[l+1]:
                raise ValueError("{} must have \"units\": {} to match sizes, got {}.".format(
                    where, sizes[l+1], _short(units)))
            _check_units([units], l+1, max_units)
            entry = {"type": "dense", "units": units}
        else:
            entry = {"type": "conv"}
            for key, most in CONV_LIMITS:
                value = layer.get(key)
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
                    raise ValueError("{} must have \"{}\": an integer from 1 to {}, got {}.".format(
                        where, key, most, _short(value)))
                entry[key] = value
        name = layer.get("activation", "sigmoid")
        if not isinstance(name, str) or name not in activations.ACTIVATIONS:
            raise ValueError("{} has the activation {}; Digit Lab knows {}.".format(
                where, _short(name), ", ".join(activations.ACTIVATIONS)))
        names.append(name)
        entry["activation"] = name
        spec.append(entry)
    for l, name in enumerate(names[:-1]):
        if not activations.ACTIVATIONS[name].elementwise:
            raise ValueError("layers[{}] is a hidden layer: {} can only be the output layer's "
                             "activation.".format(l, name))
    if spec[-1]["type"] != "dense":
        raise ValueError("layers[{}] is the output layer: it must be a dense layer, got {}."
                         .format(len(spec)-1, spec[-1]["type"]))
    if names[-1] not in OUTPUTS:
        raise ValueError("layers[{}] is the output layer: its activation must be {}, got {}."
                         .format(len(names)-1, " or ".join(OUTPUTS), _short(names[-1])))
    if all(entry["type"] == "dense" for entry in spec):
        return None, names[:-1], names[-1]
    return spec[:-1], None, names[-1]


def _check_units(units, first, max_units):
    """Raise a ValueError sentence if a dense layer has more than ``max_units``
    neurons (``units`` are sizes[first], sizes[first+1], ...)."""
    for i, s in enumerate(units):
        if s > max_units:
            raise ValueError("sizes[{}] is {}; at most {} neurons per layer are allowed."
                             .format(first+i, s, max_units))


def _short(value):
    """Return ``value`` as JSON, cut to 40 characters, for an error sentence."""
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:39]+"…"


def _trained_with(training):
    """Return the learning rate ``eta`` and L2 ``lmbda`` a model file says the
    network was trained with (its optional "training" object), and the whole
    ``epochs`` it was trained for if the file says; or None."""
    if not isinstance(training, dict):
        return None
    found = {key: training.get(key) for key in ("eta", "lmbda")}
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1e6
               for v in found.values()):
        return None
    epochs = training.get("epochs")
    if isinstance(epochs, int) and not isinstance(epochs, bool) and 0 <= epochs <= 10**6:
        found["epochs"] = epochs
    return found


def save(network, path, extra=None, digits=None):
    """Write ``network`` as JSON to the file ``path``."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(network, extra, digits))


def load(path, **limits):
    """Return the Network stored in the JSON file ``path`` (see ``loads``)."""
    with open(path, "rb") as f:
        return loads(f.read(), **limits)


def _to_lists(a, digits):
    """Return the array ``a`` as nested lists of Python floats, rounded to
    ``digits`` significant digits if given."""
    values = a.tolist()
    if digits is None:
        return values
    fmt = "%.{}g".format(int(digits))
    return [[float(fmt % v) for v in row] for row in values]


def _check_sizes(sizes, max_layers):
    """Return ``sizes`` as a list of ints, or raise a ValueError sentence."""
    if not isinstance(sizes, list):
        raise ValueError("sizes must be an array of layer sizes, got {}.".format(
            _json_type(sizes)))
    if len(sizes) < 2:
        raise ValueError("sizes must list at least two layers, got {}.".format(len(sizes)))
    if len(sizes) > max_layers:
        raise ValueError("The model has {} layers; at most {} are allowed.".format(
            len(sizes), max_layers))
    for i, s in enumerate(sizes):
        if isinstance(s, bool) or not isinstance(s, int):
            raise ValueError("sizes[{}] must be an integer, got {}.".format(i, _json_type(s)))
        if s < 1:
            raise ValueError("sizes[{}] must be at least 1, got {}.".format(i, s))
    return sizes


def _check_layers(layers, key, sizes, shapes):
    """Return the list of float64 arrays in ``layers`` (the "weights" or
    "biases" entry), checking that layer l is a ``shapes[l]`` array of
    finite numbers; raise a ValueError sentence otherwise."""
    if not isinstance(layers, list):
        raise ValueError("{} must be an array, got {}.".format(key, _json_type(layers)))
    if len(layers) != len(shapes):
        raise ValueError("{} must have {} layers for sizes {}, got {}.".format(
            key, len(shapes), sizes, len(layers)))
    arrays = []
    for l, (layer, (rows, cols)) in enumerate(zip(layers, shapes)):
        where = "{}[{}]".format(key, l)
        if not isinstance(layer, list):
            raise ValueError("{} must be an array of rows, got {}.".format(
                where, _json_type(layer)))
        if len(layer) != rows:
            raise ValueError("{} must have {} rows for sizes {}, got {}.".format(
                where, rows, sizes, len(layer)))
        for i, row in enumerate(layer):
            if not isinstance(row, list):
                raise ValueError("{}[{}] must be an array of {} numbers, got {}.".format(
                    where, i, cols, _json_type(row)))
            if len(row) != cols:
                raise ValueError("{}[{}] must have {} numbers for sizes {}, got {}.".format(
                    where, i, cols, sizes, len(row)))
            for j, v in enumerate(row):
                if type(v) not in _NUMBER:
                    raise ValueError("{}[{}][{}] must be a number, got {}.".format(
                        where, i, j, _json_type(v)))
        try:
            array = np.array(layer, dtype=np.float64)
        except OverflowError:
            array = None
        if array is None or not np.all(np.isfinite(array)):
            raise ValueError("{} contains a number that is not finite.".format(where))
        arrays.append(array)
    return arrays
