"""Site-wide middleware: the admin's language, headers SecurityMiddleware does not set, the
refusal of requests holding a NUL character, the public pages' compression and language cookie,
and language prefixes spelt otherwise than the site's."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponseRedirect
from django.middleware.gzip import GZipMiddleware
from django.urls import get_script_prefix, is_valid_path, reverse
from django.utils import translation
from django.utils.cache import has_vary_header
from django.utils.deprecation import MiddlewareMixin


class AdminLanguageMiddleware(MiddlewareMixin):
    """The admin's language: the staff member's saved choice, otherwise the browser's first
    admin language (settings.ADMIN_LANGUAGES), otherwise English.

    The admin lives outside `i18n_patterns`; the public site's language cookie is not consulted,
    since a staff member who read the site in Vietnamese still works in Japanese or English.
    Runs after AuthenticationMiddleware, which the choice needs.
    """

    def process_request(self, request):
        if request.path_info.startswith(reverse("admin:index")):
            language = admin_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language


def admin_language(request):
    """The language the admin speaks to this request's user."""
    from directory.models import saved_language

    user = request.user
    saved = saved_language(user) if user.is_authenticated else ""
    if saved:
        return saved
    # Browsers list their languages in order of preference.
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()
        for language in settings.ADMIN_LANGUAGES:
            if code == language or code.startswith(f"{language}-"):
                return language
    return settings.LANGUAGE_CODE


class PermissionsPolicyMiddleware(MiddlewareMixin):
    """Switch off the features of settings.PERMISSIONS_POLICY_DENIED in every response."""

    def process_response(self, request, response):
        denied = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)
        response.headers.setdefault("Permissions-Policy", denied)
        return response


class RefuseNullCharacterMiddleware(MiddlewareMixin):
    """Answer 400 Bad Request to a request with a NUL character in its path, query string,
    form fields, cookies or headers.

    PostgreSQL cannot store or compare text holding NUL: such a value reaching any query (a URL's
    slug, an admin filter, a session key, a form field without Django's own NUL check) fails there
    as a 500. No one types a NUL, so the request is refused here, once, before any view sees it.
    """

    def process_request(self, request):
        if holds_null_character(request):
            # Django's handler turns BadRequest into the 400 page (directory.views.bad_request).
            raise BadRequest("NUL character in the request")


def holds_null_character(request):
    """Whether any part of the request a view or middleware may read holds a NUL.

    Uploaded files are left alone: their content is read by the importers (a spreadsheet is a
    zip archive, full of NUL bytes), and Django strips unprintable characters from their names.
    """
    # Reading the form here costs nothing more: CSRF checking reads it for every POST anyway.
    fields = [*request.GET.lists(), *request.POST.lists()]
    texts = [
        request.path_info,
        *(name for name, _values in fields),
        *(value for _name, values in fields for value in values),
        *(text for cookie in request.COOKIES.items() for text in cookie),
        *(value for key, value in request.META.items() if key.startswith("HTTP_")),
    ]
    return any("\x00" in text for text in texts if isinstance(text, str))


class PublicPageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for the public pages only: those under a language prefix that
    do not vary on cookies.

    A page that varies on cookies (the report form with its CSRF token, anything reading the
    session) may hold a secret beside text a visitor can inject, which is what BREACH needs;
    those and the admin are sent as they are. Placed inside the page cache, so a page is
    compressed once and the cache keys it by `Accept-Encoding`, as the `Vary` header says.
    """

    def process_response(self, request, response):
        public = translation.get_language_from_path(request.path_info) is not None
        if not public or has_vary_header(response, "Cookie"):
            return response
        return super().process_response(request, response)


class LanguageCookieMiddleware(MiddlewareMixin):
    """Remember the language of the public page a visitor last read (the switcher's choice) in
    Django's language cookie, so that `/` sends them back to it (LocaleMiddleware reads it).

    Outside the page cache: a cached page is stored without the cookie and each visitor is
    given their own, only when it changes.
    """

    def process_response(self, request, response):
        language = translation.get_language_from_path(request.path_info)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if (
            language is not None
            and response.status_code == 200
            and request.COOKIES.get(cookie) != language
        ):
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class LanguageVariantRedirectMiddleware(MiddlewareMixin):
    """Lead a page not found under a language prefix spelt otherwise than the site's (/zh/ and
    /zh-CN/ for /zh-hans/, /pt-BR/ for /pt-br/, /VI/ for /vi/: typed, read off paper, made by an
    app) to the same page under the site's prefix, with its query string.

    Django's own mapping (`get_supported_language_variant`, as for a browser's languages) picks
    the language; a prefix it maps to none, or whose page the site does not have, stays not
    found. Placed before LocaleMiddleware, so it sees the 404 that one leaves alone.
    """

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        prefix = request.path_info.split("/")[1]
        try:
            language = translation.get_supported_language_variant(prefix.lower())
        except LookupError:
            return response
        if language == prefix:
            return response
        path = f"/{language}{request.path_info[len(prefix) + 1 :]}"
        urlconf = getattr(request, "urlconf", None)
        # As LocaleMiddleware does for a path without a prefix: `/zh` too, with its slash added.
        # i18n_patterns resolve a path under the active language.
        with translation.override(language):
            valid = is_valid_path(path, urlconf)
            needs_slash = (
                not valid
                and settings.APPEND_SLASH
                and not path.endswith("/")
                and is_valid_path(f"{path}/", urlconf)
            )
        if not (valid or needs_slash):
            return response
        script_prefix = get_script_prefix()
        full_path = request.get_full_path(force_append_slash=needs_slash)
        return HttpResponseRedirect(
            f"{script_prefix}{language}{full_path[len(script_prefix) + len(prefix) :]}"
        )
