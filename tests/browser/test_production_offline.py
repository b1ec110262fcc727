"""The production build (Pyodide 314 core) offline: Python boots, NumPy's download fails
with a clear, retryable message; no blank page, no page errors."""

import json

import pytest
from playwright.sync_api import expect

from harness import BOOT_TIMEOUT_MS, CACHE, PageWatch

pytestmark = pytest.mark.browser


def test_offline_numpy_download_fails_clearly_and_retry_works(browser, production_site):
    watch = PageWatch(browser, production_site, allow_hosts=("cdn.jsdelivr.net",))
    try:
        page = watch.open()
        status = page.get_by_role("status", name="App status")
        expect(status).to_contain_text("NumPy could not be downloaded", timeout=BOOT_TIMEOUT_MS)
        expect(status).to_contain_text("Python 3.14")
        retry = page.get_by_role("button", name="Retry")
        expect(retry).to_be_visible()
        retry.click()
        expect(status).not_to_contain_text("NumPy could not be downloaded", timeout=5000)
        expect(status).to_contain_text("NumPy could not be downloaded", timeout=BOOT_TIMEOUT_MS)
        expect(page.get_by_label("Drawing pad", exact=True)).to_be_visible()
    finally:
        watch.close()
