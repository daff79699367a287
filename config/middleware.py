"""Site-wide middleware: the admin's language, headers SecurityMiddleware does not set, and the
refusal of requests holding a NUL character."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware import locale
from django.urls import reverse
from django.utils import translation


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, except that the admin ignores the browser's languages.

    The admin lives outside `i18n_patterns`, so Django would pick its language from the
    Accept-Language header; staff work in one language and their screens should match.
    """

    def process_request(self, request):
        if request.path_info.startswith(reverse("admin:index")):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)


class PermissionsPolicyMiddleware:
    """Add `Permissions-Policy` (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class RefuseNullCharacterMiddleware:
    """Answer 400 Bad Request to a request with a NUL character in its path, query string,
    form fields, cookies or headers.

    PostgreSQL cannot store or compare text holding NUL: such a value reaching any query (a URL's
    slug, an admin filter, a session key, a form field without Django's own NUL check) fails there
    as a 500. No one types a NUL, so the request is refused here, once, before any view sees it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_null_character(request):
            # Django's handler turns BadRequest into its 400 response (the 400.html template).
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


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
