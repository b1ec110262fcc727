"""
notebook.py
~~~~~~~~~~~

What the page's notebook needs from Python: run a cell's code (top-level
``await`` allowed) in a shared namespace, report exceptions as tracebacks
trimmed to the notebook's own cells, send printed text somewhere as it is
written, and turn any network in the book's layout into network2.py JSON
for the Draw pad.  The notebook's worker calls ``setup`` once, then
``run_cell`` for each cell; nothing here keeps state between calls except
the namespace the caller holds.
"""

import ast
import inspect
import json
import linecache
import sys
import traceback

import numpy as np

from . import model_io
from .network import COSTS

CELL_FILENAME = "<cell {}>"


class StreamWriter(object):
    """A text stream for ``sys.stdout``/``sys.stderr`` that hands each write
    to ``emit(text)`` at once, so output appears while a cell runs."""

    def __init__(self, emit, name):
        self._emit = emit
        self.name = name
        self.encoding = "utf-8"
        self.errors = "strict"

    def write(self, text):
        """Send ``text`` (a str) on, and return its length."""
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not {}".format(type(text).__name__))
        if text:
            self._emit(text)
        return len(text)

    def writelines(self, lines):
        """Write each string of ``lines``."""
        for line in lines:
            self.write(line)

    def flush(self):
        """Do nothing: every write is sent at once."""

    def isatty(self):
        """Return False: this is not a terminal."""
        return False

    def writable(self):
        """Return True."""
        return True


def setup(write, send):
    """Route ``sys.stdout`` and ``sys.stderr`` to ``write(stream, text)`` and
    return a new namespace for the cells, holding ``send_to_pad``, which
    passes a network's JSON text to ``send(text)``."""
    sys.stdout = StreamWriter(lambda text: write("stdout", text), "<stdout>")
    sys.stderr = StreamWriter(lambda text: write("stderr", text), "<stderr>")

    def send_to_pad(net):
        """Send ``net`` (anything with ``sizes``, ``weights`` and ``biases``
        in the book's layout, mapping 784 inputs to 10 outputs) to the Draw
        pad, which offers it as the "Notebook" network."""
        text = network_json(net)
        send(text)
        print("Sent the {} network to the Draw pad: choose “Notebook” there "
              "(it is chosen for you now).".format("-".join(str(s) for s in net.sizes)))

    return {"__name__": "__main__", "__builtins__": __builtins__, "send_to_pad": send_to_pad}


def network_json(net):
    """Return ``net`` as network2.py JSON text, checked by ``model_io.loads``.
    ``net.sizes`` lists the layers, ``net.weights[l]`` is (sizes[l+1],
    sizes[l]), ``net.biases[l]`` is (sizes[l+1], 1); ``net.cost``, if any,
    is QuadraticCost or CrossEntropyCost (the seed's network has none and
    uses the quadratic cost).  Raise a ValueError sentence otherwise."""
    missing = [name for name in ("sizes", "weights", "biases") if not hasattr(net, name)]
    if missing:
        raise ValueError("send_to_pad needs a network with sizes, weights and biases; "
                         "this {} has no {}.".format(type(net).__name__, ", ".join(missing)))
    cost = getattr(net, "cost", None)
    cost_name = getattr(cost, "__name__", cost) if cost is not None else "QuadraticCost"
    if cost_name not in COSTS:
        cost_name = "QuadraticCost"
    try:
        data = {"sizes": [int(s) for s in net.sizes],
                "weights": [np.asarray(w, dtype=float).tolist() for w in net.weights],
                "biases": [np.asarray(b, dtype=float).tolist() for b in net.biases],
                "cost": cost_name, "source": "Digit Lab notebook"}
        text = json.dumps(data, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as e:
        raise ValueError("send_to_pad could not read the network's sizes, weights and "
                         "biases as finite numbers ({}).".format(e))
    loaded = model_io.loads(text)
    if loaded.sizes[0] != 784 or loaded.sizes[-1] != 10:
        raise ValueError("The Draw pad needs a network with 784 inputs and 10 outputs; "
                         "this one has sizes {}.".format(loaded.sizes))
    return text


async def run_cell(code, number, namespace):
    """Run ``code`` as notebook cell ``number`` in ``namespace`` (top-level
    ``await`` allowed).  Return True if it finished, False if it raised; the
    traceback, trimmed to the notebook's cells, goes to ``sys.stderr``."""
    filename = CELL_FILENAME.format(number)
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        compiled = compile(code, filename, "exec",
                           flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        result = eval(compiled, namespace)
        if inspect.iscoroutine(result):
            await result
    except BaseException as e:  # KeyboardInterrupt and SystemExit end only the cell
        sys.stderr.write(format_exception(e))
        return False
    return True


def format_exception(e):
    """Return the traceback of ``e`` as text, keeping only the frames of
    notebook cells (a syntax error shows just its place and message)."""
    frames = [frame for frame in traceback.extract_tb(e.__traceback__)
              if frame.filename.startswith("<cell ")]
    lines = []
    if frames and not isinstance(e, SyntaxError):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(frames))
    lines.extend(traceback.format_exception_only(type(e), e))
    return "".join(lines)
