"""Conv networks in the page (issue 19): a run of a small chapter 6 network from a link
trains, its log and charts fill, and its downloaded model file, read by a forward pass
written here (a convolution by sliding windows, max-pooling, dense layers) that follows the
file's "layers", counts exactly the log's correct answers; the file uploads back and the
pad reads drawings with it; Step and Continue training work on it."""

import json
import re
from urllib.parse import quote

import numpy as np
import pytest
from playwright.sync_api import expect

from test_activations import FORWARD, log_epochs, mnist_test_set
from test_share_network import drawn, link_with_the_network
from test_train import TRAIN_TIMEOUT_MS

pytestmark = pytest.mark.browser
HIDDEN = "conv 4 5x5 pool 2, 20"


def conv_pool(maps, w, b, size, pool, activation):
    """Return the pooled outputs (n, F, PH, PW) of a conv layer for ``maps`` (n, C, H, W):
    every filter slid over every position, then the largest value of each pool x pool block."""
    n, C, H, W = maps.shape
    F = w.shape[0]
    filters = w.reshape(F, C, size, size)
    OH, OW = H - size + 1, W - size + 1
    z = np.zeros((n, F, OH, OW))
    for i in range(size):
        for j in range(size):
            # each filter tap (i, j) adds its weight times the shifted input
            z += np.einsum("fc,nchw->nfhw", filters[:, :, i, j], maps[:, :, i:i + OH, j:j + OW])
    a = FORWARD[activation](z + b.reshape(1, F, 1, 1))
    PH, PW = OH // pool, OW // pool
    return a[:, :, :PH * pool, :PW * pool].reshape(n, F, PH, pool, PW, pool).max(axis=(3, 5))


def correct_by_the_conv_file(model, images, labels):
    """Return ``(correct, near_ties)``: how many of ``images`` (n, 784) the model file's
    network classifies correctly, and for how many its two largest outputs are within 1e-4
    (the page trains conv networks in float32: only such an answer could differ)."""
    a = images.reshape(-1, 1, 28, 28)
    for layer, w, b in zip(model["layers"], model["weights"], model["biases"]):
        w, b = np.array(w), np.array(b)
        if layer["type"] == "conv":
            a = conv_pool(a, w, b, layer["size"], layer["pool"], layer["activation"])
        else:
            a = FORWARD[layer["activation"]](w @ a.reshape(a.shape[0], -1).T + b).T
    top = np.sort(a, axis=1)
    return (int(np.count_nonzero(np.argmax(a, axis=1) == labels)),
            int(np.count_nonzero(top[:, -1] - top[:, -2] < 1e-4)))


def test_a_conv_run_learns_and_its_file_counts_what_the_log_says(app, tmp_path):
    page = app("#hidden={}&epochs=1&samples=2000&batch=10&eta=0.1&cost=log-likelihood&out=softmax"
               "&act=relu&init=scaled".format(quote(HIDDEN)))
    expect(page.get_by_label("Hidden layers")).to_have_value(HIDDEN)
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60000)
    [(epoch, correct)] = log_epochs(page)
    assert correct > 7000, "the conv network did not learn: {} / 10000".format(correct)
    assert "conv 4 5x5 pool 2" in log.inner_text().splitlines()[0]
    with page.expect_download() as info:
        page.get_by_role("button", name="Download model").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(str(path))
    model = json.loads(path.read_text())
    assert model["sizes"] == [784, 4 * 12 * 12, 20, 10]
    assert model["layers"][0] == {"type": "conv", "filters": 4, "size": 5, "pool": 2, "activation": "relu"}
    images, labels = mnist_test_set()
    by_file, near_ties = correct_by_the_conv_file(model, images, labels)
    assert abs(by_file - correct) <= near_ties, (by_file, correct, near_ties)
    assert near_ties < 20
    page.get_by_label("Upload model").set_input_files(str(path))
    expect(page.get_by_label("Drawing pad uses")).to_have_value("uploaded")
    assert drawn(page, "7") is not None



def test_a_small_conv_net_travels_in_a_link_and_continues_and_steps(app):
    """The chapter 6 shape at its smallest that still fits a link (two conv-pool layers of 4
    and 8 filters): the link carries settings and network, a new page reads the same digit;
    Continue training goes on with it and Step trains one mini-batch of it."""
    hidden = "conv 4 5x5 pool 2, conv 8 5x5 pool 2, 30"
    page = app("#hidden={}&epochs=1&samples=500&batch=10&eta=0.1&cost=log-likelihood&out=softmax"
               "&act=relu&init=scaled".format(quote(hidden)))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    train = page.get_by_role("button", name="Train", exact=True)
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(train).to_be_enabled(timeout=60000)
    digit, bars = drawn(page)
    link, other = link_with_the_network(page, app)
    assert "conv" in link
    expect(other.get_by_label("Hidden layers")).to_have_value(hidden)
    other_digit, other_bars = drawn(other)
    assert other_digit == digit
    assert max(abs(a - b) for a, b in zip(bars, other_bars)) < 0.05   # int8 weights in the link

    page.get_by_label("Hidden layers").fill("30")             # the network keeps its own layers
    page.get_by_role("button", name="Continue training").click()
    expect(log).to_contain_text("Epoch 1:", timeout=TRAIN_TIMEOUT_MS)
    expect(train).to_be_enabled(timeout=60000)
    assert [e for e, _ in log_epochs(page)] == [0, 1]
    assert "conv 4 5x5 pool 2" in log.inner_text()
    page.get_by_role("button", name="Step", exact=True).click()
    expect(log).to_contain_text(re.compile(r"Step: mini-batch 1 of 50 in epoch 2, cost \d+\.\d{4}"),
                                timeout=TRAIN_TIMEOUT_MS)
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(train).to_be_enabled(timeout=60000)
