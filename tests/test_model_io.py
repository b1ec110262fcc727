"""Tests of pycore.model_io: round trips and every kind of bad model file."""

import json

import numpy as np
import pytest

from pycore import Network, model_io
from pycore.network import CrossEntropyCost


def valid(sizes=(4, 3, 2), cost="QuadraticCost"):
    """Return a valid model file as a dict, with small hand-made numbers."""
    sizes = list(sizes)
    return {"sizes": sizes,
            "weights": [[[0.5 * (i - j) for j in range(x)] for i in range(y)]
                        for x, y in zip(sizes[:-1], sizes[1:])],
            "biases": [[[0.1 * i] for i in range(y)] for y in sizes[1:]],
            "cost": cost}


def refused(text, words, **limits):
    with pytest.raises(ValueError) as info:
        model_io.loads(text, **limits)
    message = str(info.value)
    assert words in message, message
    assert message.endswith(".") or message.endswith(")."), message
    return message


def edited(change):
    data = valid()
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_round_trip_predicts_identically(tmp_path, dtype):
    net = Network([784, 30, 10], cost=CrossEntropyCost, init="scaled", seed=5, dtype=dtype)
    X = np.random.RandomState(1).rand(784, 50)
    text = model_io.dumps(net, extra={"eta": 0.5, "epochs": 3})
    data = json.loads(text)
    assert data["format"] == "digit-lab-model/2" and data["eta"] == 0.5
    assert data["cost"] == "CrossEntropyCost" and data["sizes"] == [784, 30, 10]
    back = model_io.loads(text, dtype=dtype)
    assert back.cost is CrossEntropyCost and back.sizes == [784, 30, 10]
    assert all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases,
                                                   back.weights + back.biases))
    assert np.array_equal(net.feedforward(X), back.feedforward(X))
    path = tmp_path / "model.json"
    model_io.save(net, str(path), extra={"note": "x"})
    again = model_io.load(str(path), dtype=dtype)
    assert np.array_equal(net.feedforward(X), again.feedforward(X))


def test_rounded_dump_is_compact_and_close():
    net = Network([784, 100, 10], init="scaled", seed=2)
    full, short = model_io.dumps(net), model_io.dumps(net, digits=7)
    assert len(short) < 0.7 * len(full)
    back = model_io.loads(short)
    assert max(np.abs(a - b).max() / max(np.abs(a).max(), 1e-300)
               for a, b in zip(net.weights, back.weights)) < 1e-6


def test_the_books_network2_layout_loads():
    net = model_io.loads(json.dumps(valid(cost="CrossEntropyCost")))
    assert net.sizes == [4, 3, 2] and net.weights[0][2, 1] == 0.5
    assert net.biases[1].shape == (2, 1) and net.biases[1][1, 0] == 0.1


def test_extra_keys_may_not_overwrite_the_model():
    with pytest.raises(ValueError):
        model_io.dumps(Network([2, 2]), extra={"weights": []})


@pytest.mark.parametrize("text, words", [
    ("", "not valid JSON"),
    ("{\"sizes\": [1, 2]", "not valid JSON"),
    ("<html>", "not valid JSON"),
    (b"\xff\xfe", "not UTF-8"),
    ("[1, 2]", "must be a JSON object, got an array"),
    ("\"model\"", "must be a JSON object, got a string"),
    ("3", "must be a JSON object, got a number"),
    ("null", "must be a JSON object, got null"),
    ("[" * 100000, "nested 100,000 levels deep"),
])
def test_non_json_and_non_objects_are_refused(text, words):
    refused(text, words)


@pytest.mark.parametrize("key", ["sizes", "weights", "biases", "cost"])
def test_missing_keys_are_refused(key):
    refused(edited(lambda d: d.pop(key)), "missing the key '{}'".format(key))


def test_several_missing_keys_are_listed():
    refused("{}", "missing the keys 'sizes', 'weights', 'biases', 'cost'")


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(cost=3), "cost must be a string, got a number"),
    (lambda d: d.update(cost="L1Cost"), "cost must be one of CrossEntropyCost, LogLikelihoodCost, QuadraticCost"),
    (lambda d: d.update(sizes="4,3,2"), "sizes must be an array"),
    (lambda d: d.update(sizes=[4, "3", 2]), "sizes[1] must be an integer, got a string"),
    (lambda d: d.update(sizes=[4, 3.0, 2]), "sizes[1] must be an integer, got a number"),
    (lambda d: d.update(sizes=[4, True, 2]), "sizes[1] must be an integer, got a boolean"),
    (lambda d: d.update(sizes=[4]), "at least two layers"),
    (lambda d: d.update(sizes=[4, 0, 2]), "sizes[1] must be at least 1"),
    (lambda d: d.update(weights={"0": []}), "weights must be an array, got an object"),
    (lambda d: d.update(biases=None), "biases must be an array, got null"),
    (lambda d: d["weights"].__setitem__(0, 5), "weights[0] must be an array of rows"),
    (lambda d: d["weights"][0].__setitem__(1, "row"), "weights[0][1] must be an array of 4"),
    (lambda d: d["weights"][1][0].__setitem__(2, "0.5"), "weights[1][0][2] must be a number, "
                                                         "got a string"),
    (lambda d: d["weights"][1][0].__setitem__(2, None), "weights[1][0][2] must be a number, got null"),
    (lambda d: d["weights"][1][0].__setitem__(2, False), "must be a number, got a boolean"),
    (lambda d: d["weights"][1][0].__setitem__(2, [1.0]), "must be a number, got an array"),
    (lambda d: d["biases"][0].__setitem__(0, 0.1), "biases[0][0] must be an array of 1"),
    (lambda d: d["biases"][0].__setitem__(0, [0.1, 0.2]), "biases[0][0] must have 1 numbers"),
])
def test_wrong_types_are_refused(change, words):
    refused(edited(change), words)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_file_says_what_each_layer_is_and_loads_it_so(activation):
    net = Network([784, 20, 12, 10], init="scaled", seed=5, activation=activation)
    data = json.loads(model_io.dumps(net))
    assert data["layers"] == [{"type": "dense", "units": 20, "activation": activation},
                              {"type": "dense", "units": 12, "activation": activation},
                              {"type": "dense", "units": 10, "activation": "sigmoid"}]
    back = model_io.loads(json.dumps(data))
    assert [layer.activation.name for layer in back.layers] == [activation] * 2 + ["sigmoid"]
    x = np.random.RandomState(2).rand(784, 7)
    np.testing.assert_allclose(back.feedforward(x), net.feedforward(x), rtol=1e-12)


def test_a_file_with_different_hidden_activations_loads_them():
    data = valid(sizes=(4, 3, 3, 2))
    data["layers"] = [{"type": "dense", "units": 3, "activation": "relu"},
                      {"type": "dense", "units": 3, "activation": "tanh"},
                      {"type": "dense", "units": 2, "activation": "sigmoid", "note": "extra keys allowed"}]
    net = model_io.loads(json.dumps(data))
    assert net.activation == ["relu", "tanh"]
    x = np.array([[0.2], [0.9], [0.0], [0.4]])
    a = np.maximum(np.array(data["weights"][0]) @ x + np.array(data["biases"][0]), 0)
    a = np.tanh(np.array(data["weights"][1]) @ a + np.array(data["biases"][1]))
    a = 1 / (1 + np.exp(-(np.array(data["weights"][2]) @ a + np.array(data["biases"][2]))))
    np.testing.assert_allclose(net.feedforward(x), a, rtol=1e-12)


def test_a_softmax_network_round_trips_with_its_cost():
    net = Network([784, 20, 10], cost="LogLikelihoodCost", output="softmax", init="scaled", seed=3,
                  activation="relu")
    data = json.loads(model_io.dumps(net))
    assert data["cost"] == "LogLikelihoodCost"
    assert data["layers"][-1] == {"type": "dense", "units": 10, "activation": "softmax"}
    back = model_io.loads(json.dumps(data))
    assert back.output == "softmax" and back.cost.__name__ == "LogLikelihoodCost"
    x = np.random.RandomState(2).rand(784, 4)
    np.testing.assert_allclose(back.feedforward(x).sum(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(back.feedforward(x), net.feedforward(x), rtol=1e-12)


def test_a_file_without_layers_is_all_sigmoid():
    net = model_io.loads(json.dumps(valid()))
    assert [layer.activation.name for layer in net.layers] == ["sigmoid", "sigmoid"]


def with_layers(*layers):
    return lambda d: d.update(layers=list(layers))


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(layers={"0": "dense"}), "layers must be an array of layer descriptions, got an object"),
    (with_layers({"type": "dense", "units": 3}), "layers must describe 2 layers for sizes [4, 3, 2], got 1"),
    (with_layers("dense", {"type": "dense", "units": 2}), "layers[0] must be an object, got a string"),
    (with_layers({"type": "pool", "units": 3}, {"type": "dense", "units": 2}),
     'layers[0] has type "pool"; Digit Lab knows the layer types conv, dense'),
    (with_layers({"units": 3}, {"type": "dense", "units": 2}), "layers[0] has type null"),
    (with_layers({"type": {"x": 1}, "units": 3}, {"type": "dense", "units": 2}), 'layers[0] has type {"x": 1}'),
    (with_layers({"type": "dense", "units": 3, "activation": ["relu"]}, {"type": "dense", "units": 2}),
     'layers[0] has the activation ["relu"]; Digit Lab knows'),
    (with_layers({"type": "dense", "units": 4}, {"type": "dense", "units": 2}),
     'layers[0] must have "units": 3 to match sizes, got 4'),
    (with_layers({"type": "dense", "units": "3"}, {"type": "dense", "units": 2}),
     'layers[0] must have "units": 3 to match sizes, got "3"'),
    (with_layers({"type": "dense", "units": 3, "activation": "softplus"}, {"type": "dense", "units": 2}),
     'layers[0] has the activation "softplus"; Digit Lab knows sigmoid, tanh, relu'),
    (with_layers({"type": "dense", "units": 3, "activation": "<b>x</b>" * 20}, {"type": "dense", "units": 2}),
     'layers[0] has the activation "<b>x</b><b>x</b><b>x</b><b>x</b><b>x'),
    (with_layers({"type": "dense", "units": 3}, {"type": "dense", "units": 2, "activation": "relu"}),
     'layers[1] is the output layer: its activation must be sigmoid or softmax, got "relu"'),
    (with_layers({"type": "dense", "units": 3, "activation": "softmax"}, {"type": "dense", "units": 2}),
     "layers[0] is a hidden layer: softmax can only be the output layer's activation"),
    (with_layers({"type": "dense", "units": 3}, {"type": "dense", "units": 2, "activation": "softmax"}),
     "A softmax output layer goes with LogLikelihoodCost, not QuadraticCost"),
])
def test_bad_layer_descriptions_are_refused(change, words):
    message = refused(edited(change), words)
    assert len(message) < 200


@pytest.mark.parametrize("change, words", [
    (lambda d: d["weights"][0][2].pop(), "weights[0][2] must have 4 numbers"),  # ragged
    (lambda d: d["weights"][0][2].append(1.0), "weights[0][2] must have 4 numbers"),
    (lambda d: d["weights"][0].pop(), "weights[0] must have 3 rows"),
    (lambda d: d["weights"].pop(), "weights must have 2 layers"),
    (lambda d: d["biases"].append([[1.0]]), "biases must have 2 layers"),
    (lambda d: d["biases"][1].pop(), "biases[1] must have 2 rows"),
    (lambda d: d["weights"].reverse(), "weights[0] must have 3 rows"),  # mismatched shapes
    (lambda d: d.update(sizes=[4, 5, 2]), "weights[0] must have 5 rows for sizes [4, 5, 2]"),
    (lambda d: d.update(sizes=[3, 3, 2]), "weights[0][0] must have 3 numbers"),
    (lambda d: d.update(sizes=[4, 3, 2, 2]), "weights must have 3 layers"),
])
def test_ragged_and_mismatched_shapes_are_refused(change, words):
    refused(edited(change), words)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_tokens_are_refused(token):
    text = json.dumps(valid()).replace("0.1", token, 1)
    assert token in text
    refused(text, "contains {}, which is not a finite number".format(token))


@pytest.mark.parametrize("number", ["1e400", "-1e999", "1" + "0" * 400])
def test_numbers_overflowing_to_infinity_are_refused(number):
    text = json.dumps(valid()).replace("0.1", number, 1)
    refused(text, "biases[0] contains a number that is not finite")


def test_absurd_sizes_are_refused_before_allocating():
    data = valid()
    data["sizes"] = [784, 10 ** 9, 10]
    refused(json.dumps(data), "at most 4096 neurons per layer")
    data["sizes"] = [4000, 4000, 4000]
    refused(json.dumps(data), "The model has 32008000 parameters; at most 5000000")
    data["sizes"] = [2] * 40
    refused(json.dumps(data), "The model has 40 layers; at most 16")
    refused(json.dumps(valid()), "at most 3 neurons", max_units=3)
    refused(json.dumps(valid()), "parameters; at most 10 are allowed", max_params=10)
    assert model_io.loads(json.dumps(valid()), max_units=4, max_params=23).sizes == [4, 3, 2]


BOOK_CONV = [{"type": "conv", "filters": 4, "size": 5, "pool": 2, "activation": "relu"},
             {"type": "dense", "units": 6, "activation": "relu"}]


def conv_file(**changes):
    """Return a small conv network's model file as a dict (conv 4 5x5 pool 2, 6, softmax 10)."""
    net = Network.from_layers(BOOK_CONV, cost="log-likelihood", output="softmax", seed=3,
                              init="scaled")
    data = json.loads(model_io.dumps(net))
    data.update(changes)
    return data


def test_a_conv_network_round_trips_and_its_file_describes_the_layers():
    net = Network.from_layers(BOOK_CONV, cost="log-likelihood", output="softmax", seed=3,
                              init="scaled")
    data = json.loads(model_io.dumps(net))
    assert data["sizes"] == [784, 4*12*12, 6, 10]
    assert data["layers"] == [{"type": "conv", "filters": 4, "size": 5, "pool": 2, "activation": "relu"},
                              {"type": "dense", "units": 6, "activation": "relu"},
                              {"type": "dense", "units": 10, "activation": "softmax"}]
    assert np.array(data["weights"][0]).shape == (4, 25)
    back = model_io.loads(json.dumps(data))
    assert [layer.to_json() for layer in back.layers] == data["layers"]
    x = np.random.RandomState(0).rand(784, 5)
    assert np.array_equal(back.feedforward(x), net.feedforward(x))


@pytest.mark.parametrize("change, words", [
    (lambda d: d["layers"][0].update(filters=0), 'layers[0] must have "filters": an integer from 1 to 256, got 0.'),
    (lambda d: d["layers"][0].update(size=True), 'layers[0] must have "size": an integer from 1 to 28, got true.'),
    (lambda d: d["layers"][0].pop("pool"), 'layers[0] must have "pool": an integer from 1 to 28, got null.'),
    (lambda d: d["layers"][0].update(pool=5), "The model's layers cannot be: Layer 1: pool 5 does not tile its 24x24"),
    (lambda d: d["layers"][0].update(size=29), 'layers[0] must have "size": an integer from 1 to 28, got 29.'),
    (lambda d: d["layers"].insert(1, d["layers"].pop(0)),
     'layers[0] must have "units": 576 to match sizes, got 6.'),
    (lambda d: d["layers"][2].update(type="conv", filters=1, size=1, pool=1),
     "layers[2] is the output layer: it must be a dense layer, got conv."),
    (lambda d: d.update(sizes=[784, 500, 6, 10]), "sizes must be [784, 576, 6, 10] for these layers, got [784, 500, 6, 10]."),
    (lambda d: d["weights"][0].append([0.0]*25), "weights[0] must have 4 rows"),
    (lambda d: d["weights"][0][1].pop(), "weights[0][1] must have 25 numbers"),
    (lambda d: d["biases"][0].pop(), "biases[0] must have 4 rows"),
])
def test_bad_conv_layer_descriptions_are_refused_with_a_sentence(change, words):
    data = conv_file()
    change(data)
    refused(json.dumps(data), words)


def test_absurd_conv_layers_are_refused_before_allocating():
    data = conv_file()
    data["layers"][0].update(filters=256, pool=1)
    data["layers"][1].update(units=100)
    data["sizes"] = [784, 256*24*24, 100, 10]
    refused(json.dumps(data), "The model has 14753366 parameters; at most 5000000 are allowed.")
