"""Step trains exactly one mini-batch (the title's batch counter, one cost point and one
log line per press), Resume goes on from there, and Continue training trains the pad's
network further: its epochs and the accuracy line go on from where they stopped."""

import re

import pytest
from playwright.sync_api import expect

from drawing import draw_digit
from test_train import TRAIN_TIMEOUT_MS, epoch_lines, set_controls

pytestmark = pytest.mark.browser


def chart(page, name):
    canvas = page.get_by_role("img", name=name, exact=True)
    return {key: canvas.get_attribute("data-" + key) for key in ("series", "points", "last-x")}


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def test_step_then_resume_then_continue_training(app):
    page = app()
    page.get_by_label("Drawing pad uses").select_option("pretrained")    # the MLP
    set_controls(page, **{"Training samples": 1000, "Epochs": 1})
    expect(button(page, "Continue training")).to_be_enabled()
    expect(page.locator("#train-hint")).to_contain_text(
        "Step starts a new network, like Train, and trains it one mini-batch at a time. "
        "Continue training trains the pretrained MLP for 1 more epoch")
    log = page.get_by_role("log", name="Training log")
    title = page.locator("#run-title")

    button(page, "Step").click()          # no run yet: starts run 1 paused, trains one batch
    expect(log).to_contain_text(re.compile(r"Step: mini-batch 1 of 100 in epoch 0, cost \d\.\d{4}"),
                                timeout=TRAIN_TIMEOUT_MS)
    expect(title).to_have_text("Run 1: epoch 1 of 1, mini-batch 1 of 100")
    expect(log).to_contain_text("λ=0, N(0, 1) init, seed 1")   # the form's name for the init
    expect(button(page, "Resume")).to_be_enabled()
    expect(button(page, "Step")).to_be_enabled()
    page.wait_for_timeout(300)            # a paused run trains nothing by itself
    assert chart(page, "Training loss chart")["points"] == "1"
    assert log.inner_text().count("Step: mini-batch") == 1

    expect(button(page, "Step")).to_be_focused()          # the keyboard can step again
    page.keyboard.press("Enter")
    expect(title).to_have_text("Run 1: epoch 1 of 1, mini-batch 2 of 100")
    expect(log).to_contain_text("Step: mini-batch 2 of 100 in epoch 0")
    assert chart(page, "Training loss chart")["points"] == "2"
    assert chart(page, "Training loss chart")["last-x"] == "0.02"
    expect(page.get_by_label("Drawing pad uses")).to_have_value("run-1")
    draw_digit(page, "7")
    expect(page.locator("#answered-by")).to_have_text("Answered by: Run 1 after 0.02 epochs, paused")

    button(page, "Resume").click()
    expect(button(page, "Train")).to_be_enabled(timeout=TRAIN_TIMEOUT_MS)
    assert [e for e, _ in epoch_lines(page)] == ["0"]
    assert chart(page, "Test accuracy chart") == {"series": "1", "points": "1", "last-x": "1"}
    expect(page.locator("#train-hint")).to_contain_text("trains Run 1 (η = 3, 30 hidden)")

    set_controls(page, **{"Epochs": 2, "Learning rate": 1})
    button(page, "Continue training").click()
    expect(log).to_contain_text("Run 1 goes on for 2 more epochs (its own layers and cost; mini-batch 10, η=1,")
    expect(button(page, "Train")).to_be_enabled(timeout=TRAIN_TIMEOUT_MS)
    expect(title).to_have_text("Run 1: done")
    assert [e for e, _ in epoch_lines(page)] == ["0", "1", "2"]
    # the same line, going on from epoch 1 to 3
    assert chart(page, "Test accuracy chart") == {"series": "1", "points": "3", "last-x": "3"}
    expect(page.get_by_label("Drawing pad uses")).to_have_value("run-1")
    assert page.locator("#model-select option[data-run]").count() == 1
    # the log kept following its newest line through the runs (its box changes height)
    scroll = log.evaluate("el => [el.scrollHeight, el.clientHeight, el.scrollTop]")
    assert scroll[0] > scroll[1], scroll                  # more lines than the box shows
    assert scroll[0] - scroll[1] - scroll[2] < 2, scroll

    # Step with the pad on a run's network goes on with it (not a new network)
    expect(page.locator("#train-hint")).to_contain_text("Step goes on with Run 1 (η = 3, 30 hidden), one")
    button(page, "Step").click()
    expect(log).to_contain_text("Step: mini-batch 1 of 100 in epoch 3")
    assert log.inner_text().count("Run 1 goes on for 2 more epochs") == 2
    expect(title).to_have_text("Run 1: epoch 4 of 5, mini-batch 1 of 100")
    button(page, "Stop").click()
    expect(button(page, "Train")).to_be_enabled(timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_label("Drawing pad uses")).to_have_value("run-1")

    # Continue training the pretrained network: a copy, run 2, with the network's own layers
    page.get_by_label("Drawing pad uses").select_option("pretrained")
    expect(page.locator("#train-hint")).to_contain_text("trains the pretrained MLP for 2 more epochs")
    set_controls(page, **{"Epochs": 1, "Learning rate": 0.1})
    button(page, "Continue training").click()
    button(page, "Pause").click()
    expect(log).to_contain_text("Run 2: trains a copy of the pretrained MLP for 1 epoch (")
    expect(log).to_contain_text("The pretrained MLP was trained with η=0.1, λ=5; with η=0.1, λ=0 it may")
    expect(log).to_contain_text("The pretrained MLP's model file says it was trained for 60 epochs")
    summary = page.locator("#settings-summary")
    expect(summary).to_contain_text("[784, 100, 10] · 1 epoch · m = 10 · η = 0.1 · cross-entropy cost")
    button(page, "Stop").click()
    expect(button(page, "Train")).to_be_enabled(timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_label("Drawing pad uses")).to_have_value("run-2")
    assert page.locator("#model-select option[data-run]").count() == 2
