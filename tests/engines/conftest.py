"""Fixtures of the engine smoke suites (Firefox ESR, WebKitGTK): the two sites, built once
per session and watched (watched_site.py), and per engine one browser, one recording proxy
(outside_proxy.py) and its own servers, shared by the steps of smoke_steps.py in order.

The browser tests' helpers (build, serve paths, drawing strokes) come from tests/browser.
"""

import json
import sys
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
if str(BROWSER_TESTS) not in sys.path:
    sys.path.insert(0, str(BROWSER_TESTS))

from harness import CACHE, TEST_RUNTIME, build  # noqa: E402

import browsers  # noqa: E402
from outside_proxy import OutsideRecorder  # noqa: E402
from watched_site import TAKE_PROBLEMS, LoggedServer, watched_copy  # noqa: E402


@pytest.fixture(scope="session")
def engine_sites():
    """Build the test-runtime and production sites once; return their watched copies."""
    if not (TEST_RUNTIME / "pyodide.js").exists():
        pytest.fail("The offline test runtime is missing; run the tests with "
                    "`python3 tests/run.py`, which installs it.")
    sites = {}
    for name, dist in (("test", TEST_RUNTIME), ("production", None)):
        built = CACHE / ("site-engines-" + name)
        config = build.build(built, pyodide_dist=dist)
        sites[name] = watched_copy(built, CACHE / ("site-engines-watched-" + name),
                                   config.get("packageBaseUrl"))
    return sites


class EngineRun:
    """One engine's browser, proxy and servers for its suite; ``broken`` names the first
    step that failed, after which the steps that need its page fail at once."""

    def __init__(self, driver, outside, sites):
        self.driver, self.outside = driver, outside
        self.app = LoggedServer(sites["test"])            # stopped by the offline step
        self.production = LoggedServer(sites["production"])
        self.broken = None

    def problems(self):
        """Return and forget the page errors seen: the driver's own and page_watch.js's."""
        found = list(self.driver.take_errors())
        try:
            found += self.driver.evaluate(TAKE_PROBLEMS) or []
        except AssertionError:
            pass        # a page with no session storage (about:blank): nothing recorded
        return found

    def close(self):
        self.driver.close()
        self.app.stop()
        self.production.stop()
        self.outside.close()


@pytest.fixture(scope="class")
def engine(request):
    """Start the class's engine (its ``engine`` attribute names it) for its steps."""
    name = request.cls.engine
    programs = browsers.programs(name)              # skips or fails before anything is built
    engine_sites = request.getfixturevalue("engine_sites")
    outside = OutsideRecorder()
    if name == "firefox":
        from driver_firefox import FirefoxDriver as Driver
    else:
        from driver_webkit import WebKitDriver as Driver
    try:
        driver = Driver(programs, outside.address)
    except BaseException:
        outside.close()
        raise
    run = EngineRun(driver, outside, engine_sites)
    print("{} {}".format(name, json.dumps(driver.version)))
    yield run
    run.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember the first failed step of an engine's suite (see EngineRun.broken)."""
    outcome = yield
    report = outcome.get_result()
    run = getattr(item, "funcargs", {}).get("engine")
    if isinstance(run, EngineRun) and report.failed and run.broken is None:
        run.broken = item.name
