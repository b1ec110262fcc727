"""Which engines run, and where their programs are: Debian's firefox-esr, and WebKitGTK's
WebKitWebDriver (webkit2gtk-driver) under xvfb-run (xvfb), never a downloaded browser.

Every engine runs unless DIGIT_LAB_ENGINES names the ones to run (e.g.
``DIGIT_LAB_ENGINES=chromium`` leaves Firefox and WebKit out on a machine without them).
A missing program fails the suite with the apt package to install: skipping is not passing.
"""

import os
import shutil

import pytest

ENGINES_VARIABLE = "DIGIT_LAB_ENGINES"

NAMES = {"firefox": "Firefox", "webkit": "WebKit"}
# engine -> [(program, $variable that may point to it, Debian package)]
PROGRAMS = {
    "firefox": [("firefox-esr", "FIREFOX", "firefox-esr")],
    "webkit": [("WebKitWebDriver", "WEBKIT_WEBDRIVER", "webkit2gtk-driver"),
               ("xvfb-run", None, "xvfb")],
}


def chosen(engine):
    """Return whether ``engine`` runs: DIGIT_LAB_ENGINES unset, or naming it."""
    names = os.environ.get(ENGINES_VARIABLE)
    if names is None:
        return True
    return engine in {name.strip().lower() for name in names.split(",")}


def programs(engine):
    """Return {program: path} for ``engine``; skip it when DIGIT_LAB_ENGINES leaves it out,
    fail with the apt package to install when one is missing."""
    if not chosen(engine):
        pytest.skip("{}={} leaves out {}".format(ENGINES_VARIABLE, os.environ[ENGINES_VARIABLE],
                                                 engine))
    found, missing = {}, []
    for program, variable, package in PROGRAMS[engine]:
        explicit = os.environ.get(variable) if variable else None
        if explicit and not os.path.exists(explicit):
            pytest.fail("${} points to {}, which does not exist.".format(variable, explicit),
                        pytrace=False)
        path = explicit or shutil.which(program)
        if path:
            found[program] = path
        else:
            missing.append((program, package))
    if missing:
        packages = [package for _, package in missing]
        pytest.fail("The {} smoke suite needs {}, which {} not found: install Debian's {} "
                    "(sudo apt-get install {}), or set {}=chromium to leave the Firefox and "
                    "WebKit suites out on this machine."
                    .format(NAMES[engine], " and ".join(p for p, _ in missing),
                            "was" if len(missing) == 1 else "were", " and ".join(packages),
                            " ".join(packages), ENGINES_VARIABLE),
                    pytrace=False)
    return found
