"""A trained network in the link (opened in a new browser context it predicts as the
original did), a damaged network part (a notice; the pretrained network works), and kept
runs (both selectable, switching changes the bars, Download names the run)."""

import base64
import re
import sys
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from drawing import draw_digit
from test_draw import settled_meters
from test_train import TRAIN_TIMEOUT_MS, set_controls

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from pycore import network_link  # noqa: E402
from pycore.network import Network  # noqa: E402

pytestmark = pytest.mark.browser


def train(page, **controls):
    set_controls(page, **controls)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=TRAIN_TIMEOUT_MS)


def drawn(page, digit="7"):
    """Draw ``digit``; return the pad's answer and its ten bars once they settle."""
    page.get_by_role("button", name="Clear", exact=True).click()
    draw_digit(page, digit)
    prediction = page.get_by_label("Prediction", exact=True)
    expect(prediction).to_have_text(re.compile(r"^\d$"), timeout=15000)
    values = settled_meters(page)
    return prediction.inner_text(), values


def link_with_the_network(page, app):
    """Copy the page's link with the pad's network in it; return the link and a new page it
    opened, whose pad uses that network ("shared")."""
    page.get_by_label("Include the network on the pad").check()
    page.get_by_role("button", name="Copy link", exact=True).click()
    expect(page.get_by_text(re.compile(r"^The link is \d+\.\d KB"))).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert "net=" in link
    other = app("#" + link.split("#", 1)[1])
    expect(other.get_by_label("Drawing pad uses")).to_have_value("shared")
    return link, other


def test_network_in_a_link_predicts_the_same_in_a_new_context(app):
    page = app()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    train(page, **{"Training samples": 1500, "Epochs": 1})
    pad = page.get_by_label("Drawing pad uses")
    expect(pad).to_have_value("run-1")
    digit, bars = drawn(page)
    page.get_by_label("Include the network on the pad").check()
    page.get_by_role("button", name="Copy link", exact=True).click()
    expect(page.get_by_text(re.compile(r"^The link is \d+\.\d KB"))).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert "net=" in link and len(link) <= 40 * 1024 + 500, len(link)
    page.get_by_label("Start training when opened").check()     # says what opening it will do
    expect(page.get_by_text(re.compile(r"^The link is \d+\.\d KB"))).to_have_count(0)   # stale size gone
    page.get_by_role("button", name="Copy link", exact=True).click()
    expect(page.get_by_text("Opening it starts a new run with these settings")).to_be_visible()
    assert "autorun=1" in page.evaluate("navigator.clipboard.readText()")
    page.get_by_label("Start training when opened").uncheck()

    other = app("#" + link.split("#", 1)[1])
    expect(other.get_by_label("Drawing pad uses")).to_have_value("shared")
    digit2, bars2 = drawn(other)
    assert digit2 == digit
    assert max(abs(a - b) for a, b in zip(bars, bars2)) <= 0.01, (bars, bars2)
    expect(other.locator("#answered-by")).to_have_text("Answered by: the network from the link")
    expect(other.get_by_text("The network from the link is loaded")).to_be_visible()

    # The same link pasted into an open page (only the hash changes) loads its network too.
    page.evaluate("(hash) => { location.hash = hash; }", "#" + link.split("#", 1)[1])
    expect(pad).to_have_value("shared")
    expect(page.locator("#answered-by")).to_have_text("Answered by: the network from the link")


def link_value(data):
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(data) + packer.flush()).decode().rstrip("=")


@pytest.mark.parametrize("value, words", [
    (link_value(network_link.dumps(Network([784, 30, 10], seed=1)))[:4000], "damaged or cut short"),
    (link_value(network_link.dumps(Network([784, 30, 9], seed=1))), "10 outputs"),
    (link_value((lambda d: d[:12] + b"\x09" + d[13:])(network_link.dumps(Network([784, 30, 10], seed=1)))),
     "The network in the link names an unknown activation. The drawing pad uses the pretrained network."),
])
def test_damaged_network_in_a_link_gives_a_notice_and_pretrained_works(app, value, words):
    page = app("#epochs=2&net=" + value)
    notice = page.locator("#link-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(re.compile(r"The network in the link (could not be loaded|names)"))
    expect(notice).not_to_contain_text("loaded: The network")      # the subject once
    expect(page.locator("#link-notice-title")).to_have_text(re.compile("^Part of the link could not be used"))
    expect(notice).to_contain_text(words)
    expect(page.get_by_label("Drawing pad uses")).to_have_value("pretrained-conv")
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("2")
    assert drawn(page, "7")[0] == "7"


def test_kept_runs_are_selectable_and_download_names_the_run(app):
    page = app()
    train(page, **{"Training samples": 1000, "Epochs": 1})
    train(page, **{"Training samples": 1000, "Hidden layers": "10", "Learning rate": "0.5"})
    pad = page.get_by_label("Drawing pad uses")
    expect(pad).to_have_value("run-2")
    expect(pad.locator("option[value='run-1']")).to_have_text("Run 1 (η = 3, 30 hidden)")
    expect(pad.locator("option[value='run-2']")).to_have_text("Run 2 (η = 0.5, 10 hidden)")
    # the menu is as wide as the pad (room for a run's label), the whole label its title
    width = "(e) => e.getBoundingClientRect().width"
    assert pad.evaluate(width) >= page.get_by_label("Drawing pad", exact=True).evaluate(width) - 1
    expect(pad).to_have_attribute("title", "Run 2 (η = 0.5, 10 hidden)")
    _, second = drawn(page)
    pad.select_option("run-1")
    expect(pad).to_have_attribute("title", "Run 1 (η = 3, 30 hidden)")
    page.wait_for_timeout(500)
    _, first = drawn(page)
    assert max(abs(a - b) for a, b in zip(first, second)) > 0.01, (first, second)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download model", exact=True).click()
    assert info.value.suggested_filename == "digit-lab-run-1-784-30-10.json"
