#!/usr/bin/env python3
"""Train the Architecture menu's "Fast conv net" in the page itself (headless Chromium, the
offline test runtime: Pyodide 0.17, NumPy 1.17 without BLAS) and print, epoch by epoch, the
test accuracy of the log's "Epoch k: N / 10000" line and the minutes since Train was pressed
(wall clock: training, the page's charts and the test-set pass of each epoch), until the run
ends or --minutes pass. The page is the app as it ships, choosing the preset from the menu.

    .venv/bin/python bench/bench_conv_page.py [--minutes 6] [--arch fast]
"""

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from bench_site import TEST_RUNTIME  # noqa: E402

EPOCH_LINE = re.compile(r"Epoch (\d+): (\d+) / 10000")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=6.0, help="stop watching after this long")
    parser.add_argument("--arch", default="fast", help="the Architecture menu's entry")
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright
    out = ROOT / ".cache" / "site-bench-page"
    build.build(out, pyodide_dist=TEST_RUNTIME)
    server, base = build.serve_in_background(out)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=build.find_chromium(), args=build.CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base)
            expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=180_000)
            page.get_by_label("Architecture", exact=True).select_option(args.arch)
            settings = page.locator("#settings-summary-text")
            page.get_by_role("button", name="Train", exact=True).click()
            start = time.perf_counter()
            log = page.get_by_role("log", name="Training log")
            print("The {!r} preset in the page: {}".format(args.arch, settings.inner_text()), flush=True)
            seen, shown = 0, 0.0
            while time.perf_counter() - start < args.minutes*60:
                page.wait_for_timeout(500)     # Playwright runs the page's events meanwhile
                lines = EPOCH_LINE.findall(log.inner_text())
                for epoch, correct in lines[seen:]:
                    print("  epoch {}: {:.2f}% of the test images after {:.2f} min".format(
                        epoch, int(correct)/100, (time.perf_counter()-start)/60), flush=True)
                seen = len(lines)
                if time.perf_counter()-start > shown+30:     # where the run is, twice a minute
                    shown = time.perf_counter()-start
                    print("    {:.1f} min: {}".format(shown/60, page.locator("#run-title").inner_text()),
                          flush=True)
                if page.get_by_role("button", name="Train", exact=True).is_enabled():
                    print(log.inner_text().splitlines()[-1], flush=True)    # how the run ended
                    break
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
