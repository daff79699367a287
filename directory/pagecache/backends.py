"""A Redis cache backend that treats an unreachable Redis as an empty cache.

The cache only ever speeds the site up: when Redis stops answering, reads miss and writes are
dropped, so every page is served from the database instead of failing. Sockets time out quickly
and, after a failure, Redis is left alone for a moment so that requests do not each wait for a
dead server. The outage is logged when it begins and when it ends, not on every request.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, TimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.25,
    # redis-py retries three times with backoff by default; one quick miss is enough.
    "retry": Retry(NoBackoff(), 0),
}


def _survives_outage(fallback):
    """Make a client method return `fallback(*args)` instead of raising when Redis is away."""

    def decorate(method):
        def wrapped(self, *args, **kwargs):
            if time.monotonic() < self.resting_until:
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except (ConnectionError, TimeoutError) as error:
                if not self.failing:
                    logger.warning("Redis unavailable, serving without the cache: %s", error)
                self.failing = True
                self.resting_until = time.monotonic() + self.rest_seconds
                return fallback(*args, **kwargs)
            if self.failing:
                logger.warning("Redis answers again, cache back in use")
                self.failing = False
            return result

        wrapped.__name__ = method.__name__
        wrapped.__doc__ = method.__doc__
        return wrapped

    return decorate


def _returns(value):
    return _survives_outage(lambda *args, **kwargs: value)


def _missing_key(key, delta):
    # What incr() raises for a key that is not there, which callers already handle.
    raise ValueError(f"Key {key!r} not found (Redis unavailable)")


class ResilientRedisCacheClient(RedisCacheClient):
    rest_seconds = 1.0

    def __init__(self, servers, **options):
        super().__init__(servers, **{**DEFAULT_OPTIONS, **options})
        self.failing = False
        self.resting_until = 0.0
        self._clients = {}
        self._lock = threading.Lock()

    def _get_connection_pool(self, write):
        # Django makes a server's pool on first use without a lock: two threads starting at
        # once could each make one, and then each its own client.
        pool = self._pools.get(self._get_connection_pool_index(write))
        if pool is None:
            with self._lock:
                pool = super()._get_connection_pool(write)
        return pool

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis for every call, which costs redis-py more than the GET
        # of a cached page itself. A client is safe to share between threads: it takes a
        # connection from its pool for each command.
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            with self._lock:
                client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client

    get = _survives_outage(lambda key, default: default)(RedisCacheClient.get)
    add = _returns(False)(RedisCacheClient.add)
    set = _returns(None)(RedisCacheClient.set)
    touch = _returns(False)(RedisCacheClient.touch)
    delete = _returns(False)(RedisCacheClient.delete)
    get_many = _returns({})(RedisCacheClient.get_many)
    has_key = _returns(False)(RedisCacheClient.has_key)
    incr = _survives_outage(_missing_key)(RedisCacheClient.incr)
    set_many = _returns([])(RedisCacheClient.set_many)
    delete_many = _returns(None)(RedisCacheClient.delete_many)
    clear = _returns(False)(RedisCacheClient.clear)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, with a client that survives Redis going away."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
