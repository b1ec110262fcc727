"""WebKitGTK for the engine smoke suite: Debian's WebKitWebDriver (webkit2gtk-driver) and its
MiniBrowser on a virtual screen (xvfb-run), spoken to with a small W3C WebDriver client
over urllib (no Selenium, so nothing can download a driver).

Classic WebDriver has no hook into the page before its scripts run and no console log, so
page errors are recorded by the site copy's page_watch.js (watched_site.py); MiniBrowser's
own output is kept in pytest's log, and a crashed web process fails the step. Requests for
other origins go to the recording proxy through MiniBrowser's --proxy (the W3C ``proxy``
capability reached it for http only: https requests then failed without a trace).
"""

import collections
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request

# MiniBrowser's line when a page's web process dies (a crash or out of memory).
CRASHED = "WebProcess CRASHED"
# JavaScriptCore without its B3 compiler tiers (OMG for wasm, FTL for JS): WebKitGTK 2.50.6
# crashed in B3/Air code on the Pyodide worker's thread in 2 of about 25 boots here (dmesg:
# "WebCore: Worker ... segfault ... in libjavascriptcoregtk-4.1.so.0.9.11[1e5479,...]"),
# which would make the suite fail by chance. The lower tiers (IPInt, BBQ; LLInt, baseline,
# DFG) still run everything, and boots were no slower without them.
JSC_TIERS = {"JSC_useOMGJIT": "0", "JSC_useFTLJIT": "0"}


def _end_with_parent():
    """In the child: be sent SIGTERM if the test process dies without closing the driver."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriverError(AssertionError):
    pass


class WebKitDriver:
    name = "webkit"

    def __init__(self, programs, proxy, width=1280, height=900):
        self.errors, self.output, self._lock = [], collections.deque(maxlen=30), threading.Lock()
        port = free_port()
        self.base = "http://127.0.0.1:{}".format(port)
        # Its own process group, so close() ends xvfb-run, Xvfb, the driver and the browser;
        # a display number of its own (-n, -a moves on from it if taken) rather than racing
        # another xvfb-run for :99.
        screen = "-screen 0 {}x{}x24".format(width + 100, height + 200)
        self.proc = subprocess.Popen(
            [programs["xvfb-run"], "-a", "-n", str(100 + port % 400), "-s", screen,
             programs["WebKitWebDriver"], "--port={}".format(port)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_end_with_parent,
            env=dict(os.environ, **JSC_TIERS))
        threading.Thread(target=self._read_output, daemon=True).start()
        try:
            self._start(proxy, width, height)
        except BaseException:
            self.close()
            raise

    def _start(self, proxy, width, height):
        self._wait_for_driver()
        caps = {"browserName": "MiniBrowser",
                "webkitgtk:browserOptions": {"args": [
                    "--automation", "--proxy=http://" + proxy, "--ignore-host=127.0.0.1",
                    "--ignore-host=localhost"]},
                "unhandledPromptBehavior": "accept"}
        session = self._request("POST", "/session", {"capabilities": {"alwaysMatch": caps}},
                                timeout=60)
        self.session = "/session/" + session["sessionId"]
        self.version = session["capabilities"].get("browserVersion")
        self._request("POST", self.session + "/window/rect", {"width": width, "height": height})

    def _read_output(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            print("[webkit] " + line, file=sys.stderr)
            self.output.append(line)
            if CRASHED in line:
                with self._lock:
                    self.errors.append(line)

    def _wait_for_driver(self):
        for _ in range(400):
            try:
                with urllib.request.urlopen(self.base + "/status", timeout=5) as answer:
                    if json.load(answer)["value"]["ready"]:
                        return
            except (OSError, ValueError):
                pass
            try:      # wait a moment, or notice that the driver could not start
                self.proc.wait(timeout=0.05)
                raise WebDriverError("WebKitWebDriver exited ({})".format(self.proc.returncode))
            except subprocess.TimeoutExpired:
                pass
        raise WebDriverError("WebKitWebDriver did not answer on " + self.base)

    def _request(self, method, path, body=None, timeout=150):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        command = "WebDriver {} {}".format(method, path.split("/")[-1] or path)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.load(answer)["value"]
        except urllib.error.HTTPError as e:
            value = json.load(e).get("value", {})
            raise WebDriverError("{}: {}: {}".format(
                command, value.get("error"), value.get("message"))) from None
        except OSError as e:    # no answer in time, or the driver is gone
            raise WebDriverError("{}: {} (the driver's last lines: {})".format(
                command, e, " | ".join(line for line in self.output if line))) from None

    # The driver interface the smoke steps use (driver_firefox.py has the same).

    def goto(self, url):
        self._request("POST", self.session + "/url", {"url": url})

    def reload(self):
        self._request("POST", self.session + "/refresh", {})

    def evaluate(self, expression):
        """Return the JSON value of a JavaScript expression (a promise is awaited)."""
        return self._request("POST", self.session + "/execute/sync",
                             {"script": "return (" + expression + ");", "args": []})

    def wait_for(self, expression, timeout_ms):
        """Return the first truthy value of ``expression``, polled in the page every 100 ms;
        None after ``timeout_ms``."""
        self._request("POST", self.session + "/timeouts", {"script": timeout_ms + 10_000})
        script = """const done = arguments[arguments.length - 1];
            const until = performance.now() + %d;
            const poll = async () => {
              let value = null;
              try { value = await (%s); } catch (e) { value = null; }
              if (value) done(value);
              else if (performance.now() > until) done(null);
              else setTimeout(poll, 100);
            };
            poll();""" % (timeout_ms, expression)
        return self._request("POST", self.session + "/execute/async",
                             {"script": script, "args": []}, timeout=timeout_ms / 1000 + 30)

    def pointer(self, strokes):
        """Press, move through and release the mouse along each stroke (viewport pixels)."""
        actions = []
        for stroke in strokes:
            actions.append(self._move(stroke[0]))
            actions.append({"type": "pointerDown", "button": 0})
            actions += [self._move(p) for p in stroke[1:]]
            actions.append({"type": "pointerUp", "button": 0})
        self._request("POST", self.session + "/actions", {"actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": actions}]})

    @staticmethod
    def _move(point):
        return {"type": "pointerMove", "origin": "viewport", "duration": 0,
                "x": int(round(point[0])), "y": int(round(point[1]))}

    def click(self, x, y):
        self.pointer([[(x, y)]])

    def take_errors(self):
        with self._lock:
            errors, self.errors = self.errors, []
        return errors

    def close(self):
        try:
            self._request("DELETE", self.session, timeout=30)
        except (OSError, WebDriverError, AttributeError):
            pass
        finally:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)
