"""
trainer.py
~~~~~~~~~~

A resumable training run: mini-batch stochastic gradient descent driven in
chunks (``step``) so that a caller (the browser worker) can pause, resume or
stop between chunks and stream progress.  Each mini-batch is converted from
uint8 rows to float columns on the fly, so the full training set is never
held as floats.
"""

import time

import numpy as np

from .fast import LeanStep

EVAL_WORK = 50000000   # samples × parameters scored between time-budget checks
EVAL_CHUNK = 500       # samples converted to floats at a time when evaluating (3 MB)

class Trainer(object):

    def __init__(self, network, training, epochs, mini_batch_size, eta, lmbda=0.0,
                 test=None, validation=None, seed=None,
                 monitor_training_accuracy=False):
        """Prepare to train ``network`` for ``epochs`` epochs on ``training``,
        a tuple ``(images, labels)``: images a uint8 (n, 784) array (or float
        rows in [0, 1]), labels an int array (n,).  ``test`` and
        ``validation`` (same form) are evaluated after each epoch.  The
        training data is shuffled every epoch with ``RandomState(seed)``;
        with ``seed=None`` the network's own ``rng`` is used, exactly as
        ``Network.SGD`` does, so a seeded network gives the same run."""
        self.network = network
        self.images, self.labels = _check_set(training, "training", network.sizes)
        if epochs < 1 or mini_batch_size < 1:
            raise ValueError("epochs and mini_batch_size must be at least 1, got {} and {}."
                             .format(epochs, mini_batch_size))
        if not eta > 0:
            raise ValueError("eta must be positive, got {}.".format(eta))
        if lmbda < 0:
            raise ValueError("lmbda must not be negative, got {}.".format(lmbda))
        self.epochs = int(epochs)
        self.mini_batch_size = int(mini_batch_size)
        self.eta = float(eta)
        self.lmbda = float(lmbda)
        self.monitor_training_accuracy = monitor_training_accuracy
        self.rng = network.rng if seed is None else np.random.RandomState(seed)
        # issue 12: the lean step (pycore/fast.py) owns the per-run buffers and
        # makes network.weights/biases views of its [W | b]^T matrices
        self._lean = LeanStep(network, self.images, self.labels, self.mini_batch_size,
                              self.eta, self.lmbda)
        self._test = self._cache(test, "test")
        self._validation = self._cache(validation, "validation")
        self.n = self.images.shape[0]
        self.batches_per_epoch = -(-self.n//self.mini_batch_size)
        self.history = []
        self._epoch = 0
        self._batch = 0
        self._order = None
        self._done = False
        self._epoch_cost = 0.0
        self._epoch_seconds = 0.0
        self._last_m = 0
        self._evaluation = None
        params = sum(w.size + b.size for w, b in zip(network.weights, network.biases))
        self.eval_slice = int(min(10000, max(10, EVAL_WORK // params)))

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
        event dicts: "progress" (after the batches of this call), "epoch"
        (once an epoch's evaluation is complete) and "done".  Without a time
        budget an epoch's evaluation finishes in the call where its last
        batch ran; with one, it runs in slices of ``eval_slice`` samples
        (fewer for a larger network) between budget checks, so evaluation
        never holds the caller up for long."""
        events = []
        if self._done:
            return events
        start = time.perf_counter()
        ran, worked, chunk_cost, chunk_samples = 0, False, 0.0, 0
        while not self._done:
            if worked and seconds is not None and time.perf_counter()-start >= seconds:
                break
            if self._evaluation is not None:
                worked = True
                if self._evaluate(self.eval_slice if seconds is not None else None):
                    events.append(self._finish_epoch())
                    if self._epoch == self.epochs:
                        self._done = True
                        events.append({"event": "done", "epochs": self._epoch})
                continue
            if max_batches is not None and ran >= max_batches:
                break
            chunk_cost += self._run_batch()
            chunk_samples += self._last_m
            ran, worked = ran+1, True
            if self._batch == self.batches_per_epoch:
                events.append(self._progress(chunk_cost, chunk_samples))
                chunk_cost, chunk_samples = 0.0, 0
                self._begin_evaluation()
        if chunk_samples:
            events.append(self._progress(chunk_cost, chunk_samples))
        return events

    def run(self):
        """Run every remaining mini-batch and return all the events."""
        return self.step()

    def _run_batch(self):
        """Apply the next mini-batch and return its summed cost."""
        t0 = time.perf_counter()
        if self._batch == 0:
            self._order = self.rng.permutation(self.n)
            self._epoch_cost = 0.0
            self._epoch_seconds = 0.0
        k = self._batch*self.mini_batch_size
        # issue 12: one lean step, the same math as network.update_batch
        cost, self._last_m = self._lean.step(self._order, k)
        self._batch += 1
        self._epoch_cost += cost
        self._epoch_seconds += time.perf_counter()-t0
        return cost

    def _progress(self, cost, samples):
        """Return a "progress" event for ``samples`` samples of summed
        ``cost``."""
        epoch = self._epoch if self._batch else self._epoch-1
        return {"event": "progress", "epoch": epoch, "batch": self._batch,
                "batches_per_epoch": self.batches_per_epoch,
                "samples_seen": self._epoch*self.n+min(self.n, self._batch*self.mini_batch_size),
                "fraction": self.fraction, "cost": cost/max(samples, 1)}

    def _begin_evaluation(self):
        """Queue the end-of-epoch evaluations: the test set, the validation
        set and, when asked, the training set, each as (prefix, n, columns)
        where ``columns(k, j)`` returns the (784, j-k) inputs and labels."""
        sets = []
        for prefix, cached in (("", self._test), ("validation_", self._validation)):
            if cached is not None:
                images, labels = cached
                sets.append((prefix, labels.shape[0], lambda k, j, images=images, labels=labels: (
                    _columns(images[k:j], self.network.dtype), labels[k:j])))
        if self.monitor_training_accuracy:
            sets.append(("training_", self.n, lambda k, j: (
                _columns(self.images[k:j], self.network.dtype), self.labels[k:j])))
        self._evaluation = {"sets": sets, "set": 0, "k": 0, "correct": {}}

    def _evaluate(self, limit):
        """Score at most ``limit`` more samples (all, if None) of the queued
        evaluations; return True when every set is scored."""
        ev = self._evaluation
        while ev["set"] < len(ev["sets"]):
            prefix, n, columns = ev["sets"][ev["set"]]
            j = n if limit is None else min(n, ev["k"]+limit)
            for k in range(ev["k"], j, EVAL_CHUNK):
                X, labels = columns(k, min(j, k+EVAL_CHUNK))
                ev["correct"][prefix] = ev["correct"].get(prefix, 0) + \
                    self.network.accuracy(X, labels)
            ev["k"] = j
            if j == n:
                ev["set"], ev["k"] = ev["set"]+1, 0
            if limit is not None:
                break
        return ev["set"] == len(ev["sets"])

    def _finish_epoch(self):
        """Advance to the next epoch and return the "epoch" event with the
        scores of the finished evaluation."""
        event = {"event": "epoch", "epoch": self._epoch, "correct": None,
                 "total": None, "accuracy": None, "seconds": self._epoch_seconds,
                 "cost": self._epoch_cost/self.n}
        for prefix, n, columns in self._evaluation["sets"]:
            correct = self._evaluation["correct"].get(prefix, 0)
            event.update({prefix+"correct": correct, prefix+"total": n,
                          prefix+"accuracy": correct/n})
        self._evaluation = None
        self._epoch += 1
        self._batch = 0
        self.history.append(event)
        return event

    def _cache(self, data, name):
        """Return ``(images, labels)`` for an evaluation set, or None.  The
        images stay as they came (uint8): ``_evaluate`` converts them in
        chunks of ``EVAL_CHUNK``."""
        if data is None:
            return None
        images, labels = _check_set(data, name, self.network.sizes)
        return (images, labels.astype(np.intp))


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
