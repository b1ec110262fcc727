"""The training settings, read from ``settings.json`` (the one table the page's
controls, hints and link parser are built from too) and checked the way the
page checks them: each field alone, then the fields against each other.

Values may be numbers and lists (from the worker) or the text a control or a
link holds; every refusal is a sentence naming the field.
"""

import json
import math
import os
import re

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "settings.json")) as _f:
    SCHEMA = json.load(_f)

FIELDS = {field["name"]: field for field in SCHEMA["fields"]}
DEFAULTS = {name: field["default"] for name, field in FIELDS.items()}
INPUTS, OUTPUTS, STEP_WORK = SCHEMA["inputs"], SCHEMA["outputs"], SCHEMA["stepWork"]
IMAGE_SIDE = 28           # the inputs are 28 x 28 images (conv layers see them so)

# The same patterns as web/js/settings/settings.js ([0-9], not \d: Python's \d takes any digit).
_INTEGER = re.compile(r"[+]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)")   # 50000 or 50,000
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


class SettingsError(ValueError):
    """Settings refused: ``errors`` maps each bad field to its sentence."""

    def __init__(self, errors):
        self.errors = dict(errors)
        super(SettingsError, self).__init__(" ".join(self.errors.values()))


def _fmt(x):
    """Return a limit as the page writes it (3, 0.5, 1e-06 as JavaScript would)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _whole(field, value):
    """Return ``value`` (int or integral text) as an int in the field's range."""
    label, low, high = field["label"], field["min"], field["max"]
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            raise ValueError("{} is required: enter a whole number from {} to {}."
                             .format(label, low, high))
        if not _INTEGER.fullmatch(text):
            raise ValueError("{} must be a whole number from {} to {}, not “{}”."
                             .format(label, low, high, text))
        number = int(text.replace(",", ""))
    elif isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value) and float(value).is_integer():
        number, text = int(value), _fmt(value)
    else:
        raise ValueError("{} must be a whole number from {} to {}, not {}."
                         .format(label, low, high, json.dumps(value)[:40]))
    if not low <= number <= high:
        raise ValueError("{} must be from {} to {}; {} is out of range."
                         .format(label, low, high, text))
    return number


def _number(field, value):
    """Return ``value`` (number or numeric text) as a float in the field's range."""
    label = field["label"]
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            raise ValueError("{} is required.".format(label))
        if not _NUMBER.fullmatch(text):
            raise ValueError("{} must be a number, not “{}”.".format(label, text))
        number = float(text)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        raise ValueError("{} must be a number, not {}.".format(label, json.dumps(value)[:40]))
    if not math.isfinite(number):
        raise ValueError("{} must be a finite number.".format(label))
    low, high = field["min"], field["max"]
    if field.get("maxExclusive"):
        if not low <= number < high:
            raise ValueError("{} must be at least {} and below {}."
                             .format(label, _fmt(low), _fmt(high)))
    elif field.get("minExclusive"):
        if not low < number <= high:
            raise ValueError("{} must be greater than {} and at most {}."
                             .format(label, _fmt(low), _fmt(high)))
    elif not low <= number <= high:
        raise ValueError("{} must be from {} to {}.".format(label, _fmt(low), _fmt(high)))
    return int(number) if number.is_integer() and abs(number) < 2 ** 53 else number


_CONV = re.compile(r"conv\s+([0-9]+)\s+([0-9]+)\s*[x×]\s*([0-9]+)(\s+pool\s+([0-9]+))?",
                   re.IGNORECASE)
_EXAMPLE = "for example 30, or 100, 30, or conv 20 5x5 pool 2, 100"


def conv_text(filters, size, pool):
    """Return a conv layer's text in the Hidden layers field, e.g. "conv 20 5x5 pool 2"."""
    return "conv {} {}x{}{}".format(filters, size, size, " pool {}".format(pool) if pool > 1 else "")


def _conv_item(field, text):
    """Return the canonical text of the conv layer ``text`` ("conv 20 5x5
    pool 2"), or raise a ValueError sentence."""
    match = _CONV.fullmatch(text)
    if not match:
        raise ValueError("Write a conv layer as conv, its number of filters, their size and "
                         "the pooling, for example conv 20 5x5 pool 2; “{}” is not one."
                         .format(text[:40]))
    filters, size, other = int(match.group(1)), int(match.group(2)), int(match.group(3))
    pool = int(match.group(5)) if match.group(5) else 1
    if size != other:
        raise ValueError("Conv filters are square: write {}x{}, not {}x{}.".format(size, size, size, other))
    if not 1 <= filters <= field["maxFilters"]:
        raise ValueError("A conv layer needs 1 to {} filters; {} is out of range."
                         .format(field["maxFilters"], filters))
    if not 1 <= pool <= field["maxPool"]:
        raise ValueError("Pooling must be from 1 to {}; {} is out of range.".format(field["maxPool"], pool))
    return conv_text(filters, size, pool)


def conv_parts(item):
    """Return ``(filters, size, pool)`` of a conv layer's canonical text."""
    match = _CONV.fullmatch(item)
    return int(match.group(1)), int(match.group(2)), int(match.group(5) or 1)


def _layers(field, value):
    """Return the hidden layers from a list or text like "100, 30" or "conv
    20 5x5 pool 2, 100": an int for each dense layer (its units), the
    canonical text for each conv layer (``conv_text``)."""
    low, high = field["minLayers"], field["maxLayers"]
    items = []
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            raise ValueError("Hidden layers is required: enter the units of each hidden layer, "
                             "{}.".format(_EXAMPLE))
        for part in re.split(r"\s*[,;]\s*", text):
            if part[:4].lower() == "conv":
                items.append(_conv_item(field, part))
                continue
            numbers = re.split(r"\s+", part)
            if not all(_INTEGER.fullmatch(n) for n in numbers):
                raise ValueError("Hidden layers must be whole numbers or conv layers separated by "
                                 "commas, {}.".format(_EXAMPLE))
            items.extend(int(n) for n in numbers)
    elif isinstance(value, list) and all(isinstance(n, (int, str)) and not isinstance(n, bool)
                                         for n in value):
        items = [_conv_item(field, n) if isinstance(n, str) else n for n in value]
    else:
        raise ValueError("Hidden layers must be whole numbers or conv layers separated by "
                         "commas, {}.".format(_EXAMPLE))
    if not low <= len(items) <= high:
        raise ValueError("Use {} to {} hidden layers; you gave {}.".format(low, high, len(items)))
    for n in items:
        if isinstance(n, int) and not field["min"] <= n <= field["max"]:
            raise ValueError("Each hidden layer needs {} to {} units; {} is out of range."
                             .format(field["min"], field["max"], n))
    _check_geometry(items)
    return items


def _check_geometry(items):
    """Raise a ValueError sentence unless the conv layers come first, each
    one's filters fit its input and its pooling tiles its feature maps."""
    side, dense = IMAGE_SIDE, None
    for item in items:
        if isinstance(item, int):
            dense = dense or item
            continue
        if dense is not None:
            raise ValueError("Put the conv layers before the dense ones: {} comes after {}."
                             .format(item, dense))
        filters, size, pool = conv_parts(item)
        if size > side:
            raise ValueError("The {}x{} filters of {} do not fit its {}x{} input."
                             .format(size, size, item, side, side))
        if (side-size+1) % pool:
            raise ValueError("Pool {} does not tile the {}x{} feature maps of {}."
                             .format(pool, side-size+1, side-size+1, item))
        side = (side-size+1)//pool


def layer_spec(hidden, activation="sigmoid"):
    """Return the hidden layers as ``Network.from_layers`` descriptions, or
    None if they are all dense (an MLP: ``Network(sizes(hidden))``)."""
    if all(isinstance(n, int) for n in hidden):
        return None
    spec = []
    for item in hidden:
        if isinstance(item, int):
            spec.append({"type": "dense", "units": item, "activation": activation})
        else:
            filters, size, pool = conv_parts(item)
            spec.append({"type": "conv", "filters": filters, "size": size, "pool": pool,
                         "activation": activation})
    return spec


def _choice(field, value):
    """Return one of the field's option values (text compared without case)."""
    options = [o["value"] for o in field["options"]]
    text = value.strip().lower() if isinstance(value, str) else None
    if text not in options:
        raise ValueError("{} must be one of: {}.".format(field["label"], ", ".join(options)))
    return text


PARSERS = {"int": _whole, "number": _number, "layers": _layers, "choice": _choice}


def parse_field(name, value):
    """Return the parsed value of one field, or raise a ValueError sentence."""
    if name not in FIELDS:
        raise ValueError("There is no setting called “{}”.".format(name))
    field = FIELDS[name]
    return PARSERS[field["type"]](field, value)


def sizes(hidden):
    """Return the layer sizes ``[784] + hidden + [10]``, a conv layer
    counting its pooled outputs (filters x side x side)."""
    out, side = [INPUTS], IMAGE_SIDE
    for item in hidden:
        if isinstance(item, int):
            out.append(item)
            continue
        filters, size, pool = conv_parts(item)
        side = (side-size+1)//pool
        out.append(filters*side*side)
    return out+[OUTPUTS]


def parameter_count(layer_sizes):
    """Return the number of weights and biases of an MLP with ``layer_sizes``."""
    return sum(n_in*n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))


def step_work(hidden):
    """Return one sample's work in a training step of a network with these
    hidden layers: its parameters for an MLP; with conv layers, each layer's
    multiply-adds plus its parameters (a conv layer's weights are used at
    every position)."""
    if all(isinstance(n, int) for n in hidden):
        return parameter_count(sizes(hidden))
    work, side, channels, n_in = 0, IMAGE_SIDE, 1, INPUTS
    for item in list(hidden)+[OUTPUTS]:
        if isinstance(item, int):
            work += n_in*item*2 + item
            n_in = item
            continue
        filters, size, pool = conv_parts(item)
        conv = side-size+1
        work += conv*conv*channels*size*size*filters + (channels*size*size+1)*filters
        side, channels = conv//pool, filters
        n_in = filters*side*side
    return work


def max_batch(hidden):
    """Return the largest mini-batch size for a network with these hidden
    layers that keeps one step's work under STEP_WORK."""
    return max(1, STEP_WORK // step_work(hidden))


def batch_error(hidden):
    """Return the sentence that caps the mini-batch size of a network with these hidden layers."""
    most = max_batch(hidden)
    if all(isinstance(n, int) for n in hidden):
        return ("This network has {:,} weights; use at most {} samples per mini-batch so each "
                "step stays quick.".format(parameter_count(sizes(hidden)), most))
    return ("This network does {:,} multiply-adds per image; use at most {} samples per "
            "mini-batch so each step stays quick.".format(step_work(hidden), most))


def pair_error(cost, out):
    """Return the sentence refusing the ``cost`` with an ``out`` output layer
    (the cost options' "outputs" in the table), or None if they go together."""
    options = FIELDS["cost"]["options"]
    chosen = [o for o in options if o["value"] == cost][0]
    if out in chosen["outputs"]:
        return None
    label = {o["value"]: o["label"].lower() for o in FIELDS["out"]["options"]}
    return ("The {} cost goes with a {} output layer; a {} output layer goes with the {} cost."
            .format(chosen["label"].lower(), " or ".join(label[v] for v in chosen["outputs"]),
                    label[out], " or ".join(o["label"].lower() for o in options
                                              if out in o["outputs"])))


def parse_settings(values):
    """Return the complete settings for ``values`` (a dict; missing fields take
    their defaults) or raise SettingsError with a sentence per bad field."""
    if not isinstance(values, dict):
        raise SettingsError({"settings": "Training settings must be an object."})
    settings, errors = {}, {}
    for name in FIELDS:
        try:
            settings[name] = parse_field(name, values.get(name, DEFAULTS[name]))
        except ValueError as e:
            errors[name] = str(e)
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        errors["settings"] = "There is no setting called “{}”.".format(unknown[0][:40])
    if "batch" not in errors and "samples" not in errors and settings["batch"] > settings["samples"]:
        errors["batch"] = ("Mini-batch size can be at most the number of training samples ({})."
                           .format(settings["samples"]))
    if not {"eta", "lmbda", "samples", "reg"} & set(errors) and settings["reg"] == "l2":
        eta, lmbda, n = settings["eta"], settings["lmbda"], settings["samples"]
        if 1 - eta*lmbda/n <= 0:
            errors["lmbda"] = ("With η = {} and {} samples, L2's parameter λ must be below {:.4g} "
                               "(the weight decay 1 − ηλ/n must stay positive)."
                               .format(_fmt(eta), n, n/eta))
    if "cost" not in errors and "out" not in errors:
        mismatch = pair_error(settings["cost"], settings["out"])
        if mismatch:
            errors["cost"] = mismatch
    if not {"dropout", "hidden"} & set(errors) and settings["dropout"] > 0 \
            and not all(isinstance(n, int) for n in settings["hidden"]):
        errors["dropout"] = ("Dropout works in networks of dense layers only; set it to 0 for a "
                             "network with conv layers.")
    if "batch" not in errors and "hidden" not in errors:
        if settings["batch"] > max_batch(settings["hidden"]):
            errors["batch"] = batch_error(settings["hidden"])
    if errors:
        raise SettingsError(errors)
    return settings
