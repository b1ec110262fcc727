"""Draw & predict, as a person uses it: draw digits with the mouse, read the answer."""


import pytest
from playwright.sync_api import expect

from drawing import DIGIT_STROKES, draw_digit, draw_strokes

pytestmark = pytest.mark.browser


def meter_values(page):
    """Return the ten probability meters' values, read at one moment."""
    return page.evaluate("""() => Array.from({length: 10}, (_, n) =>
        Number(document.querySelector(`meter[aria-label="Probability of ${n}"]`).value))""")


def settled_meters(page):
    """Return the ten meters once they stop changing (the last prediction is in)."""
    values = meter_values(page)
    for _ in range(40):
        page.wait_for_timeout(250)
        again = meter_values(page)
        if again == values:
            break
        values = again
    return values


def settled_prediction(page, digit):
    """Wait until the pad shows ``digit`` and the last prediction is in; return the meters."""
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(digit, timeout=15000)
    values = settled_meters(page)
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(digit)
    return values


def input_ink(page):
    """Return the summed brightness of the 28×28 'Network input' preview."""
    return page.get_by_label("Network input", exact=True).evaluate(
        """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i]; return s; }""")


def test_draw_digits_and_clear(app):
    page = app()
    prediction = page.get_by_label("Prediction", exact=True)
    expect(prediction).to_have_text("–")
    empty_preview = input_ink(page)
    for digit in ["1", "7", "0", "4"]:
        draw_digit(page, digit)
        values = settled_prediction(page, digit)
        assert max(range(10), key=values.__getitem__) == int(digit), values
        assert abs(sum(values) - 1) < 0.01, values
        assert input_ink(page) != empty_preview, "the 28×28 preview did not change"
        page.get_by_role("button", name="Clear", exact=True).click()
        expect(prediction).to_have_text("–")
        assert max(meter_values(page)) == 0

    # a tap, or a dot with a wobble (which the pad scales up like any drawing), is too small
    # to read: a message instead of an answer, gone with Clear
    answered_by = page.locator("#answered-by")
    pad = page.get_by_label("Drawing pad", exact=True)
    for dot in ([(0.4, 0.6)], [(0.4, 0.6), (0.41, 0.605)]):
        draw_strokes(page, pad, [dot])
        expect(answered_by).to_have_text("That is too small to read: draw the digit larger.", timeout=15000)
        expect(prediction).to_have_text("–")
        assert max(meter_values(page)) == 0 and input_ink(page) == empty_preview
        page.get_by_role("button", name="Clear", exact=True).click()
        expect(answered_by).to_have_text("")


def test_keyboard_reaches_the_controls(app):
    page = app()
    page.keyboard.press("Tab")
    names = set()
    for _ in range(40):
        names.add(page.evaluate("document.activeElement && (document.activeElement.getAttribute('aria-label')"
                                " || document.activeElement.textContent.trim())"))
        page.keyboard.press("Tab")
    for name in ["Clear", "Train"]:
        assert name in names, names
