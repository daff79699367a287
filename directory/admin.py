"""Admin for the directory: one ModelAdmin per model."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import linkcheck
from .admin_filters import CheckResultFilter, ReportStatusFilter
from .admin_links import CityFreshnessAdminMixin, LinkHealthAdminMixin, report_check
from .models import City, ClassLink, Department, LinkCheck, Prefecture, ProblemReport


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ja", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "name_ja"]


class DepartmentInline(LinkHealthAdminMixin, admin.StackedInline):
    model = Department
    extra = 0


class ClassLinkInline(LinkHealthAdminMixin, admin.TabularInline):
    model = ClassLink
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(City)
class CityAdmin(CityFreshnessAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name", "name_ja", "prefecture", "code"]
    list_display_links = ["name"]
    list_filter = ["prefecture__region", "prefecture"]
    list_select_related = ["prefecture"]
    search_fields = ["name", "name_ja", "name_kana", "code", "prefecture__name"]
    autocomplete_fields = ["prefecture"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline, ClassLinkInline]


@admin.register(Department)
class DepartmentAdmin(LinkHealthAdminMixin, admin.ModelAdmin):
    list_display = ["name", "city", "email", "url"]
    list_select_related = ["city"]
    list_filter = ["city__prefecture__region"]
    search_fields = ["name", "email", "city__name", "city__name_ja"]
    autocomplete_fields = ["city"]


@admin.register(ClassLink)
class ClassLinkAdmin(LinkHealthAdminMixin, admin.ModelAdmin):
    list_display = ["url", "label", "city", "department"]
    list_select_related = ["city", "department"]
    search_fields = ["url", "label", "city__name", "city__name_ja"]
    autocomplete_fields = ["city", "department"]


# --- Link checks and visitors' problem reports (issue 7) ---


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """Each URL's last check; written only by the link checker."""

    list_display = ["url", "status_code", "error", "final_url", "checked_at"]
    list_filter = [CheckResultFilter, "error"]
    search_fields = ["url", "final_url"]
    date_hierarchy = "checked_at"
    actions = ["check_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Check the selected URLs again"), permissions=["view"])
    def check_again(self, request, queryset):
        urls = list(queryset.values_list("url", flat=True))
        report_check(self, request, linkcheck.check_links(urls=urls))


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    """Visitors' reports: staff read them, fix the record, and close them."""

    list_display = ["created_at", "city", "kind", "message", "closed_at"]
    list_display_links = ["created_at"]
    list_filter = [ReportStatusFilter, "kind"]
    list_select_related = ["city"]
    search_fields = ["message", "city__name", "city__name_ja"]
    readonly_fields = ["city", "kind", "message", "created_at", "closed_at", "closed_by"]
    actions = ["close_reports", "reopen_reports"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Close the selected reports"), permissions=["change"])
    def close_reports(self, request, queryset):
        count = queryset.filter(closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=request.user
        )
        self.message_user(
            request,
            ngettext("%(count)d report closed.", "%(count)d reports closed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reopen the selected reports"), permissions=["change"])
    def reopen_reports(self, request, queryset):
        count = queryset.exclude(closed_at=None).update(closed_at=None, closed_by=None)
        self.message_user(
            request,
            ngettext("%(count)d report reopened.", "%(count)d reports reopened.", count)
            % {"count": count},
            messages.SUCCESS,
        )
