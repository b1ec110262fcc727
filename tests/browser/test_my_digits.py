"""My digits (issue 20), as a person uses it: thirty drawn digits (the test strokes, three
places and sizes of each of 0-9) labelled with the buttons and the keys 0-9, kept across a
reload in their order, removed and brought back; the pretrained conv net's score on them
equal to an independent NumPy count; Export, Clear all, Import giving the identical set; bad
files refused with a sentence naming the file, the set unchanged; the keyboard alone; axe;
the presenter view and the phone width.

One page for the whole module (booting Python is the slow part); the tests run in order and
each leaves the set as the next one expects it: the thirty digits."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from axe import assert_no_axe_violations
from drawing import DIGIT_STROKES, MORE_STROKES, draw_strokes, scaled
from harness import BOOT_TIMEOUT_MS, ROOT, PageWatch
from test_draw import settled_meters
from test_presenter import outside_viewport

pytestmark = pytest.mark.browser

STROKES = dict(DIGIT_STROKES, **MORE_STROKES)
# Three places and sizes of each stroke: (factor, centre) as drawing.scaled takes them, and a
# slant and a width, since the pad fits every drawing into 20x20 (size and place alone would
# give the same input three times, and My digits keeps each drawing once). The third, narrow
# and leaning left, is harder: the pretrained MLP misreads its 0.
PLACES = [(1.0, (0.5, 0.5), 0.0, 1.0), (0.65, (0.56, 0.54), 0.18, 1.0), (0.8, (0.45, 0.47), -0.3, 0.6)]
# the thirty digits in the order they are added: each place in turn, 0-9 at each
DIGITS = [(digit, place) for place in PLACES for digit in "0123456789"]
NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
PLURALS = ["zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines"]
ANSWER_TIMEOUT_MS = 15000
DRAWN = []          # the thirty drawn digits (label, heldOut, pixels), as the first test stored them


@pytest.fixture(scope="module")
def page(browser, test_site):
    watch = PageWatch(browser, test_site)
    page = watch.open("")
    ready(page)
    yield page
    watch.close()


def ready(page):
    expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=BOOT_TIMEOUT_MS)


def card(page):
    return page.get_by_role("region", name="My digits")


def gallery(page):
    return card(page).get_by_role("group", name="My digits by digit")


def stored(page):
    """Return the set as IndexedDB holds it: [(key, label, heldOut, source, pixels bytes)], by key."""
    rows = page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open("digit-lab");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const store = open.result.transaction("my-digits").objectStore("my-digits");
            const keys = store.getAllKeys();
            const values = store.getAll();
            values.onsuccess = () => { open.result.close(); resolve(keys.result.map((key, i) => {
                const v = values.result[i];
                return [key, v.label, v.heldOut, v.source, Array.from(v.pixels), v.pixels.constructor.name];
            })); };
        };
    })""")
    assert all(row[5] == "Uint8Array" and len(row[4]) == 784 for row in rows)
    return [(key, label, held, source, bytes(pixels)) for key, label, held, source, pixels, _ in rows]


def content(rows):
    """The set without its keys and sources: (label, heldOut, pixels) in order."""
    return [(label, held, pixels) for _, label, held, _, pixels in rows]


def total(page):
    return card(page).locator("#mine-total")


def expect_count(page, n):
    expect(total(page)).to_have_text(re.compile(r"^{} digits? of at most 2,000".format(n)))
    expect(gallery(page).get_by_role("button")).to_have_count(n)


def draw(page, digit, place):
    factor, center, slant, width = place
    # every fourth point of a long stroke (an ellipse of 48): each mouse move takes a while
    strokes = [[(0.5 + (x - 0.5) * width + slant * (0.5 - y), y) for x, y in stroke[::4 if len(stroke) > 30 else 1]]
               for stroke in STROKES[digit]]
    draw_strokes(page, page.get_by_label("Drawing pad", exact=True), scaled(strokes, factor, center), steps=1)


def status(page):
    return card(page).locator("#mine-status")


def test_thirty_drawn_digits_labelled_removed_and_brought_back(page):
    menu = page.get_by_label("Drawing pad uses")
    menu.select_option("pretrained")        # the MLP answers at once; what is stored is the input
    expect(menu).to_have_value("pretrained")
    pad = page.get_by_label("Drawing pad", exact=True)
    prediction = page.get_by_role("status", name="Prediction")
    expect(card(page)).to_contain_text("No digits yet")

    # Nothing to add yet, an MNIST test image, a dot: each refused with a sentence.
    card(page).get_by_role("button", name="Add as 3", exact=True).click()
    expect(status(page)).to_have_text("Draw a digit on the pad first, then add it.")
    page.get_by_role("button", name="Random test image").click()
    expect(prediction).to_have_text(re.compile(r"^\d$"), timeout=ANSWER_TIMEOUT_MS)
    card(page).get_by_role("button", name="Add as 5", exact=True).click()
    expect(status(page)).to_have_text(re.compile(r"^Only your own drawing can be added: .*MNIST test image"))
    page.get_by_role("button", name="Clear", exact=True).click()
    page.evaluate("scrollTo(0, 0)")                # the test image's button scrolled down the page
    draw_strokes(page, pad, [[(0.4, 0.6), (0.41, 0.605)]], steps=1)
    page.keyboard.press("4")
    expect(status(page)).to_have_text("That drawing is too small to add: draw the digit larger.")
    page.get_by_role("button", name="Clear", exact=True).click()
    assert stored(page) == []

    # Thirty digits: the keys 0-9 on the pad (drawing focuses it), the ten buttons, and the
    # pad's own answer; each added one clears the pad and is announced.
    answer = card(page).get_by_role("button", name=re.compile(r"^Add as .*the pad's answer$"))
    for n, (digit, place) in enumerate(DIGITS):
        draw(page, digit, place)
        if n % 2 == 0:
            expect(pad).to_be_focused()
            page.keyboard.press(digit)
        elif n % 10 != 5:
            card(page).get_by_role("button", name="Add as " + digit, exact=True).click()
        else:                                # the pad's answer, once it has settled
            expect(answer).to_have_text(re.compile(r"^Add as \d$"), timeout=ANSWER_TIMEOUT_MS)
            settled_meters(page)
            if answer.inner_text() == "Add as " + digit:
                answer.click()
            else:                            # the MLP misread it: label it by hand
                card(page).get_by_role("button", name="Add as " + digit, exact=True).click()
        k = n // 10 + 1
        article = "an" if digit == "8" else "a"
        noun = NAMES[int(digit)] if k == 1 else PLURALS[int(digit)]
        held = " Held out for the test." if k == 1 else ""
        added = "Added {} {} ({} {}).{}".format(article, digit, k, noun, held)
        page.wait_for_function("""(text) => { return document.getElementById("mine-status").textContent === text
            && document.getElementById("prediction").textContent === "–"; }""", arg=added, timeout=ANSWER_TIMEOUT_MS)
    expect_count(page, 30)
    rows = stored(page)
    assert [label for _, label, *_ in rows] == [int(d) for d, _ in DIGITS]
    assert [held for _, _, held, *_ in rows] == [True] * 10 + [False] * 20   # the 1st of each
    assert {source for *_, source, _ in rows} == {"drawn"}
    assert len({pixels for *_, pixels in rows}) == 30
    expect(card(page).get_by_role("button", name="Remove this 7, held out")).to_have_count(1)
    expect(card(page).get_by_role("button", name="Remove this 7", exact=True)).to_have_count(2)
    expect(card(page).get_by_text("7 — 3", exact=True)).to_be_visible()
    expect(card(page).get_by_role("list", name="Sources of my digits")).to_have_text("Drawn here: 30")
    assert shown_names(page) == ["Remove this {}{}".format(d, ", held out" if k == 0 else "")
                                 for d in "0123456789" for k in range(3)]

    # The same drawing again is not a new digit.
    draw(page, *DIGITS[7])
    page.keyboard.press("7")
    expect(status(page)).to_have_text(
        "This drawing is already in My digits as a 7, pixel for pixel: draw it a little differently.")
    page.get_by_role("button", name="Clear", exact=True).click()

    # Remove the second 4; Undo brings the same record back to the same place.
    fours = gallery(page).get_by_role("button", name=re.compile(r"^Remove this 4"))
    fours.nth(1).click()
    expect_count(page, 29)
    expect(card(page).get_by_text("Removed a 4 (2 fours left).")).to_be_visible()
    assert stored(page) == [row for row in rows if row[0] != rows[14][0]]
    card(page).get_by_role("button", name="Undo", exact=True).click()
    expect_count(page, 30)
    expect(card(page).get_by_text("Brought back a 4.")).to_be_visible()
    assert stored(page) == rows
    DRAWN.extend(content(rows))


def shown_names(page):
    """The gallery's buttons' names, as shown (digit by digit)."""
    return gallery(page).get_by_role("button").evaluate_all("(buttons) => buttons.map((b) => b.getAttribute('aria-label'))")


def forward(model, x):
    """A pretrained network's answer for ``x`` (784 values in [0, 1]), written here from the
    model file alone: conv layers are a valid cross-correlation, ReLU and max-pooling; dense
    layers ReLU or sigmoid; the output's largest value is the answer (softmax keeps it)."""
    a = x.reshape(1, 28, 28)
    for spec, w, b in zip(model["layers"], model["weights"], model["biases"]):
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64).ravel()
        if spec["type"] == "conv":
            k, p = spec["size"], spec["pool"]
            channels, side = a.shape[0], a.shape[1] - k + 1
            filters = w.reshape(spec["filters"], channels, k, k)
            windows = np.empty((channels, k, k, side, side))
            for i in range(k):
                for j in range(k):
                    windows[:, i, j] = a[:, i:i + side, j:j + side]
            z = np.einsum("fcij,cijxy->fxy", filters, windows) + b[:, None, None]
            z = np.maximum(z, 0.0)
            a = z.reshape(z.shape[0], side // p, p, side // p, p).max(axis=(2, 4))
        else:
            z = w @ a.ravel() + b
            a = {"relu": lambda: np.maximum(z, 0.0), "sigmoid": lambda: 1 / (1 + np.exp(-z)),
                 "softmax": lambda: np.exp(z - z.max())}[spec["activation"]]()
    return int(np.argmax(a))


def export(page, tmp_path):
    with page.expect_download() as info:
        card(page).get_by_role("button", name="Export", exact=True).click()
    assert info.value.suggested_filename == "my-digits.json"
    path = tmp_path / "my-digits.json"
    info.value.save_as(str(path))
    return path


@pytest.mark.parametrize("network, label, model_file", [
    ("pretrained-conv", "Pretrained conv net", "pretrained-conv.json"),
    ("pretrained", "Pretrained MLP", "pretrained.json"),
])
def test_a_pretrained_networks_score_equals_an_independent_count(page, tmp_path, network, label, model_file):
    path = export(page, tmp_path)
    data = json.loads(path.read_text())
    assert data["format"] == "digit-lab-digits/1" and data["count"] == 30
    assert len(path.read_text().splitlines()) == 32            # one digit per line
    model = json.loads((ROOT / "web" / "models" / model_file).read_text())
    read = [forward(model, np.array(d["pixels"], dtype=np.float64) / 255.0) for d in data["digits"]]
    right = sum(r == d["label"] for r, d in zip(read, data["digits"]))
    misread = sorted("drawn {}, read {}".format(d["label"], r) for r, d in zip(read, data["digits"]) if r != d["label"])
    if network == "pretrained":
        assert misread                                          # the test can tell a miss

    menu = page.get_by_label("Drawing pad uses")
    menu.select_option(network)
    expect(menu).to_have_value(network)
    card(page).locator("#mine-test").scroll_into_view_if_needed()
    score = card(page).locator("#mine-score")
    expect(score).to_have_text(re.compile(r"^{}: {} / 30 of my digits \({:.1f}%\) · MNIST test: "
                                          .format(label, right, 100 * right / 30)), timeout=30000)
    expect(card(page).get_by_text("Misread (all): {}.".format(len(misread)) if misread
                                  else "None of your digits is misread.", exact=True)).to_be_visible()
    shown = card(page).get_by_role("list", name="Misread digits").get_by_role("listitem")
    assert sorted(shown.all_inner_texts()) == misread
    table = card(page).get_by_role("table", name="My digits: confusion matrix")
    cells = [[int(v) for v in row.locator("td").all_inner_texts()[:10]] for row in table.locator("tbody tr").all()]
    expected = np.zeros((10, 10), dtype=int)
    for r, d in zip(read, data["digits"]):
        expected[d["label"], r] += 1
    assert cells == expected.tolist()


def test_export_clear_all_import_gives_the_identical_set(page, tmp_path):
    before = stored(page)
    path = export(page, tmp_path)
    digits = json.loads(path.read_text())["digits"]
    assert [(d["label"], d["heldOut"], bytes(d["pixels"])) for d in digits] == content(before)
    clear = card(page).get_by_role("button", name="Clear all", exact=True)
    clear.click()
    expect(card(page).get_by_text("Cleared 30 digits.")).to_be_visible()
    expect(card(page).get_by_role("button", name="Undo", exact=True)).to_be_focused()
    assert stored(page) == []
    expect(gallery(page).get_by_role("button")).to_have_count(0)
    page.keyboard.press("Enter")                               # Undo, from the keyboard
    expect_count(page, 30)
    assert stored(page) == before
    clear.click()
    expect(card(page).get_by_text("Cleared 30 digits.")).to_be_visible()

    card(page).get_by_label("Import").set_input_files(str(path))
    report = card(page).locator("#mine-import-report")
    expect(report).to_have_text("my-digits.json: added 30 digits.", timeout=30000)
    expect_count(page, 30)
    after = stored(page)
    assert content(after) == content(before)
    assert {source for *_, source, _ in after} == {"my-digits.json"}
    expect(card(page).get_by_role("list", name="Sources of my digits")).to_have_text("my-digits.json: 30")
    # the same file again adds nothing
    card(page).get_by_label("Import").set_input_files(str(path))
    expect(report).to_have_text("my-digits.json: added 0 digits (30 were already here).", timeout=30000)
    assert stored(page) == after


def digits_file(digits, **header):
    body = {"format": "digit-lab-digits/1", "count": len(digits), "digits": digits}
    body.update(header)
    return json.dumps(body).encode()


def a_digit(label=3, value=0, **extra):
    return dict({"label": label, "pixels": [value] * 783 + [value], "heldOut": False}, **extra)


def unique_digits(n):
    """``n`` digits, none the same as another or as a drawn one."""
    digits = []
    for k in range(n):
        pixels = [0] * 784
        pixels[k % 784], pixels[(k // 784) + 1] = 255, 1 + k // 784
        digits.append({"label": k % 10, "pixels": pixels})
    return digits


BAD_FILES = [
    ("version-2.json", digits_file([a_digit()], format="digit-lab-digits/2")),
    ("short.json", digits_file([dict(a_digit(), pixels=[0] * 783)])),
    ("label-10.json", digits_file([a_digit(label=10)])),
    ("value-256.json", digits_file([a_digit(value=256)])),
    ("nan.json", digits_file([a_digit()]).replace(b"[0, 0, 0", b"[NaN, 0, 0", 1)),
    ("huge.json", b" " * (10 * 1024 * 1024)),
    ("hundred-thousand.json", digits_file([a_digit()], count=100000)),
    ("not-json.json", b"this is not JSON {"),
    ("<img src=x onerror=alert(1)>.json", digits_file([a_digit()], format="<b>digit-lab</b>")),
    ("too-many.json", digits_file(unique_digits(1990))),
]


def test_bad_files_are_refused_with_a_sentence_and_nothing_is_lost(page, tmp_path):
    before = stored(page)
    paths = []
    for name, data in BAD_FILES:
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    card(page).get_by_label("Import").set_input_files(paths)
    lines = card(page).locator("#mine-import-report").get_by_role("listitem")
    expect(lines).to_have_count(len(BAD_FILES), timeout=60000)
    texts = lines.all_inner_texts()
    for (name, _), text in zip(BAD_FILES, texts):
        assert text.startswith(name), (name, text)
        assert re.fullmatch(r".+[.!?]", text) and " not imported: " in text or "can be at most 8 MB" in text, text
    assert texts[5] == "huge.json is 10.0 MB; a digits file can be at most 8 MB."
    assert texts[-1] == ("too-many.json was not imported: its 1,990 new digits would make 2,020 digits; "
                         "My digits holds at most 2,000.")
    assert card(page).locator("#mine-import-report img, #mine-import-report b").count() == 0
    expect_count(page, 30)
    assert stored(page) == before


def test_the_keyboard_alone_removes_and_brings_back(page):
    before = stored(page)
    first = gallery(page).get_by_role("button").first
    first.focus()
    page.keyboard.press("ArrowRight")                           # the second 0
    second = gallery(page).get_by_role("button").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("Enter")                                # removes it
    expect_count(page, 29)
    expect(gallery(page).get_by_role("button").nth(1)).to_be_focused()     # the next 0
    expect(gallery(page).get_by_role("button").nth(1)).to_have_attribute("aria-label", "Remove this 0")
    page.keyboard.press("Shift+Tab")                            # one Tab stop for the gallery
    undo = card(page).get_by_role("button", name="Undo", exact=True)
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")
    expect_count(page, 30)
    assert stored(page) == before
    expect(gallery(page).get_by_role("button").nth(1)).to_be_focused()    # the one brought back
    assert_no_axe_violations(page, "#mine")


def test_presenter_view_keeps_one_screen_and_the_phone_width_fits(page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("button", name="Presenter view", exact=True).click()
    expect(page.locator("html")).to_have_attribute("data-view", "present")
    page.evaluate("scrollTo(0, 0)")
    parts = {
        "pad": page.get_by_label("Drawing pad", exact=True),
        "prediction": page.get_by_role("status", name="Prediction"),
        "bars": page.get_by_role("group", name="Probabilities"),
        "log": page.get_by_role("log", name="Training log"),
        "accuracy chart": page.locator("#chart-accuracy"),
        "cost chart": page.locator("#chart-cost"),
    }
    assert outside_viewport(page, parts) == {}
    page.get_by_role("button", name="Presenter view", exact=True).click()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = card(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert_no_axe_violations(page, "#mine")


def test_a_reload_keeps_the_thirty_in_their_order(page):
    """Last: the page comes back with the set (before Python is ready again)."""
    before = stored(page)
    assert content(before) == DRAWN                 # exported, cleared and imported since
    names = shown_names(page)
    page.reload()
    expect_count(page, 30)
    assert stored(page) == before
    assert shown_names(page) == names


def test_a_run_with_my_digits_trains_on_twenty_and_tests_on_the_ten_held_out(page):
    """Train with my digits (mine=25): the log says the training set grew by the twenty
    digits that are not held out (8 copies each: 160 of 660 samples), and the card then
    tests the run's network on the ten held-out ones apart from the twenty it trained on
    (the worker's "seen", from the run's own training set)."""
    ready(page)
    page.evaluate("() => { location.hash = '#hidden=10&epochs=1&samples=500&mine=25&seed=1'; }")
    expect(page.get_by_label("Train with my digits", exact=True)).to_have_value("25")
    page.get_by_role("button", name="Train", exact=True).click()
    log = page.get_by_role("log", name="Training log")
    expect(log).to_contain_text("Training with my digits: 20 digits, each repeated 8 times: 160 of "
                                "the epoch's 660 samples (24.2%). 10 held-out digits never trained "
                                "on.", timeout=60000)
    expect(log).to_contain_text("Epoch 0:", timeout=120000)
    split = card(page).locator("#mine-split")
    card(page).locator("#mine-score").scroll_into_view_if_needed()   # it tests while on screen
    expect(split).to_be_visible(timeout=30000)
    expect(split).to_have_text(re.compile(r"^Never trained on \(held out\): \d+ / 10 .*· Trained on: "
                                          r"\d+ / 20$"))


def test_without_indexeddb_the_card_says_so_and_works_in_memory(browser, test_site):
    """A browser that refuses storage (a private window): the card says why, in a sentence."""
    watch = PageWatch(browser, test_site)
    watch.context.add_init_script("""IDBFactory.prototype.open = function () {
        throw new DOMException("The user denied permission to access the database.", "InvalidStateError"); };""")
    page = watch.open("")
    note = card(page).locator("#mine-storage")
    expect(note).to_be_visible()
    expect(note).to_have_text(
        "This browser does not let the page keep your digits (The user denied permission to access the "
        "database), so they stay only until you leave the page: use Export to keep them.")
    expect(card(page)).to_contain_text("No digits yet")
    watch.close()
