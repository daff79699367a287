"""Superusers' lists of staff's two-factor devices, to remove a lost app or recovery codes.

django-otp's own pages name the devices in English only and show their secrets; these list and
delete our proxies of its models (directory.twofactor), named in the staff's language.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin import SuperuserOnlyMixin
from .twofactor import AuthenticatorApp, RecoveryCodes

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class DeviceAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Whose device it is and when it was used; seen and deleted, never added or changed here."""

    list_display = ["owner", "ready", "created", "last_used"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    fields = readonly_fields = list_display

    @admin.display(description=_("staff member"), ordering="user__username")
    def owner(self, device):
        return device.user

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def ready(self, device):
        return device.confirmed

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, device):
        return self.when(device.created_at)

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device):
        return self.when(device.last_used_at)

    def when(self, moment):
        """A date and time as the list shows it, on the device's page too (which shows any
        value as it is)."""
        if moment is None:
            return self.get_empty_value_display()
        return formats.localize(timezone.localtime(moment))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(DeviceAdmin):
    pass


@admin.register(RecoveryCodes)
class RecoveryCodesAdmin(DeviceAdmin):
    list_display = [*DeviceAdmin.list_display, "codes_left"]
    fields = readonly_fields = list_display

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(token_count=Count("token_set"))

    @admin.display(description=_("codes left"), ordering="token_count")
    def codes_left(self, device):
        return device.token_count
