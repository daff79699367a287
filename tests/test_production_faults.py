"""Break a running node's database and cache on purpose, on private server instances.

PostgreSQL stopped and started under traffic: errors only while it is down, then every request
succeeds with the same gunicorn workers. Redis stopped: pages are still served. No assertion
hangs on how long something took: each is about what answered, before, during and after.
"""

import threading

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


def burst(node, visitors=8, each=10):
    """`visitors` visitors at once, each asking for the home page and /healthz `each` times;
    the statuses (or the exception's name) they got."""
    answers = []

    def visit():
        visitor = Visitor()
        for _ in range(each):
            for path in (reverse("directory:home"), "/healthz"):
                try:
                    answers.append(visitor.get(node.url + path, timeout=10)[0])
                except OSError as error:
                    answers.append(type(error).__name__)

    threads = [threading.Thread(target=visit) for _ in range(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_a_postgresql_restart_fails_only_the_requests_made_while_it_is_down(node, postgres):
    """Bursts before and after reach every server thread, so each holds a connection that died
    with the server, and each must notice (the health check) and reconnect rather than fail."""
    workers = node.worker_pids()
    assert set(burst(node)) == {200}

    postgres.stop()
    try:
        down = Visitor().get(node.url + "/healthz")[0]
    finally:
        postgres.start()
    after = burst(node)

    assert down == 503
    assert after == [200] * len(after) and len(after) == 160
    assert node.worker_pids() == workers, "gunicorn workers were restarted"


def test_pages_are_still_served_while_redis_is_stopped(node, redis_server):
    visitor = Visitor()
    home = reverse("directory:home")
    assert visitor.get(node.url + home)[0] == 200
    redis_server.stop()
    try:
        # Pages this node has not served yet, as well as one it has cached: each of them is
        # looked up in Redis, which is away, and rendered.
        fresh = [reverse("directory:prefecture-detail", args=[f"{n:02d}"]) for n in range(1, 9)]
        paths = [home, "/healthz", *fresh] * 2
        answers = [visitor.get(node.url + path)[0] for path in paths]
    finally:
        redis_server.start()

    assert answers == [200] * len(paths)
    # django-redis logs each call it gave up, a line each: no traceback, dozens a page.
    output = node.output()
    assert "Exception ignored: ConnectionInterrupted: Redis ConnectionError: Error " in output
    assert "Traceback" not in output
