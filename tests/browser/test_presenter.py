"""The presenter view (view=present in the link, or the header's toggle) and a run's layout:
what a class must see fits the screen without scrolling, and keys drive the run."""

import re

import pytest
from playwright.sync_api import expect

from axe import assert_no_axe_violations
from drawing import draw_digit
from test_train import TRAIN_TIMEOUT_MS, set_controls

pytestmark = pytest.mark.browser

# Long enough to be still training (or paused) while the layout is measured.
RUN = "samples=2000&epochs=10&seed=3"
DIGIT = re.compile(r"^\d$")


def outside_viewport(page, parts):
    """Return the parts ({name: locator}) whose box is not wholly inside the viewport."""
    view = page.viewport_size
    outside = {}
    for name, locator in parts.items():
        box = locator.bounding_box()
        if (not box or box["width"] == 0 or box["height"] == 0 or box["x"] < 0 or box["y"] < 0
                or box["x"] + box["width"] > view["width"] or box["y"] + box["height"] > view["height"]):
            outside[name] = box
    return outside


def run_parts(page):
    log = page.get_by_role("log", name="Training log")
    return {
        "run title": page.locator("#run-title"),
        "progress": page.get_by_label("Training progress"),
        "latest log line": log.locator(".log-line").last,
        "accuracy chart": page.locator("#chart-accuracy"),
        "cost chart": page.locator("#chart-cost"),
    }


def press_outside_controls(page, key):
    """Press ``key`` with the focus on the page itself (not on a button or a field)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def one_line(locator):
    """Return whether a block of text takes one line (its height below 1.5 line heights)."""
    return locator.evaluate("""(el) => el.getBoundingClientRect().height
        < 1.5 * parseFloat(getComputedStyle(el).lineHeight)""")


def test_presenter_link_fits_1280x720_and_keys_drive_the_run(app):
    page = app("#{}&view=present".format(RUN))
    page.set_viewport_size({"width": 1280, "height": 720})
    toggle = page.get_by_role("button", name="Presenter view", exact=True)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-view", "present")

    # The settings are one line; Edit settings shows the form, and keys typed there stay there.
    summary = page.get_by_text(re.compile(r"^\[784, 30, 10\] · 10 epochs · m = 10 · η = 3 · "))
    expect(summary).to_be_visible()
    assert one_line(summary)
    samples = page.get_by_label("Training samples", exact=True)
    expect(samples).to_be_hidden()
    draw_digit(page, "7")
    prediction = page.get_by_role("status", name="Prediction")
    expect(prediction).to_have_text(DIGIT, timeout=15000)
    edit = page.get_by_role("button", name="Edit settings", exact=True)
    edit.click()
    expect(edit).to_have_attribute("aria-expanded", "true")
    samples.click()
    page.keyboard.type(" cs")
    expect(samples).to_have_value("2000 cs")
    page.wait_for_timeout(300)
    expect(prediction).to_have_text(DIGIT)                 # C in a field did not clear the pad
    samples.fill("2000")
    draw_digit(page, "7")                                   # drawing takes the focus off the field,
    page.keyboard.press("c")                                # so C clears the pad
    expect(prediction).to_have_text("–")
    expect(samples).to_have_value("2000")
    draw_digit(page, "7")
    expect(prediction).to_have_text(DIGIT, timeout=15000)
    expect(summary).to_be_visible()                         # the line follows the form
    edit.click()
    expect(samples).to_be_hidden()

    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    pause = page.get_by_role("button", name=re.compile("^(Pause|Resume)$"))
    # Space pauses even with the focus on the button last clicked (it is not pressed again).
    edit.click()
    expect(edit).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Space")
    expect(pause).to_have_text("Resume")
    expect(edit).to_have_attribute("aria-expanded", "true")
    assert page.evaluate("scrollY") == 0, "Space scrolled the page instead of pausing"
    edit.click()
    expect(samples).to_be_hidden()

    # Paused mid-run: the run, the log, both charts, the pad and its answer are on screen.
    parts = dict(run_parts(page), **{
        "log": log, "pad": page.get_by_label("Drawing pad", exact=True), "prediction": prediction,
        "bars": page.get_by_role("group", name="Probabilities")})
    assert outside_viewport(page, parts) == {}
    expect(samples).to_be_hidden()
    assert one_line(summary)
    assert_no_axe_violations(page)

    # Space on this view's toggle resumes and pauses, and the view stays; S presses Step.
    toggle.focus()
    page.keyboard.press("Space")
    expect(pause).to_have_text("Pause")
    page.keyboard.press("Space")
    expect(pause).to_have_text("Resume")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-view", "present")
    page.evaluate("""() => {
        window.stepPresses = 0;
        document.getElementById('step').addEventListener('click', () => { window.stepPresses += 1; });
    }""")
    press_outside_controls(page, "s")
    expect(log).to_contain_text("Step: mini-batch")       # one mini-batch of the paused run
    page.keyboard.press("Control+s")
    page.wait_for_timeout(300)
    assert page.evaluate("window.stepPresses") == 1
    assert log.inner_text().count("Step: mini-batch") == 1

    press_outside_controls(page, "Space")
    expect(pause).to_have_text("Pause")
    press_outside_controls(page, "c")
    expect(prediction).to_have_text("–")
    page.get_by_role("button", name="Stop", exact=True).click()
    train = page.get_by_role("button", name="Train", exact=True)
    expect(train).to_be_enabled(timeout=30000)
    # With no run, Space on a button does nothing: on Train (where focus goes after a run)
    # it does not start another run, on the toggle it does not close the view.
    train.focus()
    page.keyboard.press("Space")
    toggle.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(500)
    expect(page.locator("#run-title")).to_contain_text("stopped")
    expect(train).to_be_enabled()
    expect(toggle).to_have_attribute("aria-pressed", "true")


def test_toggle_copy_link_odd_view_and_a_run_at_1280x800(app):
    page = app("#view=slides&epochs=4")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    # An odd view is ignored with a notice, dropped from the address bar; the page works.
    notice = page.get_by_role("region", name="Link notice")
    expect(notice).to_contain_text("view=slides")
    toggle = page.get_by_role("button", name="Presenter view", exact=True)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("4")
    assert "view=" not in page.evaluate("location.hash")
    draw_digit(page, "1")
    expect(page.get_by_role("status", name="Prediction")).to_have_text(DIGIT, timeout=15000)
    notice.get_by_role("button", name="Dismiss").click()

    # The toggle switches the view and the hash, without a reload; settings keep it there.
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-view", "present")
    expect(page.get_by_label("Epochs", exact=True)).to_be_hidden()
    page.wait_for_function("() => location.hash.includes('view=present') && location.hash.includes('epochs=4')")
    page.get_by_role("button", name="Edit settings", exact=True).click()
    set_controls(page, Seed=9)
    page.wait_for_function("() => location.hash.includes('seed=9') && location.hash.includes('view=present')")
    toggle.click()
    expect(page.locator("html")).not_to_have_attribute("data-view", "present")
    expect(page.get_by_label("Epochs", exact=True)).to_be_visible()
    page.wait_for_function("() => !location.hash.includes('view') && location.hash.includes('seed=9')")

    # Copy link with "Presenter view" checked asks for it; the page itself stays as it is.
    page.get_by_role("checkbox", name="Presenter view", exact=True).check()
    page.get_by_role("button", name="Copy link", exact=True).click()
    expect(page.get_by_text("Link copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "view=present" in copied and "seed=9" in copied
    expect(toggle).to_have_attribute("aria-pressed", "false")

    # The normal view at 1280×800: during a run the settings fold into their line, and the
    # progress, the latest log line and both charts are on screen.
    page.set_viewport_size({"width": 1280, "height": 800})
    set_controls(page, **{"Training samples": 2000, "Epochs": 10})
    page.evaluate("scrollTo(0, 0)")                     # where a person starts a run
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 1:", timeout=TRAIN_TIMEOUT_MS)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_label("Epochs", exact=True)).to_be_hidden()
    assert page.evaluate("scrollY") == 0
    assert outside_viewport(page, run_parts(page)) == {}
    log_box, line_box = log.bounding_box(), log.locator(".log-line").last.bounding_box()
    assert line_box["y"] + line_box["height"] <= log_box["y"] + log_box["height"] + 1

    # Edit settings shows the (locked) form; the phone width keeps one column, clean for axe.
    page.get_by_role("button", name="Edit settings", exact=True).click()
    expect(page.get_by_label("Epochs", exact=True)).to_be_disabled()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=30000)
