"""Recognition does not depend on how large a digit is drawn: the same strokes at full,
half and quarter size give the same answer and nearly the same 28×28 network input
(MNIST's pen was proportional to the digit; the pad re-renders its strokes that way)."""

import pytest
from playwright.sync_api import expect

from drawing import DIGIT_STROKES, draw_strokes, scaled
from test_draw import meter_values

pytestmark = pytest.mark.browser

SIZES = [(1.0, (0.5, 0.5)), (0.5, (0.3, 0.35)), (0.25, (0.7, 0.72))]


def network_input(page):
    """Return the 784 values of the 'Network input' preview, in [0, 1]."""
    return page.get_by_label("Network input", exact=True).evaluate(
        """(c) => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data)
                      .filter((_, i) => i % 4 === 0).map((v) => v / 255)""")


def predicted_input(page, strokes):
    page.get_by_role("button", name="Clear", exact=True).click()
    expect(page.get_by_label("Prediction", exact=True)).to_have_text("–")
    draw_strokes(page, page.get_by_label("Drawing pad", exact=True), strokes)
    prediction = page.get_by_label("Prediction", exact=True)
    expect(prediction).not_to_have_text("–", timeout=15000)
    readings = []
    for _ in range(60):                  # until three readings 400 ms apart agree
        readings.append((prediction.inner_text(), meter_values(page), network_input(page)))
        if len(readings) >= 3 and readings[-1] == readings[-2] == readings[-3]:
            break
        page.wait_for_timeout(400)
    text, values, inputs = readings[-1]
    assert text == str(max(range(10), key=values.__getitem__)), (text, values)
    return int(text), inputs


def test_full_half_and_quarter_size_read_the_same(app):
    page = app()                         # one page for every digit: the boot is the slow part
    for digit in ["5", "2", "3", "7"]:
        answers, inputs = [], []
        for factor, center in SIZES:
            answer, values = predicted_input(page, scaled(DIGIT_STROKES[digit], factor, center))
            answers.append(answer)
            inputs.append(values)
        assert answers == [int(digit)] * 3, "{} read as {} at full, half, quarter size".format(
            digit, answers)
        for values, (factor, _) in zip(inputs[1:], SIZES[1:]):
            diff = sum(abs(a - b) for a, b in zip(inputs[0], values)) / sum(inputs[0])
            assert diff < 0.15, "the {} at {}× differs by {:.0%} of the ink".format(digit, factor, diff)
