"""Tests of conv layers (pycore/conv.py, the book's ConvPoolLayer): the
mini-batch path against the per-sample reference with loops
(conv_reference.py) and finite differences, training steps, the layer
descriptions' checks, and a short run in which the chapter 6 network beats
the MLP given the same time."""

import time

import numpy as np
import pytest

from conv_equivalence import (check_finite_differences, check_layers, check_reference, check_ties,
                              check_training)
from pycore.network import Network


def test_mini_batch_gradients_equal_the_per_sample_reference_with_loops():
    results = check_reference()
    assert len(results) == 6
    for r in results:
        assert r["size"] > 1e-3, r              # gradients that are not all 0
        assert r["grad"] <= 1e-9, r


def test_mostly_blank_inputs_with_tied_pooling_blocks_give_the_reference_gradients():
    results = check_ties()
    assert len(results) == 3
    for r in results:
        assert r["ties"] > 10, r                # blank windows: equal values in whole blocks
        assert r["grad"] <= 1e-9, r


def test_single_layers_equal_the_reference_and_send_a_tied_blocks_error_to_its_first_largest_value():
    """Also blocks that do not tile the feature maps and 3 x 3 pooling."""
    results = check_layers()
    assert len(results) == 9
    for r in results:
        assert r["ties"] > 0, r
        assert r["out"] <= 1e-12 and r["grad"] <= 1e-9, r


def test_the_einsum_products_of_numpy_without_blas_give_the_same_gradients_and_steps(monkeypatch):
    """In CPython the products are np.matmul; the test runtime's are np.einsum."""
    from pycore import conv
    monkeypatch.setattr(conv, "_KERNEL", ["einsum"])
    for r in check_reference():
        assert r["grad"] <= 1e-9, r
    for r in check_training():
        assert r["diff"] <= 1e-9, r


def test_gradients_pass_finite_difference_checks_for_conv_pool_dense_and_softmax():
    results = check_finite_differences()
    assert {r["layer"] for r in results} == {"conv", "dense"}
    assert len(results) == 3*2*4
    for r in results:
        assert r["diff"] <= 1e-6, r


def test_batch_step_trains_as_steps_with_the_reference_gradients():
    for r in check_training():
        assert r["diff"] <= 1e-9, r


def test_the_books_chapter_6_network_has_the_books_shapes():
    net = Network.from_layers([{"type": "conv", "filters": 20, "size": 5, "pool": 2},
                               {"type": "dense", "units": 100}],
                              cost="log-likelihood", output="softmax", activation="relu")
    assert net.sizes == [784, 20*12*12, 100, 10]
    assert [w.shape for w in net.weights] == [(20, 25), (100, 2880), (10, 100)]
    assert net.layers[0].to_json() == {"type": "conv", "filters": 20, "size": 5, "pool": 2,
                                       "activation": "relu"}
    assert net.convolutional and not Network([784, 30, 10]).convolutional
    x = np.random.RandomState(0).rand(784, 3)
    out = net.feedforward(x)
    assert out.shape == (10, 3) and np.allclose(out.sum(axis=0), 1.0)


@pytest.mark.parametrize("layers, message", [
    ([{"type": "dense", "units": 10}, {"type": "conv", "filters": 2, "size": 3, "pool": 2}],
     "Layer 2: a conv layer must come before the dense layers."),
    ([{"type": "conv", "filters": 2, "size": 29, "pool": 1}],
     "Layer 1: a 29x29 filter does not fit its 28x28 input."),
    ([{"type": "conv", "filters": 2, "size": 4, "pool": 2}],
     "Layer 1: pool 2 does not tile its 25x25 feature maps (28x28 input, 4x4 filters)."),
    ([{"type": "conv", "filters": 2, "size": 5, "pool": 2}, {"type": "conv", "filters": 2, "size": 13, "pool": 1}],
     "Layer 2: a 13x13 filter does not fit its 12x12 input."),
])
def test_layers_that_cannot_be_are_refused_with_a_sentence(layers, message):
    with pytest.raises(ValueError) as e:
        Network.from_layers(layers)
    assert str(e.value) == message


def test_a_short_run_of_the_chapter_6_network_beats_the_mlp_given_the_same_time(mnist_data):
    """Both train on the same 10,000 images: the conv network (book chapter 6:
    conv 20 5x5 + pool 2, 100 ReLU, softmax, eta = 0.1) for 1 epoch, then the MLP
    ([784, 100, 10], the book's best MLP settings) for as long as that took;
    scored on the 10,000 test images."""
    from pycore.trainer import Trainer
    images, labels = mnist_data["training"]
    training = (images[:10000], labels[:10000])
    test_x = mnist_data["test"][0].reshape(10000, -1).T/255.0
    test_y = mnist_data["test"][1]
    conv = Network.from_layers([{"type": "conv", "filters": 20, "size": 5, "pool": 2},
                                {"type": "dense", "units": 100}], cost="log-likelihood",
                               output="softmax", activation="relu", init="scaled", seed=1)
    start = time.perf_counter()
    trainer = Trainer(conv, training, 1, 10, 0.1, 0.1, seed=1)
    while not trainer.done:
        list(trainer.step(max_batches=100))
    budget = time.perf_counter()-start
    mlp = Network([784, 100, 10], cost="cross-entropy", init="scaled", seed=1)
    trainer = Trainer(mlp, training, 1000, 10, 0.1, 5.0, seed=1)
    start = time.perf_counter()
    while time.perf_counter()-start < budget and not trainer.done:
        list(trainer.step(max_batches=50))
    mlp_epochs = trainer.epoch + trainer.batch/trainer.batches_per_epoch
    conv_correct, mlp_correct = conv.accuracy(test_x, test_y), mlp.accuracy(test_x, test_y)
    assert mlp_epochs > 4, mlp_epochs             # the MLP got many more passes in the time
    assert conv_correct > mlp_correct, (conv_correct, mlp_correct, budget, mlp_epochs)


def test_the_lean_step_says_it_trains_dense_networks_only():
    from pycore.fast import LeanStep
    net = Network.from_layers([{"type": "conv", "filters": 2, "size": 5, "pool": 2}])
    with pytest.raises(ValueError, match="LeanStep trains networks of dense layers"):
        LeanStep(net, np.zeros((10, 784), np.uint8), np.zeros(10, int), 5, 0.1)


def test_every_architecture_of_the_menu_is_settings_both_sides_accept():
    """The Architecture menu's entries (settings.json "architectures") parse as they are,
    and the conv ones build the network they name (float32 in the page)."""
    from pycore import runs, settings
    entries = settings.SCHEMA["architectures"]
    assert {e["id"] for e in entries} == {"mlp", "conv", "conv2", "fast"}
    for entry in entries:
        s = settings.parse_settings(dict(entry["settings"]))
        net = runs.new_network(s)
        assert runs.hidden_setting(net) == entry["settings"]["hidden"]
        assert net.dtype == (np.float32 if net.convolutional else np.float64)
        assert entry["hint"] and entry["label"]


def test_a_copy_of_a_conv_network_has_its_layers_and_answers_the_same():
    from pycore.runs import copy_network
    net = Network.from_layers([{"type": "conv", "filters": 3, "size": 5, "pool": 2, "activation": "tanh"},
                               {"type": "dense", "units": 7, "activation": "relu"}],
                              cost="log-likelihood", output="softmax", init="scaled", seed=5, dtype="float32")
    copy = copy_network(net)
    assert [layer.to_json() for layer in copy.layers] == [layer.to_json() for layer in net.layers]
    assert copy.dtype == net.dtype and copy.weights[0] is not net.weights[0]
    x = np.random.RandomState(1).rand(784, 4)
    assert np.array_equal(copy.feedforward(x), net.feedforward(x))
