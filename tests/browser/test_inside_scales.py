"""The Inside activations view in the browser, fed prediction replies directly (the
worktree's Python does not yet send "layerActivations"): a ReLU layer is shaded from 0 to
its largest activation and says so, a tanh layer runs blue–white–red from −1 to +1, and a
reply without the key (an all-sigmoid network) looks as it always did."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOW = """async ([layers, activations, layerActivations, layerRanges]) => {
    const { ActivationsView } = await import("./js/inside/activations-view.js");
    let box = document.getElementById("scale-test");
    if (box) box.remove();
    box = document.createElement("section");
    box.id = "scale-test";
    box.setAttribute("aria-label", "Scale test");
    const make = (tag) => { const el = document.createElement(tag); box.append(el); return el; };
    const parts = { input: make("canvas"), layers: make("div"), note: make("p"), legend: make("div"),
                    showing: make("p") };
    document.querySelector("main").prepend(box);
    const reply = { layers, activations: new Float32Array(activations), input: new Float32Array(784) };
    if (layerActivations) reply.layerActivations = layerActivations;
    if (layerRanges) reply.layerRanges = layerRanges;
    new ActivationsView(parts).show(reply);
}"""

WHITE, DARK_BLUE = "rgb(255, 255, 255)", "rgb(8, 48, 107)"
BLUE, RED = "rgb(33, 102, 172)", "rgb(178, 24, 43)"


def cell(page, name):
    return page.get_by_role("img", name=name, exact=True)


def background(page, name):
    return cell(page, name).evaluate("(c) => getComputedStyle(c).backgroundColor")


def test_relu_layer_is_shaded_up_to_its_largest_activation(app):
    page = app(wait_ready=False)         # the view's modules need no Python
    page.evaluate(SHOW, [[3, 2], [0, 1.6, 3.2, 0.25, 0.75], ["relu", "sigmoid"], None])
    test = page.get_by_role("region", name="Scale test")
    hidden = test.get_by_role("group", name="Hidden layer 1: 3 units")
    expect(hidden).to_contain_text(re.compile(r"ReLU .*largest for this input, 3\.20"))
    expect(cell(page, "Hidden layer 1, unit 2: 3.20")).to_be_visible()
    assert background(page, "Hidden layer 1, unit 0: 0.00") == WHITE
    assert background(page, "Hidden layer 1, unit 2: 3.20") == DARK_BLUE
    middle = [int(c) for c in re.findall(r"\d+", background(page, "Hidden layer 1, unit 1: 1.60"))]
    assert all(d < m < w for d, m, w in zip((8, 48, 107), middle, (255, 255, 255))), middle
    # The sigmoid output layer keeps 0 … 1 and no note; the shared legend says which layers it means.
    output = test.get_by_role("group", name="Output layer: 2 units")
    expect(output.locator(".layer-scale")).to_be_hidden()
    expect(test).to_contain_text("Layers from 0 to 1 (sigmoid): white is activation 0, dark blue activation 1")


def test_tanh_layer_runs_from_minus_one_to_plus_one(app):
    page = app(wait_ready=False)
    page.evaluate(SHOW, [[3, 1], [-1, 0, 1, 0.5], ["tanh", "sigmoid"], [[-1, 1], [0, 1]]])
    hidden = page.get_by_role("group", name="Hidden layer 1: 3 units")
    expect(hidden).to_contain_text("tanh: blue is activation −1, white 0, red +1.")
    assert [background(page, "Hidden layer 1, unit {}: {}".format(i, v))
            for i, v in enumerate(["-1.00", "0.00", "1.00"])] == [BLUE, WHITE, RED]


def test_reply_without_layer_activations_is_all_sigmoid_as_before(app):
    page = app(wait_ready=False)
    page.evaluate(SHOW, [[2, 1], [0.0, 1.0, 0.5], None, None])
    test = page.get_by_role("region", name="Scale test")
    expect(test.locator(".layer-scale")).to_have_count(2)
    for note in test.locator(".layer-scale").all():
        expect(note).to_be_hidden()
    expect(test).to_contain_text("White: activation 0, dark blue: activation 1.")
    assert background(page, "Hidden layer 1, unit 0: 0.00") == WHITE
    assert background(page, "Hidden layer 1, unit 1: 1.00") == DARK_BLUE


def test_an_unbounded_range_from_the_reply_needs_no_known_name(app):
    """"layerRanges" (the lead's Python sends them) fit a new activation's scale by its range alone."""
    page = app(wait_ready=False)
    page.evaluate(SHOW, [[2, 1], [0.5, 2.0, 0.5], ["softplus", "sigmoid"], [[0, None], [0, 1]]])
    hidden = page.get_by_role("group", name="Hidden layer 1: 2 units")
    expect(hidden).to_contain_text("softplus has no upper limit: white is activation 0, dark blue this layer's largest for this input, 2.00.")
    assert background(page, "Hidden layer 1, unit 1: 2.00") == DARK_BLUE
