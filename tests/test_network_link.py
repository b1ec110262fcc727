"""pycore.network_link: a network in a link's compact binary form (per-row int8), its
accuracy on real MNIST after the round trip, and the Session's "Shared" network made from
it through the same checks as an uploaded model file."""

import base64
import json
import struct
import zlib

import numpy as np
import pytest

from pycore import model_io, network_link
from pycore.bridge import Bridge
from pycore.network import Network
from pycore.session import Session
from pycore.trainer import Trainer

MAX_LINK_CHARS = 64*1024   # web/js/share/network-link.js: MAX_PARAM_CHARS


def link_chars(data):
    """Return the length of ``data`` deflate-raw compressed and written as base64url (no padding)."""
    packed = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packed.compress(data)+packed.flush()
    return len(base64.urlsafe_b64encode(raw).rstrip(b"="))


def restored(net):
    data = network_link.dumps(net)
    return model_io.loads(json.dumps(network_link.loads(data))), data


def accuracy(net, test):
    images, labels = test
    return sum(net.accuracy(images[k:k+1000].T/255.0, labels[k:k+1000])
               for k in range(0, len(labels), 1000))/len(labels)


@pytest.fixture(scope="module")
def trained(mnist_data):
    """Return a [784, 30, 10] network trained 1 epoch on 10,000 MNIST images."""
    net = Network([784, 30, 10], seed=3)
    images, labels = mnist_data["training"]
    trainer = Trainer(net, (images[:10000], labels[:10000]), 1, 10, 3.0, seed=3)
    for _ in trainer.step(seconds=1000):
        pass
    return net


def test_small_network_fits_a_link_and_keeps_its_accuracy(trained, mnist_data):
    copy, data = restored(trained)
    assert copy.sizes == [784, 30, 10] and copy.cost.__name__ == trained.cost.__name__
    chars = link_chars(data)
    print("[784, 30, 10]: {} bytes, {} characters of link".format(len(data), chars))
    assert chars <= 40*1024
    before, after = accuracy(trained, mnist_data["test"]), accuracy(copy, mnist_data["test"])
    print("accuracy {:.4f} -> {:.4f}".format(before, after))
    assert before > 0.5 and abs(after-before) <= 0.001+1e-9   # 0.1 percentage point


def test_pretrained_network_round_trips_but_is_too_large_for_a_link(mnist_data):
    net = model_io.load("web/models/pretrained.json")
    copy, data = restored(net)
    chars = link_chars(data)
    print("[784, 100, 10] pretrained: {} bytes, {} characters of link".format(len(data), chars))
    assert abs(accuracy(copy, mnist_data["test"])-accuracy(net, mnist_data["test"])) <= 0.001
    assert chars > MAX_LINK_CHARS


def test_every_weight_is_within_half_a_step_of_its_row_scale(trained):
    copy, _ = restored(trained)
    for w, b, w2, b2 in zip(trained.weights, trained.biases, copy.weights, copy.biases):
        step = np.abs(np.hstack([w, b])).max(axis=1, keepdims=True)/127
        assert (np.abs(np.hstack([w, b])-np.hstack([w2, b2])) <= step*0.5001).all()


@pytest.mark.parametrize("change, words", [
    (lambda d: d[:-1], "cut short"),
    (lambda d: d[:5], "not in Digit Lab's network format"),
    (lambda d: d+b"\0", "too long"),
    (lambda d: b"XYZ\x01"+d[4:], "not in Digit Lab's network format"),
    (lambda d: d[:4]+b"\x07"+d[5:], "unknown cost"),
    (lambda d: d[:5]+b"\x01"+d[6:], "layers"),
    (lambda d: d[:6]+struct.pack("<H", 0)+d[8:], "outside 1 to 4096"),
    (lambda d: d[:14]+struct.pack("<f", float("nan"))+d[18:], "not finite"),
    (lambda d: d[:12]+b"\x09"+d[13:], "unknown activation"),
    (lambda d: "text", "must be bytes"),
])
def test_damaged_data_is_refused_with_a_sentence(trained, change, words):
    with pytest.raises(ValueError) as e:
        network_link.loads(change(network_link.dumps(trained)))
    assert words in str(e.value)


def test_session_loads_a_link_as_shared_and_refuses_a_damaged_one(trained):
    bridge = Bridge(Session())
    call = lambda name, p: json.loads(bridge.dispatch(name, json.dumps(p)))
    pretrained = open("web/models/pretrained.json").read()
    assert call("loadModel", {"name": "pretrained", "text": pretrained})["ok"]
    data = base64.b64encode(network_link.dumps(trained)).decode()
    wrong = network_link.dumps(Network([784, 30, 9]))     # not 10 outputs: refused like a file
    for bad, words in ((data[:-1], "not base64"), (base64.b64encode(b"DLN\x01\x00\x01").decode(), "layers"),
                       (base64.b64encode(wrong).decode(), "10 outputs")):
        reply = call("loadLink", {"data": bad})
        assert not reply["ok"] and words in reply["error"]["message"], reply
        assert call("models", {})["result"]["active"] == "pretrained"
    reply = call("loadLink", {"data": data})
    assert reply["ok"] and reply["result"]["name"] == "shared", reply
    assert call("models", {})["result"]["active"] == "shared"
    exported = call("exportLink", {})["result"]
    assert exported["sizes"] == [784, 30, 10] and exported["data"] == data


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_link_carries_each_layers_activation(activation):
    net = Network([784, 12, 7, 10], seed=2, init="scaled", activation=activation)
    copy, data = restored(net)
    assert data[:4] == b"DLN\x02"
    assert [layer.activation.name for layer in copy.layers] == [activation] * 2 + ["sigmoid"]
    x = np.random.RandomState(0).rand(784, 5)
    # per-neuron int8 weights: the outputs agree to a few hundredths
    np.testing.assert_allclose(copy.feedforward(x), net.feedforward(x), atol=0.05)


def test_a_version_1_link_still_opens_as_a_sigmoid_network():
    """A link made before the activations (version 1: no activation bytes)."""
    net = Network([784, 5, 10], seed=4)
    v2 = network_link.dumps(net)
    v1 = b"DLN\x01" + v2[4:12] + v2[14:]      # the same network without its 2 activation bytes
    model = network_link.loads(v1)
    assert [layer["activation"] for layer in model["layers"]] == ["sigmoid", "sigmoid"]
    copy = model_io.loads(json.dumps(model))
    np.testing.assert_allclose(copy.weights[0], net.weights[0], atol=np.abs(net.weights[0]).max() / 127)


def test_a_small_conv_network_travels_in_a_link_and_reads_as_before():
    net = Network.from_layers([{"type": "conv", "filters": 8, "size": 5, "pool": 2, "activation": "relu"},
                               {"type": "conv", "filters": 16, "size": 5, "pool": 2, "activation": "relu"},
                               {"type": "dense", "units": 100, "activation": "relu"}],
                              cost="log-likelihood", output="softmax", init="scaled", seed=4)
    data = network_link.dumps(net)
    assert data[:4] == b"DLN\x03"
    session = Session()
    info = session.load_link(data)
    shared = session.networks["shared"]
    assert [layer.to_json() for layer in shared.layers] == [layer.to_json() for layer in net.layers]
    x = np.random.RandomState(0).rand(784, 20)
    assert np.abs(shared.feedforward(x) - net.feedforward(x)).max() < 0.05
    assert info["sizes"] == [784, 8*12*12, 16*4*4, 100, 10]
    # it fits a link: the page deflates the bytes and writes them as base64url, at most 64 KB
    assert len(base64.urlsafe_b64encode(zlib.compress(data, 9))) < 64*1024


@pytest.mark.parametrize("change, words", [
    (lambda b: b[:-1], "cut short"),
    (lambda b: b[:6 + 2*5 + 4] + bytes([2, 8, 5, 2]) + b[6 + 2*5 + 4 + 4:], "a layer that cannot be"),
    (lambda b: b[:6 + 2*5 + 4] + bytes([1, 8, 29, 2]) + b[6 + 2*5 + 4 + 4:], "a layer that cannot be"),
])
def test_a_broken_conv_link_is_refused_with_a_sentence(change, words):
    net = Network.from_layers([{"type": "conv", "filters": 8, "size": 5, "pool": 2},
                               {"type": "conv", "filters": 16, "size": 5, "pool": 2},
                               {"type": "dense", "units": 100}], init="scaled", seed=4)
    with pytest.raises(ValueError) as e:
        network_link.loads(change(network_link.dumps(net)))
    assert words in str(e.value)
