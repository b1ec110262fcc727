"""Tests of pycore.network: gradients against finite differences, the batched
fast path against the seed's per-sample algorithm, evaluation, determinism,
float32 and SGD's book output."""

import numpy as np
import pytest

from pycore import Network, mnist
from pycore.network import COSTS, CrossEntropyCost, QuadraticCost, sigmoid
from pycore.reference import seed_update_mini_batch

BOTH_COSTS = [QuadraticCost, CrossEntropyCost]


def params(net):
    return [p.copy() for p in net.weights + net.biases]


def max_diff(a, b):
    return max(np.abs(p - q).max() for p, q in zip(a, b))


def small_batch(sizes, m, seed):
    rng = np.random.RandomState(seed)
    X = rng.rand(sizes[0], m)
    Y = np.eye(sizes[-1])[:, rng.randint(0, sizes[-1], m)]
    return X, Y


@pytest.mark.parametrize("cost", BOTH_COSTS)
@pytest.mark.parametrize("sizes", [[8, 5, 4], [7, 6, 5, 3]])
def test_backprop_matches_finite_differences(cost, sizes):
    net = Network(sizes, cost=cost, seed=3)
    X, Y = small_batch(sizes, 1, 4)
    nabla_b, nabla_w = net.backprop(X, Y)
    eps = 1e-6
    for analytic, arrays in ((nabla_w, net.weights), (nabla_b, net.biases)):
        for g, p in zip(analytic, arrays):
            assert g.shape == p.shape
            numeric = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                up = net.cost.fn(net.feedforward(X), Y)
                p[idx] = old - eps
                down = net.cost.fn(net.feedforward(X), Y)
                p[idx] = old
                numeric[idx] = (up - down) / (2 * eps)
            assert np.allclose(g, numeric, rtol=1e-5, atol=1e-8), np.abs(g - numeric).max()


def test_cost_functions_match_the_books_per_sample_definitions():
    X, Y = small_batch([10, 10], 6, 1)
    a = np.clip(X, 0.01, 0.99)
    quad = sum(0.5 * np.linalg.norm(a[:, i] - Y[:, i]) ** 2 for i in range(6))
    xent = sum(np.sum(-Y[:, i] * np.log(a[:, i]) - (1 - Y[:, i]) * np.log(1 - a[:, i]))
               for i in range(6))
    assert QuadraticCost.fn(a, Y) == pytest.approx(quad, rel=1e-12)
    assert CrossEntropyCost.fn(a, Y) == pytest.approx(xent, rel=1e-12)
    assert isinstance(QuadraticCost.fn(a, Y), float)
    saturated = np.array([[1.0], [0.0]])
    assert CrossEntropyCost.fn(saturated, saturated) == 0.0
    assert sorted(COSTS) == ["CrossEntropyCost", "QuadraticCost"]


@pytest.mark.parametrize("cost", BOTH_COSTS)
def test_backprop_batch_is_the_sum_of_per_sample_backprop(cost):
    net = Network([784, 30, 20, 10], cost=cost, seed=5)
    X, Y = small_batch(net.sizes, 17, 6)
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    sum_b = [np.zeros_like(b) for b in net.biases]
    sum_w = [np.zeros_like(w) for w in net.weights]
    for i in range(17):
        db, dw = net.backprop(X[:, i:i + 1], Y[:, i:i + 1])
        sum_b = [s + d for s, d in zip(sum_b, db)]
        sum_w = [s + d for s, d in zip(sum_w, dw)]
    for got, want in zip(nabla_b + nabla_w, sum_b + sum_w):
        assert got.shape == want.shape
        assert np.allclose(got, want, rtol=1e-10, atol=1e-12)


def test_update_batch_matches_seed_per_sample_training_on_mnist(mnist_data):
    images, labels = mnist_data["training"]
    images, labels = images[:10000], labels[:10000]
    seed_list = mnist.as_seed_lists(images, labels)
    fast = Network([784, 30, 10], seed=11)
    slow = Network([784, 30, 10], seed=11)
    listed = Network([784, 30, 10], seed=11)
    X_all, Y_all = mnist.as_inputs(images), mnist.one_hot(labels)
    order = np.random.RandomState(12).permutation(10000)
    for k in range(0, 10000, 10):
        idx = order[k:k + 10]
        batch = [seed_list[i] for i in idx]
        fast.update_batch(X_all[:, idx], Y_all[:, idx], 3.0)
        listed.update_mini_batch(batch, 3.0)
        seed_update_mini_batch(slow, batch, 3.0)
    assert max_diff(params(fast), params(slow)) <= 1e-9
    assert max_diff(params(listed), params(slow)) <= 1e-9
    assert max_diff(params(fast), params(Network([784, 30, 10], seed=11))) > 0.1


def test_update_batch_applies_l2_weight_decay_and_returns_the_cost():
    net = Network([6, 4, 3], cost=CrossEntropyCost, seed=8)
    X, Y = small_batch(net.sizes, 5, 9)
    w0, b0 = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    cost = net.update_batch(X, Y, eta=0.5, lmbda=2.0, n=40)
    assert cost == pytest.approx(CrossEntropyCost.fn(
        Network([6, 4, 3], cost=CrossEntropyCost, seed=8).feedforward(X), Y))
    for w, w_old, nw in zip(net.weights, w0, nabla_w):
        assert np.allclose(w, (1 - 0.5 * 2.0 / 40) * w_old - (0.5 / 5) * nw, atol=1e-15)
    for b, b_old, nb in zip(net.biases, b0, nabla_b):
        assert np.allclose(b, b_old - (0.5 / 5) * nb, atol=1e-15)


def test_evaluate_accepts_one_hot_and_int_labels_and_returns_int(mnist_data):
    images, labels = mnist_data["test"]
    images, labels = images[:500], labels[:500]
    net = Network([784, 30, 10], seed=1)
    net.SGD(mnist.as_seed_lists(*mnist_data["training"])[:2000], 1, 10, 3.0, verbose=False)
    expected = sum(int(np.argmax(net.feedforward(mnist.as_inputs(images[i:i + 1])))
                       == labels[i]) for i in range(500))
    with_ints = net.evaluate(mnist.as_seed_lists(images, labels, one_hot_labels=False))
    with_one_hot = net.evaluate(mnist.as_seed_lists(images, labels))
    assert type(with_ints) is int and type(with_one_hot) is int
    assert with_ints == with_one_hot == expected
    assert 100 < expected < 500
    assert net.accuracy(mnist.as_inputs(images), labels) == expected
    assert net.evaluate([]) == 0


def test_same_seed_gives_bit_identical_runs(mnist_data):
    data = mnist.as_seed_lists(*[a[:1000] for a in mnist_data["training"]])
    runs = []
    for _ in range(2):
        net = Network([784, 20, 10], cost="CrossEntropyCost", init="scaled", seed=42)
        history = net.SGD(data, 2, 10, 0.5, lmbda=1.0, verbose=False)
        runs.append((params(net), [h["cost"] for h in history]))
    assert all(np.array_equal(a, b) for a, b in zip(runs[0][0], runs[1][0]))
    assert runs[0][1] == runs[1][1]
    other = Network([784, 20, 10], cost="CrossEntropyCost", init="scaled", seed=43)
    assert not np.array_equal(other.weights[0], Network([784, 20, 10], init="scaled",
                                                        seed=42).weights[0])


def test_inits_have_the_documented_spread_and_shapes():
    large = Network([784, 100, 10], seed=0)
    scaled = Network([784, 100, 10], init="scaled", seed=0)
    assert [w.shape for w in large.weights] == [(100, 784), (10, 100)]
    assert [b.shape for b in large.biases] == [(100, 1), (10, 1)]
    assert large.num_layers == 3 and large.sizes == [784, 100, 10]
    assert large.weights[0].std() == pytest.approx(1.0, abs=0.02)
    assert scaled.weights[0].std() == pytest.approx(1 / np.sqrt(784), rel=0.02)
    assert scaled.biases[0].std() == pytest.approx(1.0, abs=0.3)


def test_float32_option_trains_in_float32_and_tracks_float64(mnist_data):
    images, labels = [a[:2000] for a in mnist_data["training"]]
    X, Y = mnist.as_inputs(images), mnist.one_hot(labels)
    n64 = Network([784, 30, 10], seed=7)
    n32 = Network([784, 30, 10], seed=7, dtype="float32")
    assert all(p.dtype == np.float32 for p in n32.weights + n32.biases)
    assert max_diff(params(n32), params(n64)) < 1e-6
    for k in range(0, 200, 10):
        n64.update_batch(X[:, k:k + 10], Y[:, k:k + 10], 3.0)
        n32.update_batch(X[:, k:k + 10], Y[:, k:k + 10], 3.0)
    assert all(p.dtype == np.float32 for p in n32.weights + n32.biases)
    assert n32.feedforward(X[:, :3]).dtype == np.float32
    assert 0 < max_diff(params(n32), params(n64)) < 1e-3
    history = n32.SGD(mnist.as_seed_lists(images, labels), 1, 10, 3.0, verbose=False)
    assert n32.weights[0].dtype == np.float32 and history[0]["cost"] > 0


def test_sgd_prints_book_lines_only_when_verbose_and_returns_metrics(mnist_data, capsys):
    train = mnist.as_seed_lists(*[a[:1000] for a in mnist_data["training"]])
    test = mnist.as_seed_lists(*[a[:300] for a in mnist_data["test"]], one_hot_labels=False)
    net = Network([784, 30, 10], seed=1)
    seen = []
    history = net.SGD(train, 2, 10, 3.0, test_data=test, on_epoch=seen.append)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for j, line in enumerate(lines):
        assert line == "Epoch {}: {} / 300".format(j, history[j]["correct"])
    assert seen == history
    assert [h["epoch"] for h in history] == [0, 1]
    assert all(h["total"] == 300 and h["accuracy"] == h["correct"] / 300
               and h["seconds"] >= 0 and h["cost"] > 0 for h in history)
    assert history[1]["correct"] == net.evaluate(test)
    net.SGD(train, 1, 10, 3.0)
    assert capsys.readouterr().out == "Epoch 0 complete\n"
    quiet = net.SGD(train, 2, 10, 3.0, test_data=test, verbose=False)
    assert capsys.readouterr().out == ""
    assert len(quiet) == 2 and "correct" in quiet[0]


@pytest.mark.parametrize("kwargs, words", [
    ({"sizes": [784]}, "at least two layers"),
    ({"sizes": [784, 0, 10]}, "sizes[1] must be at least 1"),
    ({"sizes": [784, 2.5, 10]}, "sizes[1] must be an int"),
    ({"sizes": [784, 10], "cost": "L1"}, "cost must be one of"),
    ({"sizes": [784, 10], "init": "zeros"}, "init must be"),
    ({"sizes": [784, 10], "dtype": "int32"}, "dtype must be"),
])
def test_bad_constructor_arguments_raise_sentences(kwargs, words):
    with pytest.raises(ValueError) as info:
        Network(**kwargs)
    assert words in str(info.value)


@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost])
def test_delta_and_fn_match_the_book_definitions(cost):
    rng = np.random.RandomState(4)
    z = rng.randn(10, 7) * 3
    a = sigmoid(z)
    y = np.eye(10)[:, rng.randint(0, 10, 7)]
    delta, fn = cost.delta_and_fn(a, y)
    np.testing.assert_allclose(delta, cost.delta(z, a, y), rtol=1e-12, atol=1e-15)
    assert fn == pytest.approx(cost.fn(a, y), rel=1e-12)


def test_saturated_cross_entropy_cost_stays_finite():
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])   # every output saturated on the wrong side
    cost = CrossEntropyCost.fn(a, y)
    assert np.isfinite(cost) and cost == pytest.approx(4 * 745.0)
