"""Offline support in the build: the service worker's file list (every site file with its
sha256, versions that follow the files), the web app manifest, and the service worker's
own rules run under Node (what it precaches, serves, keeps and never keeps)."""

import hashlib
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build.build(out)
    return out


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_every_site_file_is_listed_with_its_sha256(site):
    info = build.service_worker_build(site / "sw.js")
    on_disk = {p.relative_to(site).as_posix(): sha256(p) for p in site.rglob("*")
               if p.is_file() and p.name != "sw.js"}
    assert info["files"] == on_disk
    assert "pyodide/pyodide.asm.wasm" in on_disk and "pyodide/pyodide-lock.json" in on_disk
    assert any(path.startswith("py/pycore-") for path in on_disk)
    assert sorted(info["onDemand"]) == sorted(
        [p for p in on_disk if p.startswith("data/")] + [".nojekyll"])
    assert len(info["onDemand"]) == 5
    assert info["cdn"] == build.PYODIDE_CDN == json.loads((site / "runtime.json").read_text())["packageBaseUrl"]
    assert (site / "sw.js").read_text().endswith((ROOT / "web" / "sw.js").read_text())


def test_the_version_changes_with_any_file_and_only_then(site):
    before = (site / "sw.js").read_text()
    build.build(site)                                    # nothing changed: same worker
    assert (site / "sw.js").read_text() == before
    info = build.service_worker_build(site / "sw.js")
    paths = list(info["files"])
    style = site / "style.css"
    original = style.read_text()
    try:
        style.write_text(original + "\n/* changed */\n")
        changed = build.site_manifest(site, paths, info["cdn"])
    finally:
        style.write_text(original)
    assert changed["version"] != info["version"]
    assert changed["dataVersion"] == info["dataVersion"]   # MNIST stays cached
    assert build.site_manifest(site, paths, info["cdn"])["version"] == info["version"]


def test_the_data_version_follows_the_data_files(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "data" / "a.gz").write_bytes(b"one")
    first = build.site_manifest(tmp_path, ["index.html", "data/a.gz"], None)
    (tmp_path / "data" / "a.gz").write_bytes(b"two")
    second = build.site_manifest(tmp_path, ["index.html", "data/a.gz"], None)
    assert first["dataVersion"] != second["dataVersion"]
    assert first["version"] != second["version"]
    assert first["onDemand"] == ["data/a.gz"] and first["cdn"] is None


def png_size(path):
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_web_app_manifest_and_icons(site):
    manifest = json.loads((site / "manifest.webmanifest").read_text())
    assert manifest["short_name"] == "Digit Lab"
    assert manifest["start_url"] == "." and manifest["scope"] == "."
    assert manifest["display"] == "standalone"
    style = (site / "style.css").read_text()
    assert "--bg: {};".format(manifest["background_color"]) in style
    assert "--accent: {};".format(manifest["theme_color"]) in style
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    assert sizes["any"] == "favicon.svg"
    for size in (192, 512):
        assert png_size(site / sizes["{0}x{0}".format(size)]) == (size, size)
    html = (site / "index.html").read_text()
    assert '<link rel="manifest" href="manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="{}">'.format(manifest["theme_color"]) in html
    assert build.MIME_TYPES[".webmanifest"] == "application/manifest+json"


APP = "https://site.test/app/"
LOCK = {"packages": {
    "numpy": {"file_name": "numpy-9.whl", "sha256": hashlib.sha256(b"wheel").hexdigest(), "depends": ["tiny"]},
    "tiny": {"file_name": "tiny-1.whl", "sha256": hashlib.sha256(b"tiny").hexdigest(), "depends": []},
    "micropip": {"file_name": "micropip-1.whl", "sha256": "0" * 64, "depends": []}}}
FILES = {"index.html": b"<!doctype html><title>t</title>", "js/boot.js": b"// boot",
         "pyodide/pyodide-lock.json": json.dumps(LOCK).encode(),
         "data/train.gz": b"mnist bytes", ".nojekyll": b""}
NUMPY = build.PYODIDE_CDN + "numpy-9.whl"
MICROPIP = build.PYODIDE_CDN + "micropip-1.whl"


def run_service_worker(tmp_path, served, requests):
    """Build a small site's sw.js and run it under Node (tests/web/check_sw.mjs)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed; it is needed for npm anyway (see README).")
    site = tmp_path / "site"
    for path, data in FILES.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    build.write_service_worker(site, list(FILES), build.PYODIDE_CDN)
    (tmp_path / "served.json").write_text(json.dumps(served))
    out = subprocess.run([node, str(ROOT / "tests" / "web" / "check_sw.mjs"), str(site / "sw.js"),
                          str(tmp_path / "served.json")] + requests,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), build.service_worker_build(site / "sw.js")


def ok(body, **extra):
    return dict({"status": 200, "body": body}, **extra)


def test_service_worker_precaches_serves_and_keeps_only_whole_answers(tmp_path):
    served = {APP + path: ok(data.decode()) for path, data in FILES.items()}
    served[NUMPY] = ok("wheel", type="cors")
    served[build.PYODIDE_CDN + "tiny-1.whl"] = ok("not tiny", type="cors")   # not the lock's file
    served[MICROPIP] = ok("micropip", type="cors")
    served[build.PYODIDE_CDN + "missing.whl"] = {"status": 404, "body": "not found", "type": "cors"}
    served[build.PYODIDE_CDN + "partial.whl"] = ok("part", type="cors", headers={"Content-Range": "bytes 0-3/9"})
    other_version = build.PYODIDE_CDN.replace("v314.0.7", "v314.0.6") + "numpy.whl"
    lookalike = build.PYODIDE_CDN.replace("cdn.jsdelivr.net", "cdn.jsdelivr.net.example.org") + "numpy.whl"
    for url in (other_version, lookalike, "https://example.org/app/index.html"):
        served[url] = ok("elsewhere", type="cors")
    requests = [APP, APP + "index.html?x=1", APP + "js/boot.js", APP + "data/train.gz", NUMPY, MICROPIP,
                build.PYODIDE_CDN + "missing.whl", build.PYODIDE_CDN + "partial.whl",
                other_version, lookalike, "https://example.org/app/index.html", APP + "unknown.txt",
                "POST " + APP + "index.html"]
    result, info = run_service_worker(tmp_path, served, requests)

    assert result["install"]["error"] is None
    assert info["cdnFiles"] == {"numpy-9.whl": LOCK["packages"]["numpy"]["sha256"],
                                "tiny-1.whl": LOCK["packages"]["tiny"]["sha256"]}
    site_cache = "digit-lab /app/ site-" + info["version"]
    site_files = [APP + "index.html", APP + "js/boot.js", APP + "pyodide/pyodide-lock.json"]
    cdn_cache = "digit-lab /app/ cdn-" + info["cdnVersion"]
    # Install keeps the site but MNIST, and the worker's packages whose sha256 is the lock's.
    assert result["afterInstall"] == {site_cache: site_files, cdn_cache: [NUMPY]}
    fetches, again = result["fetches"], result["again"]
    assert fetches[NUMPY]["body"] == "wheel" and fetches[NUMPY]["fetched"] == []
    # Precached files (the folder means index.html) come from the cache, query or not.
    for url in (APP, APP + "index.html?x=1", APP + "js/boot.js"):
        assert fetches[url]["handled"] and fetches[url]["fetched"] == [], url
    assert fetches[APP]["body"] == FILES["index.html"].decode()
    # MNIST and the pinned CDN: the network the first time, the cache after.
    for url, body in ((APP + "data/train.gz", "mnist bytes"), (MICROPIP, "micropip")):
        assert fetches[url]["body"] == body and fetches[url]["fetched"] == [url]
        assert again[url]["body"] == body and again[url]["fetched"] == [], url
    # Errors and partial answers pass through but are never kept.
    for url in (build.PYODIDE_CDN + "missing.whl", build.PYODIDE_CDN + "partial.whl"):
        assert fetches[url]["handled"] and again[url]["fetched"] == [url], url
    # Other origins, other CDN paths, unknown files and POSTs are not the worker's business.
    for url in (other_version, lookalike, "https://example.org/app/index.html", APP + "unknown.txt",
                "POST " + APP + "index.html"):
        assert not fetches[url]["handled"], url
    data_cache = "digit-lab /app/ data-" + info["dataVersion"]
    assert result["afterActivate"] == {
        site_cache: site_files, data_cache: [APP + "data/train.gz"],
        cdn_cache: [MICROPIP, NUMPY], "digit-lab /other/ site-old": [], "someone-else": []}
    assert result["claimed"] and result["skipped"]


def test_service_worker_install_fails_on_another_builds_file_or_an_error(tmp_path):
    served = {APP + path: ok(data.decode()) for path, data in FILES.items()}
    served[APP + "js/boot.js"] = ok("// the next build's boot")
    result, _ = run_service_worker(tmp_path, served, [])
    assert "js/boot.js is not the file of this build" in result["install"]["error"]
    served[APP + "js/boot.js"] = {"status": 500, "body": "oops"}
    result, _ = run_service_worker(tmp_path, served, [])
    assert "js/boot.js: the server answered 500" in result["install"]["error"]


def test_service_worker_makes_the_sites_answers_cross_origin_isolated(tmp_path):
    """Every answer for the site's own files (precached, on demand, first visit or cached)
    carries COOP same-origin and COEP require-corp, its type and body kept; the CDN's
    answers (CORS, which require-corp lets through) and other origins are left alone."""
    served = {APP + path: ok(data.decode(), headers={"Content-Type": "text/plain; x=" + path})
              for path, data in FILES.items()}
    served[NUMPY] = ok("wheel", type="cors", headers={"Access-Control-Allow-Origin": "*"})
    served[MICROPIP] = ok("micropip", type="cors", headers={"Access-Control-Allow-Origin": "*"})
    served["https://example.org/x.js"] = ok("elsewhere", type="cors")
    requests = [APP, APP + "index.html", APP + "js/boot.js", APP + "data/train.gz", NUMPY,
                MICROPIP, "https://example.org/x.js", APP + "unknown.txt"]
    result, info = run_service_worker(tmp_path, served, requests)
    isolation = ["same-origin", "require-corp"]
    for fetches in (result["fetches"], result["again"]):
        for url in (APP, APP + "index.html", APP + "js/boot.js", APP + "data/train.gz"):
            assert fetches[url]["isolation"] == isolation, url
        assert fetches[APP]["body"] == FILES["index.html"].decode()
        assert fetches[APP]["contentType"] == "text/plain; x=index.html"
        assert fetches[APP + "data/train.gz"]["body"] == "mnist bytes"
        for url in (NUMPY, MICROPIP):
            assert fetches[url]["handled"] and fetches[url]["isolation"] == [None, None], url
        assert not fetches["https://example.org/x.js"]["handled"]
        assert not fetches[APP + "unknown.txt"]["handled"]
