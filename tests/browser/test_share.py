"""Share links: settings live in the URL hash; a link restores them and reruns the same run."""

import re

import pytest
from playwright.sync_api import expect

from test_train import EPOCH_LINE, TRAIN_TIMEOUT_MS

pytestmark = pytest.mark.browser

LINK = "#hidden=40,20&epochs=2&batch=20&eta=0.5&samples=2000&cost=cross-entropy&lmbda=1.5&init=scaled&seed=5"
EXPECTED = {"Hidden layers": re.compile(r"^40,\s*20$"), "Epochs": "2", "Mini-batch size": "20",
            "Learning rate": "0.5", "Training samples": "2000", "Regularization": "1.5", "Seed": "5"}


def test_link_restores_every_control(app):
    page = app(LINK)
    for label, value in EXPECTED.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.get_by_label("Cost", exact=True)).to_have_value("cross-entropy")
    expect(page.get_by_label("Weight init", exact=True)).to_have_value("scaled")


def test_controls_write_the_hash_and_copy_link(app):
    page = app()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_label("Epochs", exact=True).fill("7")
    page.get_by_label("Seed", exact=True).fill("42")
    page.wait_for_function("() => location.hash.includes('epochs=7') && location.hash.includes('seed=42')")
    page.get_by_role("button", name="Copy link").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url
    assert "epochs=7" in copied and "seed=42" in copied


def test_malformed_hash_is_ignored_with_a_notice(app):
    page = app("#epochs=abc&hidden=-3&eta=&batch=1e9&foo=bar&cost=<img src=x onerror=alert(1)>")
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("30")
    expect(page.get_by_label("Mini-batch size", exact=True)).to_have_value("10")
    expect(page.get_by_label("Cost", exact=True)).to_have_value("quadratic")
    expect(page.get_by_text(re.compile("ignored", re.I)).first).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()


def run_link(app, link):
    page = app(link)
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 1:", timeout=TRAIN_TIMEOUT_MS)
    return EPOCH_LINE.findall(log.inner_text())


def test_same_seeded_link_gives_the_same_run(app):
    link = "#hidden=20&epochs=2&batch=10&eta=3&samples=1500&seed=11&autorun=1"
    first = run_link(app, link)
    second = run_link(app, link)
    assert len(first) == 2 and first == second, (first, second)
    assert run_link(app, link.replace("seed=11", "seed=12")) != first
