"""Inside the network, as a person sees it: activations for drawings, weight images,
the confusion matrix and the mistakes, for the pretrained network and while training."""

import re

import pytest
from playwright.sync_api import expect

from axe import assert_no_axe_violations
from drawing import draw_digit

pytestmark = pytest.mark.browser
EPOCH_LINE = re.compile(r"Epoch (\d+): (\d+) / 10000")
TRAIN_TIMEOUT_MS = 240_000
WEIGHT_IMAGE = re.compile(r"^Weights into hidden unit \d+$")


def names(page, pattern):
    """Return the accessible names of the images whose name matches ``pattern``."""
    return page.get_by_role("img", name=re.compile(pattern)).evaluate_all(
        "els => els.map((e) => e.getAttribute('aria-label'))")


def unit_values(page, pattern):
    """Return {unit name: value} for the activation cells named like ``pattern``."""
    return {n.rsplit(":", 1)[0]: float(n.rsplit(":", 1)[1]) for n in names(page, pattern)}


def outputs(page):
    values = unit_values(page, r"^Output \d: ")
    assert len(values) == 10, values
    return [values["Output {}".format(d)] for d in range(10)]


def matrix(page):
    """Return the confusion matrix's 10×10 counts as the table shows them."""
    table = page.get_by_role("table", name="Confusion matrix")
    return table.evaluate("""(t) => [...t.tBodies[0].rows].map((r) =>
        [...r.cells].slice(1, 11).map((c) => Number(c.textContent)))""")


def diagonal(counts):
    return sum(counts[i][i] for i in range(10))


def pixels(page, name):
    return page.get_by_role("img", name=name, exact=True).evaluate(
        "(c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join()")


def show_inside(page):
    page.get_by_role("heading", name="Inside the network").scroll_into_view_if_needed()


def use_mlp(page):
    """Put the pretrained MLP on the pad (the page starts with the pretrained conv net, whose
    weights view shows filters: test_conv_inside.py)."""
    page.get_by_label("Drawing pad uses").select_option("pretrained")


def test_pretrained_network_inside_activations_weights_matrix_and_mistakes(app):
    page = app()
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "/data/" in r.url else None)
    use_mlp(page)
    show_inside(page)
    expect(page.get_by_role("heading", name="Weights into the first hidden layer")).to_be_visible()
    weights = page.get_by_role("img", name=WEIGHT_IMAGE)
    expect(weights).to_have_count(100, timeout=30000)
    evaluation = page.locator("#inside-evaluation")
    expect(evaluation).to_contain_text("9781 of 10000", timeout=60000)
    counts = matrix(page)
    assert sum(map(sum, counts)) == 10000 and diagonal(counts) == 9781, counts

    prediction = page.get_by_label("Prediction", exact=True)
    hidden = {}
    for digit in ("1", "7"):
        page.get_by_role("button", name="Clear", exact=True).click()
        page.get_by_label("Drawing pad", exact=True).scroll_into_view_if_needed()
        draw_digit(page, digit)
        expect(prediction).to_have_text(digit, timeout=15000)
        page.wait_for_timeout(500)                # the last stroke's answer is in
        out = outputs(page)
        assert out[int(digit)] == max(out), out
        hidden[digit] = unit_values(page, r"^Hidden layer 1, unit \d+: ")
        assert len(hidden[digit]) == 100
    assert hidden["1"] != hidden["7"], "the hidden activations did not change between 1 and 7"

    # a unit enlarged, chosen with the keyboard: its bias and its activation for the 7
    first = page.get_by_role("button", name="Weights into hidden unit 0", exact=True)
    first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name="Weights into hidden unit 1, enlarged")).to_be_visible()
    expect(page.locator("#inside-unit")).to_contain_text("{:.3f}".format(hidden["7"]["Hidden layer 1, unit 1"])[:4])

    # a mistake from a matrix cell goes onto the prediction path
    gallery = page.get_by_role("list", name="Misclassified test images")
    expect(gallery.get_by_role("button")).to_have_count(48)
    summary = page.locator("#inside-mistakes .gallery-summary")
    expect(summary).to_have_text("Mistakes (all): 219 images.")   # 10,000 − 9,781
    show_all = page.get_by_role("button", name="Show all mistakes", exact=True)
    expect(show_all).to_be_hidden()
    cell = page.get_by_role("table", name="Confusion matrix").get_by_role("button").first
    count, true, answer = map(int, re.match(r"(\d+): true (\d), answered (\d); show them$",
                                            cell.get_attribute("aria-label")).groups())
    cell.click()
    expect(gallery.get_by_role("button")).to_have_count(min(count, 48))
    for name in gallery.get_by_role("button").evaluate_all("bs => bs.map((b) => b.getAttribute('aria-label'))"):
        assert re.match(r"Test image \d+: true {}, answered {}$".format(true, answer), name), name
    mistake = gallery.get_by_role("button").first
    index = int(re.match(r"Test image (\d+):", mistake.get_attribute("aria-label")).group(1))
    mistake.click()
    expect(prediction).to_have_text(str(answer), timeout=15000)
    expect(page.locator("#answered-by")).to_contain_text("Test image {} (a {})".format(index, true))
    expect(page.locator("#inside-showing")).to_contain_text("test image {}".format(index))
    assert outputs(page)[answer] == max(outputs(page))

    # "Show all mistakes" takes the filter off; the focus goes to the summary before the images
    expect(summary).to_have_text("Mistakes (true {}, answered {}): {} image{}.".format(
        true, answer, count, "" if count == 1 else "s"))
    show_all.focus()
    page.keyboard.press("Enter")
    expect(summary).to_have_text("Mistakes (all): 219 images.")   # 10,000 − 9,781
    expect(gallery.get_by_role("button")).to_have_count(48)
    expect(show_all).to_be_hidden()
    expect(summary).to_be_focused()

    page.get_by_role("button", name="Random test image", exact=True).click()
    expect(page.locator("#answered-by")).not_to_contain_text("Test image {} ".format(index), timeout=15000)
    expect(page.locator("#answered-by")).to_contain_text("Test image ")
    assert_no_axe_violations(page, "#inside")

    page.get_by_label("Drawing pad", exact=True).scroll_into_view_if_needed()
    draw_digit(page, "1")                        # drawing again leaves the test image
    expect(prediction).to_have_text("1", timeout=15000)
    expect(page.locator("#inside-showing")).to_have_text("")
    assert sorted(url.rsplit("/", 1)[1] for url in requested) == \
        ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"], requested


def paused_after(page, log, epoch):
    """Pause once the log has "Epoch ``epoch``"; return that line's N once the section shows
    that epoch's evaluation, and the first weight image as it stands."""
    expect(log).to_contain_text("Epoch {}:".format(epoch), timeout=TRAIN_TIMEOUT_MS)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Resume", exact=True)).to_be_visible()
    show_inside(page)                            # the buttons are in the Train card
    last = EPOCH_LINE.findall(log.inner_text())[-1]
    expect(page.locator("#inside-evaluation")).to_contain_text('"Epoch {}" line'.format(last[0]),
                                                              timeout=30000)
    assert diagonal(matrix(page)) == int(last[1]), (matrix(page), last)
    page.wait_for_timeout(1000)                  # a weights reply on its way is in
    return pixels(page, "Weights into hidden unit 0")


def test_training_updates_weights_each_epoch_and_the_matrix_matches_the_log(app):
    page = app()
    for label, value in {"Hidden layers": 16, "Training samples": 20000, "Epochs": 3}.items():  # epochs long enough to pause between them
        page.get_by_label(label, exact=True).fill(str(value))
    use_mlp(page)
    show_inside(page)
    expect(page.get_by_role("img", name=WEIGHT_IMAGE)).to_have_count(100, timeout=30000)
    page.get_by_role("button", name="Train", exact=True).click()
    show_inside(page)                            # Train moved the focus (and the view) to Pause
    log = page.get_by_role("log", name="Training log")
    expect(page.get_by_role("img", name=WEIGHT_IMAGE)).to_have_count(16, timeout=TRAIN_TIMEOUT_MS)
    first = paused_after(page, log, 0)
    page.get_by_role("button", name="Resume", exact=True).click()
    show_inside(page)
    second = paused_after(page, log, 1)
    assert second != first, "the weight image did not change between two epochs"

    page.get_by_role("button", name="Resume", exact=True).click()
    show_inside(page)
    expect(log).to_contain_text("Epoch 2:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=60000)
    n = EPOCH_LINE.findall(log.inner_text())[-1]
    assert n[0] == "2"
    expect(page.locator("#inside-evaluation")).to_contain_text('"Epoch 2" line', timeout=30000)
    counts = matrix(page)
    assert sum(map(sum, counts)) == 10000 and diagonal(counts) == int(n[1]), (counts, n)
    expect(page.get_by_role("img", name=WEIGHT_IMAGE)).to_have_count(16)
