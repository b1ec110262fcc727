"""More settings (chapter 3's tools beyond the book's first experiment): closed by default,
opened by a link that sets one of them; momentum and L1 train in the page and are named in
the summary line and the log."""

import json
import re

import pytest
from playwright.sync_api import expect

from test_train import EPOCH_LINE, TRAIN_TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_more_settings_is_closed_until_a_link_sets_one_and_momentum_with_l1_trains(app, tmp_path):
    page = app(wait_ready=False)
    more = page.locator("details#more-settings")
    expect(more).not_to_have_attribute("open", "")
    expect(page.get_by_label("Momentum", exact=True)).to_be_hidden()
    expect(page.get_by_label("Momentum", exact=True)).to_have_value("0")

    page = app("#hidden=30&epochs=1&samples=2000&eta=0.1&lmbda=1&reg=l1&mu=0.9&cost=cross-entropy&init=scaled")
    more = page.locator("details#more-settings")
    expect(more).to_have_attribute("open", "")
    expect(page.get_by_label("Momentum", exact=True)).to_have_value("0.9")
    expect(page.get_by_label("Regularization type", exact=True)).to_have_value("l1")
    expect(page.locator("#settings-summary-text")).to_contain_text(" · cross-entropy cost · L1 · λ = 1 · μ = 0.9 · n = 2,000 · ")
    # a bad value is refused with a sentence, in view
    page.get_by_label("Momentum", exact=True).fill("1")
    expect(page.locator("#error-mu")).to_have_text("Momentum must be at least 0 and below 1.", timeout=5000)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_disabled()
    page.get_by_label("Momentum", exact=True).fill("0.9")
    expect(page.locator("#error-mu")).to_be_hidden()

    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60000)
    [(epoch, correct)] = EPOCH_LINE.findall(log.inner_text())
    assert int(correct) > 7000, correct      # CPython, seed 1: 8308 (6786 without momentum)
    first = log.inner_text().splitlines()[0]
    assert "L1 regularization" in first and "μ=0.9" in first, first
    with page.expect_download() as info:
        page.get_by_role("button", name="Download model").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(str(path))
    training = json.loads(path.read_text())["training"]
    assert (training["mu"], training["reg"], training["lmbda"]) == (0.9, "l1", 1)
    expect(page.get_by_label("Drawing pad uses").locator("option:checked")).to_have_text(
        "Run 1 (η = 0.1, 30 hidden, L1, μ = 0.9)")


def test_expanded_data_makes_each_epoch_five_times_as_long(app):
    page = app("#samples=200&epochs=1&expand=on")
    expect(page.locator("details#more-settings")).to_have_attribute("open", "")
    expect(page.get_by_label("Expand data", exact=True)).to_have_value("on")
    expect(page.locator("#settings-summary-text")).to_contain_text(" · n = 200 · expanded data ×5 · ")
    page.get_by_role("button", name="Step", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    # 200 images and their 4 displacements: 1,000 samples, 100 mini-batches of 10
    expect(log).to_contain_text("Step: mini-batch 1 of 100 in epoch 0", timeout=TRAIN_TIMEOUT_MS)
    assert "expanded data ×5" in log.inner_text().splitlines()[0]


def test_dropout_from_a_link_is_named_and_trains(app):
    page = app("#hidden=100&samples=1000&epochs=1&eta=0.5&cost=cross-entropy&init=scaled&dropout=0.5")
    expect(page.locator("details#more-settings")).to_have_attribute("open", "")
    expect(page.get_by_label("Dropout", exact=True)).to_have_value("0.5")
    expect(page.locator("#settings-summary-text")).to_contain_text(" · λ = 0 · dropout 0.5 · n = 1,000 · ")
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    [(epoch, correct)] = EPOCH_LINE.findall(log.inner_text())
    assert int(correct) > 6000, correct      # CPython, seed 1: 7083 (7148 without dropout)
    assert "dropout 0.5" in log.inner_text().splitlines()[0]
    expect(page.get_by_label("Drawing pad uses").locator("option:checked")).to_contain_text("dropout 0.5")


def test_a_schedule_says_what_it_did_and_keeps_the_best_epoch(app):
    page = app("#hidden=30&samples=1000&epochs=4&eta=3&schedule=stop&patience=1")
    expect(page.get_by_label("Schedule", exact=True)).to_have_value("stop")
    expect(page.get_by_label("Patience", exact=True)).to_have_value("1")
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text(re.compile(r"The network kept is the one from epoch \d, the best on the 10,000 "
                                           r"validation images \(\d+\.\d\d%\)\."), timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60000)
    assert "schedule: stop on a plateau, patience 1" in log.inner_text().splitlines()[0]
