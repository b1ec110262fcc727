"""The Session's copy of the person's own digits (a mixin of
``session.Session``): the page keeps them (IndexedDB) and sends the whole
set after every change (``set_my_digits``); ``evaluate_mine`` tests a
network on them; a run with the setting "mine" on trains on the digits that
are not held out (``mine_for_run``, used by ``runs.py``).  Each network
remembers which digits it was trained on (``trained_digits``: a set of
``my_digits.keys``), so a test can tell the digits it has seen from those
it has not.
"""

import time

import numpy as np

from . import my_digits
from .inside_views import EVAL_WORK
from .runs import copy_network


class MyDigitsViews(object):

    mine = None       # {"pixels": (n, 784) uint8, "labels": (n,), "held_out": (n,) bool, "keys"}

    def set_my_digits(self, pixels, labels, held_out):
        """Keep the person's digits: ``pixels`` a (n, 784) uint8 array,
        ``labels`` n digits 0-9, ``held_out`` n booleans; return the counts
        ``{"count", "heldOut", "train"}``."""
        pixels = np.asarray(pixels, dtype=np.uint8).reshape(-1, my_digits.PIXELS)
        labels = np.asarray(labels, dtype=np.int64)
        held = np.asarray(held_out, dtype=bool)
        self.mine = {"pixels": pixels, "labels": labels, "held_out": held,
                     "keys": my_digits.keys(pixels, labels)}
        return {"count": int(len(labels)), "heldOut": int(held.sum()),
                "train": int(len(labels)-held.sum())}

    def evaluate_mine(self, name=None, seconds=None):
        """Return the active (or named) network's answers on the person's
        digits: "predictions" (one digit each, in the order they were set),
        "seen" (whether the network was trained on each), "total",
        "correct", "unseen" ({"total", "correct"} of those it has not been
        trained on) and "mnist" (its latest test-set evaluation {"correct",
        "total", "epoch"}, or None if there is none for the network as it
        is).  With ``seconds``, feed forward slices of digits for about that
        long and return ``{"pending": True, "name", "done", "total"}`` until
        all are done (2,000 digits take a conv network seconds); the next
        call naming the same network goes on with the network and the digits
        as they were at the first call."""
        name = name or self.active
        if name not in self.networks:
            raise ValueError("There is no {} network yet.".format(name))
        net = self.finite(name)
        mine = self.mine or {"pixels": np.zeros((0, my_digits.PIXELS), np.uint8),
                             "labels": np.zeros(0, np.int64), "keys": []}
        state = getattr(self, "_mine_pass", None)
        if state is None or state["net"] is not net or state["mine"] is not mine:
            state = self._mine_pass = {
                "net": net, "mine": mine, "done": 0,
                "copy": copy_network(net) if seconds is not None else net,
                "guesses": np.zeros(len(mine["labels"]), dtype=np.int64)}
        labels, copy = mine["labels"], state["copy"]
        work = sum(layer.multiply_adds for layer in copy.layers)
        rows = int(min(500, copy.eval_chunk, max(10, EVAL_WORK // work)))   # as evaluate_test
        start = time.perf_counter()
        while state["done"] < len(labels):
            k = state["done"]
            state["guesses"][k:k+rows] = copy.guesses(
                (mine["pixels"][k:k+rows].T/255.0).astype(copy.dtype, copy=False))
            state["done"] = min(len(labels), k+rows)
            if seconds is not None and time.perf_counter()-start > seconds \
                    and state["done"] < len(labels):
                return {"pending": True, "name": name, "done": state["done"],
                        "total": int(len(labels))}
        self._mine_pass = None
        guesses = state["guesses"]
        net = state["net"]
        trained = getattr(net, "trained_digits", None) or set()
        seen = np.array([key in trained for key in mine["keys"]], dtype=bool)
        right = guesses == labels
        entry = self.evaluations.get(name)
        mnist = None
        if entry is not None and entry["net"] is net:
            result = entry["result"]
            mnist = {"correct": result["correct"], "total": result["total"],
                     "epoch": result.get("epoch")}
        return {"name": name, "total": int(len(labels)), "correct": int(right.sum()),
                "predictions": [int(g) for g in guesses], "seen": [bool(s) for s in seen],
                "unseen": {"total": int((~seen).sum()), "correct": int(right[~seen].sum())},
                "mnist": mnist}

    def mine_for_run(self, share):
        """Return the digits a run trains on for the setting "mine" (``share``:
        "off" or a percentage as text): ``None`` when off, else ``{"pixels",
        "labels", "keys", "share", "heldOut"}`` with the digits that are not
        held out (a copy: the set may change while the run trains)."""
        if share == "off":
            return None
        share = float(share)/100.0
        if self.mine is None:
            return {"pixels": None, "labels": None, "keys": [], "share": share, "heldOut": 0}
        held = self.mine["held_out"]
        return {"pixels": self.mine["pixels"][~held].copy(),
                "labels": self.mine["labels"][~held].copy(),
                "keys": [k for k, h in zip(self.mine["keys"], held) if not h],
                "share": share, "heldOut": int(held.sum())}
