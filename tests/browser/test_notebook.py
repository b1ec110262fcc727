"""The Notebook: the seed's code run, edited, stopped and shared in the page.

One page (module scope) loads MNIST into the notebook's worker once; the tests then run
cells in it in file order, each starting from the state the previous one left.
"""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from drawing import draw_digit
from harness import BOOT_TIMEOUT_MS, CACHE, PageWatch

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 240_000
FINISHED = re.compile(r"^(Done in|Failed after|Stopped after|Failed)")


@pytest.fixture(scope="module")
def notebook(browser, test_site):
    """Yield a page with the app ready and the notebook's first two cells run."""
    watch = PageWatch(browser, test_site)
    page = watch.open()
    expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=BOOT_TIMEOUT_MS)
    show_notebook(page)
    for n in (1, 2):
        assert run(page, n).startswith("Done in")
    yield page
    watch.close()


def show_notebook(page):
    """Scroll to the notebook and wait for its CodeMirror editors."""
    page.get_by_role("heading", name="Notebook").scroll_into_view_if_needed()
    expect(page.locator("#notebook")).to_have_attribute("data-editor", "codemirror", timeout=30_000)


def set_code(page, n, code):
    """Replace the code of cell ``n`` by typing into its editor, as a person would."""
    editor = page.get_by_label("Code cell {}".format(n), exact=True)
    editor.click()
    expect(editor).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)
    # CodeMirror reads typed text from the DOM a moment later; wait until it has.
    page.wait_for_function("([i, code]) => document.querySelectorAll('.nb-cell')[i]"
                           ".querySelector('.CodeMirror').CodeMirror.getValue() === code",
                           arg=[n - 1, code], timeout=5000)


def code_of(page, n):
    """Return the code in cell ``n``'s CodeMirror editor."""
    return page.evaluate("(i) => document.querySelectorAll('.nb-cell')[i]"
                         ".querySelector('.CodeMirror').CodeMirror.getValue()", n - 1)


def draw(page, digit):
    """Scroll the Draw pad into view and draw ``digit`` on it."""
    page.get_by_label("Drawing pad", exact=True).scroll_into_view_if_needed()
    draw_digit(page, digit)


def cell_status(page, n):
    return page.locator(".nb-cell").nth(n - 1).locator(".nb-cell-status")


def output(page, n):
    return page.get_by_role("log", name="Output of cell {}".format(n), exact=True)


def run(page, n, code=None):
    """Run cell ``n`` (after typing ``code`` into it) and return its final status text."""
    if code is not None:
        set_code(page, n, code)
    page.get_by_role("button", name="Run cell {}".format(n), exact=True).click()
    expect(cell_status(page, n)).to_have_text(FINISHED, timeout=RUN_TIMEOUT_MS)
    return cell_status(page, n).text_content()


def test_mnist_loader_cell_downloads_the_data(notebook):
    expect(output(notebook, 2)).to_contain_text(re.compile(r"Downloaded MNIST \(11\.\d MB\)"))


def test_book_experiment_prints_the_books_epoch_line(notebook):
    page = notebook
    run(page, 3, "import random\nnp.random.seed(3); random.seed(3)\nnet = Network([784, 30, 10])")
    assert run(page, 4, "net.SGD(training_data[:2000], 1, 10, 3.0, test_data=test_data)").startswith("Done")
    text = output(page, 4).text_content()
    correct = int(re.fullmatch(r"Epoch 0: (\d+) / 10000\n", text).group(1))
    assert correct > 2000, "one epoch on 2,000 images should beat chance (1,000) clearly"


def test_an_edited_sigmoid_changes_what_the_network_does(notebook):
    page = notebook
    run(page, 6, "def sigmoid(z):\n    return 0.5 + 0*z  # every neuron says 0.5")
    run(page, 4, "print(net.evaluate(test_data), 'of', len(test_data))")
    # Every output is 0.5, so argmax answers 0 for all images: the 980 zeros are right.
    expect(output(page, 4)).to_have_text("980 of 10000\n")
    run(page, 1)  # the seed's sigmoid again
    run(page, 4, "print(net.evaluate(test_data) > 2000)")
    expect(output(page, 4)).to_have_text("True\n")


def test_errors_show_tracebacks_and_the_next_cell_runs(notebook):
    page = notebook
    assert run(page, 6, "def broken(:\n    pass").startswith("Failed")
    expect(output(page, 6)).to_contain_text('File "<cell 6>", line 1')
    expect(output(page, 6)).to_contain_text("SyntaxError")
    assert run(page, 6, "def f(x):\n    return x / 0\n\nf(1)").startswith("Failed")
    text = output(page, 6).text_content()
    assert text.startswith("Traceback (most recent call last):")
    assert 'File "<cell 6>", line 4' in text and 'line 2, in f' in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "pycore" not in text and "pyodide" not in text
    assert run(page, 5, "print('still running', len(test_data))").startswith("Done")
    expect(output(page, 5)).to_have_text("still running 10000\n")


def test_send_to_pad_makes_the_notebook_network_predict(notebook):
    page = notebook
    run(page, 5, "from pycore.network import Network as FastNetwork\n"
               "net = FastNetwork([784, 30, 10], seed=1)\nnet.SGD(training_data[:10000], 1, 10, 3.0)")
    expect(output(page, 5)).to_have_text("Epoch 0 complete\n")
    assert run(page, 6, "send_to_pad(net)").startswith("Done")
    expect(output(page, 6)).to_contain_text("Sent the 784-30-10 network to the Draw pad")
    expect(page.get_by_label("Drawing pad uses")).to_have_value("notebook")
    expect(page.get_by_role("status", name="Notebook status")).to_contain_text("now uses the notebook's network")
    draw(page, "1")
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(re.compile(r"^[0-9]$"))


def test_micropip_installs_a_wheel_from_the_site(notebook, test_site):
    wheel = CACHE / "site-test" / "test-wheels" / "digit_lab_hello-0.1-py3-none-any.whl"
    wheel.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(str(wheel), "w") as whl:
        whl.writestr("digit_lab_hello.py", "def hello():\n    return 'hello from a wheel'\n")
        whl.writestr("digit_lab_hello-0.1.dist-info/METADATA",
                     "Metadata-Version: 2.1\nName: digit-lab-hello\nVersion: 0.1\n")
        whl.writestr("digit_lab_hello-0.1.dist-info/WHEEL",
                     "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        whl.writestr("digit_lab_hello-0.1.dist-info/RECORD", "")
    url = test_site + "test-wheels/" + wheel.name
    status = run(notebook, 6, "import micropip\nawait micropip.install({!r})\n"
                 "import digit_lab_hello\nprint(digit_lab_hello.hello())".format(url))
    assert status.startswith("Done"), output(notebook, 6).text_content()
    expect(output(notebook, 6)).to_contain_text("hello from a wheel")


def test_output_streams_and_stop_ends_an_endless_cell_while_the_pad_predicts(notebook):
    page = notebook
    page.get_by_role("button", name="Clear", exact=True).click()
    set_code(page, 6, "net.SGD(training_data[:300], 2, 10, 3.0, test_data=test_data[:500])\n"
                      "while True: pass")
    page.get_by_role("button", name="Run cell 6", exact=True).click()
    # The book's lines appear while the cell is still running: output streams.
    expect(output(page, 6)).to_have_text(re.compile(r"^Epoch 0: \d+ / 500\nEpoch 1: \d+ / 500\n$"),
                                         timeout=RUN_TIMEOUT_MS)
    expect(cell_status(page, 6)).to_contain_text("Running…")
    draw(page, "7")  # the Draw worker answers while the notebook's loop spins
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(re.compile(r"^[0-9]$"))
    page.get_by_role("button", name="Stop notebook").click()
    expect(cell_status(page, 6)).to_contain_text("Stopped after", timeout=2000)
    expect(page.get_by_role("status", name="Notebook status")).to_contain_text(
        "restarted, so its variables (net, training_data, …) were reset")
    assert run(page, 5, "print(6 * 7, 'net' in globals())").startswith("Done")
    expect(output(page, 5)).to_have_text("42 False\n")
    page.get_by_role("button", name="Clear", exact=True).click()
    draw(page, "1")
    expect(page.get_by_label("Prediction", exact=True)).to_have_text(re.compile(r"^[0-9]$"))


def test_a_notebook_link_restores_the_code_without_running_it(notebook, browser, test_site):
    page = notebook
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    set_code(page, 4, "print('shared code')")
    page.get_by_role("button", name="Copy notebook link").click()
    expect(page.locator('[data-nb="copy-result"]')).to_contain_text("Notebook link copied")
    url = page.evaluate("navigator.clipboard.readText()")
    assert "epochs=30" in url and "&nb=" in url
    watch = PageWatch(browser, test_site)
    try:
        other = watch.open("#" + url.split("#", 1)[1])
        show_notebook(other)
        expect(other.get_by_text("Read it before you run it")).to_be_visible()
        expect(other.get_by_label("Code cell 4", exact=True)).to_contain_text("print('shared code')")
        expect(other.get_by_label("Code cell 3", exact=True)).to_contain_text("net = Network([784, 30, 10])")
        expect(output(other, 4)).to_be_hidden()
        expect(other.locator(".nb-cell-status").first).to_have_text("")
        other.goto("about:blank")
        watch.open()  # no link now: the edit was kept in local storage
        show_notebook(other)
        expect(other.get_by_label("Code cell 4", exact=True)).to_contain_text("print('shared code')")
        other.get_by_role("button", name="Reset notebook").click()
        expect(other.get_by_label("Code cell 4", exact=True)).to_contain_text("net.SGD(training_data, 30")
        other.goto("about:blank")
        watch.open("#epochs=3&nb=not-a-real-link")
        show_notebook(watch.page)
        expect(watch.page.get_by_text("The notebook code in the link was ignored").first).to_be_visible()
        # said at the top too, where a link's other problems are listed
        expect(watch.page.locator("#link-notice-list")).to_contain_text("The notebook code in the link was ignored")
        expect(watch.page.get_by_label("Code cell 4", exact=True)).to_contain_text("net.SGD(training_data, 30")
        # A link replaces the cells but sets your own edits aside, to bring them back.
        set_code(watch.page, 3, "print('mine')")
        watch.page.wait_for_function("() => (localStorage.getItem('digit-lab-notebook-v1') || '').includes('mine')")
        watch.page.goto("about:blank")
        watch.open("#" + url.split("#", 1)[1])
        show_notebook(watch.page)
        expect(watch.page.get_by_text("Your own edits were set aside")).to_be_visible()
        expect(watch.page.get_by_label("Code cell 4", exact=True)).to_contain_text("print('shared code')")
        expect(watch.page.get_by_label("Code cell 3", exact=True)).not_to_contain_text("print('mine')")
        watch.page.get_by_role("button", name="Bring back my code").click()
        expect(watch.page.get_by_label("Code cell 3", exact=True)).to_contain_text("print('mine')")
        expect(watch.page.get_by_label("Code cell 4", exact=True)).to_contain_text("net.SGD(training_data, 30")
        expect(watch.page.get_by_role("button", name="Bring back my code")).to_be_hidden()
        assert "nb=" not in watch.page.evaluate("location.hash")   # a reload keeps your code
        watch.page.reload()
        show_notebook(watch.page)
        expect(watch.page.get_by_label("Code cell 3", exact=True)).to_contain_text("print('mine')")
        # A notebook link pasted into the open page (only the hash changes) is applied too.
        watch.page.evaluate("(hash) => { location.hash = hash; }", "#" + url.split("#", 1)[1])
        expect(watch.page.get_by_label("Code cell 4", exact=True)).to_contain_text("print('shared code')")
        expect(watch.page.get_by_text("Your own edits were set aside")).to_be_visible()
    finally:
        watch.close()


def test_tab_passes_through_an_editor_until_the_person_edits_in_it(notebook):
    page = notebook
    editor = page.get_by_label("Code cell 1", exact=True)
    run_1 = page.get_by_role("button", name="Run cell 1", exact=True)
    run_2 = page.get_by_role("button", name="Run cell 2", exact=True)
    code = code_of(page, 1)
    expect(output(page, 1)).to_be_hidden()              # so Run cell 2 is the next control
    moves_on = "Tab moves on · type to edit, then Tab indents"
    indents = "Tab indents · Esc then Tab leaves the editor"
    hint = page.locator(".nb-cell").first.locator(".nb-key-hint")

    # Tabbed into, the editor says Tab moves on, and Tab and Shift+Tab do.
    run_1.focus()
    page.keyboard.press("Tab")
    expect(editor).to_be_focused()
    expect(editor).to_have_accessible_description(moves_on)
    expect(hint).to_be_visible()
    page.keyboard.press("Tab")
    expect(run_2).to_be_focused()
    expect(hint).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    expect(editor).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(run_1).to_be_focused()
    assert code_of(page, 1) == code

    # Moving through the code with the arrow keys is not editing: Tab still moves on.
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(run_2).to_be_focused()
    assert code_of(page, 1) == code

    # Clicked into, Tab and Shift+Tab indent; Esc gives Tab back to moving on.
    editor.click()
    expect(editor).to_have_accessible_description(indents)
    expect(hint).to_have_text(indents)
    page.keyboard.press("Control+Home")
    page.keyboard.press("Tab")
    assert code_of(page, 1) == "    " + code
    page.keyboard.press("Shift+Tab")
    expect(editor).to_be_focused()
    assert code_of(page, 1) == code
    page.keyboard.press("Escape")
    expect(editor).to_have_accessible_description(moves_on)
    page.keyboard.press("Tab")
    expect(run_2).to_be_focused()
    assert code_of(page, 1) == code
