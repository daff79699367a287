"""App configuration for the directory."""

from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import apps as otp_static_apps
from django_otp.plugins.otp_totp import apps as otp_totp_apps


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


# Third-party apps the admin's index lists to superusers, named in the staff's language (their own
# names are untranslated labels such as "Otp_Totp"). Named in INSTALLED_APPS.


class AxesConfig(axes_apps.AppConfig):
    default = False
    verbose_name = _("Sign-in attempts (Axes)")


class AuthenticatorAppsConfig(otp_totp_apps.DefaultConfig):
    default = False
    verbose_name = _("Two-factor sign-in: authenticator apps")


class RecoveryCodesConfig(otp_static_apps.DefaultConfig):
    default = False
    verbose_name = _("Two-factor sign-in: recovery codes")
