"""The smoke suite (smoke_steps.py) in Firefox ESR: Debian's firefox-esr, driven by
puppeteer-core over WebDriver BiDi (driver_firefox.py)."""

import pytest

from smoke_steps import SmokeSteps

pytestmark = pytest.mark.browser


class TestFirefox(SmokeSteps):
    engine = "firefox"
