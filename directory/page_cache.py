"""Django's page cache for the public pages, with the directory's version as its key prefix.

A page stored before a change is keyed by the version before it, so it is never served after the
change, on any worker or node, and nothing needs purging. Pages are kept in the "pages" cache,
each worker's own memory (settings.CACHES); the version is read from the shared one.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.cache import CacheMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from . import version
from .filters import CityFilter

# The query parameters the public pages read. A page asked for with any other (a tracking tag,
# a made-up one) is made but not stored: one copy per value would let anyone fill the cache.
PAGE_PARAMETERS = frozenset({*CityFilter.base_filters, "page", "say"})
CACHE = "pages"


class DirectoryPageCacheMiddleware:
    """Django's `CacheMiddleware` around the public pages (those under a language prefix, and
    the sitemap).

    It sits just inside whitenoise, so a hit skips sessions, CSRF, authentication, CSP and the
    view, and is replayed with the headers those gave the page when it was stored. Django's own
    rules decide what is stored: a 200 that is not `private`, sets no cookie a `Vary: Cookie`
    page would (the CSRF token of a form), and is keyed by the headers it varies on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info)
        if language is None and request.path_info == reverse("sitemap"):
            language = settings.LANGUAGE_CODE
        if language is None:
            return self.get_response(request)
        # A pending message is shown on the next page, which must then be rendered for them.
        if CookieStorage.cookie_name in request.COOKIES or not PAGE_PARAMETERS.issuperset(
            request.GET
        ):
            response = self.get_response(request)
        else:
            response = self._cached(request, language)
        # Django tells browsers to keep the page as long as the cache does; they must ask again,
        # so that an edit shows on a visitor's next request.
        patch_cache_control(response, max_age=0)
        return response

    def _cached(self, request, language):
        token = version.current()
        # Read once, before the page: its pieces ({% cache %}) are made under the same version,
        # and a change committed meanwhile leaves the page under the old one, never stale.
        request.directory_version = token
        # One middleware per request (cheap), never a shared one's prefix changed per request.
        # A page is kept PAGE_CACHE_SECONDS, or less when its view says it holds less (max-age:
        # a city page's "open now").
        cache = CacheMiddleware(
            self.get_response,
            cache_timeout=settings.PAGE_CACHE_SECONDS,
            key_prefix=token,
            cache_alias=CACHE,
        )
        # Django keys a page by the active language too; the page's own, before LocaleMiddleware.
        with translation.override(language):
            return cache(request)


def context(request):
    """The version the page is rendered under, and the cache, for `{% cache %}` pieces of it."""
    # Read here, once and only if a piece asks, when the page cache did not read it.
    token = getattr(request, "directory_version", None) or SimpleLazyObject(version.current)
    return {
        "directory_version": token,
        "cache_seconds": settings.PAGE_CACHE_SECONDS,
        # Pieces are kept where their pages are: `{% cache ... using=pieces_cache %}`.
        "pieces_cache": CACHE,
    }
