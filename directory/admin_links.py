"""Link-health and freshness methods (columns and actions) for the directory's ModelAdmins.

The ModelAdmins in directory/admin.py name these in their own `list_display`, `list_filter`,
`readonly_fields` and `actions`.
"""

from collections import defaultdict

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import linkcheck, proxies
from .models import ClassLink, Department, LinkCheck, LinkCheckRequest


def queue_checks(modeladmin, request, urls):
    """Queue `urls` for `manage.py check_links` and tell the user: a web request never checks."""
    count = linkcheck.request_checks(urls, request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d link queued; it is checked within the hour.",
            "%(count)d links queued; they are checked within the hour.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


def pending_check():
    """Whether a record's URL waits in the queue, for annotating a queryset."""
    return Exists(LinkCheckRequest.objects.filter(url=OuterRef("url")))


def _check_field(name):
    return Subquery(LinkCheck.objects.filter(url=OuterRef("url")).values(name)[:1])


def attach_owners(checks, user):
    """Give each LinkCheck of `checks` the desks and classes linking to its URL that `user` may
    edit (`link_owners`), their cities with them: two queries for a whole page of checks, however
    many records share a URL. A city editor is never shown another city's record."""
    checks = list(checks)
    owners = defaultdict(list)
    urls = {check.url for check in checks}
    for model in (Department, ClassLink):
        records = model.objects.editable_by(user).filter(url__in=urls).select_related("city")
        for record in records.order_by("city__code", "pk"):
            owners[record.url].append(record)
    for check in checks:
        check.link_owners = owners[check.url]
    return checks


def describe_owners(records):
    """Each record as "city, desk: name" or "city, class: name", linked to its page."""
    rows = []
    for record in records:
        if isinstance(record, Department):
            text = _("%(city)s, desk: %(name)s")
        else:
            text = _("%(city)s, class: %(name)s")
        meta = record._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        rows.append((url, text % {"city": record.city, "name": record}))
    if not rows:
        return "-"
    return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>', rows)


class LinkHealthAdminMixin:
    """For a model with a `url`: its last check, the page a proxy URL wraps, a check action."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                link_status=_check_field("status_code"),
                link_error=_check_field("error"),
                link_final_url=_check_field("final_url"),
                link_redirects=_check_field("redirects"),
                link_checked_at=_check_field("checked_at"),
                link_pending=pending_check(),
            )
        )

    @admin.display(description=_("link check"))
    def link_check(self, obj):
        if not obj.url:
            return "-"
        last = self._last_check(obj)
        if getattr(obj, "link_pending", False):
            if last is None:
                return format_html("<strong>{}</strong>", _("check pending"))
            return format_html("<strong>{}</strong>; {}", _("check pending"), last)
        return _("not yet checked") if last is None else last

    def _last_check(self, obj):
        if getattr(obj, "link_checked_at", None) is None:
            return None
        checked = timezone.localtime(obj.link_checked_at).strftime("%Y-%m-%d")
        if obj.link_error:
            kind = LinkCheck.Error(obj.link_error).label
            status = f" {obj.link_status}" if obj.link_status else ""
            return format_html("<strong>{}{}</strong> ({})", kind, status, checked)
        if obj.link_redirects and obj.link_redirects != "[]":
            return format_html(
                '{} → <a href="{}" rel="noopener">{}</a> ({})',
                _("redirected"),
                obj.link_final_url,
                obj.link_final_url,
                checked,
            )
        return format_html("{} {} ({})", _("OK"), obj.link_status, checked)

    @admin.display(description=_("city's own page"))
    def original_page(self, obj):
        original = proxies.original_url(obj.url) if obj.url else None
        if not original:
            return "-"
        return format_html('<a href="{}" rel="noopener">{}</a>', original, original)

    @admin.action(description=_("Check the links of the selected records"), permissions=["change"])
    def check_selected_links(self, request, queryset):
        queue_checks(self, request, linkcheck.record_urls(queryset))


class CityFreshnessAdminMixin:
    """The actions staff confirm a city's desks and links with."""

    @admin.action(description=_("Mark the selected cities verified today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        today = timezone.localdate()
        # One save per city, not update(), so change history (if kept) records it.
        for city in queryset:
            city.last_verified = today
            city.save(update_fields=["last_verified"])
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d city marked verified on %(date)s.",
                "%(count)d cities marked verified on %(date)s.",
                count,
            )
            % {"count": count, "date": today.isoformat()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Check the links of the selected cities"), permissions=["change"])
    def check_city_links(self, request, queryset):
        queue_checks(self, request, linkcheck.directory_urls(queryset))
