"""The learning-rate schedules (pycore/trainer.py): the book's chapter 3 rule on a scripted
sequence of validation accuracies (halve η after `patience` epochs without a better one,
stop once it has fallen to η₀/128; or stop), and a run that ends at its best validation
epoch's network."""

import numpy as np
import pytest

from pycore.network import Network
from pycore.trainer import Trainer


def trainer(mnist_data, schedule, patience, eta=1.0, epochs=5, n=300):
    images, labels = mnist_data["training"]
    return Trainer(Network([784, 10, 10], seed=1, cost="CrossEntropyCost", init="scaled"),
                   (images[:n], labels[:n]), epochs, 10, eta, seed=2,
                   validation=(mnist_data["validation"][0][:500], mnist_data["validation"][1][:500]),
                   schedule=schedule, patience=patience)


def actions(t, accuracies):
    """Feed ``accuracies`` to the schedule as epochs 0, 1, …; return (epoch, action, eta) of its events."""
    out = []
    for epoch, accuracy in enumerate(accuracies):
        event = t._watch(accuracy, epoch)
        if event is not None:
            out.append((epoch, event["action"], event["eta"]))
    return out


def test_the_books_schedule_halves_after_patience_epochs_and_stops_at_eta_over_128(mnist_data):
    t = trainer(mnist_data, "halve", patience=2)
    # better, better, worse, worse (halve), same (no better), worse (halve), better, …
    script = [0.5, 0.6, 0.55, 0.58, 0.6, 0.59, 0.7, 0.69, 0.68]
    assert actions(t, script) == [(3, "halve", 0.5), (5, "halve", 0.25), (8, "halve", 0.125)]
    assert t._best[:2] == (0.7, 6)
    t = trainer(mnist_data, "halve", patience=1)
    events = actions(t, [0.9] + [0.1] * 8)          # never better: halve 7 times, then stop
    assert [e[1] for e in events] == ["halve"] * 7 + ["stop"]
    assert events[-2][2] == pytest.approx(1.0 / 128) and events[-1] == (8, "stop", 1.0 / 128)
    assert t._lean.eta == 1.0 / 128 and t._lean.optimizer.eta == 1.0 / 128


def test_stop_on_a_plateau_stops_after_patience_epochs(mnist_data):
    t = trainer(mnist_data, "stop", patience=3)
    assert actions(t, [0.5, 0.6, 0.6, 0.59, 0.58]) == [(4, "stop", 1.0)]


def test_a_run_with_a_schedule_ends_at_its_best_validation_epoch(mnist_data):
    t = trainer(mnist_data, "stop", patience=1, eta=3.0, epochs=12)
    snapshots = {}
    events = []
    for event in t._work():
        if event is None:
            continue
        events.append(event)
        if event["type"] == "epoch":
            snapshots[event["epoch"]] = [w.copy() for w in t.network.weights]
    epochs = [e for e in events if e["type"] == "epoch"]
    schedule = [e for e in events if e["type"] == "schedule"]
    best = max(epochs, key=lambda e: (e["validation"]["accuracy"], -e["epoch"]))
    assert schedule[-1]["action"] == "best" and schedule[-1]["best"] == best["epoch"]
    assert schedule[-1]["accuracy"] == best["validation"]["accuracy"]
    for w, kept in zip(t.network.weights, snapshots[best["epoch"]]):
        np.testing.assert_array_equal(w, kept)
    if len(epochs) < 12:                               # stopped early: one epoch after no better one
        assert any(e["action"] == "stop" for e in schedule)


def test_a_schedule_needs_validation_data_and_a_known_name(mnist_data):
    images, labels = mnist_data["training"]
    with pytest.raises(ValueError, match="needs validation data"):
        Trainer(Network([784, 5, 10]), (images[:20], labels[:20]), 1, 10, 1.0, schedule="halve")
    with pytest.raises(ValueError, match="schedule must be one of fixed, halve, stop"):
        Trainer(Network([784, 5, 10]), (images[:20], labels[:20]), 1, 10, 1.0, schedule="cosine",
                validation=(images[:20], labels[:20]))
