"""Browser fixtures: the test-runtime site, the production site, Chromium, and app pages.

See harness.py for how pages are watched (console forwarded, page errors and requests to
other origins fail the test).
"""

import pytest

from harness import (BOOT_TIMEOUT_MS, CACHE, CHROMIUM_ARGS, TEST_RUNTIME, PageWatch, build,
                     chromium_path, serve)


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
