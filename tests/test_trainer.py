"""Tests of pycore.trainer: chunked stepping equals one-shot and SGD training,
the event stream's shape, stop and max_batches."""

import numpy as np
import pytest

from pycore import Network, mnist
from pycore.trainer import Trainer


@pytest.fixture(scope="module")
def small(mnist_data):
    images, labels = mnist_data["training"]
    test_images, test_labels = mnist_data["test"]
    return {"training": (images[:2000], labels[:2000]),
            "test": (test_images[:500], test_labels[:500]),
            "validation": tuple(a[:300] for a in mnist_data["validation"])}


def params(net):
    return [p.copy() for p in net.weights + net.biases]


def same(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a, b))


def largest_difference(a, b):
    return max(float(np.abs(p - q).max()) for p, q in zip(a, b))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_chunked_steps_equal_one_shot_and_sgd(small, dtype):
    settings = dict(epochs=2, mini_batch_size=10, eta=3.0, lmbda=0.5)
    one = Network([784, 30, 10], seed=3, dtype=dtype)
    Trainer(one, small["training"], **settings).run()
    chunked = Network([784, 30, 10], seed=3, dtype=dtype)
    trainer = Trainer(chunked, small["training"], **settings)
    sizes = [1, 7, 33, 150, 2, 500]
    calls = 0
    while not trainer.done:
        trainer.step(max_batches=sizes[calls % len(sizes)])
        calls += 1
    assert calls == 6  # 1+7+33+150+2 then the last 207 of 400 batches
    assert same(params(one), params(chunked))
    book = Network([784, 30, 10], seed=3, dtype=dtype)
    book.SGD(mnist.as_seed_lists(*small["training"]), 2, 10, 3.0, lmbda=0.5,
             verbose=False)
    # the Trainer's lean step (pycore.fast) adds the same products in another order
    # than the BLAS behind update_batch: equal up to rounding, not bit for bit
    assert largest_difference(params(one), params(book)) <= (1e-9 if dtype == "float64" else 1e-4)
    assert not same(params(one), params(Network([784, 30, 10], seed=3, dtype=dtype)))


def test_own_seed_gives_identical_runs_independent_of_network_rng(small):
    runs = []
    for net_seed in (1, 1, 2):
        net = Network([784, 30, 10], seed=1)
        net.rng = np.random.RandomState(net_seed)  # must not matter with seed=...
        Trainer(net, small["training"], 1, 10, 3.0, seed=99).run()
        runs.append(params(net))
    assert same(runs[0], runs[1]) and same(runs[0], runs[2])


def test_events_have_the_documented_shape(small):
    net = Network([784, 30, 10], seed=4)
    trainer = Trainer(net, small["training"], 2, 30, 3.0, test=small["test"],
                      validation=small["validation"], monitor_training_accuracy=True)
    assert trainer.batches_per_epoch == 67  # 2000 / 30, last batch has 20
    events = trainer.step(max_batches=50)
    assert [e["type"] for e in events] == ["progress"]
    p = events[0]
    assert p == {"type": "progress", "epoch": 0, "batch": 50, "batches": 67,
                 "fraction": pytest.approx(50 / 134), "cost": p["cost"],
                 "batchCost": p["batchCost"], "speeds": p["speeds"]}
    assert 0 < p["cost"] < 5 and 0 < p["batchCost"] < 5
    assert len(p["speeds"]) == 1 and p["speeds"][0] > 0     # one hidden layer
    assert (trainer.epoch, trainer.batch, trainer.done) == (0, 50, False)
    events = trainer.step(max_batches=30)
    assert [e["type"] for e in events] == ["progress", "epoch", "progress"]
    assert events[0]["batch"] == 67 and events[0]["epoch"] == 0
    e = events[1]
    assert e["epoch"] == 0 and e["total"] == 500 and 0 <= e["correct"] <= 500
    assert e["accuracy"] == e["correct"] / 500
    assert e["validation"]["total"] == 300
    assert e["validation"]["accuracy"] == e["validation"]["correct"] / 300
    assert e["training"]["total"] == 2000 and 0 <= e["training"]["correct"] <= 2000
    assert e["seconds"] > 0 and e["cost"] > 0
    assert events[2]["epoch"] == 1 and events[2]["batch"] == 13
    events = trainer.step()
    assert [x["type"] for x in events] == ["progress", "epoch", "done"]
    assert events[1]["epoch"] == 1 and events[2] == {"type": "done", "epochs": 2}
    assert events[1]["correct"] == net.accuracy(mnist.as_inputs(small["test"][0]),
                                                small["test"][1])
    assert trainer.done and trainer.fraction == 1.0 and trainer.step() == []
    assert [h["epoch"] for h in trainer.history] == [0, 1]


def test_epoch_without_test_data_and_time_budget(small):
    trainer = Trainer(Network([784, 10, 10], seed=1), small["training"], 1, 100, 3.0)
    events = trainer.step(seconds=0.0)
    assert events[0]["batch"] == 1  # at least one batch per call
    events = trainer.step(seconds=60)
    epoch = [e for e in events if e["type"] == "epoch"][0]
    assert epoch["correct"] is None and epoch["accuracy"] is None and trainer.done


def test_stop_leaves_a_consistent_network_after_whole_batches(small):
    net = Network([784, 30, 10], seed=6)
    trainer = Trainer(net, small["training"], 3, 10, 3.0)
    trainer.step(max_batches=25)
    trainer.stop()
    assert trainer.done and trainer.step() == [] and trainer.batch == 25
    replay = Network([784, 30, 10], seed=6)
    again = Trainer(replay, small["training"], 3, 10, 3.0)
    again.step(max_batches=25)
    assert same(params(net), params(replay))
    assert all(np.all(np.isfinite(p)) for p in params(net))


def test_max_batches_is_respected(small):
    trainer = Trainer(Network([784, 10, 10], seed=1), small["training"], 1, 10, 3.0)
    for expected in (3, 4, 9):
        before = trainer.batch
        trainer.step(max_batches=expected - before)
        assert trainer.batch == expected
    assert trainer.step(max_batches=0) == [] and trainer.batch == 9


@pytest.mark.parametrize("args, words", [
    (dict(training=(np.zeros((5, 780), np.uint8), np.zeros(5))), "(n, 784)"),
    (dict(training=(np.zeros((5, 784), np.uint8), np.zeros(4))), "labels must have shape"),
    (dict(training=(np.zeros((5, 784), np.uint8), np.full(5, 10))), "between 0 and 9"),
    (dict(mini_batch_size=0), "at least 1"),
    (dict(eta=0.0), "eta must be positive"),
    (dict(lmbda=-1.0), "lmbda must not be negative"),
])
def test_bad_arguments_raise_sentences(args, words):
    settings = dict(training=(np.zeros((5, 784), np.uint8), np.zeros(5, int)),
                    epochs=1, mini_batch_size=2, eta=1.0)
    settings.update(args)
    with pytest.raises(ValueError) as info:
        Trainer(Network([784, 10, 10]), **settings)
    assert words in str(info.value)


def test_time_budgeted_evaluation_runs_in_slices_and_scores_the_same(mnist_data):
    images, labels = mnist_data["training"]
    settings = dict(epochs=1, mini_batch_size=10, eta=3.0, test=mnist_data["test"],
                    validation=mnist_data["validation"], monitor_training_accuracy=True)
    whole = Trainer(Network([784, 30, 10], seed=5), (images[:200], labels[:200]), **settings)
    expected = [e for e in whole.run() if e["type"] == "epoch"][0]

    sliced = Trainer(Network([784, 30, 10], seed=5), (images[:200], labels[:200]), **settings)
    calls, epoch_events = 0, []
    while not sliced.done:
        events = sliced.step(seconds=0.0)   # one unit of work a call: a batch or a slice
        epoch_events += [e for e in events if e["type"] == "epoch"]
        calls += 1
    slices = -(-10000 // sliced.eval_slice) * 2 + 1
    assert calls >= 20 + slices - 2, calls  # 20 batches, then the evaluation in slices
    assert len(epoch_events) == 1
    for key in ("correct", "total", "validation", "training"):
        assert epoch_events[0][key] == expected[key], key
    assert expected["total"] == 10000 and expected["training"]["total"] == 200


def test_stop_during_evaluation_ends_without_an_epoch_event(mnist_data):
    images, labels = mnist_data["training"]
    trainer = Trainer(Network([784, 30, 10], seed=6), (images[:100], labels[:100]), 1, 10, 3.0,
                      test=mnist_data["test"])
    events = []
    while trainer.batch < trainer.batches_per_epoch:
        events += trainer.step(seconds=0.0)
    events += trainer.step(seconds=0.0)     # one evaluation slice
    trainer.stop()
    assert trainer.done and trainer.step(seconds=1.0) == []
    assert not [e for e in events if e["type"] == "epoch"]


def test_progress_cost_averages_at_least_the_last_thousand_samples(small):
    """A call of one mini-batch (Step), or the few batches that end an epoch,
    reports the mean over the last COST_WINDOW samples, not a noisy handful."""
    trainer = Trainer(Network([784, 30, 10], seed=4), small["training"], 2, 30, 3.0)
    sums = []                                # each mini-batch's summed cost, in order
    lean_step = trainer._lean.step

    def recorded(order, k):
        cost, m = lean_step(order, k)
        sums.append((cost, m))
        return cost, m
    trainer._lean.step = recorded

    def mean(batches):
        return sum(c for c, _ in batches) / sum(m for _, m in batches)
    p = trainer.step(max_batches=40)[-1]        # 1200 samples: all of them count
    assert p["cost"] == pytest.approx(mean(sums)) and p["batchCost"] == pytest.approx(mean(sums[-1:]))
    p = trainer.step(max_batches=1)[-1]         # one batch: the last 34 (1020 samples) count
    assert p["cost"] == pytest.approx(mean(sums[-34:]))
    assert p["batchCost"] == pytest.approx(mean(sums[-1:])) != p["cost"]
    events = trainer.step(max_batches=27)       # ends epoch 0 (67 batches) after 26 of them
    assert events[0]["batch"] == 67 and events[0]["cost"] == pytest.approx(mean(sums[-35:-1]))



def test_the_speeds_of_learning_are_the_books_and_show_its_chapter_5_finding(mnist_data):
    """Each hidden layer's speed, ||(1/m) sum dC/db||, as the lean step reads it equals
    backprop_batch's on the same mini-batch before the step; on the book's deep sigmoid
    network [784, 30, 30, 30, 30, 10] (network2.py's defaults: cross-entropy, scaled init)
    the first hidden layer learns far more slowly than the last (the book: about 100 times;
    asked here: at least 10 times, after one epoch; measured: 99 times)."""
    images, labels = mnist_data["training"]
    net = Network([784, 30, 30, 30, 30, 10], seed=1, cost="CrossEntropyCost", init="scaled")
    before = Network([784, 30, 30, 30, 30, 10], seed=1, cost="CrossEntropyCost", init="scaled")
    trainer = Trainer(net, (images[:1000], labels[:1000]), 1, 10, 0.1, seed=2)
    order = np.random.RandomState(2).permutation(1000)
    events = trainer.step(max_batches=1)
    idx = order[:10]
    nabla_b, _ = before.backprop_batch(images[idx].T / 255.0, np.eye(10)[:, labels[idx]])
    expected = [float(np.linalg.norm(b / 10)) for b in nabla_b[:-1]]
    assert events[0]["speeds"] == pytest.approx(expected, rel=1e-9)
    events += trainer.run()
    speeds = [e["speeds"] for e in events if e["type"] == "progress" and e["speeds"]]
    first, last = speeds[-1][0], speeds[-1][-1]
    assert last > 10 * first, speeds[-1]
