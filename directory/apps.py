"""App configuration for the directory."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the search-key receivers)


class DirectoryAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that asks staff for a second factor (directory.admin_site)."""

    # Named in INSTALLED_APPS; not the configuration `directory` itself picks.
    default = False
    default_site = "directory.admin_site.DirectoryAdminSite"
