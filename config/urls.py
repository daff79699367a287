"""Top-level URL configuration: the admin, the health check, and the public directory under a
language prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from directory import staff_password_reset
from directory.health import healthz
from directory.sitemaps import SITEMAPS, RobotsView

# Under the admin, a page that does not exist (or is not the staff member's to see) is the admin's.
handler404 = "directory.admin_site.page_not_found"
# A request refused unread (a NUL character, an unknown host) in the visitor's language.
handler400 = "directory.views.bad_request"

# `/` has no page of its own: LocaleMiddleware redirects it to the visitor's language.
urlpatterns = [
    # Before the admin's own, whose last pattern answers every other path under admin/.
    *staff_password_reset.urlpatterns,
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # One sitemap for every language: each page once per language, with its alternates. Cached
    # with the public pages (directory.page_cache): every place of Japan makes it slow to build.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    *i18n_patterns(path("", include("directory.urls")), prefix_default_language=True),
]
