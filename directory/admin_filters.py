"""Admin list filters for link health, record freshness and problem reports."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import linkcheck


class LinkStatusFilter(admin.SimpleListFilter):
    """Records by their URL's last check: broken, redirected, fine, or not yet checked."""

    title = _("link check")
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [
            ("broken", _("Broken")),
            ("redirected", _("Redirected")),
            ("ok", _("Working")),
            ("unchecked", _("Not yet checked")),
        ]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookup_choices):
            return linkcheck.with_link_status(queryset, self.value())
        return queryset


class MissingDeskDetailFilter(admin.SimpleListFilter):
    """Desks that lack what a visitor needs to reach them: a phone, opening hours, an address."""

    title = _("missing details")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            ("phone", _("No phone number")),
            ("hours", _("No opening hours")),
            ("address", _("No address")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "phone":
            return queryset.without_phone()
        if self.value() == "hours":
            return queryset.without_hours()
        if self.value() == "address":
            return queryset.without_address()
        return queryset


class CheckResultFilter(LinkStatusFilter):
    """The same choices for LinkCheck rows themselves ("not yet checked" has no rows)."""

    def lookups(self, request, model_admin):
        choices = super().lookups(request, model_admin)
        return [(value, label) for value, label in choices if value != "unchecked"]


class VerificationFilter(admin.SimpleListFilter):
    """Cities nobody has confirmed for twelve months (or ever), and the others."""

    title = _("last verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("Not verified for 12 months")),
            ("recent", _("Verified in the last 12 months")),
        ]

    def queryset(self, request, queryset):
        stale = queryset.not_verified_since(days=365)
        if self.value() == "stale":
            return stale
        if self.value() == "recent":
            return queryset.exclude(pk__in=stale.values("pk"))
        return queryset


class ReportStatusFilter(admin.SimpleListFilter):
    """Open reports, closed ones, or all."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(closed_at__isnull=True)
        if self.value() == "closed":
            return queryset.filter(closed_at__isnull=False)
        return queryset
