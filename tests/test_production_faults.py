"""Break a running node's database and cache on purpose, on private server instances.

PostgreSQL stopped and started under traffic: errors only while it is down, then every request
succeeds with the same gunicorn workers. Redis stopped: pages are still served.
"""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from tests.servers import GunicornNode, PostgresServer, RedisServer, Visitor, manage, production_env

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs in the PostgreSQL run of the suite"
)


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer().start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def node(postgres, redis_server):
    env = production_env(DATABASE_URL=postgres.url, REDIS_URL=redis_server.url)
    manage("migrate", "--noinput", env=env)
    manage("load_published_table", "--if-empty", env=env)
    node = GunicornNode(env).start()
    yield node
    node.stop()


class Traffic:
    """Two visitors asking for pages in a loop, each answer noted with when it was asked."""

    PATHS = (reverse("directory:home"), "/healthz")

    def __init__(self, node, visitors=1, pause=0.5):
        self.node = node
        self.pause = pause
        self.answers = []  # (asked at, answered at, path, status or exception name)
        self.running = True
        self.threads = [threading.Thread(target=self._visit, daemon=True) for _ in range(visitors)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join(30)

    def _visit(self):
        visitor = Visitor()
        while self.running:
            for path in self.PATHS:
                asked = time.monotonic()
                try:
                    status = visitor.get(self.node.url + path, timeout=10)[0]
                except OSError as error:
                    status = type(error).__name__
                self.answers.append((asked, time.monotonic(), path, status))
                time.sleep(self.pause)

    def between(self, start, end):
        return [answer for answer in self.answers if answer[0] >= start and answer[1] <= end]

    def failures(self, answers):
        return [answer for answer in answers if answer[3] != 200]


def test_a_postgresql_restart_fails_only_the_requests_made_while_it_is_down(node, postgres):
    """Traffic is light while it is down, so some server threads sit idle holding a connection
    that died with the server; the bursts before and after reach every thread, and each must
    notice (the health check) and reconnect rather than fail its first request."""
    workers = node.worker_pids()

    with Traffic(node, visitors=8, pause=0.01):
        time.sleep(1.0)  # every server thread has served, and holds a database connection
    with Traffic(node) as traffic:
        time.sleep(1.0)
        stopping = time.monotonic()
        postgres.stop()
        time.sleep(1.2)
        postgres.start()
        started = time.monotonic()
        with Traffic(node, visitors=8, pause=0.01) as burst:
            time.sleep(1.5)
        ended = time.monotonic()

    before = traffic.between(0, stopping)
    down = traffic.between(stopping, started)
    after = traffic.between(started, ended) + burst.answers
    assert before and not traffic.failures(before)
    assert any(status == 503 for _, _, path, status in down if path == "/healthz")
    assert len(after) > 40
    assert traffic.failures(after) == []
    assert node.worker_pids() == workers, "gunicorn workers were restarted"


def test_pages_are_still_served_while_redis_is_stopped(node, redis_server):
    visitor = Visitor()
    home = reverse("directory:home")
    assert visitor.get(node.url + home)[0] == 200
    redis_server.stop()
    try:
        started = time.monotonic()
        # Pages this node has not served yet, as well as one it keeps a copy of: each of them
        # is rendered and asks Redis, which is away.
        fresh = [reverse("directory:prefecture-detail", args=[f"{n:02d}"]) for n in range(1, 9)]
        paths = [home, "/healthz", *fresh] * 2
        answers = [visitor.get(node.url + path)[0] for path in paths]
        elapsed = time.monotonic() - started
    finally:
        redis_server.start()

    assert answers == [200] * len(paths)
    assert elapsed < 10
    assert "Redis unavailable" in node.output()
