"""The Activation setting in the page: a select with its hint, in the link as act=, named
on the presenter view's one summary line; the summary of a started run follows the
network the run trains (startRun's "activation"; absent means sigmoid)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def one_line(locator):
    return locator.evaluate("""(el) => el.getBoundingClientRect().height
        < 1.5 * parseFloat(getComputedStyle(el).lineHeight)""")


def test_activation_select_link_and_presenter_line(app):
    page = app("#act=relu&eta=0.1&init=scaled&view=present", wait_ready=False)
    page.set_viewport_size({"width": 1280, "height": 720})
    select = page.get_by_label("Activation", exact=True)
    expect(select).to_have_value("relu")
    assert select.evaluate("(s) => [...s.options].map((o) => [o.value, o.textContent])") == [
        ["sigmoid", "Sigmoid"], ["tanh", "tanh"], ["relu", "ReLU"]]
    expect(page.locator("#hint-act")).to_have_text(re.compile(r"^Of the hidden layers\. With tanh or ReLU use scaled init"))
    summary = page.locator("#settings-summary-text")
    expect(summary).to_have_text("[784, 30, 10] · ReLU · 30 epochs · m = 10 · η = 0.1 · quadratic cost · λ = 0 · "
                                 "n = 50,000 · scaled init · seed 1")
    assert one_line(summary)
    page.get_by_role("button", name="Edit settings").click()
    select.select_option("tanh")
    expect(summary).to_contain_text("[784, 30, 10] · tanh · 30 epochs · ")
    select.select_option("sigmoid")
    expect(summary).not_to_contain_text("Sigmoid")
    expect(summary).to_have_text(re.compile(r"· quadratic cost · λ = 0 · "))


RUN_NETWORK = """async ([settings, info]) => {
    const { SettingsSummary } = await import("./js/settings/settings-summary.js");
    const make = (tag) => document.createElement(tag);
    const parts = { card: make("div"), box: make("div"), text: make("p"), edit: make("button"),
                    fields: make("div"), form: make("form") };
    parts.fields.append(make("input"));
    const summary = new SettingsSummary(parts, { result: { ok: true, settings } });
    summary.runNetwork(info);
    return parts.text.textContent;
}"""


def test_a_runs_summary_names_the_trained_networks_own_activation(app):
    page = app(wait_ready=False)
    defaults = page.evaluate("import('./js/settings/settings.js').then((m) => ({ ...m.DEFAULTS }))")
    form = dict(defaults, act="relu")
    continued = page.evaluate(RUN_NETWORK, [form, {"sizes": [784, 100, 10], "cost": "cross-entropy", "activation": "tanh"}])
    assert continued.startswith("[784, 100, 10] · tanh · 30 epochs · m = 10 · η = 3 · cross-entropy cost · λ = 0")
    old_reply = page.evaluate(RUN_NETWORK, [form, {"sizes": [784, 30, 10], "cost": "quadratic"}])
    assert "ReLU" not in old_reply and " · quadratic cost · λ = 0 · " in old_reply
    relu = page.evaluate(RUN_NETWORK, [defaults, {"sizes": [784, 30, 10], "cost": "quadratic", "activation": "relu"}])
    assert relu.startswith("[784, 30, 10] · ReLU · 30 epochs · ") and " · quadratic cost · λ = 0 · " in relu
    softmax = page.evaluate(RUN_NETWORK, [defaults, {"sizes": [784, 30, 10], "cost": "log-likelihood",
                                                     "activation": "sigmoid", "output": "softmax"}])
    assert softmax.startswith("[784, 30, 10] · softmax output · 30 epochs · ") and " · log-likelihood cost · λ" in softmax
