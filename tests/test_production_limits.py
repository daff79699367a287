"""The problem-report limit on a real gunicorn node with two worker processes: every worker
counts together, with no Redis at all and with a Redis that stops half-way.

Each worker's access-log line names its process, so the test can see both workers served.
"""

import re
import sqlite3
import threading

import pytest
from django.urls import reverse

from tests.servers import GunicornNode, RedisServer, Visitor, manage, production_env

REPORTS = 20
LIMIT = 10


@pytest.fixture(params=["without Redis", "with Redis stopped half-way"])
def node(request, tmp_path):
    redis = RedisServer().start() if "Redis stopped" in request.param else None
    database = tmp_path / "db.sqlite3"
    env = production_env(
        DATABASE_URL=f"sqlite:///{database}",
        REDIS_URL=redis.url if redis else None,
        # The worker's process id on each access-log line.
        GUNICORN_CMD_ARGS="--access-logformat '%(p)s \"%(r)s\" %(s)s'",
    )
    manage("migrate", "--noinput", env=env)
    manage("load_published_table", "--if-empty", env=env)
    node = GunicornNode(env, workers=2, threads=2).start()
    yield node, database, redis
    node.stop()
    if redis:
        redis.stop()


def report_form(node, database):
    with sqlite3.connect(database) as db:
        (slug,) = db.execute("SELECT slug FROM directory_city ORDER BY id LIMIT 1").fetchone()
    return node.url + reverse("directory:city-report", kwargs={"slug": slug})


def send_at_once(url, count):
    """`count` visitors from one address open the form, then all send it at the same moment."""
    forms = []
    for _ in range(count):
        visitor = Visitor()
        page = visitor.get(url)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        forms.append((visitor, token))
    statuses = []
    start = threading.Barrier(count)

    def send(visitor, token):
        start.wait()
        data = {"kind": "broken-link", "message": "gone", "csrfmiddlewaretoken": token}
        statuses.append(visitor.post(url, data)[0])

    threads = [threading.Thread(target=send, args=form) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def test_twenty_reports_from_one_address_to_two_workers_get_exactly_ten_through(node):
    node, database, redis = node
    url = report_form(node, database)

    statuses = send_at_once(url, 4)
    if redis:
        redis.stop()
    statuses += send_at_once(url, REPORTS - 4)

    assert sorted(statuses) == [302] * LIMIT + [429] * (REPORTS - LIMIT)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM directory_problemreport").fetchone() == (LIMIT,)
    posted_by = set(re.findall(r'<(\d+)> "POST [^"]*/report/ [^"]*" (?:302|429)', node.output()))
    assert len(posted_by) == 2, "both workers took reports"
    if redis:
        assert "Redis unavailable" in node.output()
