"""
notebook.py
~~~~~~~~~~~

What the page's notebook needs from Python: run a cell's code (top-level
``await`` allowed) in a shared namespace, report exceptions as tracebacks
trimmed to the notebook's own cells, send printed text on as it is written
but coalesced (``OutputThrottle``: a cell printing in an endless loop sends
at most about 20 bounded messages a second, never a flood), and turn any
network in the book's layout into network2.py JSON for the Draw pad.  The
notebook's worker calls ``setup`` once, then ``run_cell`` for each cell;
nothing here keeps state between calls except the namespace the caller
holds and the output not sent yet.
"""

import ast
import inspect
import json
import linecache
import sys
import time
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


class OutputThrottle(object):
    """Coalesce what a cell prints into few, bounded messages.

    Both ``sys.stdout`` and ``sys.stderr`` write here (one buffer, so their
    order is kept).  Whole lines are sent on at once while they come slowly:
    a token bucket (kept as the generic cell rate algorithm's one time,
    ``_next``) allows ``burst`` messages at once and then one per
    ``interval`` seconds (0.05 s: at most 20 a second).  Faster output waits
    in the buffer and goes out with the next message; the buffer keeps only
    its newest ``max_chars`` characters, counting the whole lines it drops.
    A partial line (no newline yet) waits for its newline, a ``flush``, or
    the end of the cell (``finish``), as a terminal's line buffering does.

    ``emit(text, skipped)`` receives each message: ``text`` at most
    ``max_chars`` characters, ``skipped`` the number of lines dropped before
    it.  Text kept in the buffer while a cell computes without printing is
    sent with its next output or when the cell ends.  A write costs one
    Python call (``print`` makes one per argument, separator and newline),
    and a clock reading only when it holds a newline.
    """

    def __init__(self, emit, interval=0.05, burst=8, max_chars=16384, clock=time.monotonic):
        self._emit = emit
        self.interval = interval
        self.burst = burst
        self.max_chars = max_chars
        self._clock = clock
        self._pieces = []
        self._size = 0
        self._skipped = 0
        self._open_line = False        # the last text sent ended inside a line
        self._full()

    def _full(self):
        """Fill the bucket: ``burst`` messages may go at once."""
        self._due = float("-inf")      # when the bucket is full again (GCRA's arrival time)
        self._next = float("-inf")     # the first time a message may be sent

    @property
    def pending(self):
        """The number of characters written and not sent yet."""
        return self._size

    @property
    def at_line_start(self):
        """Whether the output so far ends with a newline (or is empty)."""
        for piece in reversed(self._pieces):
            if piece:
                return piece.endswith("\n")
        return not self._open_line

    def write(self, text):
        """Add ``text`` (a str) to the buffer, send whole lines if the rate
        allows, and return the length of ``text``."""
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not {}".format(type(text).__name__))
        self._pieces.append(text)
        self._size += len(text)
        if self._size > 2 * self.max_chars:
            self._trim()
        if ("\n" in text or self._size >= self.max_chars) and self._clock() >= self._next:
            self._send(whole_lines=True)
        return len(text)

    def flush(self):
        """Send everything written so far, a partial line too, if the rate
        allows (``print(..., flush=True)`` in a loop stays throttled)."""
        if self._clock() >= self._next:
            self._send(whole_lines=False)

    def finish(self):
        """Send everything written so far, whatever the rate (the cell has
        ended), and let the next cell start with a full bucket."""
        self._send(whole_lines=False)
        self._full()

    def _trim(self):
        """Keep the newest ``max_chars`` characters, from a line's start
        where possible; count the whole lines dropped."""
        text = "".join(self._pieces)
        cut = len(text) - self.max_chars
        start = text.find("\n", cut - 1) + 1
        if start == 0 or start - cut > self.max_chars // 2:
            start = cut             # one long line: keep its end
        self._skipped += text.count("\n", 0, start)
        self._pieces = [text[start:]]
        self._size = len(text) - start

    def _send(self, whole_lines):
        """Send the buffer (only up to its last newline if ``whole_lines``
        and it is shorter than a message) and take a token."""
        if not self._size and not self._skipped:
            return
        if self._size > self.max_chars:
            self._trim()
        text = "".join(self._pieces)
        end = len(text)
        if whole_lines and end < self.max_chars:
            end = text.rfind("\n") + 1
            if end == 0:
                return
        rest = text[end:]
        skipped, self._skipped = self._skipped, 0
        self._pieces, self._size = ([rest] if rest else []), len(rest)
        self._open_line = end > 0 and text[end - 1] != "\n"
        self._due = max(self._due, self._clock()) + self.interval
        self._next = self._due - self.burst * self.interval
        self._emit(text[:end], skipped)


class ThrottledWriter(StreamWriter):
    """``sys.stdout`` or ``sys.stderr`` for the notebook: ``write`` is the
    shared ``OutputThrottle``'s own (one call per write), and ``flush``
    flushes it."""

    def __init__(self, throttle, name):
        StreamWriter.__init__(self, throttle.write, name)
        self.throttle = throttle
        self.write = throttle.write

    def flush(self):
        """Send what was written so far, if the output rate allows."""
        self.throttle.flush()


def finish_output():
    """Send all output the cell left in ``sys.stdout``'s and ``sys.stderr``'s
    throttle, if they have one."""
    for stream in (sys.stdout, sys.stderr):
        throttle = getattr(stream, "throttle", None)
        if throttle is not None:
            throttle.finish()


def setup(write, send):
    """Route ``sys.stdout`` and ``sys.stderr``, through one
    ``OutputThrottle``, to ``write(text, skipped)`` (``skipped``: the lines
    of output dropped before ``text`` because they came too fast to show)
    and return a new namespace for the cells, holding ``send_to_pad``,
    which passes a network's JSON text to ``send(text)``."""
    throttle = OutputThrottle(write)
    sys.stdout = ThrottledWriter(throttle, "<stdout>")
    sys.stderr = ThrottledWriter(throttle, "<stderr>")

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
    traceback, trimmed to the notebook's cells, goes to ``sys.stderr``.  All
    of the cell's output is sent before this returns."""
    filename = CELL_FILENAME.format(number)
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        compiled = compile(code, filename, "exec",
                           flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        result = eval(compiled, namespace)
        if inspect.iscoroutine(result):
            await result
    except BaseException as e:  # KeyboardInterrupt and SystemExit end only the cell
        try:
            throttle = getattr(sys.stderr, "throttle", None)
            if throttle is not None and not throttle.at_line_start:
                sys.stderr.write("\n")     # stopped inside a print: the traceback on its own line
            sys.stderr.write(format_exception(e))
        finally:
            finish_output()
        return False
    finish_output()
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
