"""The chapter 5 picture in the Inside section: on the book's deep sigmoid network
[784, 30, 30, 30, 30, 10] (network2.py's defaults: cross-entropy, scaled init) the chart's
figures show the first hidden layer learning at least 10 times more slowly than the last
after one epoch; with ReLU the gap narrows."""

import re

import pytest
from playwright.sync_api import expect

from test_train import TRAIN_TIMEOUT_MS

pytestmark = pytest.mark.browser
# (which mini-batches a note averages depends on the time slices: the figures, not their order,
# are what the test holds to; a ReLU network's layers learn at about the same speed)
NOTE = re.compile(r"^After (\d+\.\d) epochs, layer 1: ([\d.e-]+), layer 2: ([\d.e-]+), layer 3: ([\d.e-]+), "
                  r"layer 4: ([\d.e-]+)\. The first hidden layer learns (?:(\d+(?:\.\d)?) times more slowly "
                  r"than the last|faster than the last)\.$")


def speeds_after_one_epoch(app, act):
    page = app("#hidden=30,30,30,30&epochs=1&samples=1000&eta=0.1&cost=cross-entropy&init=scaled&act=" + act)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_role("log", name="Training log")).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    note = page.locator("#inside-speed-note")
    expect(note).to_have_text(NOTE, timeout=30000)
    expect(page.locator("#inside-speed").get_by_role("listitem")).to_have_count(4)     # a line per layer
    figures = NOTE.match(note.inner_text()).groups()
    speeds = [float(v) for v in figures[1:5]]
    if figures[5] is not None:
        assert float(figures[5]) == pytest.approx(speeds[3] / speeds[0], rel=0.2)
    else:
        assert speeds[0] >= speeds[3]      # (shown to two digits)
    return speeds


def test_the_first_hidden_layer_learns_far_more_slowly_than_the_last(app):
    sigmoid = speeds_after_one_epoch(app, "sigmoid")
    assert sigmoid[3] >= 10 * sigmoid[0], sigmoid           # the book: about 100 times
    assert sigmoid == sorted(sigmoid), sigmoid              # each layer slower than the next
    relu = speeds_after_one_epoch(app, "relu")
    assert relu[3] / relu[0] < sigmoid[3] / sigmoid[0], (relu, sigmoid)   # ReLU narrows the gap
