"""axe-core finds no accessibility violations: at Ready, after a training run with a
drawing, with invalid fields, with the link notice shown, and at phone width."""

import re

import pytest
from playwright.sync_api import expect

from axe import assert_no_axe_violations, axe_violations
from drawing import draw_digit
from test_train import TRAIN_TIMEOUT_MS, set_controls

pytestmark = pytest.mark.browser


def test_ready_then_invalid_fields_then_phone_width(app):
    page = app()                         # one page for three states: the boot is the slow part
    assert_no_axe_violations(page)

    set_controls(page, **{"Epochs": "abc", "Learning rate": "-1", "Hidden layers": "30, x"})
    expect(page.get_by_label("Epochs", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)

    set_controls(page, **{"Epochs": "30", "Learning rate": "3", "Hidden layers": "30"})
    page.set_viewport_size({"width": 390, "height": 844})
    draw_digit(page, "1")
    expect(page.get_by_role("status", name="Prediction")).to_have_text("1", timeout=15000)
    assert_no_axe_violations(page)


def test_after_a_training_run_with_a_drawing(app):
    page = app()
    set_controls(page, **{"Training samples": 100, "Epochs": 1})
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_role("log", name="Training log")).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=30000)
    draw_digit(page, "7")
    expect(page.get_by_role("status", name="Prediction")).to_have_text(re.compile(r"^\d$"), timeout=15000)
    assert_no_axe_violations(page)


def test_link_notice(app):
    page = app("#epochs=abc&foo=bar")
    expect(page.get_by_text("Some settings in the link were ignored")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_helper_reports_a_real_violation(app):
    page = app(wait_ready=False)
    page.evaluate("""() => { const b = document.createElement('button');
                             b.id = 'unnamed-for-test'; document.body.append(b); }""")
    ids = [v["id"] for v in axe_violations(page)]
    assert "button-name" in ids, ids
