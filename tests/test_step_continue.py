"""Step trains exactly one mini-batch of a paused run (the seed's
update_mini_batch, checked against the per-sample reference); Continue
training trains a network the Session holds for more epochs, counting its
epochs on from where it stopped."""

import json

import numpy as np
import pytest

from pycore import model_io
from pycore.bridge import Bridge
from pycore.network import Network
from pycore.reference import seed_update_mini_batch
from pycore.session import Session, SessionError

SETTINGS = {"hidden": [5], "epochs": 1, "batch": 40, "eta": 0.5, "samples": 100,
            "cost": "quadratic", "lmbda": 0, "init": "large", "seed": 3}


def session_with(mnist_data):
    s = Session()
    s.data = mnist_data
    return s


def run_to_end(s, settings, source=None):
    info = s.start_run(settings, source=source)
    events = []
    while True:
        step = s.step_run(10)
        events += step["events"]
        if step["done"]:
            break
    return info, events, s.finish_run()


def one_hot(label):
    y = np.zeros((10, 1))
    y[label] = 1.0
    return y


def test_a_step_is_the_seeds_update_mini_batch_on_the_shuffled_order(mnist_data):
    s = session_with(mnist_data)
    info = s.start_run(dict(SETTINGS, epochs=2), paused=True)
    assert info["paused"] is True
    assert s.step_run(10) == {"events": [], "done": False, "paused": True}   # paused: nothing runs
    reference = Network([784, 5, 10], init="large", seed=3)
    images, labels = mnist_data["training"]
    order = np.random.RandomState(3).permutation(100)
    for k in range(3):
        step = s.step_batch()
        progress = [e for e in step["events"] if e["type"] == "progress"]
        assert len(progress) == 1 and progress[0]["batch"] == step["batch"] == k+1
        assert step["batches"] == 3 and step["epoch"] == 0
        batch = [(images[i].reshape(784, 1)/255.0, one_hot(labels[i])) for i in order[40*k:40*k+40]]
        seed_update_mini_batch(reference, batch, 0.5)
        net = s.networks[info["name"]]
        for w, w_ref in zip(net.weights + net.biases, reference.weights + reference.biases):
            assert np.allclose(w, w_ref, rtol=0, atol=1e-9)
    # the third step ended the epoch: its evaluation came in the same call
    assert [e["type"] for e in step["events"]] == ["progress", "epoch"]
    assert step["events"][1]["epoch"] == 0 and step["events"][1]["total"] == 10000


def test_stepping_the_last_batch_ends_the_run_as_done(mnist_data):
    s = session_with(mnist_data)
    s.start_run(dict(SETTINGS, batch=50), paused=True)
    assert s.step_batch()["done"] is False
    assert s.step_batch()["done"] is True
    assert s.step_run(10)["done"] is True          # the worker's loop sees it and finishes
    assert s.finish_run()["reason"] == "done"
    with pytest.raises(SessionError, match="has ended"):
        s.step_batch()


def test_step_refuses_a_running_run_and_no_run(mnist_data):
    s = session_with(mnist_data)
    with pytest.raises(SessionError, match="No training run"):
        s.step_batch()
    s.start_run(SETTINGS)
    with pytest.raises(SessionError, match="pause it first"):
        s.step_batch()
    s.pause_run()
    assert s.step_batch()["batch"] == 1
    s.resume_run()
    assert s.step_run(10)["done"] is True


def test_continue_trains_a_kept_run_further_and_counts_its_epochs_on(mnist_data):
    s = session_with(mnist_data)
    first, events, _ = run_to_end(s, SETTINGS)
    net = s.networks["run-1"]
    before = [w.copy() for w in net.weights]
    info, events, end = run_to_end(s, dict(SETTINGS, epochs=2, eta=1.0), source="run-1")
    assert (info["name"], info["number"], info["offset"]) == ("run-1", 1, 1)
    assert info["run"] != first["run"]                   # a new run id for its events
    assert s.networks["run-1"] is net                    # the same network, trained further
    assert not np.allclose(before[0], net.weights[0])
    assert [e["epoch"] for e in events if e["type"] == "epoch"] == [1, 2]
    assert {e["epochs"] for e in events if e["type"] == "progress"} == {3}
    assert end["reason"] == "done" and end["active"] == "run-1"
    assert [k["name"] for k in s.kept] == ["run-1"] and s.kept[0]["epochs"] == 3
    saved = json.loads(s.export_model("run-1")["text"])["training"]
    assert (saved["epochs"], saved["eta"]) == (3, 1.0)   # all its epochs, the last run's η
    assert (saved["hidden"], saved["init"]) == ([5], "large")
    # a new run after it is run 2: continuing did not use up a number
    assert s.start_run(SETTINGS)["name"] == "run-2"


def test_continue_copies_a_network_that_is_not_a_run(mnist_data):
    s = session_with(mnist_data)
    source = Network([784, 8, 10], cost="CrossEntropyCost", seed=5)
    s.load_model("uploaded", model_io.dumps(source), activate=True)
    uploaded = [w.copy() for w in s.networks["uploaded"].weights]
    info, events, end = run_to_end(s, dict(SETTINGS, hidden=[30, 30]), source="uploaded")
    assert (info["name"], info["offset"], info["sizes"]) == ("run-1", 0, [784, 8, 10])
    assert info["cost"] == "cross-entropy"            # the network's, not the settings' quadratic
    assert info["trainedWith"] is None                # its file does not say how it was trained
    trained = s.networks["run-1"]
    assert trained.sizes == [784, 8, 10] and trained.cost.__name__ == "CrossEntropyCost"
    assert all(np.array_equal(a, b) for a, b in zip(uploaded, s.networks["uploaded"].weights))
    assert not np.allclose(trained.weights[0], uploaded[0])
    assert s.models()["runs"] == [{"name": "run-1", "label": "Run 1 (η = 0.5, 8 hidden, from uploaded)"}]
    saved = json.loads(s.export_model("run-1")["text"])["training"]
    assert (saved["hidden"], saved["cost"], "init" in saved) == ([8], "cross-entropy", False)
    assert end["active"] == "run-1"


def test_continue_refuses_what_cannot_be_continued(mnist_data):
    s = session_with(mnist_data)
    with pytest.raises(SessionError, match="no shared network to continue"):
        s.start_run(SETTINGS, source="shared")
    big = Network([784, 100, 10], seed=1)
    s.load_model("uploaded", model_io.dumps(big))
    with pytest.raises(SessionError, match="at most"):
        s.start_run(dict(SETTINGS, batch=1000, samples=1000), source="uploaded")
    assert s.run is None


def test_the_bridge_starts_paused_runs_steps_and_continues(mnist_data):
    s = session_with(mnist_data)
    bridge = Bridge(s)

    def call(name, payload=None):
        return json.loads(bridge.dispatch(name, json.dumps(payload or {})))

    reply = call("startRun", dict(SETTINGS, paused=True))
    assert reply["ok"] and reply["result"]["paused"] is True
    assert call("stepBatch")["result"]["batch"] == 1
    call("stopRun")
    call("finishRun")
    reply = call("startRun", dict(SETTINGS, continueFrom=7))
    assert not reply["ok"] and "must be text" in reply["error"]["message"]
    reply = call("startRun", dict(SETTINGS, continueFrom="run-1"))
    # the stopped run trained one mini-batch, no whole epoch: the continuation starts at epoch 0
    assert reply["ok"] and reply["result"]["offset"] == 0 and reply["result"]["name"] == "run-1"


def test_a_new_network_takes_the_pages_number_when_it_is_larger(mnist_data):
    """After the worker restarts (Retry), the page goes on counting: its run 4 is "run-4"."""
    s = session_with(mnist_data)
    bridge = Bridge(s)
    reply = json.loads(bridge.dispatch("startRun", json.dumps(dict(SETTINGS, number=4))))
    assert reply["result"]["name"] == "run-4" and reply["result"]["number"] == 4
    s.stop_run()
    s.finish_run()
    assert s.start_run(SETTINGS, number=2)["name"] == "run-5"
    reply = json.loads(bridge.dispatch("startRun", json.dumps(dict(SETTINGS, number="7"))))
    assert not reply["ok"] and "number must be a whole number" in reply["error"]["message"]


def test_continuing_a_model_file_says_how_it_was_trained(mnist_data):
    s = session_with(mnist_data)
    s.load_model("uploaded", model_io.dumps(Network([784, 8, 10], seed=5),
                                            extra={"training": {"eta": 0.25, "lmbda": 5.0}}))
    assert s.start_run(SETTINGS, source="uploaded")["trainedWith"] == {"eta": 0.25, "lmbda": 5.0}
    s.stop_run()
    s.finish_run()
    s.load_model("uploaded", model_io.dumps(Network([784, 8, 10], seed=5),
                                            extra={"training": {"eta": "fast", "lmbda": 5.0}}))
    assert s.start_run(SETTINGS, source="uploaded")["trainedWith"] is None


def test_a_copy_counts_on_from_the_epochs_its_model_file_says(mnist_data):
    """A downloaded run's file, uploaded and continued, goes on from its epochs."""
    s = session_with(mnist_data)
    run_to_end(s, dict(SETTINGS, epochs=2))
    s.load_model("uploaded", s.export_model("run-1")["text"])
    info, events, _ = run_to_end(s, SETTINGS, source="uploaded")
    assert info["trainedWith"] == {"eta": 0.5, "lmbda": 0, "epochs": 2}
    assert (info["name"], info["offset"]) == ("run-2", 2)
    assert [e["epoch"] for e in events if e["type"] == "epoch"] == [2]
    assert json.loads(s.export_model("run-2")["text"])["training"]["epochs"] == 3
    for epochs in (True, -1, 2.5, "30", 10**7):        # not a whole number of epochs: from 0
        s.load_model("uploaded", model_io.dumps(Network([784, 8, 10], seed=5), extra={
            "training": {"eta": 0.25, "lmbda": 5.0, "epochs": epochs}}))
        info = s.start_run(SETTINGS, source="uploaded")
        assert info["offset"] == 0 and info["trainedWith"] == {"eta": 0.25, "lmbda": 5.0}
        s.stop_run()
        s.finish_run()


def test_a_run_trains_the_activation_setting_and_names_it(mnist_data):
    s = session_with(mnist_data)
    info, events, end = run_to_end(s, dict(SETTINGS, act="relu", init="scaled", eta=0.1))
    assert info["activation"] == "relu"
    net = s.networks["run-1"]
    assert [layer.activation.name for layer in net.layers] == ["relu", "sigmoid"]
    assert s.models()["runs"] == [{"name": "run-1", "label": "Run 1 (η = 0.1, 5 hidden, ReLU)"}]
    assert s.info("run-1")["activation"] == "relu"
    data = json.loads(s.export_model("run-1")["text"])
    assert data["training"]["act"] == "relu"
    assert data["layers"][0] == {"type": "dense", "units": 5, "activation": "relu"}
    # the default activation is not named
    run_to_end(s, SETTINGS)
    assert s.models()["runs"][-1]["label"] == "Run 2 (η = 0.5, 5 hidden)"


def test_continue_training_keeps_the_networks_own_activation(mnist_data):
    s = session_with(mnist_data)
    source = Network([784, 8, 10], seed=5, init="scaled", activation="tanh")
    s.load_model("uploaded", model_io.dumps(source), activate=True)
    info, events, end = run_to_end(s, dict(SETTINGS, act="relu"), source="uploaded")
    assert info["activation"] == "tanh"               # the network's, not the settings' ReLU
    trained = s.networks["run-1"]
    assert [layer.activation.name for layer in trained.layers] == ["tanh", "sigmoid"]
    assert s.models()["runs"] == [{"name": "run-1", "label": "Run 1 (η = 0.5, 8 hidden, tanh, from uploaded)"}]
    # and a kept ReLU run continued with Step: one mini-batch of the same network
    run_to_end(s, dict(SETTINGS, act="relu", init="scaled", eta=0.1))
    relu = s.networks["run-2"]
    before = [w.copy() for w in relu.weights]
    s.start_run(SETTINGS, paused=True, source="run-2")
    step = s.step_batch()
    assert step["batch"] == 1 and s.networks["run-2"] is relu
    assert [layer.activation.name for layer in relu.layers] == ["relu", "sigmoid"]
    assert not np.allclose(relu.weights[0], before[0])


def test_a_softmax_run_trains_with_the_log_likelihood_and_the_pad_shows_its_outputs(mnist_data):
    s = session_with(mnist_data)
    info, events, end = run_to_end(s, dict(SETTINGS, out="softmax", cost="log-likelihood", init="scaled",
                                           eta=0.1, act="relu"))
    assert (info["output"], info["cost"], info["activation"]) == ("softmax", "log-likelihood", "relu")
    net = s.networks["run-1"]
    assert net.output == "softmax" and net.cost.__name__ == "LogLikelihoodCost"
    assert s.models()["runs"][0]["label"] == "Run 1 (η = 0.1, 5 hidden, ReLU, softmax)"
    x = mnist_data["test"][0][:1].T/255.0
    answer = s.answer(x)
    output = np.array(answer["activations"][-10:], dtype=float)
    assert answer["layerActivations"] == ["relu", "softmax"]
    np.testing.assert_allclose(answer["probabilities"], output, atol=1e-6)   # the softmax itself
    np.testing.assert_allclose(sum(answer["probabilities"]), 1.0, atol=1e-5)
    with pytest.raises(ValueError, match="log-likelihood cost goes with a softmax output layer"):
        s.start_run(dict(SETTINGS, cost="log-likelihood"))
