"""The one module the browser worker calls: JSON in, JSON out.

``Bridge().dispatch(name, payload_json)`` always returns a JSON string,
``{"ok": true, "result": ...}`` or ``{"ok": false, "error": {"name",
"message"}}``: a Python exception never escapes into the worker.  This
module is only that envelope, the checks at the boundary, and a table from
request names to the methods of a ``Session`` (which holds all the state).
Binary inputs (drawings, MNIST files) are files the worker wrote into the
Pyodide file system; their paths come in the payload.  Binary outputs
(weights, activations, test images) are NumPy arrays in a Session's result:
each is written into a file and replaced in the JSON by
``{"$buffer": path, "dtype", "shape"}``; the worker reads the file into a
typed array, deletes it and transfers the array to the page.  Keys and
request names are camelCase at this edge.
"""

import base64
import binascii
import json
import os
import sys
import tempfile

import numpy as np

from . import my_digits
from .session import Session


class BridgeError(ValueError):
    """A request the bridge refuses, explained in one sentence."""


def _text(payload, key, what):
    value = payload.get(key)
    if not isinstance(value, str):
        raise BridgeError("{} must be text, got {}.".format(what, type(value).__name__))
    return value


def _read(payload, key, what):
    """Return the bytes of the Pyodide FS file whose path is ``payload[key]``."""
    with open(_text(payload, key, what), "rb") as f:
        return f.read()


def _predict(session, p):
    width, height = p.get("width"), p.get("height")
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 4096
               for v in (width, height)):
        raise BridgeError("predict needs a width and height from 1 to 4096 pixels, got {!r} and "
                          "{!r}.".format(width, height))
    ink = p.get("ink", "dark")
    return session.predict(_read(p, "path", "The drawing's path"), width, height, ink=ink,
                           drawn=p.get("drawn"))


def _seconds(p):
    seconds = p.get("seconds", 0.1)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds <= 10:
        raise BridgeError("seconds must be a number from 0 to 10, got {!r}.".format(seconds))
    return float(seconds)


def _load_link(session, p):
    text = _text(p, "data", "The network in the link")
    if len(text) > 8*1024*1024:
        raise BridgeError("The network in the link is too large.")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise BridgeError("The network in the link is not base64 data.")
    return session.load_link(data)


def _load_data(session, p, keys=("trainImages", "trainLabels"),
               optional=("testImages", "testLabels")):
    missing = [k for k in keys if not isinstance(p.get(k), str)]
    if missing:
        raise BridgeError("loadData needs file paths for {}.".format(", ".join(missing)))
    return session.load_data(*[p[k] for k in keys]+[p.get(k) for k in optional])


def _int(p, key, default, low, high):
    value = p.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BridgeError("{} must be a whole number from {} to {}, got {!r}.".format(
            key, low, high, value))
    return value


def _name(p):
    """Return the payload's network "name" (text), or None (the active network) if absent."""
    if p.get("name") in (None, ""):
        return None
    return _text(p, "name", "The network's name")


def _indices(p):
    value = p.get("indices")
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool)
                                              for v in value):
        raise BridgeError("indices must be a list of whole numbers.")
    return value


def _test_files(session, p):
    for key in ("testImages", "testLabels"):
        _text(p, key, "The path of " + key)
    return session.load_test_data(p["testImages"], p["testLabels"])


def _start_run(session, p):
    """Start a run from the settings in ``p``; "paused": true starts it paused
    (Step), "continueFrom": a network's name continues training that network."""
    settings = {k: v for k, v in p.items() if k not in ("paused", "continueFrom", "number")}
    source = p.get("continueFrom")
    if source is not None:
        source = _text(p, "continueFrom", "The network to continue")
    number = _int(p, "number", None, 1, 10**6) if "number" in p else None
    return session.start_run(settings, paused=p.get("paused") is True, source=source,
                             number=number)


def _check_digits(session, p):
    """Read a digits file (its text in the Pyodide FS file ``path``) strictly:
    return its digits or raise the sentence that refuses it."""
    data = _read(p, "path", "The digits file's path")
    pixels, labels, held_out = my_digits.loads(data)
    return {"count": int(len(labels)), "labels": [int(v) for v in labels], "heldOut": held_out,
            "pixels": pixels.reshape(-1)}


def _set_my_digits(session, p):
    """Keep the page's digits: the (n*784) bytes in the FS file ``path``,
    n ``labels`` and n ``heldOut`` booleans."""
    labels, held_out = p.get("labels"), p.get("heldOut")
    if not isinstance(labels, list) or not all(type(v) is int and 0 <= v <= 9 for v in labels):
        raise BridgeError("setMyDigits needs labels, a list of whole numbers from 0 to 9.")
    if len(labels) > my_digits.MAX_DIGITS:
        raise BridgeError("My digits holds at most {:,} digits, got {:,}.".format(
            my_digits.MAX_DIGITS, len(labels)))
    if not isinstance(held_out, list) or len(held_out) != len(labels) \
            or not all(type(v) is bool for v in held_out):
        raise BridgeError("setMyDigits needs heldOut, a list of true or false, one per label.")
    data = _read(p, "path", "The digits' path")
    if len(data) != len(labels)*my_digits.PIXELS:
        raise BridgeError("setMyDigits got {:,} bytes of pixels for {:,} digits; each digit has "
                          "{} bytes.".format(len(data), len(labels), my_digits.PIXELS))
    pixels = np.frombuffer(data, dtype=np.uint8).reshape(len(labels), my_digits.PIXELS)
    return session.set_my_digits(pixels, labels, held_out)


HANDLERS = {
    "versions": lambda s, p: {"python": sys.version.split()[0], "numpy": np.__version__},
    "models": lambda s, p: s.models(),
    "loadModel": lambda s, p: s.load_model(_text(p, "name", "The model's name"),
                                           _text(p, "text", "The model file"),
                                           activate=bool(p.get("activate"))),
    "useModel": lambda s, p: s.use(_text(p, "name", "The network's name")),
    "exportModel": lambda s, p: s.export_model(p.get("name") or None),
    "exportLink": lambda s, p: s.export_link(p.get("name") or None),
    "loadLink": _load_link,
    "predict": _predict,
    "evaluate": lambda s, p: s.evaluate(p.get("name") or None),
    "loadData": _load_data,
    "startRun": _start_run,
    "stepBatch": lambda s, p: s.step_batch(),
    "stepRun": lambda s, p: s.step_run(_seconds(p)),
    "pauseRun": lambda s, p: s.pause_run(),
    "resumeRun": lambda s, p: s.resume_run(),
    "stopRun": lambda s, p: s.stop_run(),
    "finishRun": lambda s, p: s.finish_run(p.get("reason"), p.get("message")),
    # Inside the network (pycore/inside_views.py)
    "loadTestData": _test_files,
    "predictTest": lambda s, p: s.predict_test(_int(p, "index", None, 0, 10**6)),
    "testImages": lambda s, p: s.test_images(_indices(p)),
    "firstLayer": lambda s, p: s.first_layer(_int(p, "first", 0, 0, 10**6),
                                             _int(p, "count", 100, 1, 1024), p.get("name") or None),
    "filters": lambda s, p: s.filters(_name(p)),
    "evaluateTest": lambda s, p: s.evaluate_test(p.get("name") or None,
                                                 _seconds(p) if "seconds" in p else None),
    "epochEvaluation": lambda s, p: s.epoch_evaluation(),
    # My digits (pycore/my_digits_session.py)
    "checkDigits": _check_digits,
    "setMyDigits": _set_my_digits,
    "evaluateMine": lambda s, p: s.evaluate_mine(_name(p), _seconds(p) if "seconds" in p else None),
}

BUFFER_TYPES = ("float32", "int32", "uint8")


class Bridge(object):
    """The worker's handle on one Session."""

    def __init__(self, session=None, buffers=None):
        """Serve ``session`` (a new Session by default); array results are
        written as files into the folder ``buffers`` (by default
        digit-lab-buffers in the temporary folder)."""
        self.session = session if session is not None else Session()
        self.buffers = buffers or os.path.join(tempfile.gettempdir(), "digit-lab-buffers")
        self.written = 0

    def _buffer(self, array):
        """Write ``array`` into a file; return its JSON stand-in."""
        if array.dtype.name not in BUFFER_TYPES:
            raise TypeError("a {} array cannot be sent as a buffer.".format(array.dtype.name))
        os.makedirs(self.buffers, exist_ok=True)
        self.written += 1
        path = os.path.join(self.buffers, "{}.bin".format(self.written))
        with open(path, "wb") as f:
            f.write(np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"),
                                                       copy=False).tobytes())
        return {"$buffer": path, "dtype": array.dtype.name, "shape": list(array.shape)}

    def dispatch(self, name, payload_json):
        """Run the request ``name`` on the JSON payload; return a JSON reply envelope."""
        try:
            handler = HANDLERS.get(name)
            if handler is None:
                raise BridgeError("Unknown bridge call {!r}.".format(name))
            try:
                payload = json.loads(payload_json) if payload_json else {}
            except ValueError:
                raise BridgeError("The bridge received a payload that is not JSON.")
            if not isinstance(payload, dict):
                raise BridgeError("The bridge's payload must be a JSON object.")
            reply = {"ok": True, "result": handler(self.session, payload)}
            return json.dumps(_finite(reply, self._buffer), allow_nan=False)
        except ValueError as e:
            reply = {"ok": False, "error": {"name": "ValueError", "message": str(e)}}
        except Exception as e:  # the worker must survive any failed call
            reply = {"ok": False, "error": {"name": type(e).__name__,
                                            "message": "Python error in {}: {}".format(name, e)}}
        return json.dumps(reply)


def _finite(value, buffer=None):
    """Return ``value`` with NaN and infinities (a diverging run's cost) replaced by None
    and NumPy arrays by ``buffer(array)``."""
    if isinstance(value, np.ndarray) and buffer is not None:
        return buffer(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v, buffer) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v, buffer) for v in value]
    return value
