"""Reliability and honest status (issue 8): a dead worker, link abuse, a network that cannot
predict, error wording, leaving with unsaved work, pause/stop during the download, and what
the page says while and after it trains."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from drawing import draw_digit
from test_train import TRAIN_TIMEOUT_MS, set_controls

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def status(page):
    return page.get_by_role("status", name="App status")


def test_a_worker_that_dies_silently_is_detected_and_retry_recovers(app):
    page = app()
    train = page.get_by_role("button", name="Train", exact=True)
    set_controls(page, **{"Training samples": 1000, "Epochs": 1})
    assert len(page.workers) == 1
    page.workers[0].evaluate("setTimeout(() => self.close(), 0)")   # no error event, no reply
    train.click()
    expect(status(page)).to_contain_text("stopped responding", timeout=30000)
    retry = page.get_by_role("button", name="Retry")
    expect(retry).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Training failed")
    expect(page.get_by_role("button", name="Stop", exact=True)).to_be_disabled()
    expect(page.get_by_label("Epochs", exact=True)).to_be_enabled()      # nothing stays locked
    retry.click()
    expect(status(page)).to_have_text("Ready", timeout=120000)
    expect(train).to_be_enabled()
    draw_digit(page, "1")
    expect(page.get_by_label("Prediction", exact=True)).to_have_text("1", timeout=15000)


def test_an_upload_when_python_is_gone_does_not_claim_the_network_is_unchanged(app):
    page = app()
    page.workers[0].evaluate("setTimeout(() => self.close(), 0)")
    page.get_by_label("Upload model").set_input_files(str(ROOT / "web" / "models" / "pretrained.json"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("stopped responding", timeout=30000)
    expect(alert).not_to_contain_text("unchanged")
    expect(page.get_by_role("button", name="Retry")).to_be_visible()


def test_link_notices_are_capped_cleaned_from_the_address_and_block_autorun(app):
    junk = "&".join("k{}=1".format(i) for i in range(25000))
    page = app("#epochs=2&" + junk)
    notice = page.locator("#link-notice-list li")
    expect(notice).to_have_count(6)
    expect(notice.last).to_have_text("… and 24995 more.")
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("2")
    page.wait_for_function("() => !location.hash.includes('k1=') && location.hash.includes('epochs=2')")

    page = app("#epochs=0&autorun=1")
    expect(page.locator("#link-notice")).to_contain_text("did not start")
    expect(page.locator("#link-notice")).to_contain_text("epochs=0")
    page.wait_for_timeout(1500)
    expect(page.get_by_text("No run yet")).to_be_visible()
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
    assert "autorun" not in page.evaluate("location.hash")


def test_a_network_that_overflows_says_it_cannot_predict(app, tmp_path):
    model = json.loads((ROOT / "web" / "models" / "pretrained.json").read_text())
    model["weights"][0] = [[1e308] * 784 for _ in model["weights"][0]]
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(model))
    page = app()
    page.get_by_label("Upload model").set_input_files(str(path))
    expect(page.get_by_label("Drawing pad uses")).to_have_value("uploaded", timeout=30000)
    draw_digit(page, "7")
    expect(page.locator("#answered-by")).to_contain_text("cannot read drawings", timeout=15000)
    expect(page.get_by_label("Prediction", exact=True)).to_have_text("–")
    page.get_by_label("Drawing pad uses").select_option("pretrained")
    expect(page.get_by_label("Prediction", exact=True)).to_have_text("7", timeout=15000)
    expect(page.locator("#answered-by")).to_have_text("Answered by: the pretrained MLP")


def test_failures_say_which_file_and_what_to_do(app):
    page = app(wait_ready=False)
    page.context.route("**/models/pretrained.json", lambda route: route.fulfill(body="{", status=200))
    page.reload()
    expect(status(page)).to_contain_text("pretrained model (models/pretrained.json) is damaged",
                                         timeout=120000)
    expect(page.get_by_role("button", name="Retry")).to_be_visible()

    page = app(wait_ready=False)
    page.context.route("**/pyodide.asm.wasm", lambda route: route.abort("connectionrefused"))
    page.reload()
    expect(status(page)).to_contain_text("Could not download or start Python", timeout=120000)
    expect(status(page)).to_contain_text("Check your connection and press Retry")

    page = app()
    page.context.route("**/data/t10k-labels-idx1-ubyte.gz",
                       lambda route: route.fulfill(body=b"\x1f\x8b not really gzip", status=200))
    set_controls(page, **{"Training samples": 1000, "Epochs": 1})
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("MNIST test labels file is damaged",
                                                      timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("alert")).to_contain_text("Reload the page")


def test_leaving_during_a_run_asks_first_and_a_fresh_page_does_not(app):
    page = app()
    page.get_by_role("button", name="Clear", exact=True).click()
    page.close(run_before_unload=True)
    page.wait_for_event("close", timeout=10000) if not page.is_closed() else None
    assert page.is_closed(), "a page with nothing to lose must close without asking"

    page = app()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    set_controls(page, **{"Training samples": 1000, "Epochs": 1})
    page.get_by_role("button", name="Train", exact=True).click()
    page.close(run_before_unload=True)
    page.wait_for_timeout(1000)
    assert dialogs == ["beforeunload"] and not page.is_closed()


def test_pause_during_the_download_says_so_and_stop_keeps_what_arrived(app):
    page = app()
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "t10k-images" in r.url else None)
    stalled = []
    page.context.route("**/data/train-images-idx3-ubyte.gz", lambda route: stalled.append(route))
    set_controls(page, **{"Training samples": 1000, "Epochs": 1})
    train = page.get_by_role("button", name="Train", exact=True)
    train.click()
    for _ in range(150):
        if stalled:
            break
        page.wait_for_timeout(100)
    assert stalled, "the training images were never requested"
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.locator("#run-eta")).to_contain_text("MNIST keeps downloading")
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(train).to_be_enabled(timeout=10000)
    page.context.unroute("**/data/train-images-idx3-ubyte.gz")
    train.click()
    expect(page.get_by_role("log", name="Training log")).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    assert len(requested) == 1, "the test images were downloaded again: {}".format(requested)


def test_while_training_the_page_says_who_answers_locks_settings_and_keeps_focus(app):
    page = app()
    set_controls(page, **{"Training samples": 5000, "Epochs": 2})
    train = page.get_by_role("button", name="Train", exact=True)
    train.click()
    assert page.evaluate("document.activeElement.id") == "pause"
    expect(page.get_by_label("Epochs", exact=True)).to_be_disabled()
    expect(page.locator("#train-hint")).to_contain_text("locked while Run 1 trains")
    draw_digit(page, "1")
    answered = page.locator("#answered-by")
    expect(answered).to_contain_text(re.compile(r"Run 1 after \d\.\d+ epochs, training"), timeout=TRAIN_TIMEOUT_MS)
    first = answered.inner_text()
    page.wait_for_function("(t) => document.getElementById('answered-by').textContent !== t",
                           arg=first, timeout=TRAIN_TIMEOUT_MS)   # re-read as the network learns
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(train).to_be_enabled(timeout=30000)
    assert page.evaluate("document.activeElement.id") == "train"
    expect(page.get_by_label("Epochs", exact=True)).to_be_enabled()
    expect(page.get_by_text("counting from 0")).to_be_visible()


def test_a_run_at_chance_level_says_so_and_suggests_a_smaller_eta(app):
    page = app()
    set_controls(page, **{"Training samples": 1000, "Epochs": 1, "Learning rate": 100})
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("stayed at chance level", timeout=TRAIN_TIMEOUT_MS)
    expect(log).to_contain_text("smaller learning rate η")
    # with a small η the advice is to train more, not to lower η further
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=TRAIN_TIMEOUT_MS)
    set_controls(page, **{"Training samples": 100, "Learning rate": 0.01})
    page.get_by_role("button", name="Train", exact=True).click()
    expect(log).to_contain_text("Run 2 stayed at chance level", timeout=TRAIN_TIMEOUT_MS)
    expect(log).to_contain_text("With η = 0.01 it may just need more training")


def test_boot_shows_its_steps(app):
    page = app(wait_ready=False)
    expect(status(page)).to_contain_text(re.compile(r"Step [1-4] of 4"), timeout=60000)
    expect(status(page)).to_have_text("Ready", timeout=180000)
