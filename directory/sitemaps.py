"""sitemap.xml: the home and search pages, every prefecture, every city and every unlisted place,
in every language."""

from functools import lru_cache

from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import TemplateView

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
    """Every unlisted place; a listed city's code leads to the city's page, named above."""

    # With each entry's 12 alternates the sitemap would grow tenfold (seconds to render, tens
    # of megabytes); each language's page is still listed.
    alternates = False
    x_default = False

    def items(self):
        return Municipality.objects.unlisted().order_by("code").only("code")

    def location(self, item):
        # Some 1,900 places in 11 languages, each with 12 alternates: one reverse() per
        # language, not per link, or the sitemap takes half a minute.
        return _place_path(get_language()).replace(_CODE, item.code)


_CODE = "000000"


@lru_cache(maxsize=64)
def _place_path(language):
    return reverse("directory:place-detail", kwargs={"code": _CODE})


SITEMAPS = {
    "pages": StaticSitemap,
    "prefectures": PrefectureSitemap,
    "cities": CitySitemap,
    "places": PlaceSitemap,
}


class RobotsView(TemplateView):
    """robots.txt: crawlers keep out of the admin and are pointed to the sitemap."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap = self.request.build_absolute_uri(reverse("sitemap"))
        return super().get_context_data(sitemap=sitemap, **kwargs)
