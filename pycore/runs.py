"""The Session's training runs (a mixin of ``session.Session``): a run is
created from settings (``start_run``), stepped in time-boxed chunks
(``step_run``) or one mini-batch at a time (``step_batch``), paused, resumed
or stopped between chunks, and ended with ``finish_run``, which returns the
"train-end" event.  A run trains a new network, or continues one the Session
holds (Continue training).  Events are the Trainer's dicts, tagged with the
run's id, epochs counted from the network's first training and, for
progress, the training time so far and the time left; they go to the page
unchanged.
"""

from . import activations, my_digits
from . import settings as settings_table
from .network import Network
from .trainer import Trainer

# Conv networks train in float32 in the page: an epoch of the fast preset takes 30 s instead
# of 41 s in the test runtime (bench/bench_conv.py), and the wasm heap holds half as much.
CONV_DTYPE = "float32"

MAX_KEPT_RUNS = 5     # the networks of older runs are dropped when a new run starts


class SessionError(ValueError):
    """A request the session refuses, explained in one sentence."""


class Run(object):
    """One training run: its id, settings, the network it trains (``name``,
    "run-N"), the network it continues (``source``, or None for a new one)
    and the epochs that network had trained before (``offset``), its
    trainer, pause/stop state and time."""

    def __init__(self, number, settings, name, network=None, source=None, offset=0):
        self.id = number             # unique per started run; events carry it
        self.settings = settings
        self.name = name
        self.number = run_number(name)
        self.network = network       # what Continue training trains, or None: a new network
        self.source = source
        self.offset = offset
        self.trainer = None          # made once the data is loaded
        self.paused = False
        self.stopped = False
        self.elapsed = 0.0           # seconds spent stepping: pauses do not count
        self.mine = None             # the person's digits it trains on (my_digits_session.py)


class RunControl(object):
    """The Session's training run: start, step, pause, resume, stop and finish."""

    def start_run(self, values, paused=False, source=None, number=None):
        """Check the settings and start a new run, paused if ``paused`` (for
        Step); the network is made when the data is there.  With ``source``,
        the run continues training that network (Continue training): a kept
        run's network is trained further in place, any other is copied into a
        new "run-N" whose epochs count on from those its model file says it
        was trained for; the settings' layers, cost and init are then the
        network's own.  A new network is "run-N" with N one more than the
        last, or ``number`` if that is larger (the page's count, which goes
        on after the worker restarts).  Return the run's id, number, network
        name, sizes, cost, samples, epochs, ``offset`` (the epochs trained
        before) and "trainedWith" (the η, λ and epochs the continued
        network's model file says it was trained with, if it says)."""
        settings = settings_table.parse_settings(values)
        if self.run is not None and not self.run.stopped:
            raise SessionError("A training run is already in progress; stop it first.")
        network, offset, kept = None, 0, None
        trained_with = getattr(self.networks.get(source), "trained_with", None)
        if source is not None:
            network, kept = self._continued(source, settings)
            offset = kept["epochs"] if kept else (trained_with or {}).get("epochs", 0)
        if kept is not None:
            name = source
            self.kept.remove(kept)
            self.kept.append(kept)   # the newest again: dropped last
        else:
            self.numbered = max(self.numbered+1, number or 0)
            name = run_name(self.numbered)
        self.runs_started += 1
        self.run = Run(self.runs_started, settings, name, network, source, offset)
        self.run.paused = bool(paused)
        self.run.mine = self.mine_for_run(settings["mine"])
        dropped = []
        while kept is None and len(self.kept) >= MAX_KEPT_RUNS:
            old = self.kept.pop(0)
            self.networks.pop(old["name"], None)
            if self.active == old["name"]:
                self.active = "pretrained" if "pretrained" in self.networks else None
            dropped.append(old["label"])
        sizes, cost = settings_table.sizes(settings["hidden"]), settings["cost"]
        activation, output = settings["act"], settings["out"]
        if network is not None:
            sizes, cost = list(network.sizes), network.cost.setting
            activation, output = activation_setting(network), network.output
        hidden = settings["hidden"] if network is None else hidden_setting(network)
        return {"run": self.run.id, "number": self.run.number, "name": name,
                "sizes": sizes, "hidden": hidden, "cost": cost, "activation": activation, "output": output,
                "samples": settings["samples"],
                "epochs": settings["epochs"], "trainedWith": trained_with,
                "offset": offset, "paused": self.run.paused, "dropped": dropped,
                "mine": _mine_info(self.run.mine, settings["samples"])}

    def _continued(self, source, settings):
        """Return the network a run continuing ``source`` trains and the kept
        run it belongs to (None: a copy of a network that is not a run's)."""
        if source not in self.networks:
            raise SessionError("There is no {} network to continue training.".format(source))
        net = self.finite(source)
        if net.sizes[0] != settings_table.INPUTS or net.sizes[-1] != settings_table.OUTPUTS:
            raise SessionError("The {} network maps {} inputs to {} outputs; training on MNIST "
                               "needs {} and {}.".format(source, net.sizes[0], net.sizes[-1],
                                                        settings_table.INPUTS,
                                                        settings_table.OUTPUTS))
        hidden = hidden_setting(net)
        if settings["batch"] > settings_table.max_batch(hidden):
            raise SessionError("The {} network: {}".format(source, settings_table.batch_error(hidden)))
        kept = self._kept(source)
        if kept is not None:
            return net, kept
        return copy_network(net), None

    def _kept(self, name):
        """Return the kept run whose network is ``name``, or None."""
        for kept in self.kept:
            if kept["name"] == name:
                return kept
        return None

    def _current(self):
        if self.run is None:
            raise SessionError("No training run is in progress.")
        return self.run

    def _trainer(self, run):
        """Return the run's trainer, making (or taking) its network when first needed."""
        if run.trainer is None:
            if self.data is None:
                raise SessionError("MNIST is not loaded yet.")
            s = run.settings
            images, labels = self.data["training"]
            n = min(s["samples"], len(labels))
            images, labels = images[:n], labels[:n]
            net = run.network
            if net is None:
                net = new_network(s)
            if run.mine is not None and len(run.mine["keys"]):
                images, labels, _ = my_digits.mix(images, labels, run.mine["pixels"],
                                                  run.mine["labels"], run.mine["share"])
                net.trained_digits = set(getattr(net, "trained_digits", ())) | set(run.mine["keys"])
            scheduled = s["schedule"] != "fixed"
            run.trainer = Trainer(net, (images, labels), s["epochs"], s["batch"],
                                  s["eta"], lmbda=s["lmbda"], test=self.data["test"],
                                  validation=self.data["validation"] if scheduled else None,
                                  schedule=s["schedule"], patience=s["patience"],
                                  seed=s["seed"], mu=s["mu"], reg=s["reg"].upper(),
                                  expand=s["expand"] == "on", dropout=s["dropout"])
            self.networks[run.name] = net
            # the settings the network was last trained with: its own layers, activation and cost
            trained = dict(s, hidden=hidden_setting(net), cost=net.cost.setting,
                           act=activation_setting(net), out=net.output)
            kept = self._kept(run.name)
            if run.network is not None:           # continued: its init is its first run's, if any
                trained.pop("init")
                if kept is not None and "init" in kept["settings"]:
                    trained["init"] = kept["settings"]["init"]
            if kept is not None:
                kept["settings"] = trained
            else:
                label = run_label(run.number, trained, run.source)
                self.kept.append({"name": run.name, "label": label, "settings": trained,
                                  "epochs": run.offset})
            self.active = run.name
        return run.trainer

    def step_run(self, seconds=0.1):
        """Train the current run for about ``seconds`` unless it is paused or
        stopped; return ``{"events", "done", "paused"}``."""
        run = self._current()
        if run.stopped or run.paused:
            done = run.stopped or (run.trainer is not None and run.trainer.done)
            return {"events": [], "done": done, "paused": run.paused}
        trainer = self._trainer(run)
        start = self.clock()
        events = trainer.step(seconds=seconds)
        run.elapsed += self.clock()-start
        return {"events": self._tag(run, trainer, events), "done": trainer.done, "paused": False}

    def step_batch(self):
        """Train the paused current run on exactly one mini-batch (the seed's
        ``update_mini_batch``), plus the epoch's evaluation if that batch ends
        an epoch; return ``{"events", "done", "epoch", "batch", "batches",
        "cost"}`` (``batch``: mini-batches done in epoch ``epoch``; ``cost``:
        that mini-batch's mean cost)."""
        run = self._current()
        if run.stopped:
            raise SessionError("The run has ended; press Train or Step to start a new one.")
        if not run.paused:
            raise SessionError("Step trains one mini-batch of a paused run; pause it first.")
        trainer = self._trainer(run)
        if trainer.done:
            return {"events": [], "done": True, "epoch": run.offset+trainer.epoch,
                    "batch": trainer.batch, "batches": trainer.batches_per_epoch, "cost": None}
        start = self.clock()
        events = self._tag(run, trainer, trainer.step(max_batches=1))
        run.elapsed += self.clock()-start
        progress = [e for e in events if e["type"] == "progress"][-1]
        return {"events": events, "done": trainer.done, "epoch": progress["epoch"],
                "batch": progress["batch"], "batches": progress["batches"],
                "cost": progress["batchCost"]}

    def _tag(self, run, trainer, events):
        """Return the trainer's ``events`` for the page: without "done", with
        the run's id, epochs counted from the network's first training, and
        for progress the training time so far and the time left."""
        events = [e for e in events if e["type"] != "done"]
        for event in events:
            event["run"] = run.id
            event["epoch"] += run.offset
            if event["type"] == "epoch":
                self._record_epoch(trainer, event)
            if event["type"] == "schedule":
                event["best"] += run.offset
                if event["action"] == "best" and event["best"] != event["epoch"]:
                    self.evaluations.pop(run.name, None)   # the network went back to its best epoch
            if event["type"] == "progress":
                fraction = event["fraction"]
                event.update(phase="train", epochs=run.offset+trainer.epochs,
                             elapsed=run.elapsed,
                             remaining=run.elapsed/fraction*(1-fraction) if fraction else None)
        kept = self._kept(run.name)
        if kept is not None:
            kept["epochs"] = run.offset+trainer.epoch   # whole epochs: a stopped one is redone
        return events

    def pause_run(self):
        """Pause the current run between chunks."""
        return self._control(paused=True)

    def resume_run(self):
        """Let a paused run go on."""
        return self._control(paused=False)

    def stop_run(self):
        """Stop the current run; the network keeps the last whole mini-batch."""
        return self._control(paused=False, stopped=True)

    def _control(self, **state):
        run = self.run
        if run is None or run.stopped:
            return {"active": False}
        for key, value in state.items():
            setattr(run, key, value)
        if run.stopped and run.trainer is not None:
            run.trainer.stop()
        return {"active": True, "run": run.id, "paused": run.paused}

    def finish_run(self, reason=None, message=None):
        """End the current run and return its "train-end" event: ``reason`` is
        "done", "stopped" or "error" (default: what the run's state says)."""
        run = self._current()
        done = run.trainer is not None and run.trainer.done and not run.stopped
        run.stopped = True
        if run.trainer is not None:
            run.trainer.stop()
        event = {"type": "train-end", "run": run.id,
                 "reason": reason or ("done" if done else "stopped"),
                 "trained": run.trainer is not None,
                 "active": self.active}
        if message:
            event["message"] = message
        return event


def run_name(number):
    """Return the name of run ``number``'s network, e.g. "run-2"."""
    return "run-{}".format(number)


def run_number(name):
    """Return the N of a run's network name "run-N"."""
    return int(name.split("-")[1])


def run_label(number, settings, source=None):
    """Return how the page shows run ``number``'s network, e.g. "Run 2 (η = 0.5,
    30 hidden)" or "Run 4 (η = 0.1, 100 hidden, ReLU, softmax, L1, μ = 0.9)"
    (an activation, output layer, regularization or momentum other than the
    default is named), or "Run 3 (η = 0.5, 30 hidden, from uploaded)" for a run that
    continued another network."""
    origin = ", from {}".format(source) if source else ""
    act = settings.get("act", "sigmoid")
    kind = "" if act == settings_table.DEFAULTS["act"] else ", " + "/".join(
        activations.ACTIVATIONS[name].label if name in activations.ACTIVATIONS else name
        for name in act.split("/"))
    if settings.get("out", "sigmoid") != settings_table.DEFAULTS["out"]:
        kind += ", " + activations.ACTIVATIONS[settings["out"]].label.lower()
    if settings.get("reg", "l2") != settings_table.DEFAULTS["reg"]:
        kind += ", " + settings["reg"].upper()
    if settings.get("mu", 0):
        kind += ", μ = {:g}".format(settings["mu"])
    if settings.get("dropout", 0):
        kind += ", dropout {:g}".format(settings["dropout"])
    if settings.get("schedule", "fixed") != "fixed":
        kind += ", {} η".format("halving" if settings["schedule"] == "halve" else "early stop")
    if settings.get("expand", "off") == "on":
        kind += ", expanded"
    return "Run {} (η = {:g}, {} hidden{}{})".format(
        number, settings["eta"], ", ".join(str(n) for n in settings["hidden"]) or "no", kind,
        origin)


def hidden_setting(net):
    """Return the hidden layers of ``net`` as the Hidden layers setting has
    them: an int per dense layer (its units), "conv 20 5x5 pool 2" per conv
    layer."""
    return [layer.n_out if layer.type == "dense" else
            settings_table.conv_text(layer.filters, layer.size, layer.pool)
            for layer in net.layers[:-1]]


def copy_network(net):
    """Return a new network with the layers, cost, dtype and parameters of ``net``."""
    if net.convolutional:      # its hidden layers as they describe themselves
        copy = Network.from_layers([layer.to_json() for layer in net.layers[:-1]], cost=net.cost,
                                   dtype=net.dtype, output=net.output)
    else:
        copy = Network(net.sizes, cost=net.cost, dtype=net.dtype, activation=net.activation,
                       output=net.output)
    copy.weights = [w.copy() for w in net.weights]
    copy.biases = [b.copy() for b in net.biases]
    if getattr(net, "trained_digits", None):
        copy.trained_digits = set(net.trained_digits)
    return copy


def _mine_info(mine, samples):
    """Return what a run does with the person's digits, for its first log
    line: None (the setting is off), else {"digits": trained on, "heldOut",
    "times": each repeated, "samples": their copies per epoch, "share": of
    the epoch}; "digits" is 0 when there are none to train on."""
    if mine is None:
        return None
    k = len(mine["keys"])
    times = my_digits.repeats(samples, k, mine["share"]) if k else 0
    return {"digits": k, "heldOut": mine["heldOut"], "times": times, "samples": k*times,
            "share": k*times/float(samples+k*times)}


def new_network(s):
    """Return the network that settings ``s`` describe, freshly initialized
    (a network with conv layers in CONV_DTYPE)."""
    spec = settings_table.layer_spec(s["hidden"], s["act"])
    if spec is None:
        return Network(settings_table.sizes(s["hidden"]), cost=s["cost"], init=s["init"],
                       seed=s["seed"], activation=s["act"], output=s["out"])
    return Network.from_layers(spec, cost=s["cost"], init=s["init"], seed=s["seed"],
                               output=s["out"], dtype=CONV_DTYPE)


def activation_setting(net):
    """Return the hidden layers' activation of ``net`` as the settings name it
    ("relu"), or the names joined by "/" where the layers differ (a file's)."""
    activation = net.activation
    return activation if isinstance(activation, str) else "/".join(activation)
