"""Training in the browser, as a person does it: set the controls, Train, watch, pause, stop."""

import re

import pytest
from playwright.sync_api import expect

from drawing import draw_digit

pytestmark = pytest.mark.browser
EPOCH_LINE = re.compile(r"Epoch (\d+): (\d+) / 10000")
TRAIN_TIMEOUT_MS = 240_000


def set_controls(page, **values):
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(str(value))


def epoch_lines(page):
    return EPOCH_LINE.findall(page.get_by_role("log", name="Training log").inner_text())


def progress(page):
    bar = page.get_by_label("Training progress")
    return float(bar.get_attribute("value") or 0), float(bar.get_attribute("max") or 1)


def chart_ink(page):
    """Return how many non-background pixels the charts' canvases hold."""
    return page.evaluate("""() => [...document.querySelectorAll('canvas')]
        .filter((c) => !['Drawing pad', 'Network input'].includes(c.getAttribute('aria-label')))
        .map((c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                      let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] && d[i] < 200) n++;
                      return n; })
        .reduce((a, b) => a + b, 0)""")


def test_train_two_epochs_shows_book_lines_progress_and_chart(app):
    page = app()
    ink_before = chart_ink(page)
    set_controls(page, **{"Training samples": 3000, "Epochs": 2})
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Epoch 1:", timeout=TRAIN_TIMEOUT_MS)
    lines = epoch_lines(page)
    assert [int(e) for e, _ in lines] == [0, 1], lines
    assert all(int(n) > 3000 for _, n in lines) and int(lines[-1][1]) > 5000, \
        "accuracy near chance (1000): {}".format(lines)
    assert re.search(r"Epoch 0: \d+ / 10000 \(\d+(\.\d+)? s\)", log.inner_text()), log.inner_text()
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=30000)
    value, maximum = progress(page)
    assert value == maximum, (value, maximum)
    assert chart_ink(page) > ink_before, "the charts did not draw the run"
    expect(page.get_by_label("Drawing pad uses")).to_have_value("run-1")


def test_pause_resume_stop_and_drawing_while_training(app):
    page = app()
    set_controls(page, **{"Training samples": 20000, "Epochs": 3})
    page.get_by_role("button", name="Train", exact=True).click()
    page.wait_for_function("() => Number(document.querySelector('progress[aria-label=\"Training progress\"]')"
                           ".value) > 0", timeout=TRAIN_TIMEOUT_MS)

    draw_digit(page, "1")
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(re.compile(r"^\d$"), timeout=15000)
    page.get_by_role("button", name="Clear", exact=True).click()

    page.get_by_role("button", name="Pause", exact=True).click()
    resume = page.get_by_role("button", name="Resume", exact=True)
    expect(resume).to_be_visible()
    page.wait_for_timeout(500)           # a chunk already running may finish
    paused_at = progress(page)[0]
    page.wait_for_timeout(2000)
    assert progress(page)[0] == paused_at, "training advanced while paused"

    resume.click()
    page.wait_for_function("(v) => Number(document.querySelector('progress[aria-label=\"Training progress\"]')"
                           ".value) > v", arg=paused_at, timeout=60000)

    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=30000)
    stopped_at = progress(page)[0]
    page.wait_for_timeout(1000)
    assert progress(page)[0] == stopped_at, "training went on after Stop"
    assert progress(page)[0] < progress(page)[1]

    draw_digit(page, "7")                # Stop leaves a usable network
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(re.compile(r"^\d$"), timeout=15000)


def test_invalid_settings_are_refused_at_the_control(app):
    page = app()
    train = page.get_by_role("button", name="Train", exact=True)
    for label, bad in [("Hidden layers", "30, abc"), ("Learning rate", "-1"), ("Mini-batch size", "0"),
                       ("Hidden layers", "1000000")]:
        control = page.get_by_label(label, exact=True)
        original = control.input_value()
        control.fill(bad)
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(train).to_be_disabled()
        reason = page.locator("#" + control.get_attribute("aria-describedby").split()[0])
        expect(reason).not_to_be_empty()
        control.fill(original)
        expect(train).to_be_enabled()


def test_failed_download_is_reported_and_a_later_train_works(app):
    page = app()
    failing = lambda route: route.abort("connectionrefused")
    page.context.route("**/data/train-images-idx3-ubyte.gz", failing)
    set_controls(page, **{"Training samples": 1000, "Epochs": 1})
    train = page.get_by_role("button", name="Train", exact=True)
    train.click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Could not download MNIST training images", timeout=60000)
    expect(train).to_be_enabled()
    draw_digit(page, "1")                # the worker survived the failed call
    expect(page.get_by_label("Prediction", exact=True)).to_have_text("1", timeout=15000)

    page.context.unroute("**/data/train-images-idx3-ubyte.gz", failing)
    train.click()
    expect(page.get_by_role("log", name="Training log")).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)


def test_stop_during_a_stalled_download_ends_the_run(app):
    page = app()
    stalled = []
    page.context.route("**/data/train-images-idx3-ubyte.gz", lambda route: stalled.append(route))
    set_controls(page, **{"Training samples": 1000, "Epochs": 1})
    train = page.get_by_role("button", name="Train", exact=True)
    train.click()
    expect(train).to_be_disabled()
    for _ in range(100):                 # wait until the download is really hanging
        if stalled:
            break
        page.wait_for_timeout(100)       # route callbacks run only inside Playwright calls
    assert stalled, "the training images were never requested"
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(train).to_be_enabled(timeout=10000)
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(page.get_by_label("Drawing pad uses")).to_have_value("pretrained-conv")
