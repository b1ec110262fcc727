"""Tests of pycore.fast.LeanStep: the same results as the per-sample
reference (Network.backprop) and as Network.update_batch, and the network
object stays valid and in sync while the lean step trains it."""

from pathlib import Path

import numpy as np
import pytest

from lean_equivalence import (check, check_activations, check_dropout, check_optimizers, check_softmax,
                              run_pair, sparse_images)
from pycore import model_io
from pycore.fast import KERNELS, LeanStep, default_kernel
from pycore.network import Network


def test_lean_step_equals_per_sample_reference_for_every_setting():
    results = check()
    assert len(results) == 16
    for r in results:
        assert r["steps"] == 10, r
        assert r["param"] <= 1e-9, r
        assert r["cost_diff"] <= 1e-9, r


def test_dropout_keeps_each_activation_in_expectation_and_leaves_the_trained_network_alone():
    """Inverted dropout: over many mini-batches a unit's output times its mask averages
    its output (what the network computes at test time, unchanged by training with it)."""
    rng = np.random.RandomState(1)
    images = sparse_images(rng, 20, 784)
    net = Network([784, 6, 10], seed=2)
    lean = LeanStep(net, images, rng.randint(0, 10, 20), 20, 1e-12, dropout=0.5, dropout_seed=3)
    buf = lean._allocate(20)
    seen = []
    for _ in range(400):
        z = np.full((20, 6), 0.3)
        buf.apply0(z, buf.a0)
        seen.append(buf.a0.copy())
    expected = 1.0 / (1.0 + np.exp(-0.3))
    assert abs(np.mean(seen) - expected) < 0.01                  # E[mask] a = a
    assert 0.45 < np.mean(np.array(seen) == 0) < 0.55            # half the units sat out
    x = images[:3].T / 255.0
    first = net.feedforward(x)
    assert np.array_equal(net.feedforward(x), first)             # no dropout outside training


@pytest.mark.parametrize("run, count", [(check_activations, 32), (check_softmax, 24),
                                        (check_optimizers, 16), (check_dropout, 8)])
def test_lean_step_equals_the_per_sample_reference_for_each_tool(run, count):
    """tanh and ReLU; a softmax output with the log-likelihood; momentum and L1; dropout
    (tests/lean_equivalence.py, which the browser runtime runs too)."""
    results = run()
    assert len(results) == count
    if run is check_activations:
        assert {r["activation"] for r in results} == {"tanh", "relu"}
    for r in results:
        assert r["steps"] == 10, r
        assert r["param"] <= 1e-9, r
        assert r["cost_diff"] <= 1e-9, r


@pytest.mark.parametrize("dtype,tolerance", [("float64", 1e-12), ("float32", 1e-4)])
@pytest.mark.parametrize("cost", ["QuadraticCost", "CrossEntropyCost"])
def test_lean_step_equals_update_batch(dtype, tolerance, cost):
    rng = np.random.RandomState(5)
    images = rng.randint(0, 256, size=(53, 784)).astype(np.uint8)
    labels = rng.randint(0, 10, size=53)
    lean_net = Network([784, 20, 10], cost=cost, seed=2, dtype=dtype)
    batch_net = Network([784, 20, 10], cost=cost, seed=2, dtype=dtype)
    lean = LeanStep(lean_net, images, labels, 10, 3.0, lmbda=1.5, group=3)
    targets = np.eye(10, dtype=dtype)[:, labels]
    for epoch in range(2):
        order = rng.permutation(53)
        for k in range(0, 53, 10):
            idx = order[k:k+10]
            lean_cost, m = lean.step(order, k)
            X = (images[idx].T/255.0).astype(dtype)
            batch_cost = batch_net.update_batch(X, targets[:, idx], 3.0, 1.5, 53)
            assert m == len(idx)
            assert abs(lean_cost-batch_cost) <= tolerance*max(1.0, abs(batch_cost))
    for p, q in zip(lean_net.weights+lean_net.biases, batch_net.weights+batch_net.biases):
        assert p.dtype == q.dtype == np.dtype(dtype)
        np.testing.assert_allclose(p, q, rtol=0, atol=tolerance*10)


def test_network_sees_the_lean_steps_updates_and_model_files_round_trip():
    rng = np.random.RandomState(1)
    images = rng.randint(0, 256, size=(30, 784)).astype(np.uint8)
    labels = rng.randint(0, 10, size=30)
    net = Network([784, 16, 10], seed=4)
    before = [w.copy() for w in net.weights]
    lean = LeanStep(net, images, labels, 10, 3.0)
    order = np.arange(30)
    lean.step(order, 0)
    # the network's arrays are the lean step's parameters: updated in place
    assert not np.array_equal(net.weights[0], before[0])
    assert net.weights[0].shape == (16, 784) and net.biases[0].shape == (16, 1)
    x = images[:3].T/255.0
    copy = Network([784, 16, 10])
    copy.weights = [w.copy() for w in net.weights]
    copy.biases = [b.copy() for b in net.biases]
    # the same numbers; a strided view and a contiguous copy may take different
    # BLAS kernels, which add in different orders: equal to rounding, not bit for bit
    np.testing.assert_allclose(net.feedforward(x), copy.feedforward(x), rtol=1e-12, atol=1e-14)
    loaded = model_io.loads(model_io.dumps(net))
    for p, q in zip(net.weights+net.biases, loaded.weights+loaded.biases):
        np.testing.assert_array_equal(p, q)
    # Network's own update_batch changes the same arrays in place; the next lean
    # step continues from there
    net.update_batch(x, np.eye(10)[:, labels[:3]], 1.0)
    after_update = [w.copy() for w in net.weights]
    reference = Network([784, 16, 10])
    reference.weights = [w.copy() for w in net.weights]
    reference.biases = [b.copy() for b in net.biases]
    lean.step(order, 10)
    reference.update_batch(images[10:20].T/255.0, np.eye(10)[:, labels[10:20]], 3.0)
    assert not np.array_equal(net.weights[0], after_update[0])
    for p, q in zip(net.weights+net.biases, reference.weights+reference.biases):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


def test_replaced_network_arrays_are_taken_over():
    rng = np.random.RandomState(2)
    images = rng.randint(0, 256, size=(20, 784)).astype(np.uint8)
    labels = rng.randint(0, 10, size=20)
    net = Network([784, 8, 10], seed=1)
    lean = LeanStep(net, images, labels, 10, 3.0)
    order = np.arange(20)
    lean.step(order, 0)
    other = Network([784, 8, 10], seed=9)
    net.weights = [w.copy() for w in other.weights]  # as the seed's update_mini_batch does
    net.biases = [b.copy() for b in other.biases]
    lean.step(order, 10)
    other.update_batch(images[10:20].T/255.0, np.eye(10)[:, labels[10:20]], 3.0)
    for p, q in zip(net.weights+net.biases, other.weights+other.biases):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("sparse", [True, False])
@pytest.mark.parametrize("sizes", [[784, 12, 10], [784, 10]])
@pytest.mark.parametrize("cost", ["QuadraticCost", "CrossEntropyCost"])
def test_every_input_layer_way_and_a_network_without_hidden_layer_equal_the_reference(
        kernel, sparse, sizes, cost):
    param, cost_diff, steps = run_pair(sizes, cost, 2.0, "scaled", kernel=kernel, sparse=sparse)
    assert steps == 10
    assert param <= 1e-9 and cost_diff <= 1e-9


def test_float_images_train_as_their_uint8_pixels():
    rng = np.random.RandomState(3)
    images = sparse_images(rng, 47, 784)
    labels = rng.randint(0, 10, size=47)
    nets = [Network([784, 12, 10], seed=6) for _ in range(2)]
    steps = [LeanStep(nets[0], images, labels, 10, 3.0, group=2),
             LeanStep(nets[1], images/255.0, labels, 10, 3.0, group=2)]
    order = rng.permutation(47)
    for k in range(0, 47, 10):
        costs = [s.step(order, k)[0] for s in steps]
        assert costs[0] == costs[1]
    for p, q in zip(nets[0].weights+nets[0].biases, nets[1].weights+nets[1].biases):
        np.testing.assert_array_equal(p, q)


def test_kernel_is_checked():
    with pytest.raises(ValueError, match="kernel must be one of"):
        LeanStep(Network([784, 4, 10]), np.zeros((3, 784), np.uint8), [0, 1, 2], 1, 1.0,
                 kernel="dot")


class FakeConfig(object):
    """Stands in for ``np.__config__`` of a NumPy built with or without a BLAS."""


@pytest.mark.parametrize("blas,kernel", [(True, "matmul"), (False, "einsum")])
def test_the_kernel_follows_numpys_blas(monkeypatch, blas, kernel):
    modern = FakeConfig()     # NumPy >= 1.26: a CONFIG dict
    modern.CONFIG = {"Build Dependencies": {"blas": {"name": "openblas", "found": blas}}}
    older = FakeConfig()      # NumPy 1.17 (Pyodide 0.17): blas_opt_info and friends
    older.blas_opt_info = {"libraries": ["openblas"]} if blas else {}
    older.blas_mkl_info = {}
    for config in (modern, older):
        monkeypatch.setattr(np, "__config__", config)
        assert default_kernel() == kernel
        lean = LeanStep(Network([784, 4, 10]), np.zeros((3, 784), np.uint8), [0, 1, 2], 1, 1.0)
        assert lean.kernel == kernel and lean.sparse == (kernel == "einsum")


def test_this_numpy_has_a_blas_so_the_lean_step_uses_matmul():
    """pip's NumPy wheels ship OpenBLAS beside the package (the browser's NumPy
    1.17 has none: tests/browser/test_lean_step.py checks it takes einsum there)."""
    root = Path(np.__file__).parent
    shipped = list(root.glob(".libs/*openblas*")) + list(root.parent.glob("numpy.libs/*openblas*"))
    assert shipped, "this NumPy ships no OpenBLAS library"
    assert default_kernel() == "matmul"
