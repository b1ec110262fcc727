"""Inside a conv network, as a person sees it: after a tiny conv run, the weights part of the
section shows each filter of the conv layer as a 5×5 image whose colours are the downloaded
model file's weights on the diverging scale, and the Feedforward part shows the conv layer's
4 feature maps (12×12) for the drawing, which change when the drawing changes and, for a
test image, hold the largest values a forward pass written here finds in the file; the
pretrained conv net's second conv layer shows each filter as a row of 5×5 images, one per
feature map it reads."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from playwright.sync_api import expect

from axe import assert_no_axe_violations
from drawing import draw_digit
from test_activations import mnist_test_set
from test_conv_page import conv_pool
from test_train import TRAIN_TIMEOUT_MS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
HIDDEN = "conv 4 5x5 pool 2, 20"
FILTER = re.compile(r"^Conv layer 1, filter \d+ \(5×5\)$")
MAP = re.compile(r"^Conv layer 1, feature map \d+ \(12×12\): ")
NEGATIVE, POSITIVE = (33, 102, 172), (178, 24, 43)     # web/js/widgets/colour-scale.js


def diverging(values, scale):
    """Return the (n, 3) colours of ``values`` on the weights' scale −scale … +scale."""
    t = np.clip(values / scale, -1, 1)[:, None]
    ends = np.where(t < 0, NEGATIVE, POSITIVE)
    return np.floor(255 + (ends - 255) * np.abs(t) + 0.5)


def images(page, pattern):
    """Return [(name, width, height, [r, g, b per pixel])] of the canvases named like ``pattern``."""
    return page.get_by_role("img", name=pattern).evaluate_all("""cs => cs.map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const rgb = [];
        for (let i = 0; i < d.length; i += 4) rgb.push([d[i], d[i + 1], d[i + 2]]);
        return [c.getAttribute('aria-label'), c.width, c.height, rgb];
    })""")


def largest(page):
    """Return each feature map's largest value as its name says, map by map."""
    return [float(name.rsplit("largest ", 1)[1]) for name, *_ in images(page, MAP)]


def drawn_maps(page, digit):
    page.get_by_role("button", name="Clear", exact=True).click()
    page.get_by_label("Drawing pad", exact=True).scroll_into_view_if_needed()
    draw_digit(page, digit)
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(re.compile(r"^\d$"), timeout=15000)
    page.wait_for_timeout(500)                   # the last stroke's answer is in
    page.get_by_role("heading", name="Inside the network").scroll_into_view_if_needed()
    return images(page, MAP)


def test_a_conv_networks_filters_and_feature_maps(app, tmp_path):
    page = app("#hidden={}&epochs=1&samples=200&batch=10&eta=0.1&cost=log-likelihood&out=softmax"
               "&act=relu&init=scaled".format(quote(HIDDEN)))
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download model").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(str(path))
    model = json.loads(path.read_text())
    assert model["layers"][0]["type"] == "conv"
    w = np.array(model["weights"][0], dtype=np.float32).astype(float)      # (4, 25)
    b = np.array(model["biases"][0], dtype=float)
    assert w.shape == (4, 25)

    # The filters: 4 images of 5×5, painted from the file's weights, in place of 28×28 images.
    inside = page.get_by_role("region", name="Inside the network")
    inside.scroll_into_view_if_needed()
    expect(page.get_by_role("heading", name="Filters of the conv layers")).to_be_visible(timeout=30000)
    expect(page.get_by_role("img", name=FILTER)).to_have_count(4, timeout=30000)
    expect(page.get_by_role("img", name=re.compile(r"^Weights into hidden unit"))).to_have_count(0)
    expect(page.get_by_role("group", name="Conv layer 1: 4 filters, 5×5")).to_contain_text(
        "4 filters, 5×5, of conv layer 1")
    expect(page.locator("#inside-filters-note")).to_have_text("The filters of Run 1's 1 conv layer.")
    scale = float(np.percentile(np.abs(w.astype(np.float32)), 99))
    filters = images(page, FILTER)
    assert [name for name, *_ in filters] == ["Conv layer 1, filter {} (5×5)".format(f) for f in range(4)]
    for f, (name, width, height, rgb) in enumerate(filters):
        assert (width, height) == (5, 5), name
        drawn = np.array(rgb, dtype=float)
        assert np.abs(drawn - diverging(w[f], scale)).max() <= 1, (name, drawn, w[f])
    assert len({tuple(map(tuple, rgb)) for *_, rgb in filters}) == 4   # four different filters

    # The feature maps of a drawing: 4 images of 12×12 that change with the drawing.
    one = drawn_maps(page, "1")
    expect(page.get_by_role("group", name="Conv layer 1: 4 feature maps of 12×12")).to_be_visible()
    assert len(one) == 4 and all((width, height) == (12, 12) for _, width, height, _ in one), one
    seven = drawn_maps(page, "7")
    assert len(seven) == 4
    assert all("largest" in name for name, *_ in one + seven), (one, seven)     # not blank maps
    assert [rgb for *_, rgb in one] != [rgb for *_, rgb in seven], "the maps did not change"
    assert [n for n, *_ in one] != [n for n, *_ in seven]
    expect(page.get_by_role("img", name=re.compile(r"^Hidden layer 2, unit \d+: "))).to_have_count(20)

    # A test image: each map's largest value is the one the file's own forward pass gives.
    page.get_by_role("button", name="Random test image", exact=True).click()
    showing = page.locator("#inside-showing")
    expect(showing).to_contain_text("Showing test image", timeout=15000)
    index = int(re.search(r"test image (\d+)", showing.inner_text()).group(1))
    test_images, _ = mnist_test_set()
    maps = conv_pool(test_images[index].reshape(1, 1, 28, 28), w, b, 5, 2, "relu")[0]
    expect(page.get_by_role("img", name=MAP).first).not_to_have_attribute(
        "aria-label", one[0][0], timeout=15000)
    page.wait_for_timeout(500)
    np.testing.assert_allclose(largest(page), maps.reshape(4, -1).max(axis=1), atol=0.006)
    assert_no_axe_violations(page, "#inside")


def test_the_pretrained_conv_nets_two_conv_layers(app):
    """The page starts with the book's chapter 6 net: conv layer 1's 20 filters are 5×5
    images; conv layer 2's 40 filters each read the 20 maps before them, a row of 20 5×5
    images per filter, channel c being weights[1][f] read as (20, 5, 5) images [c]; a
    drawing gives 20 maps of 12×12 and 40 of 4×4."""
    model = json.loads((ROOT / "web" / "models" / "pretrained-conv.json").read_text())
    assert [layer["filters"] for layer in model["layers"][:2]] == [20, 40]
    page = app()
    expect(page.get_by_label("Drawing pad uses")).to_have_value("pretrained-conv")
    page.get_by_role("heading", name="Inside the network").scroll_into_view_if_needed()
    expect(page.get_by_role("img", name=FILTER)).to_have_count(20, timeout=30000)
    second = re.compile(r"^Conv layer 2, filter \d+, channel \d+ \(5×5\)$")
    expect(page.get_by_role("img", name=second)).to_have_count(40 * 20)
    expect(page.get_by_role("group", name="Conv layer 2: 40 filters, 5×5")).to_contain_text(
        "40 filters, 5×5, of conv layer 2, each reading the 20 feature maps before it")
    expect(page.locator("#inside-filters-note")).to_have_text(
        "The filters of the pretrained-conv network's 2 conv layers.")
    w = np.array(model["weights"][1], dtype=np.float32).astype(float)    # (40, 500)
    scale = float(np.percentile(np.abs(w.astype(np.float32)), 99))
    for f, c in ((0, 0), (3, 7), (39, 19)):
        [(name, width, height, rgb)] = images(page, re.compile(
            r"^Conv layer 2, filter {}, channel {} \(".format(f, c)))
        assert (width, height) == (5, 5)
        expected = diverging(w[f].reshape(20, 25)[c], scale)
        assert np.abs(np.array(rgb, dtype=float) - expected).max() <= 1, (name, rgb)

    drawn_maps(page, "4")
    maps = images(page, re.compile(r"^Conv layer \d, feature map "))
    sizes = [(name.split(",")[0], width, height) for name, width, height, _ in maps]
    assert sizes == [("Conv layer 1", 12, 12)] * 20 + [("Conv layer 2", 4, 4)] * 40, sizes
    assert_no_axe_violations(page, "#inside")
