"""Admin for the directory: one ModelAdmin per model."""

from django.contrib import admin

from .models import City, ClassLink, Department, Prefecture


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ja", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "name_ja"]


class DepartmentInline(admin.StackedInline):
    model = Department
    extra = 0


class ClassLinkInline(admin.TabularInline):
    model = ClassLink
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "name_ja", "prefecture", "code"]
    list_display_links = ["name"]
    list_filter = ["prefecture__region", "prefecture"]
    list_select_related = ["prefecture"]
    search_fields = ["name", "name_ja", "name_kana", "code", "prefecture__name"]
    autocomplete_fields = ["prefecture"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline, ClassLinkInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "email", "url"]
    list_select_related = ["city"]
    list_filter = ["city__prefecture__region"]
    search_fields = ["name", "email", "city__name", "city__name_ja"]
    autocomplete_fields = ["city"]


@admin.register(ClassLink)
class ClassLinkAdmin(admin.ModelAdmin):
    list_display = ["url", "label", "city", "department"]
    list_select_related = ["city", "department"]
    search_fields = ["url", "label", "city__name", "city__name_ja"]
    autocomplete_fields = ["city", "department"]
