"""Accessibility checks with axe-core (npm devDependency, test-only, never shipped).

``assert_no_axe_violations(page)`` loads axe-core into the page from our own origin (so the
page's Content-Security-Policy, which forbids inline scripts, stays on) and fails the test
with a readable list if axe finds any violation in the page or in ``context`` (a CSS
selector, or axe's {include, exclude} object)."""

from pathlib import Path

import pytest

from harness import BASE_PATH, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "__tests__/axe.min.js"


def _load_axe(page):
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    if not AXE.exists():
        pytest.fail("{} is missing: run `npm ci` (axe-core is a devDependency); "
                    "`python3 tests/run.py` does this.".format(AXE))
    url = page.url.split(BASE_PATH)[0] + BASE_PATH + AXE_PATH
    page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=url)


def axe_violations(page, context=None):
    """Return axe-core's violations for ``page`` (or ``context`` in it) as short dicts."""
    _load_axe(page)
    return page.evaluate("""async (context) => {
        const result = await axe.run(context || document, { resultTypes: ["violations"] });
        return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
        }));
    }""", context)


def assert_no_axe_violations(page, context=None):
    """Fail the test if axe-core finds any accessibility violation in ``page``."""
    violations = axe_violations(page, context)
    lines = []
    for v in violations:
        lines.append("{} ({}): {}".format(v["id"], v["impact"], v["help"]))
        for node in v["nodes"]:
            lines.append("    {}: {}".format(node["target"], (node["summary"] or "").replace("\n", " ")))
    assert not violations, "axe-core found {} violation(s):\n{}".format(len(violations), "\n".join(lines))
