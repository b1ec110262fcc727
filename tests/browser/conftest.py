"""Browser fixtures: build the site, serve it under a sub-path, drive Chromium offline.

The site is built against the offline test runtime (the full Pyodide 0.17
distribution from tests/test-runtime, installed by tests/run.py) and served on
127.0.0.1 under /digit-lab/, as GitHub Pages serves a project site. Every
request that leaves for another origin is aborted and fails the test; browser
console lines are forwarded into the test log; page errors fail the test.
"""

import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

TEST_RUNTIME = ROOT / "tests" / "test-runtime" / "node_modules" / "@pyodide" / "pyodide" / "dist"
CACHE = ROOT / ".cache"
BASE_PATH = "/digit-lab/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
BOOT_TIMEOUT_MS = 180_000


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome")
    if not path:
        pytest.fail("Chromium was not found: install Debian's chromium or set CHROMIUM "
                    "(tests/run.py does this for you).")
    return path


def serve(directory):
    server = build.make_server(directory, port=0, base_path=BASE_PATH, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, "http://127.0.0.1:{}{}".format(server.server_address[1], BASE_PATH)


@pytest.fixture(scope="session")
def test_site():
    """Build the site against the offline test runtime and serve it; yield its URL."""
    if not (TEST_RUNTIME / "pyodide.js").exists():
        pytest.fail("The offline test runtime is missing; run the tests with "
                    "`python3 tests/run.py`, which installs it.")
    out = CACHE / "site-test"
    build.build(out, pyodide_dist=TEST_RUNTIME)
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def production_site():
    """Build the production site (Pyodide 314 core, NumPy from the CDN); yield its URL."""
    out = CACHE / "site-production"
    build.build(out)
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageWatch:
    """A page with its console forwarded, its errors and outside requests recorded."""

    def __init__(self, browser, base_url, allow_hosts=()):
        self.errors, self.outside = [], []
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           accept_downloads=True)
        origin = base_url.split(BASE_PATH)[0]
        self.context.route(lambda url: not url.startswith(origin) and not url.startswith("data:")
                           and not url.startswith("blob:"), self._abort_outside)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: print("[browser console.{}] {}".format(m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.allow_hosts = allow_hosts

    def _abort_outside(self, route):
        url = route.request.url
        if not any(host in url for host in self.allow_hosts):
            self.outside.append(url)
        route.abort()

    def open(self, fragment=""):
        self.page.goto(self.base_url + fragment)
        return self.page

    def close(self):
        self.context.close()
        assert not self.errors, "page errors: {}".format(self.errors)
        assert not self.outside, "requests left for other origins: {}".format(self.outside)


@pytest.fixture
def app(browser, test_site):
    """Return a factory that opens the app (optionally with a URL hash) in a fresh page."""
    watches = []

    def open_app(fragment="", wait_ready=True):
        from playwright.sync_api import expect
        watch = PageWatch(browser, test_site)
        watches.append(watch)
        page = watch.open(fragment)
        if wait_ready:
            expect(page.get_by_role("status", name="App status")).to_have_text(
                "Ready", timeout=BOOT_TIMEOUT_MS)
        return page

    yield open_app
    for watch in watches:
        watch.close()
