"""Serve the public directory pages from the cache, keyed by the directory's version.

Every change to the directory gives it a new version token (see `models.py`), so a page cached
before the change is never served after it, on any node, without anything to purge.
"""

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import get_cache_key, learn_cache_key

from .models import current_token

PUBLIC_NAMESPACE = "directory"


class PublicPageCacheMiddleware:
    """Cache anonymous GET responses of the `directory:` URLs.

    It sits after the session, locale and CSRF middleware so that the page's language is known
    when the cache is read; a response that touched the session, set a cookie or issued a CSRF
    token belongs to one visitor and is never stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]
        self.timeout = settings.PAGE_CACHE_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        prefix = getattr(request, "_page_cache_prefix", None)
        hit = getattr(request, "_page_cache_hit", False)
        if prefix and not hit and self._cacheable(request, response):
            key = learn_cache_key(request, response, self.timeout, prefix, cache=self.cache)
            self.cache.set(key, response, self.timeout)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or PUBLIC_NAMESPACE not in match.namespaces:
            return None
        request._page_cache_prefix = prefix = f"page.{current_token()}"
        key = get_cache_key(request, prefix, "GET", cache=self.cache)
        response = self.cache.get(key) if key else None
        if response is not None:
            request._page_cache_hit = True
        return response

    @staticmethod
    def _cacheable(request, response):
        session = getattr(request, "session", None)
        cache_control = response.get("Cache-Control", "")
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not (session is not None and session.accessed)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
