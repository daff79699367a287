"""The directory's version: one row whose token changes with every change to the directory."""

import secrets
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import InterfaceError, OperationalError, connection, models

ROW = 1


def new_token():
    return secrets.token_hex(16)


class DirectoryVersion(models.Model):
    """The one row naming the directory's current state; cached pages are keyed by its token.

    It lives in the database, not the cache, so that it changes in the same transaction as the
    data: no node can see a new token before the change is committed, every process (several
    gunicorn workers with local-memory caches, or nodes sharing Redis) reads the same token, and a
    Redis outage cannot lose a bump and leave stale pages behind.
    """

    token = models.CharField(max_length=32, default=new_token)

    def __str__(self):
        return self.token


_TABLE = DirectoryVersion._meta.db_table
VERSION_SQL = "SELECT token FROM {table} WHERE id = %s"


def current_token():
    """The token of the directory as this transaction sees it (made on first use)."""
    # Asked on every page served from the cache: plain SQL costs a third of the ORM's query.
    sql = VERSION_SQL.format(table=connection.ops.quote_name(_TABLE))
    # This query, the request's first, tells as well as CONN_HEALTH_CHECKS' SELECT 1 whether a
    # kept connection still works; skipping that check saves a quarter of a cached page's cost.
    connection.health_check_done = True
    try:
        row = _fetch_token(sql)
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise
        # A connection the database dropped (it restarted): connect again, once.
        connection.close()
        row = _fetch_token(sql)
    token = row[0] if row else None
    if token is None:
        # A fresh or flushed database: a random token can never match a page cached before.
        token = DirectoryVersion.objects.get_or_create(pk=ROW)[0].token
    return token


# The token the page cache read at the start of this request, for pieces of pages kept per
# version (see `fragments`); unset outside a request the page cache saw.
_request_token = ContextVar("directory_token", default=None)


def request_token():
    """The token read for this request by the page cache, else the current one."""
    return _request_token.get() or current_token()


@contextmanager
def serving_under(token):
    """Make `token` this request's token while its page is rendered."""
    reset = _request_token.set(token)
    try:
        yield
    finally:
        _request_token.reset(reset)


def _fetch_token(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql, [ROW])
        return cursor.fetchone()


def bump():
    """Give the directory a new token, so every node renders its pages afresh."""
    DirectoryVersion.objects.update_or_create(pk=ROW, defaults={"token": new_token()})
