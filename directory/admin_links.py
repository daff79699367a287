"""Link-health and freshness methods (columns and actions) for the directory's ModelAdmins.

The ModelAdmins in directory/admin.py name these in their own `list_display`, `list_filter`,
`readonly_fields` and `actions`.
"""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import linkcheck, proxies
from .models import LinkCheck, LinkCheckRequest


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
