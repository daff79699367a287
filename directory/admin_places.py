"""Admin for places: the national help staff keep, the municipalities the command builds."""

from django.contrib import admin

from .admin import ReadOnlyMixin
from .models import Municipality, NationalHelp


@admin.register(NationalHelp)
class NationalHelpAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "phone", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read only: the package's data is the record, and the command writes it again."""

    list_display = ["code", "name_ja", "name", "kind", "prefecture"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "name_ja", "name_kana"]
    list_select_related = ["prefecture"]
