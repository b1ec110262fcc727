"""The smoke suite (smoke_steps.py) in WebKitGTK: Debian's WebKitWebDriver and MiniBrowser
under xvfb-run, driven over the W3C WebDriver protocol (driver_webkit.py)."""

import pytest

from smoke_steps import SmokeSteps

pytestmark = pytest.mark.browser


class TestWebKit(SmokeSteps):
    engine = "webkit"
