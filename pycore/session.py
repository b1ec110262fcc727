"""What the page works with, in one object: the named networks (pretrained,
uploaded, notebook, shared from a link, and the last MAX_KEPT_RUNS runs' as
"run-N"), the loaded MNIST data and the current training run (``runs.py``).
Its methods are the operations the page needs; ``bridge.py`` only translates
requests into these calls.
"""

import base64
import json
import time

import numpy as np

from . import mnist, model_io, network_link, preprocess
from . import settings as settings_table
from .inside_views import InsideViews
from .my_digits_session import MyDigitsViews
from .runs import (MAX_KEPT_RUNS, RunControl, SessionError, activation_setting, hidden_setting,  # noqa: F401
                   run_label, run_name)

NAMES = ("pretrained", "pretrained-conv", "uploaded", "notebook", "shared")   # and "run-N"
LOADABLE = NAMES


class Session(RunControl, InsideViews, MyDigitsViews):

    def __init__(self, clock=time.perf_counter):
        """Start with no networks, no data and no run; ``clock`` returns
        seconds (tests inject one)."""
        self.networks = {}
        self.active = None
        self.data = None
        self.test_data = None        # the test set alone, loaded for the Inside views
        self.evaluations = {}        # name -> the last test-set evaluation (inside_views.py)
        self.run = None
        self.runs_started = 0
        self.numbered = 0            # the N of the last "run-N" network made
        self.kept = []               # the kept runs' {"name", "label", "settings", "epochs"},
                                     # oldest first
        self.clock = clock

    # ---- networks -------------------------------------------------------

    def info(self, name):
        """Return a short description of the named network."""
        net = self.networks[name]
        return {"name": name, "sizes": list(net.sizes), "hidden": hidden_setting(net),
                "cost": net.cost.__name__,
                "activation": activation_setting(net), "output": net.output,
                "active": self.active == name}

    def models(self):
        """Return the names of the networks available, the one that predicts,
        and the kept runs' names and labels, oldest first."""
        return {"available": sorted(self.networks), "active": self.active,
                "runs": [{"name": k["name"], "label": k["label"]} for k in self.kept
                         if k["name"] in self.networks]}

    def load_model(self, name, text, activate=False):
        """Validate a model file's text (network2.py JSON) and keep it as ``name``;
        the current network stays if the file is refused."""
        if name not in LOADABLE:
            raise SessionError("A model can be loaded as {}, not {!r}.".format(
                ", ".join(LOADABLE), name))
        net = model_io.loads(text)
        inputs, outputs = settings_table.INPUTS, settings_table.OUTPUTS
        if net.sizes[0] != inputs or net.sizes[-1] != outputs:
            raise SessionError("This model maps {} inputs to {} outputs; Digit Lab needs {} "
                               "inputs (28×28 pixels) and {} outputs (the digits 0–9)."
                               .format(net.sizes[0], net.sizes[-1], inputs, outputs))
        self.networks[name] = net
        if activate or self.active is None:
            self.active = name
        return self.info(name)

    def use(self, name):
        """Make the named network the one that predicts."""
        if name not in self.networks:
            raise SessionError("There is no {} network yet.".format(name))
        self.active = name
        return self.info(name)

    def finite(self, name):
        """Return the named network, or raise if its weights are not finite."""
        net = self.networks[name]
        if not all(np.isfinite(w).all() and np.isfinite(b).all()
                   for w, b in zip(net.weights, net.biases)):
            raise SessionError("The {} network's weights are no longer finite numbers (training "
                               "diverged); train again with a smaller learning rate η."
                               .format(name))
        return net

    def export_model(self, name=None):
        """Return the active (or named) network as network2.py JSON text and a file name."""
        name = name or self.active
        if name not in self.networks:
            raise SessionError("There is no network to download yet.")
        net = self.finite(name)
        extra = {"source": "Digit Lab", "model": name}
        kept = self._kept(name)
        if kept is not None:   # the run's settings, with the whole epochs the network has had
            extra["training"] = dict(kept["settings"], epochs=kept["epochs"])
        filename = "digit-lab-{}-{}.json".format(name, "-".join(str(n) for n in net.sizes))
        return {"text": model_io.dumps(net, extra=extra), "filename": filename}

    def export_link(self, name=None):
        """Return the active (or named) network in network_link's compact binary
        form, as base64 text ("data"), with its sizes and its size in bytes."""
        name = name or self.active
        if name not in self.networks:
            raise SessionError("There is no network to put in the link yet.")
        data = network_link.dumps(self.finite(name))
        return {"name": name, "sizes": list(self.networks[name].sizes), "bytes": len(data),
                "data": base64.b64encode(data).decode("ascii")}

    def load_link(self, data):
        """Unpack a network from a link (network_link's bytes) and keep it as
        "shared", the pad's network, after the same checks as a model file."""
        model = network_link.loads(data)
        model["source"] = "Digit Lab link"
        return self.load_model("shared", json.dumps(model, allow_nan=False), activate=True)

    def predict(self, pixels, width, height, ink="dark", drawn=None):
        """Return the digit, the 10 probabilities and the 28×28 input the active
        network sees for an RGBA drawing of ``width`` × ``height`` pixels, and
        every layer's activations (see ``answer``).  A drawing too small to read
        (``drawn``: see ``preprocess.drawing_to_input``) gets no digit and a
        "problem" that says so."""
        if self.active is None:
            raise SessionError("No network is loaded yet.")
        outputs = settings_table.OUTPUTS
        try:
            x = preprocess.drawing_to_input(pixels, width, height, ink=ink, drawn=drawn)
        except preprocess.DrawingTooSmall as error:
            return {"empty": False, "digit": None, "problem": str(error),
                    "probabilities": [0.0]*outputs, "input": None}
        if x is None:
            return {"empty": True, "digit": None, "probabilities": [0.0]*outputs,
                    "input": [0.0]*settings_table.INPUTS}
        return self.answer(x)

    def answer(self, x):
        """Return the active network's answer for the input ``x``, a (784, 1)
        array in [0, 1]: the digit, the 10 probabilities (a softmax output
        layer's own; sigmoid outputs scaled to add up to 1), the input as a list,
        "layers" (the sizes of the layers after the input), "layerActivations"
        (each such layer's activation: "sigmoid", "tanh" or "relu"),
        "layerShapes" (each one's output shape: [units] for a dense layer,
        [filters, side, side] for a conv layer's pooled feature maps),
        "layerRanges" (the range [low, high] of each one's outputs, high None
        where unbounded: what the views' colour scales fit) and
        "activations", a float32 array of every such layer's ``a``, one after
        the other, from the network's one forward pass (``layer_outputs``)."""
        outputs = settings_table.OUTPUTS
        net = self.finite(self.active)
        a = x.astype(net.dtype)
        activations = []
        with np.errstate(over="ignore", invalid="ignore"):
            for z, a in net.layer_outputs(a):
                if not np.isfinite(z if isinstance(z, np.ndarray) else a).all():  # conv: a cache
                    return {"empty": False, "digit": None, "model": self.active,
                            "problem": "The {} network cannot read drawings: its weighted inputs "
                                       "overflow to infinity or NaN (its weights are too large). "
                                       "Choose another network.".format(self.active),
                            "probabilities": [0.0]*outputs,
                            "input": [round(float(v), 4) for v in x.ravel()]}
                activations.append(a.ravel())
        a = a.ravel().astype(float)
        total = a.sum()
        if net.output == "softmax":      # a probability distribution already
            probabilities = a
        else:                            # sigmoid outputs, scaled to add up to 1
            probabilities = a/total if total > 0 else np.full(outputs, 1.0/outputs)
        return {"empty": False, "digit": int(np.argmax(a)), "model": self.active,
                "probabilities": [round(float(p), 6) for p in probabilities],
                "input": [round(float(v), 4) for v in x.ravel()],
                "layers": list(net.sizes[1:]),
                "layerActivations": [layer.activation.name for layer in net.layers],
                "layerShapes": [list(getattr(layer, "out_shape", (layer.n_out,)))
                                for layer in net.layers],
                "layerRanges": [[layer.activation.low, layer.activation.high]
                                for layer in net.layers],
                "activations": np.concatenate(activations).astype(np.float32)}

    def evaluate(self, name=None):
        """Return how many of the 10,000 test images the active (or named)
        network classifies correctly."""
        net = self.finite(name or self.active)
        images, labels = self._test_set()
        correct = sum(net.accuracy(images[k:k+1000].T/255.0, labels[k:k+1000])
                      for k in range(0, len(labels), 1000))
        return {"correct": int(correct), "total": int(len(labels)),
                "accuracy": correct/len(labels)}

    # ---- data -------------------------------------------------------------

    def load_data(self, train_images, train_labels, test_images=None, test_labels=None):
        """Read the four MNIST IDX files (paths, bytes; raw or gzip) into the book's
        split; images stay uint8.  Without test files, the test set already
        loaded by ``load_test_data`` is used."""
        arrays = []
        for source, what in ((train_images, "training images"), (train_labels, "training labels"),
                             (test_images, "test images"), (test_labels, "test labels")):
            if source is None:
                if self.test_data is None:
                    raise SessionError("The MNIST {} are missing.".format(what))
                images, labels = self.test_data
                arrays.append(images.reshape(-1, 28, 28) if what == "test images" else labels)
                continue
            arrays.append(mnist.read_download(source, what))
        self.data = mnist.load_data(*arrays)
        self.test_data = self.data["test"]
        return {name: int(len(labels)) for name, (images, labels) in self.data.items()}

