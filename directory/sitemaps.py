"""sitemap.xml: the home and search pages, every prefecture and every city."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import City, Prefecture


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


SITEMAPS = {"pages": StaticSitemap, "prefectures": PrefectureSitemap, "cities": CitySitemap}
