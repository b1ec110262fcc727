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


def _layers(field, value):
    """Return hidden layer sizes from a list of ints or text like "100, 30"."""
    example = "for example 30 or 100, 30"
    low, high = field["minLayers"], field["maxLayers"]
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            raise ValueError("Hidden layers is required: enter the units of each hidden layer, "
                             "{}.".format(example))
        parts = re.split(r"\s*[,;\s]\s*", text)
        if not all(_INTEGER.fullmatch(p) for p in parts):
            raise ValueError("Hidden layers must be whole numbers separated by commas, {}."
                             .format(example))
        units = [int(p) for p in parts]
    elif isinstance(value, list) and all(isinstance(n, int) and not isinstance(n, bool)
                                         for n in value):
        units = value
    else:
        raise ValueError("Hidden layers must be whole numbers separated by commas, {}."
                         .format(example))
    if not low <= len(units) <= high:
        raise ValueError("Use {} to {} hidden layers; you gave {}.".format(low, high, len(units)))
    for n in units:
        if not field["min"] <= n <= field["max"]:
            raise ValueError("Each hidden layer needs {} to {} units; {} is out of range."
                             .format(field["min"], field["max"], n))
    return list(units)


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
    """Return the layer sizes ``[784] + hidden + [10]``."""
    return [INPUTS] + list(hidden) + [OUTPUTS]


def parameter_count(layer_sizes):
    """Return the number of weights and biases of a network with ``layer_sizes``."""
    return sum(n_in*n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))


def max_batch(layer_sizes):
    """Return the largest mini-batch size for a network with ``layer_sizes``
    that keeps one step's work under STEP_WORK."""
    return max(1, STEP_WORK // parameter_count(layer_sizes))


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
    if "batch" not in errors and "hidden" not in errors:
        params = parameter_count(sizes(settings["hidden"]))
        most = max_batch(sizes(settings["hidden"]))
        if settings["batch"] > most:
            errors["batch"] = ("This network has {:,} weights; use at most {} samples per "
                               "mini-batch so each step stays quick.".format(params, most))
    if errors:
        raise SettingsError(errors)
    return settings
