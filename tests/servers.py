"""Real servers for the production tests and the load bench: gunicorn nodes, and private
PostgreSQL and Redis instances that a test may stop and start without touching anyone else's.
"""

import contextlib
import glob
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_KEY = "production-test-secret-key-shared-by-every-node-0123456789"  # noqa: S105


def free_port():
    """A port free now. Another process (a parallel test worker's server) may take it before
    ours binds it: the servers below then start again on another."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PortTaken(Exception):
    """The server could not listen: another process took its port first."""


def on_a_free_port(server, start, attempts=3):
    """Run `start()` until it raises no PortTaken, giving `server` a new port each time."""
    for _ in range(attempts - 1):
        try:
            return start()
        except PortTaken:
            server.port = free_port()
    return start()


def wait_for(predicate, timeout=20.0, what="the server"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not come up in {timeout:.0f} s")


def production_env(**overrides):
    """The environment of a production node: DEBUG off, plain HTTP on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "PYTEST_CURRENT_TEST"}
    }
    env.update(DEBUG="false", SECRET_KEY=SECRET_KEY, SECURE_SSL_REDIRECT="false")
    env.update({key: value for key, value in overrides.items() if value is not None})
    return env


def manage(*args, env):
    """Run a management command in its own process, as a deploy step would."""
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


class RedisServer:
    """A throwaway redis-server on its own port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        return on_a_free_port(self, self._start)

    def _start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, what="redis-server")
        return self

    def _answers(self):
        # Whoever answers on the port must be this redis-server, which exits if it was taken.
        if self.process.poll() is not None:
            raise PortTaken(self.port)
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"INFO server\r\n")
                info = connection.recv(65536)
        except OSError:
            return False
        return f"process_id:{self.process.pid}\r\n".encode() in info

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class PostgresServer:
    """A private PostgreSQL cluster in a temporary folder, on its own port.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
    """

    def __init__(self):
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version)
        if not versions:
            raise RuntimeError("PostgreSQL's server binaries are not installed")
        self.bin = Path(versions[-1])
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="madoguchi-pg-"))
        self.data = self.dir / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool, *args):
        command = [str(self.bin / tool), *map(str, args)]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", self.dir / "log", "-w", "start")
        return self

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class GunicornNode:
    """One web node: gunicorn with the project's gunicorn.conf.py, on its own port.

    Tests ask for few workers and threads; `None` keeps gunicorn.conf.py's sizing.
    """

    def __init__(self, env, workers=2, threads=2):
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.env = dict(env)
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        if threads:
            self.env["GUNICORN_THREADS"] = str(threads)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed by stop())
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        return on_a_free_port(self, self._start)

    def _start(self):
        self.log.seek(0)
        self.log.truncate()
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._answers, timeout=60, what=f"gunicorn on port {self.port}")
        return self

    def _answers(self):
        if self.process.poll() is not None:
            if "Connection in use" in self.output():
                raise PortTaken(self.port)
            raise RuntimeError(f"gunicorn exited:\n{self.output()}")
        if len(self.worker_pids()) < (self.workers or 1) or not _accepts(self.port):
            return False
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=30) as response:  # noqa: S310
                return response.status == 200
        except (OSError, urllib.error.HTTPError):
            return False

    def worker_pids(self):
        """The process ids of the master's workers, read from /proc."""
        pids = set()
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.add(int(stat.split("/")[2]))
        return pids

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        """Stop at once (SIGQUIT): a test has nothing in flight worth finishing."""
        if self.process and self.process.poll() is None:
            workers = self.worker_pids()
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                for pid in (*workers, self.process.pid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


class Visitor:
    """A browser-like HTTP client: keeps cookies (Secure ones too, as browsers do on loopback)
    and does not follow redirects, so a test sees each response."""

    def __init__(self):
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.cookies = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, url, timeout=30):
        return self._open(urllib.request.Request(url), timeout)

    def post(self, url, data, timeout=30):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"), timeout)

    def cookie(self, name):
        return next(cookie.value for cookie in self.cookies if cookie.name == name)

    def _open(self, request, timeout):
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers


def csrf_token(page):
    """The CSRF token of the form on a page, as a browser sends it back."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def all_at_once(send, calls, timeout=60):
    """`send(*call)` for each of `calls`, each on its own thread, all released together (as
    requests reaching several workers at the same moment); their answers, once all are done."""
    start, answers = threading.Barrier(len(calls)), []

    def run(*call):
        start.wait()
        answers.append(send(*call))

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return answers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _accepts(port):
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _version(path):
    return int(Path(path).parent.name.split(".")[0])
