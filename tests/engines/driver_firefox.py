"""Firefox for the engine smoke suite: Debian's firefox-esr driven by npm puppeteer-core
over WebDriver BiDi (firefox_bridge.mjs, run by Node), with the same driver interface as
driver_webkit.py. Page errors come from puppeteer's "pageerror" (uncaught exceptions and
unhandled rejections, any page) besides the site copy's page_watch.js; requests for other
origins go to the recording proxy (Firefox's proxy preferences).
"""

import json
import os
import selectors
import shutil
import subprocess
import time
from pathlib import Path

BRIDGE = Path(__file__).with_name("firefox_bridge.mjs")


class BridgeError(AssertionError):
    pass


def preferences(proxy):
    """Firefox preferences: every request for another origin to ``proxy`` ("host:port"),
    loopback never proxied; Firefox's own background connections off or sent to a closed
    loopback port (they would otherwise reach the proxy as if the page had asked)."""
    host, port = proxy.rsplit(":", 1)
    nowhere = "http://127.0.0.1:9/"
    return {
        "services.settings.server": nowhere + "v1",
        "network.proxy.type": 1, "network.proxy.share_proxy_settings": True,
        "network.proxy.http": host, "network.proxy.http_port": int(port),
        "network.proxy.ssl": host, "network.proxy.ssl_port": int(port),
        "network.proxy.no_proxies_on": "", "network.proxy.allow_hijacking_localhost": False,
        "network.captive-portal-service.enabled": False,
        "network.connectivity-service.enabled": False,
        "dom.push.connection.enabled": False,
        "browser.region.network.url": "", "browser.topsites.contile.enabled": False,
        "extensions.systemAddon.update.enabled": False,
    }


class FirefoxDriver:
    name = "firefox"

    def __init__(self, programs, proxy, width=1280, height=900):
        node = shutil.which("node")
        if node is None:
            raise BridgeError("Node.js is needed to drive Firefox (puppeteer-core).")
        # stderr is inherited: the bridge's console lines land in pytest's captured log
        self.proc = subprocess.Popen([node, str(BRIDGE)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=str(BRIDGE.parent))
        self._buffer, self._next_id = b"", 0
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            self.version = self._call("launch", executablePath=programs["firefox-esr"],
                                      prefs=preferences(proxy), width=width, height=height)
        except BaseException:
            self.close()
            raise

    def _call(self, cmd, timeout=150, **args):
        self._next_id += 1
        self.proc.stdin.write((json.dumps(dict(args, id=self._next_id, cmd=cmd)) + "\n").encode())
        self.proc.stdin.flush()
        reply = json.loads(self._read_line(time.monotonic() + timeout, cmd))
        if not reply["ok"]:
            raise BridgeError("Firefox {}: {}".format(cmd, reply["error"]))
        return reply["value"]

    def _read_line(self, deadline, cmd):
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self._selector.select(left):
                raise BridgeError("Firefox {}: no answer from the puppeteer bridge".format(cmd))
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise BridgeError("Firefox {}: the puppeteer bridge exited ({})".format(
                    cmd, self.proc.wait()))
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    # The driver interface the smoke steps use (driver_webkit.py has the same).

    def goto(self, url):
        self._call("goto", url=url)

    def reload(self):
        self._call("reload")

    def evaluate(self, expression):
        """Return the JSON value of a JavaScript expression (a promise is awaited)."""
        return self._call("evaluate", script=expression)

    def wait_for(self, expression, timeout_ms):
        """Return the first truthy value of ``expression``, polled in the page every 100 ms;
        None after ``timeout_ms``."""
        try:
            return self._call("waitFor", script=expression, timeout=timeout_ms / 1000 + 30,
                              **{"timeout_ms": timeout_ms})
        except BridgeError as e:
            if "TimeoutError" in str(e):
                return None
            raise

    def pointer(self, strokes):
        """Press, move through and release the mouse along each stroke (viewport pixels)."""
        self._call("pointer", strokes=strokes)

    def click(self, x, y):
        self._call("click", x=x, y=y)

    def take_errors(self):
        return self._call("errors")

    def close(self):
        try:
            if self.proc.poll() is None:
                self._call("close", timeout=30)
        except (BridgeError, OSError, ValueError):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(timeout=30)
