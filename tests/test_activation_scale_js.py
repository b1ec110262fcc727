"""The Inside views' choice of colour scale per layer, under Node
(web/js/inside/activation-scale.js): sigmoid 0 … 1 as before, tanh on the diverging
scale −1 … +1, ReLU from 0 to the layer's largest activation for this input; a reply
without "layerActivations" is an all-sigmoid network."""

from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[1] / "web" / "js"
WHITE, DARK_BLUE, BLUE, RED = [255, 255, 255], [8, 48, 107], [33, 102, 172], [178, 24, 43]


@pytest.fixture(scope="module")
def result(node_check):
    files = {name: JS / name for name in [
        "inside/activation-scale.js", "inside/activations-view.js", "widgets/activation-grid.js",
        "widgets/colour-scale.js", "widgets/input-preview.js", "inside/feature-maps.js",
        "widgets/image-tiles.js"]}
    return node_check("check_activation_scale.mjs", files)


def test_each_layer_gets_its_activation_and_sigmoid_when_unsaid(result):
    a = result["activations"]
    assert a["missing"] == ["sigmoid", "sigmoid"]
    assert a["given"] == ["relu", "sigmoid"]
    assert a["tanh"] == ["tanh", "tanh", "sigmoid"]
    assert a["short"] == ["relu", "sigmoid"]
    assert a["unknown"] == ["softplus", "sigmoid"]   # a name it does not know is kept (its range decides)
    assert a["notList"] == ["sigmoid", "sigmoid"] and a["none"] == ["sigmoid"]


def test_sigmoid_keeps_the_zero_to_one_scale_and_its_legend(result):
    s = result["scales"]["sigmoid"]
    assert (s["kind"], s["low"], s["high"]) == ("sequential", 0, 1)
    assert s["legend"] == "White: activation 0, dark blue: activation 1."
    assert result["colours"]["sigmoid"][0] == WHITE and result["colours"]["sigmoid"][2] == DARK_BLUE


def test_tanh_is_diverging_from_minus_one_to_plus_one(result):
    s = result["scales"]["tanh"]
    assert (s["kind"], s["low"], s["high"], s["range"]) == ("diverging", -1, 1, "−1 to +1")
    assert "−1" in s["legend"] and "+1" in s["legend"]
    assert result["colours"]["tanh"] == [BLUE, WHITE, RED]


def test_relu_runs_from_zero_to_the_layers_largest_activation(result):
    s = result["scales"]["relu"]
    assert s["kind"] == "sequential" and s["low"] == 0
    assert s["high"] == pytest.approx(3.2, abs=1e-6)
    assert s["range"] == "0 to 3.20" and "3.20" in s["legend"] and "ReLU" in s["legend"]
    white, middle, darkest = result["colours"]["relu"]
    assert white == WHITE and darkest == DARK_BLUE
    assert all(d < m < w for d, m, w in zip(DARK_BLUE, middle, WHITE))


def test_relu_of_all_zeros_or_non_finite_values_stays_a_scale(result):
    zero = result["scales"]["reluZero"]
    assert zero["high"] == 1 and zero["range"] == "all 0"
    assert zero["legend"] == "ReLU: every unit of this layer is 0 (white) for this input."
    assert result["colours"]["reluZero"] == [WHITE]
    assert result["scales"]["reluNaN"]["high"] == 2


def test_ranges_come_from_the_reply_or_the_name(result):
    r = result["ranges"]
    assert r["byName"] == [[0, None], [-1, 1], [0, 1]]
    assert r["none"] == [[0, 1], [0, 1]]
    assert r["given"] == [[0, None], [0, 1]]
    assert r["bad"] == [[0, None], [-1, 1]]                 # unusable ranges fall back to the name's


def test_a_range_alone_chooses_the_scale(result):
    s = result["scales"]
    assert s["unboundedByRange"]["kind"] == "sequential" and s["unboundedByRange"]["high"] == 4
    assert s["unboundedByRange"]["legend"].startswith("softplus has no upper limit")
    assert (s["boundedByRange"]["kind"], s["boundedByRange"]["high"], s["boundedByRange"]["range"]) == ("sequential", 2, "0 to 2")
    assert (s["symmetricByRange"]["kind"], s["symmetricByRange"]["high"]) == ("diverging", 2)
    assert s["sigmoid"]["plain"] is True and not any(s[k]["plain"] for k in ("tanh", "relu", "boundedByRange"))
