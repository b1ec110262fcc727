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


# The activations written out independently of pycore.activations.
INDEPENDENT = {"sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)), "tanh": np.tanh,
               "relu": lambda z: np.where(z > 0, z, 0.0)}


def independent_softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=0)


def independent_cost(net, activation, X, Y, output="sigmoid"):
    """Return the summed cost of ``net`` on ``X``, fed forward with the
    INDEPENDENT activations (and ``output`` layer) and the book's cost formulas."""
    a = X
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        last = l == len(net.weights) - 1
        f = (independent_softmax if output == "softmax" else INDEPENDENT["sigmoid"]) if last \
            else INDEPENDENT[activation]
        a = f(w @ a + b)
    if net.cost is QuadraticCost:
        return 0.5 * np.sum((a - Y) ** 2)
    if output == "softmax":
        return -np.sum(Y * np.log(a))
    return np.sum(-Y * np.log(a) - (1 - Y) * np.log(1 - a))


@pytest.mark.parametrize("cost, output", [(QuadraticCost, "sigmoid"), (CrossEntropyCost, "sigmoid"),
                                          ("LogLikelihoodCost", "softmax")])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_gradients_of_every_activation_match_finite_differences(activation, cost, output):
    """backprop (one sample) and backprop_batch (three) against central
    differences of a forward pass written out in this test."""
    sizes = [7, 6, 5, 3]
    net = Network(sizes, cost=cost, seed=3, activation=activation, init="scaled", output=output)
    assert [layer.activation.name for layer in net.layers] == [activation] * 2 + [output]
    X, Y = small_batch(sizes, 3, 4)
    per_sample = [net.backprop(X[:, i:i + 1], Y[:, i:i + 1]) for i in range(3)]
    batch_b, batch_w = net.backprop_batch(X, Y)
    eps = 1e-6
    for key, arrays, batch in (("w", net.weights, batch_w), ("b", net.biases, batch_b)):
        for l, p in enumerate(arrays):
            numeric = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                up = independent_cost(net, activation, X, Y, output)
                p[idx] = old - eps
                down = independent_cost(net, activation, X, Y, output)
                p[idx] = old
                numeric[idx] = (up - down) / (2 * eps)
            summed = sum(g[1 if key == "w" else 0][l] for g in per_sample)
            np.testing.assert_allclose(summed, numeric, rtol=1e-5, atol=1e-8)
            np.testing.assert_allclose(batch[l], numeric, rtol=1e-5, atol=1e-8)


def test_softmax_rows_and_columns_and_the_pairs_of_costs_and_outputs():
    from pycore.activations import Softmax
    z = np.random.RandomState(2).randn(4, 6) * 30        # large z: no overflow
    np.testing.assert_allclose(Softmax.fn(z), independent_softmax(z - z.max(axis=0)), rtol=1e-12)
    np.testing.assert_allclose(Softmax.fn(z).sum(axis=0), 1.0, rtol=1e-12)
    rows = np.empty((6, 4))
    np.testing.assert_allclose(Softmax.apply(z.T.copy(), rows), Softmax.fn(z).T, rtol=1e-12)
    for kwargs, words in (({"output": "softmax"}, "A softmax output layer goes with LogLikelihoodCost, "
                                                  "not QuadraticCost"),
                          ({"cost": "LogLikelihoodCost"}, "LogLikelihoodCost goes with a softmax output layer"),
                          ({"activation": "softmax", "output": "softmax", "cost": "LogLikelihoodCost"},
                           "softmax can only be the output layer's activation")):
        with pytest.raises(ValueError, match=words):
            Network([5, 4, 3], **kwargs)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activations_in_place_and_from_output_forms_agree_with_the_plain_ones(name):
    from pycore.activations import ACTIVATIONS
    act = ACTIVATIONS[name]
    z = np.random.RandomState(1).randn(6, 5) * 3
    np.testing.assert_allclose(act.fn(z), INDEPENDENT[name](z), rtol=1e-15, atol=0)
    out = np.empty_like(z)
    np.testing.assert_array_equal(act.apply(z.copy(), out), act.fn(z))
    a = act.fn(z)
    for result in (act.prime_from_output(a), act.prime_from_output(a, out=np.empty_like(a))):
        np.testing.assert_allclose(result, act.prime(z), rtol=1e-12, atol=1e-15)
    h = 1e-6
    np.testing.assert_allclose(act.prime(z), (act.fn(z + h) - act.fn(z - h)) / (2 * h),
                               rtol=1e-6, atol=1e-8)


def test_an_unknown_activation_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="activation must be one of sigmoid, tanh, relu, softmax, got 'softplus'"):
        Network([4, 3, 2], activation="softplus")


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
    assert sorted(COSTS) == ["CrossEntropyCost", "LogLikelihoodCost", "QuadraticCost"]
    # the log-likelihood: -ln of each sample's output for its right answer (chapter 3)
    right = [a[np.argmax(Y[:, i]), i] for i in range(6)]
    assert COSTS["LogLikelihoodCost"].fn(a, Y) == pytest.approx(-sum(np.log(right)), rel=1e-12)


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
def test_output_delta_matches_the_book_definitions(cost):
    """The output error from a cost's dC/da (or its fused form) equals the
    book's formulas for a sigmoid output layer: (a-y) sigma'(z) for the
    quadratic cost (chapter 2, BP1), a-y for cross-entropy (chapter 3)."""
    from pycore import costs
    from pycore.activations import Sigmoid
    rng = np.random.RandomState(4)
    z = rng.randn(10, 7) * 3
    a = 1.0 / (1.0 + np.exp(-z))
    y = np.eye(10)[:, rng.randint(0, 10, 7)]
    book = (a - y) * (a * (1 - a)) if cost is QuadraticCost else a - y
    np.testing.assert_allclose(costs.output_delta(cost, Sigmoid, a, y), book, rtol=1e-12, atol=1e-15)
    out, spare = np.empty_like(a), np.empty_like(a)
    fn = costs.output_delta_and_fn(cost, Sigmoid, a, y, out, spare)
    np.testing.assert_allclose(out, book, rtol=1e-12, atol=1e-15)
    assert fn == pytest.approx(cost.fn(a, y), rel=1e-12)


@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost, COSTS["LogLikelihoodCost"]])
def test_cost_derivative_matches_finite_differences(cost):
    """dC/da of each cost, against central differences of its fn."""
    rng = np.random.RandomState(5)
    a = rng.uniform(0.05, 0.95, (4, 3))
    y = np.eye(4)[:, rng.randint(0, 4, 3)]
    h = 1e-6
    numeric = np.zeros_like(a)
    for i in np.ndindex(*a.shape):
        up, down = a.copy(), a.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (cost.fn(up, y) - cost.fn(down, y)) / (2 * h)
    np.testing.assert_allclose(cost.derivative(a, y), numeric, rtol=1e-6, atol=1e-8)


def test_saturated_cross_entropy_cost_stays_finite():
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])   # every output saturated on the wrong side
    cost = CrossEntropyCost.fn(a, y)
    assert np.isfinite(cost) and cost == pytest.approx(4 * 745.0)


@pytest.mark.parametrize("mu, reg", [(0.9, "L2"), (0.0, "L1"), (0.5, "L1")])
def test_update_batch_with_a_runs_optimizer_follows_the_books_momentum_and_l1(mu, reg):
    """Network.update_batch (the notebook's SGD path) with one optimizer for the run,
    against the per-sample reference with velocities written in tests/lean_equivalence.py."""
    from lean_equivalence import reference_step
    from pycore.optimizer import SGD
    rng = np.random.RandomState(7)
    X = rng.rand(784, 40)
    labels = rng.randint(0, 10, 40)
    net = Network([784, 12, 10], cost="CrossEntropyCost", init="scaled", seed=4)
    ref = Network([784, 12, 10], cost="CrossEntropyCost", init="scaled", seed=4)
    optimizer, velocities = SGD(0.5, 3.0, 40, mu=mu, reg=reg), {}
    for k in range(0, 40, 10):
        net.update_batch(X[:, k:k + 10], np.eye(10)[:, labels[k:k + 10]], 0.5, 3.0, 40, optimizer=optimizer)
        reference_step(ref, X[:, k:k + 10], labels[k:k + 10], 0.5, 3.0, 40, mu, reg, velocities)
    assert max_diff(params(net), params(ref)) <= 1e-12
    with pytest.raises(ValueError, match="mu must be at least 0 and below 1"):
        SGD(0.5, mu=1.0)
    with pytest.raises(ValueError, match="reg must be L2 or L1"):
        SGD(0.5, reg="L3")
