"""Browser test harness: build and serve the site under a sub-path, watch pages offline.

The site is built against the offline test runtime (the full Pyodide 0.17
distribution from tests/test-runtime, installed by tests/run.py) and served on
127.0.0.1 under /digit-lab/, as GitHub Pages serves a project site. Every
request that leaves for another origin is aborted and fails the test; browser
console lines are forwarded into the test log; page errors fail the test.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

TEST_RUNTIME = ROOT / "tests" / "test-runtime" / "node_modules" / "@pyodide" / "pyodide" / "dist"
# a folder per pytest-xdist worker (tests/run.py runs two): each builds and serves its own sites
CACHE = ROOT / ".cache" / os.environ.get("PYTEST_XDIST_WORKER", "main")
BASE_PATH = "/digit-lab/"
CHROMIUM_ARGS = build.CHROMIUM_ARGS
BOOT_TIMEOUT_MS = 180_000


def chromium_path():
    try:
        return build.find_chromium()
    except build.BuildError as e:
        pytest.fail(str(e))


def serve(directory):
    return build.serve_in_background(directory, BASE_PATH)


class PageWatch:
    """A page with its console forwarded, its errors and outside requests recorded.

    The site's service worker is blocked unless ``service_workers="allow"``
    (test_offline.py): with it, requests answered from its cache never reach the
    routes that other tests use to fail or stall a download."""

    def __init__(self, browser, base_url, allow_hosts=(), service_workers="block"):
        self.errors, self.outside, self.blocked_allowed = [], [], []
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           accept_downloads=True, service_workers=service_workers)
        origin = base_url.split(BASE_PATH)[0]
        self.context.route(lambda url: not url.startswith(origin) and not url.startswith("data:")
                           and not url.startswith("blob:"), self._abort_outside)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: print("[browser console.{}] {}".format(m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.allow_hosts = allow_hosts

    def _abort_outside(self, route):
        url = route.request.url
        if any(host in url for host in self.allow_hosts):
            self.blocked_allowed.append(url)
        else:
            self.outside.append(url)
        route.abort()

    def open(self, fragment=""):
        self.page.goto(self.base_url + fragment)
        return self.page

    def close(self):
        self.context.close()
        assert not self.errors, "page errors: {}".format(self.errors)
        assert not self.outside, "requests left for other origins: {}".format(self.outside)
