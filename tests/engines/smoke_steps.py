"""The smoke suite every engine runs, step by step in one page (test_firefox_smoke.py and
test_webkit_smoke.py subclass SmokeSteps): Ready; two drawn digits read right; a tiny
training run; a settings-and-notebook link (its code unpacked with DecompressionStream
"deflate-raw"); a notebook cell that prints, and a notebook link packed with
CompressionStream "deflate-raw"; a reload with the server gone, from the service worker;
the production build booting Python and showing NumPy's download error with Retry.

After every step, page errors (uncaught exceptions, unhandled rejections, CSP violations)
and requests for other origins fail it. The page is read and driven by its visible text,
labels and roles, through the small driver interface of driver_firefox/driver_webkit.
"""

import base64
import json
import re
import zlib

import pytest

from drawing import DIGIT_STROKES

BOOT_MS = 150_000
RUN_MS = 150_000

# The first visit: a tiny run (the browser tests keep runs small the same way, by the hash).
FIRST_LINK = "#hidden=10&epochs=1&samples=500&seed=1"
# A shared link pasted into the open page: settings, and notebook code in "nb".
SHARED_CODE = "print('Hello from the notebook,', 6 * 7)"
SHARED_OUTPUT = "Hello from the notebook, 42\n"
# Interrupt (after the offline reload the service worker's COOP/COEP isolate the page): the
# book's data and network, net.SGD on the 50,000 images interrupted, then a cell that needs both
LOAD_CODE = ("import mnist_loader\nfrom pycore.network import Network\n"
             "training_data, validation_data, test_data = mnist_loader.load_data_wrapper()\n"
             "net = Network([784, 30, 10])")
SGD_CODE = "net.SGD(training_data, 30, 10, 3.0)"
KEPT_CODE = "print('kept', len(training_data), net.sizes)"
LINK_VALUES = {"Hidden layers": "24, 12", "Epochs": "3", "Mini-batch size": "20",
               "Learning rate": "0.5", "Training samples": "700", "Seed": "7"}
LINK_SETTINGS = "hidden=24,12&epochs=3&batch=20&eta=0.5&samples=700&seed=7"
# How the recording proxy sees the production worker ask for NumPy's wheel (https).
CDN_CONNECT = "CONNECT cdn.jsdelivr.net:443 "

# Page helpers, defined in front of each expression the steps evaluate.
HELPERS = r"""
const text = (el) => (el ? el.textContent : null);
const status = () => text(document.getElementById("app-status"));
const named = (el) => (el.getAttribute("aria-label") || el.textContent).trim();
const byLabel = (name) => document.querySelector(`[aria-label="${name}"]`)
  || ([...document.querySelectorAll("label")].find((l) => l.textContent.trim() === name)
      || {}).control || null;
const button = (name) => [...document.querySelectorAll("button")]
  .find((b) => named(b) === name && b.getClientRects().length > 0) || null;
const target = (el) => {           // the centre of ``el`` in the viewport, if it is what is there
  if (!el) return null;
  el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return hit && el.contains(hit) ? [x, y, r.left, r.top, r.width, r.height] : null;
};
const steady = (where) => new Promise((done) => {   // where() twice, 150 ms apart, if equal
  const first = JSON.stringify(where());
  const same = () => first !== "null" && JSON.stringify(where()) === first && JSON.parse(first);
  setTimeout(() => done(same()), 150);
});
const cellStatus = (n) => text(cell(n).querySelector(".nb-cell-status"));
const cell = (n) => document.querySelectorAll(".nb-cell")[n - 1];
const cellCode = (n) => {
  const editor = cell(n).querySelector(".CodeMirror");
  return editor ? editor.CodeMirror.getValue() : cell(n).querySelector("textarea").value;
};
const nb = (name) => document.querySelector(`[data-nb="${name}"]`);
const meters = () => JSON.stringify([...document.querySelectorAll("meter")].map((m) => m.value));
"""


def js(expression):
    """Return ``expression`` evaluated with HELPERS in scope."""
    return "(() => {" + HELPERS + "return (" + expression + ");\n})()"


def notebook_param(cells):
    """The "nb" value of a notebook link, packed as the page packs it (deflate-raw)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = json.dumps({"v": 1, "cells": cells}).encode()
    return base64.urlsafe_b64encode(packer.compress(data) + packer.flush()).decode().rstrip("=")


def segments(stroke, steps=8):
    """The stroke's points with ``steps`` moves along each segment, as Playwright moves."""
    points = [stroke[0]]
    for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
        points += [(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps)
                   for k in range(1, steps + 1)]
    return points


class SmokeSteps:
    """The steps, in order; a subclass sets ``engine`` ("firefox" or "webkit")."""

    engine = None

    @pytest.fixture(autouse=True)
    def _checked(self, engine, request):
        """Fail a step that needs the page once one before it failed; after each step,
        fail it on page errors or requests for other origins."""
        if engine.broken and not getattr(request.function, "independent", False):
            pytest.fail("not run: the earlier step {} failed".format(engine.broken))
        yield
        problems = engine.problems()
        outside = engine.outside.take()
        assert not problems, "page errors in {}: {}".format(self.engine, problems)
        assert not outside, "requests left for other origins: {}".format(outside)

    # helpers

    def wait(self, engine, expression, what, timeout_ms=30_000):
        value = engine.driver.wait_for(js(expression), timeout_ms)
        assert value, "{}: {} (after {} s; the app status says {!r})".format(
            self.engine, what, timeout_ms // 1000, self.look(engine, "status()"))
        return value

    def look(self, engine, expression):
        return engine.driver.evaluate(js(expression))

    def click(self, engine, element, what):
        """Click the middle of ``element`` with the mouse; again if the page moved under the
        pointer meanwhile (the Inside views grow as they fill) and the click missed it."""
        for _ in range(3):
            spot = self.wait(engine, "steady(() => target({}))".format(element),
                             what + " is not there to click")
            self.look(engine, "(() => {{ window.clickLanded = false; {}.addEventListener("
                              "'click', () => {{ window.clickLanded = true; }}, {{ once: true, "
                              "capture: true }}); return true; }})()".format(element))
            engine.driver.click(spot[0], spot[1])
            if self.look(engine, "window.clickLanded"):
                return
        pytest.fail("{}: three clicks on {} landed elsewhere".format(self.engine, what))

    def draw(self, engine, digit):
        _, _, left, top, width, height = self.wait(
            engine, 'steady(() => target(byLabel("Drawing pad")))', "the pad is not visible")
        engine.driver.pointer([[(left + px * width, top + py * height) for px, py in segments(s)]
                               for s in DIGIT_STROKES[digit]])

    # the steps

    def test_1_reaches_ready(self, engine):
        engine.driver.goto(engine.app.url + FIRST_LINK)
        self.wait(engine, 'status() === "Ready"', "the app never said Ready", BOOT_MS)

    def test_2_reads_two_drawn_digits(self, engine):
        for digit in ("2", "7"):
            self.draw(engine, digit)
            # the answer, once the bars have stopped changing
            settled = """new Promise((done) => { const before = meters(); setTimeout(
                () => done(meters() === before && text(byLabel("Prediction"))), 400); })"""
            answer = self.wait(engine, 'text(byLabel("Prediction")) === "{}" && {}'.format(
                digit, settled), "the pad never read the drawn {}".format(digit), 20_000)
            assert answer == digit, "the pad read the drawn {} as {}".format(digit, answer)
            self.click(engine, 'button("Clear")', "Clear")
            self.wait(engine, 'text(byLabel("Prediction")) === "–"', "Clear left an answer")

    def test_3_trains_a_tiny_run(self, engine):
        self.click(engine, 'button("Train")', "Train")
        self.wait(engine, 'text(byLabel("Training log")).includes("Epoch 0:")',
                  'the run never logged "Epoch 0:"', RUN_MS)
        self.wait(engine, '!button("Train").disabled', "Train stayed disabled after the run")

    def test_4_a_link_sets_the_form_and_the_notebook(self, engine):
        link = LINK_SETTINGS + "&nb=" + notebook_param({"4": SHARED_CODE, "5": LOAD_CODE,
                                                        "6": SGD_CODE, "7": KEPT_CODE})
        engine.driver.evaluate("(() => { location.hash = %s; return true; })()" % json.dumps(link))
        shown = ("JSON.stringify(Object.keys({}).map((label) => "
                 "byLabel(label).value.replace(/\\s+/g, ' ')))").format(json.dumps(LINK_VALUES))
        expected = json.dumps(list(LINK_VALUES.values()), separators=(",", ":"))
        if not engine.driver.wait_for(js("{} === {}".format(shown, json.dumps(expected))), 30_000):
            pytest.fail("the form did not take the link's settings {}: it shows {}".format(
                list(LINK_VALUES.items()), self.look(engine, shown)))
        if not engine.driver.wait_for(js("cellCode(4) === " + json.dumps(SHARED_CODE)), 30_000):
            pytest.fail("notebook cell 4 does not show the link's code (unpacked with "
                        "DecompressionStream deflate-raw); the notebook says: {!r}".format(
                            self.look(engine, 'text(nb("notice-text"))')))

    def test_5_runs_a_notebook_cell_that_prints(self, engine):
        self.click(engine, 'button("Run cell 4")', "Run cell 4")
        done = self.wait(engine, "/^(Done in|Failed|Stopped)/.test(cellStatus(4)) && cellStatus(4)",
                         "cell 4 never finished", RUN_MS)
        output = self.look(engine, 'text(byLabel("Output of cell 4"))')
        assert done.startswith("Done in") and output == SHARED_OUTPUT, (done, output)
        # Copy notebook link packs the code with CompressionStream("deflate-raw")
        self.click(engine, 'button("Copy notebook link")', "Copy notebook link")
        flash = self.wait(engine, 'text(nb("copy-result"))', "Copy notebook link said nothing")
        assert re.match(r"Notebook link copied|Could not copy; the notebook link is in the address",
                        flash), flash

    def test_6_reloads_offline_from_the_service_worker(self, engine):
        self.wait(engine, "navigator.serviceWorker.controller !== null",
                  "the service worker never took control of the page", 60_000)
        engine.app.stop()                          # its port closed: nothing answers there now
        engine.driver.reload()
        self.wait(engine, 'status() === "Ready"', "offline, the app never said Ready", BOOT_MS)
        assert self.look(engine, "navigator.serviceWorker.controller !== null")
        self.wait(engine, 'byLabel("Hidden layers").value.replace(/\\s+/g, " ") === "24, 12"',
                  "offline, the page lost the link's settings")

    def test_6b_interrupt_keeps_the_variables_where_the_page_is_isolated(self, engine):
        isolated = self.look(engine, "crossOriginIsolated === true")
        shared = self.look(engine, 'typeof SharedArrayBuffer === "function"')
        if self.engine == "webkit":
            # WebKitGTK isolates the page but gives it no SharedArrayBuffer: Interrupt falls
            # back to a restart (the notebook tests check that fallback's sentence in Chromium)
            assert isolated and not shared, (isolated, shared)
            return
        assert isolated and shared, "offline, the page is not cross-origin isolated"
        self.click(engine, 'button("Run cell 5")', "Run cell 5")      # MNIST, 50,000 pairs, net
        done = self.wait(engine, "/^(Done in|Failed|Stopped)/.test(cellStatus(5)) && cellStatus(5)",
                         "cell 5 never finished", RUN_MS)
        assert done.startswith("Done in"), (done, self.look(engine, 'text(byLabel("Output of cell 5"))'))
        self.click(engine, 'button("Run cell 6")', "Run cell 6")      # net.SGD on the 50,000
        self.wait(engine, 'cellStatus(6).startsWith("Running")', "cell 6 never started", RUN_MS)
        engine.driver.wait_for(js("new Promise((done) => setTimeout(() => done(true), 1500))"), 5000)
        self.click(engine, 'button("Interrupt")', "Interrupt")
        status = self.wait(engine, "/^(Done in|Failed|Stopped|Interrupted)/.test(cellStatus(6)) "
                                   "&& cellStatus(6)", "Interrupt did not end cell 6", 10_000)
        output = self.look(engine, 'text(byLabel("Output of cell 6"))')
        assert status.startswith("Interrupted after") and "KeyboardInterrupt" in output, \
            (status, output)
        self.click(engine, 'button("Run cell 7")', "Run cell 7")
        self.wait(engine, "/^(Done in|Failed)/.test(cellStatus(7))", "cell 7 never finished", RUN_MS)
        assert self.look(engine, 'text(byLabel("Output of cell 7"))') == "kept 50000 [784, 30, 10]\n"

    def test_7_production_build_shows_the_numpy_error_with_retry(self, engine):
        error = "NumPy could not be downloaded"
        left = engine.problems()                   # the app's page, read before leaving it
        assert not left, "page errors in {}: {}".format(self.engine, left)
        engine.driver.goto(engine.production.url)
        self.wait(engine, 'status().includes("{}") && status().includes("Python 3.14")'.format(
            error), "the production build did not boot Python and show NumPy's error", BOOT_MS)
        outside = engine.outside.take()
        assert outside and all(line.startswith(CDN_CONNECT) for line in outside), \
            "the production build asked other origins than NumPy's CDN: {}".format(outside)
        # Retry starts Python again (a new worker), leaving the error behind
        self.click(engine, 'button("Retry")', "Retry")
        self.wait(engine, '!status().includes("{}") && button("Retry") === null'.format(error),
                  "Retry did not start Python again")
        assert self.look(engine, 'target(byLabel("Drawing pad")) !== null')
        problems = engine.problems()
        assert not problems, "page errors in {}: {}".format(self.engine, problems)
        engine.driver.goto("about:blank")          # ends the new worker, which may ask the CDN
        engine.outside.take()

    test_7_production_build_shows_the_numpy_error_with_retry.independent = True
