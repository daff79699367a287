"""The problem-report limit across two gunicorn processes sharing one database: they count
together, with no Redis at all and with a Redis that stops half-way.

Two single-worker nodes rather than one node of two workers, so that which process takes each
report is the test's choice, not the kernel's.
"""

import itertools
import sqlite3

import pytest
from django.urls import reverse

from tests.servers import (
    GunicornNode,
    RedisServer,
    Visitor,
    all_at_once,
    csrf_token,
    production_env,
)

REPORTS = 20
LIMIT = 10


@pytest.fixture(params=["without Redis", "with Redis stopped half-way"])
def node(request, published_database):
    redis = RedisServer().start() if "Redis stopped" in request.param else None
    database = published_database
    env = production_env(
        DATABASE_URL=f"sqlite:///{database}",
        REDIS_URL=redis.url if redis else None,
    )
    nodes = [GunicornNode(env, workers=1, threads=2).start() for _ in range(2)]
    yield nodes, database, redis
    for node in nodes:
        node.stop()
    if redis:
        redis.stop()


def report_forms(nodes, database):
    with sqlite3.connect(database) as db:
        (slug,) = db.execute("SELECT slug FROM directory_city ORDER BY id LIMIT 1").fetchone()
    path = reverse("directory:city-report", kwargs={"slug": slug})
    return [node.url + path for node in nodes]


# Numbers each report's details: the same report sent again is stored once.
SENT = itertools.count()


def send_at_once(urls, count):
    """`count` visitors from one address open the form, taking the nodes in turn, then all send
    it at the same moment."""
    forms = []
    for number in range(count):
        visitor = Visitor()
        url = urls[number % len(urls)]
        forms.append((visitor, url, csrf_token(visitor.get(url)[1]), f"Link {next(SENT)} is gone"))

    def send(visitor, url, token, message):
        data = {"kind": "broken-link", "message": message, "csrfmiddlewaretoken": token}
        return visitor.post(url, data)[0]

    return all_at_once(send, forms)


def test_twenty_reports_from_one_address_to_two_processes_get_exactly_ten_through(node):
    nodes, database, redis = node
    urls = report_forms(nodes, database)

    statuses = send_at_once(urls, 4)
    if redis:
        redis.stop()
    statuses += send_at_once(urls, REPORTS - 4)

    assert sorted(statuses) == [302] * LIMIT + [429] * (REPORTS - LIMIT)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM directory_problemreport").fetchone() == (LIMIT,)
