"""
trainer.py
~~~~~~~~~~

A resumable training run: mini-batch stochastic gradient descent written as
one generator (``_work``) that yields after every unit of work, so a caller
(the browser worker) can drive it in time-boxed chunks (``step``), pause or
stop between them and stream progress.  Images stay uint8 in memory; each
mini-batch and each evaluation slice is converted to floats on the fly.

Events are plain dicts with a ``type``:

- ``{"type": "progress", "epoch", "batch", "batches", "fraction", "cost",
  "batchCost"}`` after the mini-batches of a ``step`` call, and at the end
  of each epoch's batches: ``cost`` is the mean cost per sample over those
  mini-batches, or over the last ``COST_WINDOW`` samples' mini-batches if
  they were fewer (a call of one mini-batch, or the few that end an epoch,
  would otherwise put noisy points on the cost line), ``batchCost`` is
  the last mini-batch's mean cost and ``speeds`` each hidden layer's speed
  of learning (the book's chapter 5: ||(1/m) sum dC/db|| of the layer, the
  mean over every SPEED_EVERY-th mini-batch since the last event; None if
  none was sampled);
- ``{"type": "epoch", "epoch", "correct", "total", "accuracy", "confusion",
  "seconds", "cost"}`` once an epoch's test-set evaluation is complete
  ("confusion": the 10×10 counts, rows the true digit, columns the answer,
  from the same pass that counts "correct"), with
  ``"validation"`` and ``"training"`` scores ``{"correct", "total",
  "accuracy"}`` when asked for;
- ``{"type": "schedule", "epoch", "action", "eta", "best", "accuracy",
  "patience"}`` with a learning-rate schedule (``schedule``), after the
  epoch whose validation score called for it: "halve" (η halved: no better
  validation accuracy for ``patience`` epochs), "stop" (no better for
  ``patience`` epochs, or η fell to η₀/128), and "best" at the end (the
  network was put back to its best validation epoch, ``best``, whose
  accuracy is ``accuracy``);
- ``{"type": "done", "epochs"}`` after the last epoch.
"""

import time
from collections import deque

import numpy as np

from .expand import ExpandedImages, expanded_labels
from .batch_step import BatchStep
from .fast import LeanStep
from .inside import confusion_matrix

EVAL_WORK = 50000000   # multiply-adds scored between time-budget checks
EVAL_ROWS = 500        # most samples converted to floats at a time when evaluating (3 MB)
COST_WINDOW = 1000     # fewest samples a progress event's cost is averaged over, when there are
SPEED_EVERY = 10       # every 10th mini-batch's speed of learning is sampled (chapter 5's chart)
SCHEDULES = ("fixed", "halve", "stop")
SMALLEST_ETA = 1.0/128   # the book's schedule stops once eta has fallen to eta0/128

class Trainer(object):

    def __init__(self, network, training, epochs, mini_batch_size, eta, lmbda=0.0,
                 test=None, validation=None, seed=None,
                 monitor_training_accuracy=False, mu=0.0, reg="L2", expand=False, dropout=0.0,
                 schedule="fixed", patience=10):
        """Prepare to train ``network`` for ``epochs`` epochs on ``training``,
        a tuple ``(images, labels)``: images a uint8 (n, 784) array (or float
        rows in [0, 1]), labels an int array (n,).  ``test`` and
        ``validation`` (same form) are evaluated after each epoch.  The
        training data is shuffled every epoch with ``RandomState(seed)``;
        with ``seed=None`` the network's own ``rng`` is used, exactly as
        ``Network.SGD`` does, so a seeded network gives the same run.
        ``mu`` (momentum) and ``reg`` ("L2" or "L1") go to the update rule,
        ``optimizer.SGD``.  With ``expand`` each training image is also
        trained on displaced one pixel down, up, right and left (the book's
        expanded data: an epoch is five times as long; ``expand.py``).
        ``dropout`` leaves each hidden unit out of a mini-batch with that
        probability (``fast.py``; its masks are seeded from ``seed``).
        ``schedule`` is "fixed" (eta throughout), "halve" (the book's
        chapter 3 schedule: halve eta each time the validation accuracy has
        not improved for ``patience`` epochs, stop when it has fallen to
        eta/128) or "stop" (stop after ``patience`` epochs without a better
        validation accuracy); with either, the network ends at its best
        validation epoch.  They need ``validation`` data."""
        self.network = network
        self.images, self.labels = _check_set(training, "training", network.sizes)
        if expand:
            self.images, self.labels = ExpandedImages(self.images), expanded_labels(self.labels)
        if epochs < 1 or mini_batch_size < 1:
            raise ValueError("epochs and mini_batch_size must be at least 1, got {} and {}."
                             .format(epochs, mini_batch_size))
        if not eta > 0:
            raise ValueError("eta must be positive, got {}.".format(eta))
        if lmbda < 0:
            raise ValueError("lmbda must not be negative, got {}.".format(lmbda))
        if schedule not in SCHEDULES:
            raise ValueError("schedule must be one of {}, got {!r}.".format(", ".join(SCHEDULES), schedule))
        if schedule != "fixed" and validation is None:
            raise ValueError("A {} schedule needs validation data.".format(schedule))
        if not 1 <= patience <= 1000:
            raise ValueError("patience must be from 1 to 1000 epochs, got {}.".format(patience))
        self.schedule, self.patience = schedule, int(patience)
        self._best = None            # (validation accuracy, epoch, weights, biases)
        self._waited = 0             # epochs since the best
        self.epochs = int(epochs)
        self.mini_batch_size = int(mini_batch_size)
        self.eta = self._eta0 = float(eta)
        self.lmbda = float(lmbda)
        self.rng = network.rng if seed is None else np.random.RandomState(seed)
        # the lean step (pycore/fast.py) owns the run's buffers and makes
        # network.weights/biases views of its [W | b]^T matrices
        # networks with conv layers step through their layers' mini-batch path
        Step = BatchStep if network.convolutional else LeanStep
        self._lean = Step(network, self.images, self.labels, self.mini_batch_size,
                          self.eta, self.lmbda, mu=mu, reg=reg, dropout=dropout,
                          dropout_seed=None if seed is None else seed+1)
        self._scored = [(key, _check_set(data, key, network.sizes))
                        for key, data in (("test", test), ("validation", validation))
                        if data is not None]
        if monitor_training_accuracy:
            self._scored.append(("training", _check_set(training, "training", network.sizes)))
        self.n = self.images.shape[0]
        self.batches_per_epoch = -(-self.n//self.mini_batch_size)
        work = sum(layer.multiply_adds for layer in network.layers)
        self.eval_slice = int(min(EVAL_ROWS, network.eval_chunk, max(10, EVAL_WORK // work)))
        self.history = []
        self.test_guesses = None     # the answers of the last epoch's test evaluation
        self._epoch = 0
        self._batch = 0
        self._done = False
        self._recent = deque()       # (summed cost, m) of the last mini-batches: COST_WINDOW samples
        self._recent_samples = 0
        self._speeds = []            # the hidden layers' speeds of learning sampled since the last event
        self._units = self._work()

    @property
    def done(self):
        """Return True once every epoch ran or ``stop`` was called."""
        return self._done

    @property
    def epoch(self):
        """Return the index of the current epoch (the number completed)."""
        return self._epoch

    @property
    def batch(self):
        """Return the number of mini-batches done in the current epoch."""
        return self._batch

    @property
    def fraction(self):
        """Return the fraction of all mini-batches done, in [0, 1]."""
        total = self.epochs*self.batches_per_epoch
        return min(1.0, (self._epoch*self.batches_per_epoch+self._batch)/total)

    def stop(self):
        """Mark the run as done.  Only whole mini-batches were ever applied,
        so the network is left consistent."""
        self._done = True

    def step(self, max_batches=None, seconds=None):
        """Run at most ``max_batches`` mini-batches, or until ``seconds``
        have passed (at least one unit of work runs), and return the list of
        events.  Without a time budget an epoch's evaluation finishes in the
        call where its last batch ran; with one, it runs in slices of
        ``eval_slice`` samples (fewer for a larger network) between budget
        checks, so evaluation never holds the caller up for long."""
        events = []
        start = time.perf_counter()
        ran, worked, cost, samples = 0, False, 0.0, 0
        while not self._done:
            if worked and seconds is not None and time.perf_counter()-start >= seconds:
                break
            evaluating = self._batch == self.batches_per_epoch   # the epoch's batches ran
            if not evaluating and max_batches is not None and ran >= max_batches \
                    and self._epoch < self.epochs:   # (after the last epoch: "done" next)
                break
            unit = next(self._units)
            worked = True
            if unit is None:                      # a slice of evaluation
                continue
            if unit["type"] == "batch":
                ran, cost, samples = ran+1, cost+unit["cost"], samples+unit["m"]
                self._remember(unit["cost"], unit["m"])
                if self._batch == self.batches_per_epoch:
                    events.append(self._progress(cost, samples))
                    cost, samples = 0.0, 0
                continue
            events.append(unit)
            if unit["type"] == "done":
                self._done = True
        if samples:
            events.append(self._progress(cost, samples))
        return events

    def run(self):
        """Run every remaining mini-batch and return all the events."""
        return self.step()

    def _work(self):
        """Yield after each unit of work: ``{"type": "batch", "cost", "m"}``
        after a mini-batch, None after a slice of the end-of-epoch
        evaluation, the "epoch" event when it is scored, and "done"."""
        net, m = self.network, self.mini_batch_size
        stopped = False
        while self._epoch < self.epochs and not stopped:
            order = self.rng.permutation(self.n)
            epoch_cost, epoch_seconds = 0.0, 0.0
            for k in range(0, self.n, m):
                t0 = time.perf_counter()
                cost, size = self._lean.step(order, k)   # = net.update_batch on order[k:k+m]
                self._batch += 1
                if self._batch % SPEED_EVERY == 1 or SPEED_EVERY == 1:
                    self._speeds.append(self._lean.bias_gradients()[:-1])
                epoch_cost += cost
                epoch_seconds += time.perf_counter()-t0
                yield {"type": "batch", "cost": cost, "m": size}
            scores = {}
            for key, (images, labels) in self._scored:
                guesses = np.empty(len(labels), dtype=np.intp)
                for k in range(0, len(labels), self.eval_slice):
                    j = k+self.eval_slice
                    guesses[k:j] = net.guesses(_columns(images[k:j], net.dtype))
                    yield None
                correct = int(np.count_nonzero(guesses == labels))
                scores[key] = {"correct": correct, "total": len(labels),
                               "accuracy": correct/len(labels)}
                if key == "test":   # the matrix and the mistakes come from this same pass
                    self.test_guesses = guesses
                    scores[key]["confusion"] = confusion_matrix(
                        labels, guesses, net.sizes[-1]).tolist()
            test = scores.pop("test", {"correct": None, "total": None, "accuracy": None})
            event = dict({"type": "epoch", "epoch": self._epoch, "seconds": epoch_seconds,
                          "cost": epoch_cost/self.n}, **test)
            event.update(scores)
            self._epoch += 1
            self._batch = 0
            self.history.append(event)
            yield event
            if self.schedule != "fixed":
                action = self._watch(event["validation"]["accuracy"], event["epoch"])
                if action is not None:
                    yield action
                    stopped = action["action"] == "stop"
        if self._best is not None:        # a schedule: end at the best validation epoch
            if self._best[1] != self._epoch-1:
                self._restore()
            yield self._schedule_event("best", self._epoch-1)
        yield {"type": "done", "epochs": self._epoch}

    def _watch(self, accuracy, epoch):
        """Keep the best validation epoch's network; return the schedule's
        event if ``patience`` epochs have passed without a better one."""
        if self._best is None or accuracy > self._best[0]:
            net = self.network
            self._best = (accuracy, epoch, [w.copy() for w in net.weights],
                          [b.copy() for b in net.biases])
            self._waited = 0
            return None
        self._waited += 1
        if self._waited < self.patience:
            return None
        self._waited = 0
        if self.schedule == "halve" and self.eta/2 > self._eta0*SMALLEST_ETA*(1-1e-9):
            self.eta /= 2
            self._lean.set_eta(self.eta)
            return self._schedule_event("halve", epoch)
        return self._schedule_event("stop", epoch)

    def _restore(self):
        """Put the best validation epoch's weights back into the network's own arrays."""
        for arrays, kept in ((self.network.weights, self._best[2]), (self.network.biases, self._best[3])):
            for a, b in zip(arrays, kept):
                np.copyto(a, b)

    def _schedule_event(self, action, epoch):
        return {"type": "schedule", "epoch": epoch, "action": action, "eta": self.eta,
                "eta0": self._eta0, "best": self._best[1], "accuracy": self._best[0],
                "patience": self.patience}

    def _remember(self, cost, m):
        """Keep a mini-batch's summed ``cost`` among the last COST_WINDOW samples'."""
        self._recent.append((cost, m))
        self._recent_samples += m
        while self._recent_samples-self._recent[0][1] >= COST_WINDOW:
            self._recent_samples -= self._recent.popleft()[1]

    def _progress(self, cost, samples):
        """Return a "progress" event for the ``samples`` samples of summed
        ``cost`` trained since the last one (see the module's docstring)."""
        if samples < self._recent_samples:
            cost, samples = sum(c for c, _ in self._recent), self._recent_samples
        last, m = self._recent[-1]
        speeds = [sum(layer)/len(self._speeds) for layer in zip(*self._speeds)] if self._speeds else None
        self._speeds = []
        return {"type": "progress", "epoch": self._epoch, "batch": self._batch,
                "batches": self.batches_per_epoch, "fraction": self.fraction,
                "cost": cost/samples, "batchCost": last/m, "speeds": speeds}


def _columns(rows, dtype):
    """Return uint8 (or float) rows as a (n_in, m) array of ``dtype``."""
    if rows.dtype == np.uint8:
        X = rows.T/255.0
        return X if X.dtype == dtype else X.astype(dtype)
    return rows.T.astype(dtype, copy=False)


def _check_set(data, name, sizes):
    """Return ``(images (n, n_in), labels (n,) intp)`` or raise a ValueError
    sentence."""
    try:
        images, labels = data
    except (TypeError, ValueError):
        raise ValueError("{} data must be a tuple (images, labels).".format(name))
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 2 or images.shape[1] != sizes[0]:
        raise ValueError("{} images must be an (n, {}) array, got shape {}.".format(
            name, sizes[0], images.shape))
    if labels.shape != (images.shape[0],):
        raise ValueError("{} labels must have shape ({},), got {}.".format(
            name, images.shape[0], labels.shape))
    if images.shape[0] == 0:
        raise ValueError("{} data must not be empty.".format(name))
    if labels.min() < 0 or labels.max() >= sizes[-1]:
        raise ValueError("{} labels must be between 0 and {}.".format(name, sizes[-1]-1))
    return (images, labels.astype(np.intp))
