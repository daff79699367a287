"""Serve the public directory pages from the cache, keyed by the directory's version.

Every change to the directory gives it a new version token (see `models.py`), so a page cached
before the change is never served after it, on any node, without anything to purge.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches

from .models import current_token, serving_under

PUBLIC_NAMESPACE = "directory"
# Only these response headers may differ between visitors of a stored page.
HARMLESS_VARY = {"accept-encoding"}
# Pages with a query string each process remembers rendering once (see `_first_sight`).
SEEN_LIMIT = 10_000


class PublicPageCacheMiddleware:
    """Store finished GET responses of the `directory:` pages and replay them.

    It sits just inside SecurityMiddleware and whitenoise, so a hit skips sessions, locale,
    CSRF, authentication and the view, and is replayed with the headers the inner middleware
    gave it (CSP, frame denial, language). That is sound because the page's language is in its
    URL, and a response is stored only when it is the same for every visitor: it did not read
    the session, set a cookie, issue a CSRF token or vary on any request header.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]
        # A page stored under a version never changes, so each process may keep its own copy
        # of the pages it serves most, in front of the shared cache, and skip the round trip.
        near = settings.PAGE_CACHE_NEAR_ALIAS
        self.near = caches[near] if near else None
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.skip = ("/admin/", "/healthz", settings.STATIC_URL)
        self.seen = set()

    def __call__(self, request):
        if request.method != "GET" or self._bypass(request):
            return self.get_response(request)
        token = current_token()
        key = self._key(request, token)
        first_sight = self._first_sight(request, key)
        if not first_sight:
            response = self._get(key)
            if response is not None:
                return response
        with serving_under(token):
            response = self.get_response(request)
        if not first_sight and self._cacheable(request, response):
            self._set(key, response)
        return response

    def _get(self, key):
        response = self.near.get(key) if self.near else None
        if response is None:
            response = self.cache.get(key)
            if response is not None and self.near:
                self.near.set(key, response, self.timeout)
        return response

    def _set(self, key, response):
        self.cache.set(key, response, self.timeout)
        if self.near:
            self.near.set(key, response, self.timeout)

    def _first_sight(self, request, key):
        """Whether this is a page with a query string this process has not rendered before.

        Such a page is neither looked up nor stored: most searches are made once, so the look-up
        would miss and the stored copy would never be read, and a crawler adding random
        parameters would fill Redis with pages no one asks for again. Asked for a second time,
        the page is looked up, and stored if no node has stored it yet. Pages without a query
        string (a city, a prefecture) are few: looked up and stored from the first request.
        """
        if not request.META.get("QUERY_STRING") or key in self.seen:
            return False
        if len(self.seen) >= SEEN_LIMIT:
            self.seen.clear()
        self.seen.add(key)
        return True

    def _bypass(self, request):
        # A pending message is shown on the next page, which must then be rendered for them.
        return request.path.startswith(self.skip) or "messages" in request.COOKIES

    @staticmethod
    def _key(request, token):
        # The token is read before the page is rendered: a change committed in between
        # leaves the page under an old token, never stale under the new one.
        # The host as sent, not get_host(), whose ALLOWED_HOSTS check costs a cached page a
        # fifth of its time: a page for a host that check refuses is never rendered, so never
        # stored, and its lookup only misses.
        host = request._get_raw_host()
        url = f"{request.scheme}://{host}{request.get_full_path()}"
        url = hashlib.sha256(url.encode()).hexdigest()
        return f"page.{token}.{url}"

    @staticmethod
    def _cacheable(request, response):
        match = getattr(request, "resolver_match", None)
        session = getattr(request, "session", None)
        cache_control = response.get("Cache-Control", "")
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return (
            match is not None
            and PUBLIC_NAMESPACE in match.namespaces
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and vary <= HARMLESS_VARY
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not (session is not None and session.accessed)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
