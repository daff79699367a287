"""App configuration for the page cache."""

from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "directory.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the version bump to directory changes)
