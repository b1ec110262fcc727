"""The pretrained conv net (issue 19) on the pad: it is the pad's first network, beside the
pretrained MLP, and it reads the held-out drawn digits (the test strokes, each drawn full size
and smaller, off centre) at least as well as the MLP does."""

import re

import pytest
from playwright.sync_api import expect

from drawing import DIGIT_STROKES, draw_strokes, scaled
from test_draw import settled_meters

pytestmark = pytest.mark.browser
PLACES = [(1.0, (0.5, 0.5)), (0.65, (0.56, 0.54))]


def answers(page):
    """Draw every test stroke at every place; return the pad's answers, one per drawing."""
    pad = page.get_by_label("Drawing pad", exact=True)
    prediction = page.get_by_label("Prediction", exact=True)
    got = []
    for digit, strokes in sorted(DIGIT_STROKES.items()):
        for factor, center in PLACES:
            page.get_by_role("button", name="Clear", exact=True).click()
            expect(prediction).to_have_text("–")
            draw_strokes(page, pad, scaled(strokes, factor, center))
            expect(prediction).to_have_text(re.compile(r"^\d$"), timeout=15000)
            settled_meters(page)
            got.append((digit, prediction.inner_text()))
    return got


def test_the_pretrained_conv_net_reads_drawn_digits_at_least_as_well_as_the_mlp(app):
    page = app()
    menu = page.get_by_label("Drawing pad uses")
    expect(menu).to_have_value("pretrained-conv")
    expect(menu.locator("option:checked")).to_have_text("Pretrained conv net")
    conv = answers(page)
    menu.select_option("pretrained")
    expect(menu).to_have_value("pretrained")
    mlp = answers(page)
    right = {name: sum(d == a for d, a in got) for name, got in (("conv", conv), ("mlp", mlp))}
    assert len(conv) == len(mlp) == len(PLACES) * len(DIGIT_STROKES)
    assert right["conv"] >= right["mlp"], (right, conv, mlp)
    assert right["conv"] >= 0.8 * len(conv), (right, conv)
