"""Offline after the first visit: the service worker precaches the site and the runtime,
keeps MNIST once downloaded, and a new build offers "A new version is ready — Reload".

One browser context with service workers allowed (the other tests block them), on its
own copy of the test site, so that a second "deploy" can change a file of it."""

import shutil

import pytest
from playwright.sync_api import expect

from axe import assert_no_axe_violations
from drawing import draw_digit
from harness import BOOT_TIMEOUT_MS, CACHE, PageWatch, build, serve
from test_csp import RECORD_VIOLATIONS, violations
from test_train import TRAIN_TIMEOUT_MS

pytestmark = pytest.mark.browser

INTRO = "A neural network trained in your browser, in Python."
NEW_INTRO = "A neural network trained in your browser, in Python (next build)."

# The site's caches: {name: [paths relative to the site]}.
CACHES = """async () => {
  const base = new URL("./", document.baseURI).href;
  const out = {};
  for (const name of await caches.keys()) {
    const keys = await (await caches.open(name)).keys();
    out[name] = keys.map((request) => request.url.slice(base.length)).sort();
  }
  return out;
}"""

# Whether the MNIST cache holds `count` files within 30 s (polled in the page).
DATA_CACHED = """async (count) => {
  for (let tries = 0; tries < 300; tries++) {
    const data = (await caches.keys()).find((name) => name.includes(" data-"));
    if (data && (await (await caches.open(data)).keys()).length >= count) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}"""


def built_info(site):
    return build.service_worker_build(site / build.SERVICE_WORKER)


def wait_until_controlled(page):
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    return page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)")


def train(page):
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_role("log", name="Training log")).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled(timeout=30_000)


def redeploy(site):
    """Change one file of the served site and write its service worker again, as a
    second build does; return the new build's version."""
    index = site / "index.html"
    index.write_text(index.read_text().replace(INTRO, NEW_INTRO))
    paths = [p.relative_to(site).as_posix() for p in site.rglob("*")
             if p.is_file() and p.name != build.SERVICE_WORKER]
    build.write_service_worker(site, paths, None)
    return built_info(site)["version"]


def test_works_offline_after_the_first_visit_and_offers_a_new_version(browser, test_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(str(CACHE / "site-test"), str(site))    # built by the test_site fixture
    info = built_info(site)
    server, url = serve(site)
    watch = PageWatch(browser, url, service_workers="allow")
    watch.context.add_init_script(RECORD_VIOLATIONS)
    page = watch.page
    page.on("dialog", lambda dialog: dialog.accept())     # leaving with an unsaved network asks
    status = page.get_by_role("status", name="App status")
    notice = page.get_by_role("status", name="Update notice")
    try:
        # First visit: the worker installs (precaching every file but MNIST) and takes
        # control; no update notice.
        watch.open("#samples=1000&epochs=1")
        expect(status).to_have_text("Ready", timeout=BOOT_TIMEOUT_MS)
        assert wait_until_controlled(page) == "activated"
        cached = page.evaluate(CACHES)
        site_cache = [name for name in cached if name.endswith("site-" + info["version"])]
        assert len(site_cache) == 1, cached
        precached = sorted(set(info["files"]) - set(info["onDemand"]))
        assert cached[site_cache[0]] == precached
        assert "pyodide/numpy.data" in precached and "models/pretrained.json" in precached
        expect(notice).to_be_hidden()

        # The worker takes control of the page and its Python worker at once, so this
        # visit's Train already keeps MNIST: the test set (which Train loads first) and
        # the training set, each stored once its download has arrived whole.
        train(page)
        assert page.evaluate(DATA_CACHED, 4), page.evaluate(CACHES)

        # Offline: the page, Python, NumPy, pycore, the model and MNIST come from the cache.
        watch.context.set_offline(True)
        page.reload()
        expect(status).to_have_text("Ready", timeout=BOOT_TIMEOUT_MS)
        draw_digit(page, "7")
        expect(page.get_by_label("Prediction", exact=True)).to_have_text("7", timeout=15_000)
        expect(page.get_by_role("log", name="Training log")).not_to_contain_text("Epoch 0:")
        train(page)
        expect(notice).to_be_hidden()

        # A new build: its worker installs beside the old one and the page offers it;
        # Reload brings the new version, and the old build's cache is gone.
        watch.context.set_offline(False)
        version = redeploy(site)
        assert version != info["version"]
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        expect(notice).to_be_visible(timeout=60_000)
        expect(notice).to_contain_text("A new version is ready.")
        assert_no_axe_violations(page, "#update-notice")
        assert violations(page) == []
        expect(page.locator(".intro")).to_have_text(INTRO)
        notice.get_by_role("button", name="Reload", exact=True).click()
        expect(page.locator(".intro")).to_have_text(NEW_INTRO, timeout=30_000)
        expect(notice).to_be_hidden()
        names = sorted(page.evaluate(CACHES))
        assert [name for name in names if " site-" in name] == [site_cache[0].replace(info["version"], version)]
        assert any(" data-" + info["dataVersion"] in name for name in names), names
        expect(status).to_have_text("Ready", timeout=BOOT_TIMEOUT_MS)
        assert violations(page) == []
    finally:
        watch.close()
        server.shutdown()


def test_production_runtime_starts_offline_from_the_cache(browser, production_site):
    """The production build (Pyodide 314's core in a module worker): after one visit,
    Python starts with no network. The only other origin asked, by the page's worker and
    by the service worker's install, is the pinned CDN for NumPy's wheel, which is out of
    reach here, so NumPy is missing and the page says so."""
    info = build.service_worker_build(CACHE / "site-production" / build.SERVICE_WORKER)
    watch = PageWatch(browser, production_site, allow_hosts=("cdn.jsdelivr.net",), service_workers="allow")
    status = watch.page.get_by_role("status", name="App status")
    try:
        page = watch.open()
        expect(status).to_contain_text("NumPy could not be downloaded", timeout=BOOT_TIMEOUT_MS)
        assert wait_until_controlled(page) == "activated"
        cached = page.evaluate(CACHES)
        site_cache = [name for name in cached if name.endswith("site-" + info["version"])]
        assert cached[site_cache[0]] == sorted(set(info["files"]) - set(info["onDemand"]))
        watch.context.set_offline(True)
        page.reload()
        expect(status).to_contain_text("Python 3.14", timeout=BOOT_TIMEOUT_MS)
        expect(status).to_contain_text("NumPy could not be downloaded")
        # Loaded through the service worker (COOP/COEP added): cross-origin isolated, and
        # Pyodide 314's module worker, wasm and standard library still load under COEP.
        assert page.evaluate("crossOriginIsolated") is True
        assert set(watch.blocked_allowed) == {build.PYODIDE_CDN + name for name in info["cdnFiles"]}
    finally:
        watch.close()
