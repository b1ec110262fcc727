"""The page's Content-Security-Policy: present, live (an injected inline script is
blocked), and nothing the app does needs more (no securitypolicyviolation event through
boot, draw, train, download and upload)."""

import re

import pytest
from playwright.sync_api import expect

from drawing import draw_digit
from harness import BOOT_TIMEOUT_MS, PageWatch
from test_train import TRAIN_TIMEOUT_MS, set_controls

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  { directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
    where: `${e.sourceFile}:${e.lineNumber}` }));
"""


def policy(page):
    """Return the page's CSP meta tag as {directive: [sources]}."""
    content = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    return {part.split()[0]: part.split()[1:] for part in content.split(";") if part.strip()}


def violations(page):
    return page.evaluate("window.__cspViolations")


def test_csp_allows_the_whole_app_and_blocks_inline_script(browser, test_site, tmp_path):
    watch = PageWatch(browser, test_site)
    watch.context.add_init_script(RECORD_VIOLATIONS)
    try:
        page = watch.open()
        csp = policy(page)
        for directive in ("default-src", "script-src", "style-src", "connect-src", "worker-src"):
            assert csp[directive] == ["'self'"], csp
        assert csp["object-src"] == ["'none'"], csp
        assert not any("unsafe" in source for sources in csp.values() for source in sources), csp
        expect(page.get_by_role("status", name="App status")).to_have_text("Ready", timeout=BOOT_TIMEOUT_MS)

        draw_digit(page, "7")
        prediction = page.get_by_label("Prediction", exact=True)
        expect(prediction).to_have_text("7", timeout=15000)

        set_controls(page, **{"Training samples": 100, "Epochs": 1})
        train = page.get_by_role("button", name="Train", exact=True)
        train.click()
        expect(page.get_by_role("log", name="Training log")).to_contain_text("Epoch 0:", timeout=TRAIN_TIMEOUT_MS)
        expect(train).to_be_enabled(timeout=30000)

        with page.expect_download() as info:
            page.get_by_role("button", name="Download model").click()
        path = tmp_path / "model.json"
        info.value.save_as(str(path))
        page.get_by_label("Upload model").set_input_files(str(path))
        expect(page.get_by_label("Drawing pad uses")).to_have_value("uploaded")
        page.get_by_role("button", name="Clear", exact=True).click()
        draw_digit(page, "1")
        expect(prediction).to_have_text(re.compile(r"^\d$"), timeout=15000)
        assert violations(page) == []

        ran = page.evaluate("""() => { const s = document.createElement("script");
            s.textContent = "window.__inlineRan = true;"; document.head.append(s);
            return window.__inlineRan === true; }""")
        assert ran is False, "an inline script ran: the policy is not in force"
        page.wait_for_function("window.__cspViolations.length > 0")
        assert [v["directive"] for v in violations(page)] == ["script-src-elem"], violations(page)
    finally:
        watch.close()


def test_without_javascript_the_status_bar_is_hidden_by_an_allowed_stylesheet(browser, test_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(test_site)
        expect(page.locator(".banner-error").first).to_be_visible()     # "... needs JavaScript"
        expect(page.locator(".status-bar")).to_be_hidden()
    finally:
        context.close()
