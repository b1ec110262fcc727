#!/usr/bin/env python3
"""Benchmark what the "Inside the network" section costs training, in headless Chromium with
the offline test runtime (Pyodide 0.17, NumPy 1.17 without BLAS).

One page trains the same run (Epochs = 2, Training samples = 10,000, the other settings the
defaults, Hidden layers as given) several times, alternating between the section on screen
(it then asks for the weight images a few times a second and for the epoch's evaluation) and
scrolled away (it asks for nothing). Measured per run: the wall time of the second epoch, from
the worker's "epoch" event of epoch 0 to that of epoch 1 (training, chunking, the test-set
evaluation and whatever the page asked for in between), and how many weight pages the worker
sent. The worker's messages are recorded by wrapping its postMessage from outside
(Playwright), with no hook in the app. Prints the medians and the ratio visible / hidden.

    .venv/bin/python bench/bench_inside.py [--rounds 3] [--hidden 100]
"""

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

TEST_RUNTIME = ROOT / "tests" / "test-runtime" / "node_modules" / "@pyodide" / "pyodide" / "dist"
RUN_TIMEOUT_MS = 900_000

RECORD = """() => {
  const events = self.__insideBench = [];
  const post = self.postMessage.bind(self);
  self.postMessage = (message, ...rest) => {
    if (message && message.type === "epoch") events.push({ t: Date.now(), type: "epoch", seconds: message.seconds });
    else if (message && message.result && message.result.weights) events.push({ t: Date.now(), type: "weights" });
    return post(message, ...rest);
  };
}"""


def one_run(page, worker, visible):
    """Train once with the section on screen or not; return (second epoch's wall s, weight pages)."""
    from playwright.sync_api import expect
    worker.evaluate("() => { self.__insideBench.length = 0; }")
    page.get_by_role("button", name="Train", exact=True).click()
    inside = page.get_by_role("heading", name="Inside the network")
    if visible:
        inside.scroll_into_view_if_needed()
    else:
        page.evaluate("() => window.scrollTo(0, 0)")
    on_screen = page.evaluate("""() => { const r = document.getElementById('inside').getBoundingClientRect();
                                         return r.top < innerHeight && r.bottom > 0; }""")
    assert on_screen == visible, "the section is {}on screen".format("not " if visible else "")
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=RUN_TIMEOUT_MS)
    events = worker.evaluate("() => self.__insideBench")
    epochs = [e for e in events if e["type"] == "epoch"]
    weights = [e for e in events if e["type"] == "weights" and epochs[0]["t"] <= e["t"] <= epochs[1]["t"]]
    return (epochs[1]["t"] - epochs[0]["t"]) / 1000, len(weights)


def main():
    from playwright.sync_api import expect, sync_playwright
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per way")
    parser.add_argument("--hidden", default="100", help="the Hidden layers setting")
    parser.add_argument("--samples", type=int, default=10000, help="training samples")
    args = parser.parse_args()
    out = ROOT / ".cache" / "site-bench-inside"
    build.build(out, pyodide_dist=TEST_RUNTIME)
    server, base = build.serve_in_background(out)
    times = {True: [], False: []}
    pages = {True: [], False: []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=build.find_chromium(), args=build.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, service_workers="block")
        page.goto(base)
        expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=180_000)
        worker = page.workers[0]
        worker.evaluate(RECORD)
        for label, value in {"Hidden layers": args.hidden, "Epochs": 2,
                             "Training samples": args.samples}.items():
            page.get_by_label(label, exact=True).fill(str(value))
        one_run(page, worker, True)                  # warm-up: MNIST download and parse
        for _ in range(args.rounds):
            for visible in (True, False):
                seconds, count = one_run(page, worker, visible)
                times[visible].append(seconds)
                pages[visible].append(count)
        browser.close()
    server.shutdown()
    print("Inside the network: second-epoch wall time, [784, {}, 10], {} samples, m = 10, "
          "NumPy 1.17 (Pyodide test runtime, headless Chromium), {} runs each way, alternated"
          .format(args.hidden.replace(",", ", "), args.samples, args.rounds))
    for visible, name in ((True, "section on screen"), (False, "section scrolled away")):
        print("  {:<24} {:.2f} s median ({:.2f}-{:.2f}); weight pages sent per epoch: {}".format(
            name, statistics.median(times[visible]), min(times[visible]), max(times[visible]),
            pages[visible]))
    ratios = [a / b for a, b in zip(times[True], times[False])]
    print("  visible / hidden         {:.3f} median ({:.3f}-{:.3f})   (target <= 1.10)".format(
        statistics.median(ratios), min(ratios), max(ratios)))


if __name__ == "__main__":
    main()
