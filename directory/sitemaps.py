"""sitemap.xml: the home and search pages, every prefecture, every city and every unlisted place,
in every language."""

from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.urls import reverse

from .models import City, Municipality, Prefecture


class Sitemap(BaseSitemap):
    # Each page once per language in settings.LANGUAGES, each entry naming its alternates.
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(Sitemap):
    def items(self):
        return ["directory:home", "directory:search"]

    def location(self, item):
        return reverse(item)


class PrefectureSitemap(Sitemap):
    def items(self):
        return Prefecture.objects.order_by("code")


class CitySitemap(Sitemap):
    def items(self):
        return City.objects.order_by("code")


class PlaceSitemap(Sitemap):
    # A listed city's code leads to the city's page, which the city sitemap already names.
    def items(self):
        return Municipality.objects.unlisted().order_by("code")


SITEMAPS = {
    "pages": StaticSitemap,
    "prefectures": PrefectureSitemap,
    "cities": CitySitemap,
    "places": PlaceSitemap,
}
