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


class ChoicesFilter(admin.SimpleListFilter):
    """A filter of fixed choices: `by_value` maps each value to its label and the function that
    narrows a queryset to it."""

    by_value = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _narrow) in self.by_value.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.by_value:
            return queryset
        label, narrow = self.by_value[self.value()]
        return narrow(queryset)


class MissingDeskDetailFilter(ChoicesFilter):
    """Desks that lack what a visitor needs to reach them: a phone, opening hours, an address,
    the languages spoken (without which the search's language filter never finds the desk)."""

    title = _("missing details")
    parameter_name = "missing"
    by_value = {
        "phone": (_("No phone number"), lambda desks: desks.without_phone()),
        "hours": (_("No opening hours"), lambda desks: desks.without_hours()),
        "address": (_("No address"), lambda desks: desks.without_address()),
        "languages": (_("No languages spoken"), lambda desks: desks.without_languages()),
    }


class CheckResultFilter(LinkStatusFilter):
    """The same choices for LinkCheck rows themselves ("not yet checked" has no rows)."""

    def lookups(self, request, model_admin):
        choices = super().lookups(request, model_admin)
        return [(value, label) for value, label in choices if value != "unchecked"]


class VerificationFilter(ChoicesFilter):
    """Cities nobody has confirmed for twelve months (or ever), and the others."""

    title = _("last verified")
    parameter_name = "verified"
    by_value = {
        "stale": (
            _("Not verified for 12 months"),
            lambda cities: cities.not_verified_since(days=365),
        ),
        "recent": (
            _("Verified in the last 12 months"),
            lambda cities: cities.exclude(pk__in=cities.not_verified_since(days=365).values("pk")),
        ),
    }


class ReportStatusFilter(ChoicesFilter):
    """Open reports, closed ones, or all."""

    title = _("status")
    parameter_name = "status"
    by_value = {
        "open": (_("Open"), lambda reports: reports.filter(closed_at__isnull=True)),
        "closed": (_("Closed"), lambda reports: reports.filter(closed_at__isnull=False)),
    }
