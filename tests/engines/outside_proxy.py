"""A proxy that lets nothing through: each engine is set to send every request for another
origin here (the site itself, on 127.0.0.1, is never proxied), where it is recorded and
refused with 403. So requests from the page, its Web Workers and its service worker are
all seen, in every engine, whatever the machine's network, and none of them gets out.
"""

import socketserver
import threading

REFUSAL = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class _Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def handle(self):
        try:
            line = self.rfile.readline(8192).decode("latin-1").strip()
            if line:
                self.server.recorder.record(line)
            while self.rfile.readline(8192).strip():    # the headers
                pass
            self.wfile.write(REFUSAL)
        except OSError:
            pass


class OutsideRecorder:
    """Start the proxy; ``address`` is its "127.0.0.1:port"; ``take()`` returns the request
    lines seen ("CONNECT cdn.jsdelivr.net:443 HTTP/1.1", "GET http://…") and forgets them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._seen = []
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.recorder = self
        self.host, self.port = self._server.server_address
        self.address = "{}:{}".format(self.host, self.port)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def record(self, line):
        with self._lock:
            self._seen.append(line)

    def take(self):
        with self._lock:
            seen, self._seen = self._seen, []
        return seen

    def close(self):
        self._server.shutdown()
        self._server.server_close()
