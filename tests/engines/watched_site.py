"""The site as the engine suites serve it: a linked copy of a built site whose index.html
loads one extra script first, page_watch.js (the service worker's file list is written
again, so the copy is still a whole, cacheable build), served under /digit-lab/ by a
server that logs every request and can be stopped, which is how a test goes offline.

page_watch.js records, from before the app's first script and across reloads (session
storage), what fails a test: uncaught exceptions, unhandled rejections, CSP violations and
the page's own requests for other origins. Workers are not covered by it: their requests
reach the recording proxy (outside_proxy.py), and their failures show on the page.
"""

import http.server
import os
import shutil
import threading
from functools import partial
from pathlib import Path

from harness import BASE_PATH, build

WATCH_SCRIPT = "engine-watch.js"
WATCH_TAG = '<script src="{}"></script>\n  '.format(WATCH_SCRIPT)
FIRST_SCRIPT = '<script src="js/util/fallback.js" defer></script>'
# Read and forget what page_watch.js recorded (this origin's, this tab's).
TAKE_PROBLEMS = """(() => {
  const key = "digit-lab-engine-watch";
  const list = JSON.parse(sessionStorage.getItem(key) || "[]");
  sessionStorage.removeItem(key);
  return list;
})()"""


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def watched_copy(site, target, cdn):
    """Copy the built ``site`` into ``target`` (hard links) with page_watch.js loaded first;
    ``cdn`` is the build's package CDN (None for the test runtime). Return ``target``."""
    if target.exists():
        shutil.rmtree(str(target))
    shutil.copytree(str(site), str(target), copy_function=_link_or_copy)
    index = target / "index.html"
    html = index.read_text(encoding="utf-8")
    assert FIRST_SCRIPT in html, "index.html no longer loads " + FIRST_SCRIPT
    index.unlink()          # a new file, not a write through the link into the build
    index.write_text(html.replace(FIRST_SCRIPT, WATCH_TAG + FIRST_SCRIPT, 1), encoding="utf-8")
    shutil.copy(str(Path(__file__).with_name("page_watch.js")), str(target / WATCH_SCRIPT))
    (target / build.SERVICE_WORKER).unlink()
    paths = [p.relative_to(target).as_posix() for p in target.rglob("*")
             if p.is_file() and p.name != build.SERVICE_WORKER]
    build.write_service_worker(target, paths, cdn)
    return target


class LoggedServer:
    """Serve ``directory`` under /digit-lab/ on a free loopback port; ``log`` lists the
    paths asked for; ``stop()`` closes the port, so the browser finds no server."""

    def __init__(self, directory):
        self.log = []
        log = self.log

        class Handler(build.SiteHandler):
            base_path = BASE_PATH

            def log_request(self, code="-", size="-"):
                log.append("{} {}".format(code, self.path))

            def log_message(self, fmt, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(Handler, directory=str(directory)))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:{}{}".format(self._server.server_address[1], BASE_PATH)
        self.stopped = False

    def stop(self):
        if not self.stopped:
            self._server.shutdown()
            self._server.server_close()
            self.stopped = True
