"""The Session's operations for the "Inside the network" section: the test
set on its own (the views never need the 47 MB training set), a test image
on the pad's prediction path, the weights into the first hidden layer (or,
for a network with conv layers, every conv layer's filters), and the
test-set evaluation (accuracy, confusion matrix, per-digit accuracy and
mistakes from one pass), kept per network so that asking again costs
nothing while the network is unchanged.

``InsideViews`` is a mixin of ``Session``: it uses the session's
``networks``, ``active``, ``run``, ``data``, ``finite`` and ``answer``.
"""

import time

import numpy as np

from . import inside, mnist
from .runs import copy_network

EVAL_WORK = 50000000   # multiply-adds fed forward at a time when evaluating in slices

MAX_IMAGES = 500        # test images sent to the page in one request
SCALE_PERCENTILE = inside.SCALE_PERCENTILE


class InsideViews(object):

    def load_test_data(self, test_images, test_labels):
        """Read the two MNIST t10k IDX files (paths or bytes; raw or gzip):
        the 10,000 test images, kept uint8 (10000, 784), and their labels."""
        self.test_data = mnist.load_test(mnist.read_download(test_images, "test images"),
                                         mnist.read_download(test_labels, "test labels"))
        if self.data is not None:
            self.data["test"] = self.test_data
        return {"test": int(len(self.test_data[1]))}

    def _test_set(self):
        """Return the test set ``(images (10000, 784) uint8, labels (10000,))``."""
        if self.data is not None and self.data.get("test") is not None:
            return self.data["test"]
        if self.test_data is None:
            raise ValueError("The MNIST test set is not loaded yet.")
        return self.test_data

    def predict_test(self, index):
        """Return ``predict``'s answer for the test image ``index`` (0 to
        9999) instead of a drawing, with "test": {"index", "label"}."""
        images, labels = self._test_set()
        if not 0 <= index < len(labels):
            raise ValueError("There is no test image {}: they are numbered 0 to {}."
                             .format(index, len(labels)-1))
        if self.active is None:
            raise ValueError("No network is loaded yet.")
        result = self.answer(images[index].reshape(-1, 1)/255.0)
        result["test"] = {"index": int(index), "label": int(labels[index])}
        return result

    def test_images(self, indices):
        """Return the test images ``indices`` as "images", a uint8 array
        (len(indices), 784), and their "labels"."""
        images, labels = self._test_set()
        idx = np.asarray(indices, dtype=np.intp).reshape(-1)
        if len(idx) > MAX_IMAGES:
            raise ValueError("At most {} test images can be asked for at once, not {}."
                             .format(MAX_IMAGES, len(idx)))
        if len(idx) and (idx.min() < 0 or idx.max() >= len(labels)):
            raise ValueError("Test images are numbered 0 to {}.".format(len(labels)-1))
        return {"images": np.ascontiguousarray(images[idx], dtype=np.uint8),
                "labels": [int(v) for v in labels[idx]]}

    def first_layer(self, first=0, count=100, name=None):
        """Return the weights into the hidden units ``first`` ..
        ``first+count-1`` of the active (or named) network's first hidden
        layer, their biases and outgoing weights (see ``inside.first_layer``)."""
        name = name or self.active
        if name not in self.networks:
            raise ValueError("There is no {} network yet.".format(name))
        net = self.networks[name]
        if _convolutional(net):        # its first layer's weights are filters, not 28x28 images
            return {"name": name, "convolutional": True}
        result = inside.first_layer(net, first, count)
        result["name"] = name
        return result

    def filters(self, name=None):
        """Return the filters of the active (or named) network's conv layers:
        "name" and "layers", one entry per conv layer (see ``conv_filters``;
        an empty list for a network of dense layers alone)."""
        name = name or self.active
        if name not in self.networks:
            raise ValueError("There is no {} network yet.".format(name))
        return {"name": name, "layers": conv_filters(self.networks[name])}

    # ---- evaluation on the test set ---------------------------------------

    def _position(self, net):
        """Return where the current run's trainer is if it trains ``net``, else None."""
        trainer = self.run.trainer if self.run is not None else None
        if trainer is not None and trainer.network is net:
            return (trainer.epoch, trainer.batch)
        return None

    def _cached(self, name):
        """Return the kept evaluation of ``name`` if the network has not changed since."""
        entry = self.evaluations.get(name)
        net = self.networks.get(name)
        if entry and entry["net"] is net and entry["position"] == self._position(net):
            return entry["result"]
        return None

    def evaluate_test(self, name=None, seconds=None):
        """Return the active (or named) network's evaluation on the 10,000
        test images (``inside.evaluation`` plus "name" and "epoch"): one
        feedforward pass, or none if the network is unchanged since the last.
        With ``seconds``, feed forward slices of images for about that long
        and return ``{"pending": True, "done", "total"}`` until the pass is
        complete (a conv network's pass takes seconds: the worker answers
        between the calls); the next call (naming the same network) goes on
        where this one stopped, with the network as it was at the first call
        (a copy: a run may train it meanwhile)."""
        name = name or self.active
        if name not in self.networks:
            raise ValueError("There is no {} network yet.".format(name))
        result = self._cached(name)
        if result is not None:
            return result
        net = self.finite(name)
        images, labels = self._test_set()
        state = getattr(self, "_evaluating", None)
        if state is None or state["net"] is not net:
            # the network as it is now: a run may train it further between the calls
            state = self._evaluating = {"net": net, "position": self._position(net), "done": 0,
                                        "copy": copy_network(net) if seconds is not None else net,
                                        "guesses": np.empty(len(labels), dtype=np.intp)}
        position = state["position"]
        net = state["copy"]
        work = sum(layer.multiply_adds for layer in net.layers)
        rows = int(min(1000, net.eval_chunk, max(10, EVAL_WORK // work)))   # a float copy of them
        start = time.perf_counter()
        while state["done"] < len(labels):
            k = state["done"]
            state["guesses"][k:k+rows] = net.guesses(
                (images[k:k+rows].T/255.0).astype(net.dtype, copy=False))
            state["done"] = min(len(labels), k+rows)
            if seconds is not None and time.perf_counter()-start > seconds \
                    and state["done"] < len(labels):
                return {"pending": True, "name": name, "done": state["done"], "total": len(labels)}
        self._evaluating = None
        return self._keep(name, state["net"], inside.evaluation(labels, state["guesses"]), None,
                          position)

    def epoch_evaluation(self):
        """Return the evaluation made by the current (or last) run's latest
        epoch, from the pass that counted its "Epoch k: N / 10000"."""
        name = _run_network(self)
        entry = self.evaluations.get(name)
        if entry is None or entry["result"]["epoch"] is None \
                or entry["net"] is not self.networks.get(name):   # a new run's network
            raise ValueError("No epoch of training has been evaluated yet.")
        return entry["result"]

    def _keep(self, name, net, result, epoch, position=None):
        result = dict(result, name=name, epoch=epoch)
        self.evaluations[name] = {"net": net, "result": result,
                                  "position": position or self._position(net)}
        return result

    def _record_epoch(self, trainer, event):
        """Keep the evaluation of the epoch ``event`` from the trainer's own pass."""
        if trainer.test_guesses is None:
            return
        labels = self._test_set()[1]
        self._keep(_run_network(self), trainer.network,
                   inside.evaluation(labels, trainer.test_guesses),
                   event["epoch"], position=(event["epoch"]+1, 0))


def _convolutional(net):
    return any(getattr(layer, "type", "dense") == "conv" for layer in getattr(net, "layers", ()))


def conv_filters(net):
    """Return, for each conv layer of ``net`` in order, a dict: "layer" (its
    place among the layers after the input, 1 for the first), "conv" (1 for
    the first conv layer), "filters" F, "channels" C (the maps it reads),
    "size" k, "pool", "inShape" (C, H, W), "outShape" (F, PH, PW),
    "activation", "weights" a float32 (F, C*k*k) array (row f is filter f,
    read as C k x k images, channel by channel, row by row: the layer's
    weights as they stand), "biases" float32 (F,) and "scale" the 99th
    percentile of the layer's finite absolute weights (the ends of a
    symmetric colour scale; 0 if there are none)."""
    shown = []
    for l, (layer, w, b) in enumerate(zip(net.layers, net.weights, net.biases)):
        if getattr(layer, "type", "dense") != "conv":
            continue
        weights = np.ascontiguousarray(w, dtype=np.float32)
        finite = np.abs(weights[np.isfinite(weights)])
        shown.append({"layer": l+1, "conv": len(shown)+1, "filters": int(layer.filters),
                      "channels": int(layer.in_shape[0]), "size": int(layer.size),
                      "pool": int(layer.pool), "inShape": [int(v) for v in layer.in_shape],
                      "outShape": [int(v) for v in layer.out_shape],
                      "activation": layer.activation.name, "weights": weights,
                      "biases": np.asarray(b, dtype=np.float32).reshape(-1),
                      "scale": float(np.percentile(finite, SCALE_PERCENTILE)) if finite.size else 0.0})
    return shown


def _run_network(session):
    """Return the name of the current (or last) run's network, "run-N" (see runs.run_name)."""
    return session.run.name if session.run is not None else None
