"""A local HTTP server for link-check tests and benchmarks: never the internet."""

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Routes(BaseHTTPRequestHandler):
    """Answers by path: /ok, a 301 chain from /moved, /missing, /broken, /slow, /no-head,
    /redirect?to=URL (a 302 to any URL), and /trickle (a 200 sent a byte at a time)."""

    protocol_version = "HTTP/1.1"
    # /slow answers after this long, or hangs up when the server stops: never within a timeout.
    slow_seconds = 30.0
    # /busy answers once two requests have been in progress at once (or after this long): a
    # checker that allows two at once is seen doing so however slow the machine; one that allows
    # a single request never is.
    busy_seconds = 3.0
    # /trickle sends its answer a byte every this long: each read is quick, the whole is not.
    trickle_seconds = 0.2

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _answer(self, status, headers=(), body=b"ok"):
        # Done before a byte is sent: a client that has its answer may send the next request
        # before this thread runs again, however busy the machine.
        self._leave()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self):
        self.server.seen.append((self.command, self.path, self.headers.get("User-Agent")))
        with self.server.lock:
            self.server.active += 1
            self.server.most_active = max(self.server.most_active, self.server.active)
            self.server.lock.notify_all()
        self.in_progress = True
        try:
            self.route(self.path.split("?")[0])
        finally:
            self._leave()

    def _leave(self):
        """This request is no longer in progress (counted once)."""
        if self.in_progress:
            self.in_progress = False
            with self.server.lock:
                self.server.active -= 1

    def route(self, path):
        if path == "/ok":
            self._answer(200)
        elif path == "/moved":
            self._answer(301, [("Location", "/moved-again")])
        elif path == "/moved-again":
            self._answer(301, [("Location", f"http://127.0.0.1:{self.server.server_port}/ok")])
        elif path == "/missing":
            self._answer(404)
        elif path == "/broken":
            self._answer(500)
        elif path == "/slow":
            if not self.server.stopping.wait(self.slow_seconds):
                self._answer(200)
        elif path == "/no-head":
            self._answer(405 if self.command == "HEAD" else 200, [("Allow", "GET")])
        elif path == "/redirect":
            target = parse_qs(urlsplit(self.path).query)["to"][0]
            self._answer(302, [("Location", target)])
        elif path == "/trickle":
            self._leave()
            answer = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pace: one byte per tick\r\n\r\n"
            for byte in answer:
                if self.server.stopping.wait(self.trickle_seconds):
                    return
                try:
                    self.wfile.write(bytes([byte]))
                except OSError:  # the client gave up
                    self.close_connection = True
                    return
        elif path.startswith("/busy"):
            with self.server.lock:
                self.server.lock.wait_for(lambda: self.server.most_active > 1, self.busy_seconds)
            self._answer(200)
        else:
            self._answer(404)

    do_GET = do_HEAD = _route


class AnswerAll(Routes):
    """Answers 200 to everything, whatever the Host: a stand-in for every city's web server."""

    def route(self, path):
        self._answer(200)


class CountingServer(ThreadingHTTPServer):
    """Counts every TCP connection it accepts, before a byte of HTTP is read."""

    daemon_threads = True
    connections = 0

    def verify_request(self, request, client_address):
        with self.lock:
            self.connections += 1
        return True

    def handle_error(self, request, client_address):
        # A link checker that gives up (a timeout, a cancelled check) resets its connection:
        # expected, so not a traceback in the test output. Anything else is still printed.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalServer:
    """Serve `handler` on 127.0.0.1 on a free port in a background thread."""

    def __init__(self, handler=Routes):
        self.httpd = CountingServer(("127.0.0.1", 0), handler)
        self.httpd.seen = []
        self.httpd.lock = threading.Condition()
        self.httpd.stopping = threading.Event()
        self.httpd.active = self.httpd.most_active = 0

    @property
    def address(self):
        """As LINKCHECK_ALLOWED_ADDRESSES lists it."""
        return f"127.0.0.1:{self.httpd.server_port}"

    @property
    def base(self):
        return f"http://{self.address}"

    def url(self, path):
        return self.base + path

    def __enter__(self):
        # shutdown() waits for the loop's next poll: the default half second, per server.
        serve = self.httpd.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.01}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def refused_port():
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
