"""The one module the browser calls: plain data in, plain data out.

JavaScript calls ``dispatch(name, payload_json)`` and always gets a JSON string
back: ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": {"name",
"message"}}``; a Python exception never escapes into the worker. Binary inputs
(drawings, MNIST files) are files the worker wrote into the Pyodide file
system; their paths come in the payload. Keys are camelCase at this edge.

State lives in this module: the networks by name ("pretrained", "trained",
"uploaded"), which one predicts, the loaded MNIST data and the running trainer.
"""

import json
import sys
import time

import numpy as np

from . import mnist, model_io, preprocess
from .network import CrossEntropyCost, Network, QuadraticCost
from .trainer import Trainer

INPUTS, OUTPUTS = 784, 10
LIMITS = {
    "hidden_layers": 4, "units": 1024, "epochs": 100, "batch": 1000,
    "eta": 100.0, "samples_min": 100, "samples": 50000, "lmbda": 1000.0, "seed": 2 ** 31 - 1,
    # parameters × mini-batch size: one training step stays well under a second in the browser
    "step_work": 50000000,
}
COST_NAMES = {"quadratic": QuadraticCost, "cross-entropy": CrossEntropyCost}
INIT_NAMES = ("large", "scaled")

_models = {}
_state = {"active": None, "data": None, "trainer": None, "run_settings": None, "elapsed": 0.0}


class BridgeError(ValueError):
    """A request the bridge refuses, explained in one sentence."""


def _number(payload, key, kind, low, high, low_open=False, default=None):
    """Return ``payload[key]`` (or ``default``) as ``kind`` within [low, high], or raise
    a clear error."""
    label = {"epochs": "Epochs", "batch": "Mini-batch size", "eta": "Learning rate η",
             "samples": "Training samples", "lmbda": "L2 regularization λ", "seed": "Seed"}[key]
    value = payload.get(key, default)
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise BridgeError("{} must be a number, got {!r}.".format(label, value))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BridgeError("{} must be a number, got {!r}.".format(label, value))
    if not np.isfinite(number):
        raise BridgeError("{} must be a finite number, got {!r}.".format(label, value))
    if kind is int:
        if number != int(number):
            raise BridgeError("{} must be a whole number, got {!r}.".format(label, value))
        number = int(number)
    too_low = number <= low if low_open else number < low
    if too_low or number > high:
        bound = "greater than {}".format(low) if low_open else "at least {}".format(low)
        raise BridgeError("{} must be {} and at most {}, got {}.".format(label, bound, high, value))
    return number


def _hidden(value):
    """Return the hidden layer sizes from a list of ints or a text like ``"100, 30"``."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(";", ",").split(",")]
        parts = [p for p in parts if p]
        try:
            value = [int(p) for p in parts]
        except ValueError:
            raise BridgeError("Hidden layers must be whole numbers separated by commas, "
                              "like 30 or 100, 30; got {!r}.".format(value))
    if not isinstance(value, list) or any(isinstance(n, bool) or not isinstance(n, int) for n in value):
        raise BridgeError("Hidden layers must be a list of whole numbers, got {!r}.".format(value))
    if len(value) > LIMITS["hidden_layers"]:
        raise BridgeError("At most {} hidden layers are allowed, got {}."
                          .format(LIMITS["hidden_layers"], len(value)))
    for n in value:
        if not 1 <= n <= LIMITS["units"]:
            raise BridgeError("Each hidden layer needs 1 to {} neurons, got {}."
                              .format(LIMITS["units"], n))
    return value


def validate_settings(payload):
    """Return the normalized training settings, or raise with a sentence for the user."""
    if not isinstance(payload, dict):
        raise BridgeError("Training settings must be an object.")
    cost = payload.get("cost", "quadratic")
    if cost not in COST_NAMES:
        raise BridgeError("Cost must be 'quadratic' or 'cross-entropy', got {!r}.".format(cost))
    init = payload.get("init", "large")
    if init not in INIT_NAMES:
        raise BridgeError("Weight init must be 'large' or 'scaled', got {!r}.".format(init))
    settings = {
        "hidden": _hidden(payload.get("hidden", [30])),
        "epochs": _number(payload, "epochs", int, 1, LIMITS["epochs"]),
        "batch": _number(payload, "batch", int, 1, LIMITS["batch"]),
        "eta": _number(payload, "eta", float, 0.0, LIMITS["eta"], low_open=True),
        "samples": _number(payload, "samples", int, LIMITS["samples_min"], LIMITS["samples"]),
        "lmbda": _number(payload, "lmbda", float, 0.0, LIMITS["lmbda"], default=0.0),
        "seed": _number(payload, "seed", int, 0, LIMITS["seed"], default=1),
        "cost": cost, "init": init,
    }
    if settings["batch"] > settings["samples"]:
        raise BridgeError("Mini-batch size ({}) cannot be larger than Training samples ({})."
                          .format(settings["batch"], settings["samples"]))
    if settings["eta"] * settings["lmbda"] / settings["samples"] >= 1:
        raise BridgeError("With η = {}, λ = {} and {} training samples the L2 weight decay "
                          "1 − ηλ/n is {:.3g}, not positive: lower η or λ, or use more samples."
                          .format(settings["eta"], settings["lmbda"], settings["samples"],
                                  1 - settings["eta"] * settings["lmbda"] / settings["samples"]))
    sizes = [INPUTS] + settings["hidden"] + [OUTPUTS]
    params = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    most = max(1, LIMITS["step_work"] // params)
    if settings["batch"] > most:
        raise BridgeError("This network has {:,} weights; use at most {} samples per mini-batch "
                          "so each step stays quick.".format(params, most))
    return settings


def versions(payload):
    """Return the Python and NumPy versions this bridge runs on."""
    return {"python": sys.version.split()[0], "numpy": np.__version__}


def _model_info(name):
    net = _models[name]
    return {"name": name, "sizes": list(net.sizes), "cost": net.cost.__name__,
            "active": _state["active"] == name}


def _finite_network(name):
    """Return the named network, or raise if training drove its weights to inf/NaN."""
    net = _models[name]
    if not all(np.isfinite(w).all() and np.isfinite(b).all() for w, b in zip(net.weights, net.biases)):
        raise BridgeError("The {} network's weights are no longer finite numbers (training diverged); "
                          "train again with a smaller learning rate η.".format(name))
    return net


def load_model(payload):
    """Validate and store a model file's text under ``payload["name"]``."""
    name, text = payload.get("name"), payload.get("text")
    if name not in ("pretrained", "uploaded", "notebook"):
        raise BridgeError("A model can be loaded as 'pretrained', 'uploaded' or 'notebook', not {!r}."
                          .format(name))
    if not isinstance(text, str):
        raise BridgeError("The model file must be text (JSON).")
    net = model_io.loads(text)
    if net.sizes[0] != INPUTS or net.sizes[-1] != OUTPUTS:
        raise BridgeError("This model maps {} inputs to {} outputs; Digit Lab needs {} inputs "
                          "(28×28 pixels) and {} outputs (the digits 0–9)."
                          .format(net.sizes[0], net.sizes[-1], INPUTS, OUTPUTS))
    _models[name] = net
    if payload.get("activate") or _state["active"] is None:
        _state["active"] = name
    return _model_info(name)


def models(payload):
    """Return the names of the networks available and the one that predicts."""
    return {"available": sorted(_models), "active": _state["active"]}


def use_model(payload):
    """Make the named network the one that predicts."""
    name = payload.get("name")
    if name not in _models:
        raise BridgeError("There is no {} network yet.".format(name) if isinstance(name, str)
                          else "use_model needs a network name.")
    _state["active"] = name
    return _model_info(name)


def export_model(payload):
    """Return the active (or named) network as network2.py-style JSON text."""
    name = payload.get("name") or _state["active"]
    if name not in _models:
        raise BridgeError("There is no network to download yet.")
    net = _finite_network(name)
    extra = {"source": "Digit Lab", "model": name}
    if name == "trained" and _state["run_settings"]:
        extra["training"] = _state["run_settings"]
    filename = "digit-lab-{}-{}.json".format(name, "-".join(str(n) for n in net.sizes))
    return {"text": model_io.dumps(net, extra=extra), "filename": filename}


def predict(payload):
    """Return the digit, the 10 probabilities and the 28×28 input for a drawing file."""
    width, height = payload.get("width"), payload.get("height")
    if not isinstance(width, int) or not isinstance(height, int):
        raise BridgeError("predict needs integer width and height, got {!r} and {!r}."
                          .format(width, height))
    if _state["active"] is None:
        raise BridgeError("No network is loaded yet.")
    with open(payload["path"], "rb") as f:
        pixels = f.read()
    x = preprocess.drawing_to_input(pixels, width, height, ink=payload.get("ink", "dark"))
    if x is None:
        return {"empty": True, "digit": None, "probabilities": [0.0] * OUTPUTS, "input": [0.0] * INPUTS}
    net = _finite_network(_state["active"])
    a = net.feedforward(x.astype(net.dtype)).ravel().astype(float)
    probabilities = a / a.sum() if a.sum() > 0 else np.full(OUTPUTS, 1.0 / OUTPUTS)
    return {"empty": False, "digit": int(np.argmax(a)), "model": _state["active"],
            "probabilities": [round(float(p), 6) for p in probabilities],
            "input": [round(float(v), 4) for v in x.ravel()]}


def load_data(payload):
    """Read the four MNIST files (paths, gzip or raw) into the book's split."""
    keys = ("trainImages", "trainLabels", "testImages", "testLabels")
    missing = [k for k in keys if not isinstance(payload.get(k), str)]
    if missing:
        raise BridgeError("load_data needs file paths for {}.".format(", ".join(missing)))
    data = mnist.load_data(*(mnist.read_idx(payload[k]) for k in keys))
    # the test set is scored after every epoch of every run: convert it to floats once
    images, labels = data["test"]
    data["test"] = (images / 255.0, labels)
    _state["data"] = data
    return {name: int(len(labels)) for name, (images, labels) in data.items()}


def train_start(payload):
    """Create a fresh network from the settings and a trainer over the first samples."""
    settings = validate_settings(payload)
    if _state["data"] is None:
        raise BridgeError("MNIST is not loaded yet.")
    images, labels = _state["data"]["training"]
    n = min(settings["samples"], len(labels))
    sizes = [INPUTS] + settings["hidden"] + [OUTPUTS]
    net = Network(sizes, cost=COST_NAMES[settings["cost"]], init=settings["init"], seed=settings["seed"])
    _state["trainer"] = Trainer(net, (images[:n], labels[:n]), settings["epochs"], settings["batch"],
                                settings["eta"], lmbda=settings["lmbda"], test=_state["data"]["test"],
                                seed=settings["seed"])
    _models["trained"] = net
    _state.update(active="trained", run_settings=settings, elapsed=0.0)
    return {"sizes": sizes, "samples": n, "epochs": settings["epochs"]}


def _progress(trainer, cost):
    elapsed = _state["elapsed"]  # time spent in train_step: pauses do not count
    fraction = float(trainer.fraction)
    eta_seconds = elapsed / fraction * (1.0 - fraction) if fraction > 0 else None
    return {"epoch": trainer.epoch, "epochs": trainer.epochs, "batch": trainer.batch,
            "batchesPerEpoch": trainer.batches_per_epoch, "fraction": fraction,
            "cost": cost, "elapsedSeconds": elapsed, "etaSeconds": eta_seconds}


def train_step(payload):
    """Advance the running trainer for about ``payload["seconds"]`` and return its events."""
    trainer = _state["trainer"]
    if trainer is None:
        raise BridgeError("No training run is in progress.")
    seconds = float(payload.get("seconds", 0.1))
    events, cost = [], None
    start = time.perf_counter()
    stepped = trainer.step(seconds=seconds)
    _state["elapsed"] += time.perf_counter() - start
    for e in stepped:
        if e["event"] == "progress":
            cost = e.get("cost")
        elif e["event"] == "epoch":
            events.append({"event": "epoch", "epoch": e["epoch"], "correct": e["correct"],
                           "total": e["total"], "accuracy": e["accuracy"],
                           "seconds": e["seconds"], "cost": e.get("cost")})
    return {"events": events, "done": bool(trainer.done), "progress": _progress(trainer, cost)}


def train_finish(payload):
    """End the run; the network keeps the last whole mini-batch's weights."""
    trainer = _state["trainer"]
    if trainer is not None and not trainer.done:
        trainer.stop()
    _state["trainer"] = None
    return {"active": _state["active"]}


HANDLERS = {
    "versions": versions, "validate_settings": validate_settings, "load_model": load_model,
    "models": models, "use_model": use_model, "export_model": export_model, "predict": predict,
    "load_data": load_data, "train_start": train_start, "train_step": train_step,
    "train_finish": train_finish,
}


def dispatch(name, payload_json):
    """Run the handler ``name`` on the JSON payload and return a JSON reply envelope."""
    try:
        handler = HANDLERS.get(name)
        if handler is None:
            raise BridgeError("Unknown bridge call {!r}.".format(name))
        try:
            payload = json.loads(payload_json) if payload_json else {}
        except ValueError:
            raise BridgeError("The bridge received a payload that is not JSON.")
        reply = {"ok": True, "result": handler(payload)}
        return json.dumps(_finite(reply), allow_nan=False)
    except ValueError as e:
        reply = {"ok": False, "error": {"name": "ValueError", "message": str(e)}}
    except Exception as e:  # the worker must survive any failed call
        reply = {"ok": False, "error": {"name": type(e).__name__,
                                        "message": "Python error in {}: {}".format(name, e)}}
    return json.dumps(reply)


def _finite(value):
    """Return ``value`` with NaN and infinities (a diverging run's cost) replaced by None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
