#!/usr/bin/env python3
"""The notebook's output and Interrupt in the page itself (headless Chromium, the offline
test runtime: Pyodide 0.17): how long the page's main thread takes to answer while a cell
floods it with output, and how long Interrupt takes.

The page is the app as it ships, under its service worker and reloaded once, so that it is
cross-origin isolated (``--not-isolated`` keeps the service worker out: Interrupt then
restarts Python). Every ``--probe-ms`` the benchmark evaluates ``1 + 1`` in the page and
times the answer (Playwright's round trip included, a few ms). It prints, for each
workload, the probes' count, median, 95th percentile and worst time, the page's long tasks
(main-thread tasks over 50 ms: their count, sum and longest), and the output the cell
shows. On a machine shared with other work, compare with the idle page's figures:

- ``while True: print('line', i)`` for ``--seconds`` (60), then Interrupt: the time from
  the click to the cell's "Interrupted after" (or "Stopped after") status, measured in the
  page;
- ``for i in range(--lines): print('line', i)`` (200,000) to its end: the worker's "Done in";
- ``net.SGD`` of pycore's fast Network on 1,000 random images for 10,000 epochs, then
  Interrupt: the same click-to-status time while NumPy trains.

``--site DIR`` serves an already built site instead (e.g. an older commit's, for a
before/after figure: its Stop notebook button is pressed where Interrupt is missing).

    .venv/bin/python bench/bench_notebook_output.py [--seconds 60] [--lines 200000]
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from bench_site import TEST_RUNTIME  # noqa: E402

ENDLESS = "i = 0\nwhile True:\n    print('line', i)\n    i += 1"
FINITE = "for i in range({}):\n    print('line', i)"
SGD = ("import numpy as np\nfrom pycore.network import Network as FastNetwork\n"
       "rng = np.random.RandomState(0)\n"
       "data = [(rng.rand(784, 1), np.eye(10)[:, [k % 10]]) for k in range(1000)]\n"
       "net = FastNetwork([784, 30, 10], seed=1)\nnet.SGD(data, 10000, 10, 3.0)")
FINISHED = ("Done in", "Failed after", "Interrupted after", "Stopped after", "Failed")

# The page's long tasks (over 50 ms on the main thread), collected from the start.
LONG_TASKS = """window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
  .observe({ entryTypes: ["longtask"] });"""

# Click the stop button and resolve with the ms until the cell's status says it ended.
STOP_AND_TIME = """async ([index, name]) => {
  const status = document.querySelectorAll(".nb-cell")[index].querySelector(".nb-cell-status");
  const button = [...document.querySelectorAll("#notebook .nb-toolbar button")].find((b) => b.textContent.trim() === name);
  const started = performance.now();
  button.click();
  while (!/^(Interrupted|Stopped|Failed)/.test(status.textContent)) await new Promise((r) => setTimeout(r, 5));
  return performance.now() - started;
}"""


def set_code(page, n, code):
    page.evaluate("([i, c]) => { const cell = document.querySelectorAll('.nb-cell')[i];"
                  " const cm = cell.querySelector('.CodeMirror');"
                  " if (cm) cm.CodeMirror.setValue(c); else cell.querySelector('textarea').value = c; }",
                  [n - 1, code])


def status(page, n):
    return page.locator(".nb-cell").nth(n - 1).locator(".nb-cell-status").text_content()


def probe(page):
    started = time.perf_counter()
    assert page.evaluate("1 + 1") == 2
    return time.perf_counter() - started


def report(name, probes, page, extra=""):
    """Print the probes' figures and the page's long tasks since the last report."""
    ms = sorted(1000 * p for p in probes)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    tasks = page.evaluate("window.__longTasks.splice(0)")
    print("  {}: {} probes, median {:.0f} ms, 95th percentile {:.0f} ms, worst {:.0f} ms; "
          "{} long tasks, {:.0f} ms in all, the longest {:.0f} ms{}".format(
              name, len(ms), statistics.median(ms), p95, ms[-1], len(tasks), sum(tasks),
              max(tasks, default=0), extra), flush=True)


def shown(page, n):
    cell = page.locator(".nb-cell").nth(n - 1)
    note = cell.locator(".nb-output-note")
    lines = len((cell.locator(".nb-output").text_content() or "").splitlines())
    return "; {} lines shown{}".format(lines, ", " + note.text_content() if note.count() and note.is_visible() else "")


def run_and_probe(page, n, code, seconds, probe_ms, until_done=False):
    """Run ``code`` in cell ``n`` and probe the page for ``seconds`` (or until the cell
    ends); return the probes' times."""
    set_code(page, n, code)
    page.get_by_role("button", name="Run cell {}".format(n), exact=True).click()
    probes, started = [], time.perf_counter()
    while time.perf_counter() - started < seconds:
        probes.append(probe(page))
        if until_done and status(page, n).startswith(FINISHED):
            break
        page.wait_for_timeout(probe_ms)
    return probes


def stop_button(page):
    names = page.locator("#notebook .nb-toolbar button").all_text_contents()
    return "Interrupt" if "Interrupt" in [n.strip() for n in names] else "Stop notebook"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the endless cell runs")
    parser.add_argument("--lines", type=int, default=200_000, help="the finite loop's lines")
    parser.add_argument("--probe-ms", type=int, default=100, help="the pause between probes")
    parser.add_argument("--not-isolated", action="store_true", help="no service worker: no isolation")
    parser.add_argument("--site", help="serve this built site instead of building one")
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright
    if args.site:
        out = Path(args.site)
    else:
        out = ROOT / ".cache" / "site-bench-notebook"
        build.build(out, pyodide_dist=TEST_RUNTIME)
    server, base = build.serve_in_background(out)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=build.find_chromium(), args=build.CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          service_workers="block" if args.not_isolated else "allow")
            context.add_init_script(LONG_TASKS)
            page = context.new_page()
            page.goto(base)
            expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=180_000)
            if not args.not_isolated:
                page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
                page.reload()
                expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=180_000)
            page.get_by_role("heading", name="Notebook").scroll_into_view_if_needed()
            page.wait_for_timeout(2000)            # CodeMirror
            isolated = page.evaluate("crossOriginIsolated")
            print("Notebook output in Chromium, Pyodide 0.17; page cross-origin isolated: {}; "
                  "a probe every {} ms".format(isolated, args.probe_ms), flush=True)
            set_code(page, 3, "x = 1")
            page.get_by_role("button", name="Run cell 3", exact=True).click()
            expect(page.locator(".nb-cell").nth(2).locator(".nb-cell-status")).to_have_text(
                re.compile("^Done"), timeout=180_000)
            button = stop_button(page)
            page.evaluate("window.__longTasks.splice(0)")
            report("idle page, 3 s (for comparison)", run_and_probe(page, 4, "", 3, args.probe_ms), page)

            probes = run_and_probe(page, 4, ENDLESS, args.seconds, args.probe_ms)
            took = page.evaluate(STOP_AND_TIME, [3, button])
            report("endless print loop, {:.0f} s".format(args.seconds), probes, page,
                   "{}; {} to '{}' in {:.0f} ms".format(shown(page, 4), button, status(page, 4), took))

            if button == "Stop notebook" or not isolated:
                page.wait_for_timeout(5000)         # the restarted worker boots
            probes = run_and_probe(page, 5, FINITE.format(args.lines), 600, args.probe_ms, until_done=True)
            report("{:,}-line loop".format(args.lines), probes, page,
                   "{}; the cell: '{}'".format(shown(page, 5), status(page, 5)))

            run_and_probe(page, 6, SGD, 8, 200)
            took = page.evaluate(STOP_AND_TIME, [5, button])
            print("  net.SGD on 1,000 random images: {} to '{}' in {:.0f} ms".format(
                button, status(page, 6), took), flush=True)
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
