"""The public pages of a city asked for at an address it no longer has, sent on to its own."""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse

from .models import City


class MovedCityMiddleware:
    """A city's page, desk card or report form not found at its address, when the address's
    city is the one `City.objects.at_address` reads there (its slug typed with capitals, or as
    it was before staff changed it), is sent on to the same page at the city's address now, as
    django.contrib.redirects sends a moved page: printed cards and shared links keep working.

    After LocaleMiddleware, so the address keeps the page's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return response
        slug = match.kwargs.get("slug")
        if match.namespace != "directory" or slug is None:
            return response
        city = City.objects.at_address(slug)
        if city is None or city.slug == slug:
            return response
        path = reverse(match.view_name, kwargs={**match.kwargs, "slug": city.slug})
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
