"""Admin for the directory: one declarative ModelAdmin per model, with import, export and history.

Imports and exports go through `directory.importexport`, the code the
management commands use; city editors see and change only the cities assigned to them.
"""

from collections import Counter
from datetime import time, timedelta

from babel.lists import format_list
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTimeWidget
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm
from phonenumber_field import formfields as phone_formfields
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.widgets import RegionalPhoneNumberWidget
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic
from simple_history.template_utils import HistoricalRecordContextHelper

from . import classes, dates, hours, linkcheck, phones, postal_codes, spoken_languages
from .admin_auth import GroupFilter, TranslatedNamesMixin, shown_group
from .admin_filters import (
    CheckResultFilter,
    ChoicesFilter,
    LinkStatusFilter,
    MissingDeskDetailFilter,
    ReportStatusFilter,
    VerificationFilter,
)
from .admin_language import StaffProfileForm
from .admin_links import (
    CityFreshnessAdminMixin,
    LinkHealthAdminMixin,
    attach_owners,
    describe_owners,
    pending_check,
    queue_checks,
)
from .forms import MultiLineField
from .importexport import exporting, importing, importlog
from .importexport.cells import restore_city_code
from .importexport.columns import DELETE, columns
from .importexport.plain import plain_width
from .importexport.resources import (
    CityResource,
    ClassLinkResource,
    DepartmentResource,
    date_message,
    hours_message,
)
from .models import (
    City,
    CityEditor,
    ClassLink,
    Department,
    DepartmentPhone,
    ImportLog,
    LinkCheck,
    OpeningHours,
    Prefecture,
    ProblemReport,
    StaffProfile,
    city_slug,
    read_as_in_sql,
)
from .roles import GROUP_PERMISSIONS, edits_every_city, group_name
from .signals import bulk_write
from .validators import normalize_email, validate_phone_number

PREVIEW_PAGE_SIZE = 100


class PublishedEmailField(forms.EmailField):
    """An e-mail field that takes the published `name[at]host` form and keeps `name@host`."""

    def to_python(self, value):
        return normalize_email(super().to_python(value))


class PlainWidthMixin:
    """Full-width letters, digits and signs read as the ASCII ones a Japanese keyboard meant,
    as an import reads them (`plain_width`)."""

    def to_python(self, value):
        return super().to_python(plain_width(value))


class TypedAsImportedMixin(PlainWidthMixin):
    """A value as staff type it and an import reads it (`read`, whose refusal `message` words in
    the staff's language), after the forms Django's field reads itself."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            pass
        try:
            return self.read(plain_width(value))
        except ValueError as error:
            raise ValidationError(self.message(error), code="invalid") from None


class StaffTimeField(TypedAsImportedMixin, forms.TimeField):
    """A time: 18:30, 18時30分, 午後6時半, in full-width digits too (`hours.parse_time`)."""

    read, message = staticmethod(hours.parse_time), staticmethod(hours_message)


class StaffDateField(TypedAsImportedMixin, forms.DateField):
    """A date: 2026-04-01, 2026/4/1, 2026年4月1日, 令和8年4月1日, R8.4.1, with its weekday or not
    (`dates.parse_date`)."""

    read, message = staticmethod(dates.parse_date), staticmethod(date_message)


class UncappedInputMixin:
    """A field whose text is kept shorter than typed: its length is checked on what is kept."""

    def widget_attrs(self, widget):
        # What staff type may be longer than what is kept: the browser must not cut it short.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class ExtensionField(UncappedInputMixin, forms.CharField):
    """An extension with its word or without, "123", "内線123", "内線 １２３", as an import reads
    it after a number (`phones.read_extension`), kept as its digits."""

    def to_python(self, value):
        return phones.read_extension(super().to_python(value))


class DeskPhoneNumberField(phone_formfields.PhoneNumberField):
    """A phone number as dialled in Japan; one that is not is named in the staff's language.
    An extension typed after it, as an import reads it ("024-924-0000 内線123"), is the
    extension's (`DeskPhoneForm`)."""

    default_validators = [validate_phone_number]

    def to_python(self, value):
        return super().to_python(phones.split_extension(value)[0])


class DeskPhoneForm(forms.ModelForm):
    def clean_extension(self):
        typed = self.cleaned_data["extension"]
        after_number = phones.split_extension(self["number"].data)[1]
        if after_number and typed and typed != after_number:
            raise ValidationError(
                _("The number is followed by extension %(number)s, and this says %(typed)s."),
                code="two_extensions",
                params={"number": after_number, "typed": typed},
            )
        return typed or after_number


class PostalCodeField(UncappedInputMixin, forms.CharField):
    """A postal code as staff type it ("〒963-8024", full-width digits, no hyphen), kept as
    963-8024 before its length is checked."""

    def to_python(self, value):
        return postal_codes.normalise(super().to_python(value))


class DepartmentForm(forms.ModelForm):
    """A city's inline row: the desk's names and links; the rest is on the desk's own page."""

    class Meta:
        model = Department
        fields = ["city", "name", "name_ja", "url", "email", "position"]
        field_classes = {"email": PublishedEmailField}


class DeskForm(DepartmentForm):
    """Every field of a desk, postal code and languages written as the site stores them."""

    class Meta(DepartmentForm.Meta):
        fields = [
            "city",
            "name",
            "name_ja",
            "url",
            "email",
            "postal_code",
            "address_ja",
            "address_romaji",
            "floor",
            "hours_note",
            "languages",
            "remote_interpretation",
            "appointment_needed",
            "position",
        ]
        field_classes = {
            **DepartmentForm.Meta.field_classes,
            "postal_code": PostalCodeField,
        }


class CityCodeField(forms.CharField):
    """A local government code as staff type it: in full-width digits, or as Excel left it
    without its leading 0, read as an import reads it (`restore_city_code`)."""

    def to_python(self, value):
        return restore_city_code(super().to_python(value))


class CityForm(forms.ModelForm):
    """A slug left empty is made by `city_slug`, the rule the loader and the imports follow; a
    city that has one keeps it, and so its public URL."""

    class Meta:
        field_classes = {"code": CityCodeField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Left empty, it is made from the name.")

    def clean(self):
        cleaned = super().clean()
        name, prefecture = cleaned.get("name"), cleaned.get("prefecture")
        if "slug" in self.fields and not cleaned.get("slug") and name and prefecture:
            taken = City.objects.exclude(pk=self.instance.pk).values_list("slug", flat=True)
            cleaned["slug"] = self.instance.slug or city_slug(name, prefecture.name, set(taken))
        return cleaned


class ImportFileForm(forms.Form):
    import_file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(
        label=_("Format"),
        initial="",
        required=False,
        help_text=_(
            "Any encoding Excel saves in (UTF-8, UTF-8 with BOM, Shift_JIS, Unicode text) is "
            "read as it is."
        ),
    )

    def __init__(self, *args, formats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", _("Tell from the file name"))] + [
            (fmt, importing.FORMAT_NAMES[fmt]) for fmt in formats
        ]
        self.fields["import_file"].help_text = _(
            "Up to %(size)s and %(rows)s rows; split a larger file and import each part."
        ) % {
            "size": filesizeformat(settings.IMPORT_MAX_BYTES),
            "rows": f"{settings.IMPORT_MAX_ROWS:,}",
        }

    def clean_import_file(self):
        """Refuse a file over the size limit by the size Django measured, before it is read."""
        upload = self.cleaned_data["import_file"]
        try:
            importing.check_size(upload.size)
        except importing.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ja", "name_kana", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name", "name_ja"]

    def get_readonly_fields(self, request, obj=None):
        # Staff keep the international association's details; the prefecture's own facts come
        # from fixtures/prefectures.json, and only a superuser may correct them.
        if request.user.is_superuser:
            return []
        return ["code", "name", "name_ja", "name_kana", "region"]


class MultiLineTextMixin:
    """Text areas (a city's note, a desk's hours note, a class's sign-up...) stored with LF line
    breaks, as imports store them: an export of a note typed here imports unchanged."""

    formfield_overrides = {models.TextField: {"form_class": MultiLineField}}


class ScopedChoicesMixin:
    """Rows and foreign-key choices limited to what `editable_by(user)` of their model allows."""

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("city", "department"):
            records = db_field.remote_field.model.objects
            kwargs["queryset"] = records.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedToCitiesMixin(ScopedChoicesMixin):
    """A ModelAdmin whose every view, the history pages and revert form included, reaches only
    the records `editable_by(user)` allows; any other answers as a record that does not exist."""

    class Media:
        css = {"all": ["admin/css/directory-lists.css"]}

    def in_scope(self, request, obj):
        return obj is None or self.model.objects.can_edit(request.user, obj.pk)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def _404_unless_editable(self, request, object_id):
        # django-simple-history loads these records past `get_queryset` and would answer 403
        # where a record that does not exist answers 404.
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        if not self.model.objects.can_edit(request.user, pk):
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_editable(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._404_unless_editable(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class DirectoryImportExportMixin(ImportExportMixin):
    """Import with an encoding-proof, paged, all-or-nothing preview; export safe for Excel."""

    import_kind = None
    export_form_class = ExportForm
    import_formats_allowed = ("csv", "tsv", "xlsx", "json")
    export_formats = [base_formats.CSV, base_formats.TSV, base_formats.XLSX, base_formats.JSON]

    def has_import_permission(self, request):
        return self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        return exporting.export(
            self.import_kind,
            file_format.get_extension(),
            request.user,
            queryset,
            header_language=translation.get_language(),
        )

    def get_export_context_data(self, **kwargs):
        language = translation.get_language()
        headers = [column.header(language) for column in columns(self.import_kind)]
        return {"columns": headers, **kwargs}

    def get_export_filename(self, request, queryset, file_format):
        # The day in Japan (import-export's is UTC's) and the name the open data's files have.
        day = timezone.localdate().isoformat()
        return f"madoguchi-{self.import_kind}-{day}.{file_format.get_extension()}"

    def export_action(self, request):
        # A filter in the address that the list does not have (a hand-edited or stale link)
        # leads back to the list, with a message, as the list itself would, not to an error.
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            messages.error(
                request,
                _("The filters in that address do not apply to this list: choose them again."),
            )
            changelist = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            return HttpResponseRedirect(reverse(changelist))

    def get_urls(self):
        template = path(
            "import/template/",
            self.admin_site.admin_view(self.import_template),
            name=f"{self.opts.app_label}_{self.opts.model_name}_import_template",
        )
        return [template, *super().get_urls()]

    def import_template(self, request):
        """The XLSX workbook to fill in for this import, explained in the user's language."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        language = translation.get_language()
        data = exporting.template(self.import_kind, language)
        response = HttpResponse(data, content_type=exporting.CONTENT_TYPES["xlsx"])
        name = f"{self.import_kind}-template-{language}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def _import_context(self, request, **context):
        language = translation.get_language()
        headers = {column.key: column.header(language) for column in columns(self.import_kind)}
        return {
            **self.admin_site.each_context(request),
            "title": _("Import %s") % self.opts.verbose_name_plural,
            "opts": self.opts,
            "columns": [
                column.header(language) for column in columns(self.import_kind, readable=False)
            ],
            # The column of a record's own number, in the imports that have one.
            "number_column": headers.get("id"),
            "delete_column": DELETE.header(language),
            "template_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import_template"
            ),
            **context,
        }

    def import_action(self, request, **kwargs):
        """Upload a file and see, page by page, what it would change; nothing is written."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        token = request.GET.get("preview")
        if token:
            return self._preview(request, token)
        form = ImportFileForm(
            request.POST or None, request.FILES or None, formats=self.import_formats_allowed
        )
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            data = upload.read()
            try:
                fmt = form.cleaned_data["format"] or importing.guess_format(upload.name, data)
            except importing.ImportFileError as error:
                form.add_error("import_file", str(error))
            else:
                report, token = self._make_preview(request, data, fmt, upload.name)
                if token:
                    return HttpResponseRedirect(f"{request.path}?preview={token}")
        context = self._import_context(request, form=form, report=report)
        return TemplateResponse(request, "admin/import_export/import.html", context)

    def _make_preview(self, request, data, fmt, file_name):
        """Preview a file against the directory as it is now: its report, and the token of the
        kept preview (None when the file has problems)."""
        report = importing.run_import(
            self.import_kind, data, fmt, request.user, dry_run=True, file_name=file_name
        )
        if not report.ok:
            return report, None
        return report, importing.stage(request.user, self.import_kind, data, fmt, report)

    def _staged(self, request, token):
        """The user's own preview for this kind of record, or None (with the message why)."""
        staged = importing.staged(token, request.user)
        if staged is None or staged.kind != self.import_kind:
            messages.error(request, _("That preview has expired: upload the file again."))
            return None
        return staged

    def _preview(self, request, token):
        staged = self._staged(request, token)
        if staged is None:
            return HttpResponseRedirect(request.path)
        report = staged.report
        # What the file removes comes first, where staff asked to confirm it will see it.
        changes = sorted(report.changes, key=lambda change: change.action != "deleted")
        page = Paginator(changes, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        context = self._import_context(request, report=report, page=page, token=token)
        return TemplateResponse(request, "admin/import_export/import.html", context)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Apply a previewed file in one transaction, on whichever web node the POST lands."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        token = request.POST.get("token", "")
        import_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        staged = self._staged(request, token)
        if staged is None:
            return HttpResponseRedirect(import_url)
        # The box names the removals the preview lists; a file that would remove others by now
        # (the directory changed since) writes nothing and is previewed again, below.
        removals = staged.removals
        confirmed = removals if request.POST.get("confirm_removals") == str(removals) else 0
        try:
            importing.refuse_unconfirmed_removals(removals, confirmed)
        except importing.RemovalsNotConfirmed as refusal:
            # The refusal the commands print, and how to confirm here.
            confirm = ngettext(
                "Tick “Yes, remove this record” to confirm, or cancel.",
                "Tick “Yes, remove these %(count)d records” to confirm, or cancel.",
                removals,
            ) % {"count": removals}
            messages.error(request, f"{refusal} {confirm}")
            return HttpResponseRedirect(f"{import_url}?preview={token}")
        data = staged.data
        with transaction.atomic():
            # Claimed in the import's transaction: of two confirms of one preview, one applies.
            if not importing.unstage(token, request.user):
                messages.error(request, _("That preview has expired: upload the file again."))
                return HttpResponseRedirect(import_url)
            report = importing.run_import(
                self.import_kind,
                data,
                staged.fmt,
                request.user,
                dry_run=False,
                file_name=staged.file_name,
                confirmed_removals=confirmed,
                # Asked for on the preview, where the staff edits it would replace are listed.
                overwrite_staff_edits=request.POST.get("overwrite_staff_edits") == "yes",
                previewed=staged.digest,
            )
        if report.outdated:
            # Staff confirm only changes they saw: the same file, previewed again.
            report, token = self._make_preview(request, data, staged.fmt, staged.file_name)
            if token:
                messages.warning(
                    request,
                    _(
                        "The directory has changed since your preview. Check the changes below "
                        "and confirm again."
                    ),
                )
                return HttpResponseRedirect(f"{import_url}?preview={token}")
        if not report.ok:
            # The file has problems with the directory as it is now; nothing was written.
            form = ImportFileForm(formats=self.import_formats_allowed)
            context = self._import_context(request, form=form, report=report)
            return TemplateResponse(request, "admin/import_export/import.html", context)
        messages.success(
            request,
            _("Imported %(name)s: %(summary)s. Recorded in the import log as #%(id)s.")
            % {"name": staged.file_name, "summary": report.summary(), "id": report.log_id},
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )


# What LinkHealthAdminMixin shows of a record's URL: its last check, the page a proxy wraps.
LINK_HEALTH = ("link_check", "original_page")


class ReadableChanges(HistoricalRecordContextHelper):
    """A history's changes as staff read them: a choice by its label, yes and no in words, an
    empty value as a dash, not Python's None, True and False."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field.flatchoices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, time):
            # As staff type and the pages show it: a class's or desk's time has no seconds.
            return f"{value:%H:%M}"
        if isinstance(field, classes.LanguageCodesField):
            return listed(spoken_languages.name_in(code) for code in value)
        # A list chosen from choices only its form field has (a class's days: ["TU", "FR"])
        # reads as the labels its checkboxes show, in the admin's language.
        labels = isinstance(value, list) and dict(getattr(field.formfield(), "choices", []))
        if labels:
            return listed(labels.get(item, item) for item in value)
        return super().prepare_delta_change_value(change, value)


def listed(items):
    """Items as a sentence lists them in the admin's language: 「火曜日、金曜日」, not a Python
    list's brackets."""
    return format_list([str(item) for item in items], locale=spoken_languages.babel_locale())


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change kept with who and when, listed without the inline style the CSP blocks."""

    object_history_list_template = "admin/directory/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        # A revert saves simple-history's `instance` of the version, which names it.
        version = to_historic(obj)
        if version is None:
            return super().save_model(request, obj, form, change)
        # Reverting a deleted record to a version in its history brings it back under its old
        # id; the revert restores the record's own fields only, `recover_details` the rest (as
        # when it was removed) or `revert_details` (as with the version) for one still there.
        brought_back = not self.model.objects.filter(pk=obj.pk).exists()
        # All or nothing, and the public pages told once at the end, as an undone import is.
        with transaction.atomic(), bulk_write(sender=City):
            super().save_model(request, obj, form, change)
            restored = recover_details(obj) if brought_back else self.revert_details(version)
        if not restored:
            return
        if brought_back:
            message = _("Also brought back, as they were when it was removed: %(records)s.")
        else:
            message = _(
                "Its phone numbers and opening hours are back as they were with that version: "
                "%(records)s."
            )
        separator = "、" if translation.get_language() == "ja" else ", "
        records = separator.join(
            f"{capfirst(model._meta.verbose_name_plural)}: {count}"
            for model, count in restored.items()
        )
        self.message_user(request, message % {"records": records})

    def revert_details(self, version):
        """Put back what goes with a record reverted to `version`; the number of each model
        changed. A record's own fields only, but for a desk."""
        return Counter()


class DepartmentInline(LinkHealthAdminMixin, ScopedChoicesMixin, admin.StackedInline):
    model = Department
    form = DepartmentForm
    readonly_fields = LINK_HEALTH
    extra = 0
    # Phones, hours and the address are on the desk's own page: stock inlines do not nest.
    show_change_link = True


class DepartmentPhoneInline(admin.TabularInline):
    model = DepartmentPhone
    form = forms.modelform_factory(
        DepartmentPhone,
        form=DeskPhoneForm,
        fields="__all__",
        field_classes={"number": DeskPhoneNumberField, "extension": ExtensionField},
        # Sized for what they hold, so that the row fits beside the admin's menu at 1280 px.
        widgets={
            "label": forms.TextInput(attrs={"size": 24}),
            "extension": forms.TextInput(attrs={"size": 6}),
        },
    )
    # A number as staff write it (024-924-0000), not as it is kept (+81249240000).
    formfield_overrides = {
        PhoneNumberField: {"widget": RegionalPhoneNumberWidget(phones.REGION, {"size": 14})}
    }
    extra = 0


class OpeningHoursFormSet(BaseInlineFormSet):
    """A desk's hours, refused where two of one day overlap, as an import refuses them: the
    desk's export must import again."""

    def clean(self):
        super().clean()
        periods = [
            hours.Period(data["weekday"], data["opens"], data["closes"])
            for data in (form.cleaned_data for form in self.forms)
            if data and not data.get("DELETE")
            if None not in (data.get("weekday"), data.get("opens"), data.get("closes"))
        ]
        try:
            hours.without_overlaps(periods)
        except hours.HoursError as error:
            raise ValidationError(hours_message(error)) from None


class OpeningHoursForm(forms.ModelForm):
    """A day's hours; a span typed whole in the opening box with the closing one left empty
    ("８：３０～１７：１５", as an import's hours column has it) is read as both."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opens, closes = self.add_prefix("opens"), self.add_prefix("closes")
        if not self.is_bound or self.data.get(closes, "").strip():
            return
        span = hours.split_span(plain_width(self.data.get(opens, "")))
        if span:
            # Shown split if the form comes back: staff see where each end went.
            self.data = self.data.copy()
            self.data[opens], self.data[closes] = span


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    form = forms.modelform_factory(
        OpeningHours,
        form=OpeningHoursForm,
        fields="__all__",
        field_classes=dict.fromkeys(["opens", "closes"], StaffTimeField),
    )
    formset = OpeningHoursFormSet
    formfield_overrides = {models.TimeField: {"widget": AdminTimeWidget(format="%H:%M")}}
    extra = 0


class FieldsetLines(list):
    """A fieldset's lines, in which a field sharing a line with others is found too: Django
    unfolds a folded fieldset holding an error only when `name in fields`, which misses
    ("starts_at", "ends_at"), so a refused time or status date stayed folded out of sight."""

    def __contains__(self, name):
        return any(name == line or (isinstance(line, tuple) and name in line) for line in self)


# The link, then its details folded away: a city page lists several classes, and each one's
# fifteen details open only when staff fill them in (or one of them is refused).
CLASS_LINK_FIELDSETS = [
    (None, {"fields": ["url", "department", "name", "label", "position", *LINK_HEALTH]}),
    (
        _("Class details"),
        {
            "classes": ["collapse"],
            "fields": FieldsetLines(
                [
                    ("attendance", "venue"),
                    "weekdays",
                    ("starts_at", "ends_at"),
                    "schedule_note",
                    ("fee", "level"),
                    ("audience", "childcare"),
                    "languages",
                    "sign_up",
                    ("status", "status_date"),
                    "link_kind",
                ]
            ),
        },
    ),
]


# A class's times and date read as an import reads them; its times shown as staff type them.
CLASS_LINK_FORMFIELDS = {
    **MultiLineTextMixin.formfield_overrides,
    models.TimeField: {"form_class": StaffTimeField, "widget": AdminTimeWidget(format="%H:%M")},
    models.DateField: {"form_class": StaffDateField},
}


class ClassLinkInline(
    LinkHealthAdminMixin, MultiLineTextMixin, ScopedChoicesMixin, admin.StackedInline
):
    model = ClassLink
    fieldsets = CLASS_LINK_FIELDSETS
    formfield_overrides = CLASS_LINK_FORMFIELDS
    readonly_fields = LINK_HEALTH
    extra = 0
    autocomplete_fields = ["department"]


class HasClassLinksFilter(ChoicesFilter):
    """Cities with a class that has not ended, or with none (only ended ones count as none),
    as visitors' "has Japanese class links" filter tells them apart."""

    title = _("class links")
    parameter_name = "has_class_links"
    by_value = {
        "yes": (_("Has a running class"), lambda cities: cities.with_class_links()),
        "no": (
            _("No running class"),
            lambda cities: cities.exclude(pk__in=City.objects.with_class_links().values("pk")),
        ),
    }


@admin.register(City)
class CityAdmin(
    CityFreshnessAdminMixin,
    DirectoryImportExportMixin,
    MultiLineTextMixin,
    ScopedToCitiesMixin,
    HistoryAdmin,
):
    list_display = [
        "number",
        "name",
        "name_ja",
        "prefecture",
        "code",
        "department_count",
        "class_link_count",
        "last_verified",
    ]
    list_display_links = ["name"]
    list_filter = ["prefecture__region", "prefecture", HasClassLinksFilter, VerificationFilter]
    actions = ["mark_verified_today", "check_city_links"]
    list_select_related = ["prefecture"]
    search_fields = ["name", "name_ja", "name_kana", "code", "prefecture__name"]
    autocomplete_fields = ["prefecture"]
    form = CityForm
    inlines = [DepartmentInline, ClassLinkInline]
    resource_classes = [CityResource]
    import_kind = "cities"
    import_formats_allowed = importing.FORMATS

    # What identifies a city in the published table and in public URLs: directory editors only.
    identity_fields = ("prefecture", "code", "number", "slug")
    object_history_list_template = "admin/directory/city/history_list.html"
    # Says that a revert leaves the desks and class links as they are.
    object_history_form_template = "admin/directory/city/object_history_form.html"
    # Import-export's list, with the way to the deleted cities.
    import_export_change_list_template = "admin/directory/city/change_list.html"

    def get_urls(self):
        deleted_cities = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_deleted",
        )
        return [deleted_cities, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        context = {"lists_deleted": edits_every_city(request.user), **(extra_context or {})}
        return super().changelist_view(request, context)

    def deleted_view(self, request):
        """The deleted cities, each linking to its history, where a version brings it back with
        its desks, classes and editors. Directory editors' only: a deleted city has no editors."""
        if not edits_every_city(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted cities"),
            "opts": self.opts,
            "deleted_cities": deleted(City),
        }
        return TemplateResponse(request, "admin/directory/city/deleted.html", context)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Visitors' reports go with their city, as when an import removes it, and the page lists
        # them; no one may delete a report alone, which made a city with one undeletable.
        perms_needed.discard(ProblemReport._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def history_view(self, request, object_id, extra_context=None):
        # Checked first: the deleted desks are read by the city's id.
        self._404_unless_editable(request, object_id)
        # A deleted desk is brought back from its own history page: the city's lists the way.
        context = {"deleted_desks": deleted(Department, city_id=unquote(object_id))}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if edits_every_city(request.user):
            return form
        # Shown but disabled: a disabled field takes its value from the record, never the POST.
        # (Not read-only fields: django-simple-history's revert form looks the prepopulated slug
        # up in the form and fails when it is missing.)
        identity = self.identity_fields

        class IdentityKeptForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name in identity:
                    if name in self.fields:
                        self.fields[name].disabled = True
                        self.fields[name].help_text = _("Only directory editors change this.")

        return IdentityKeptForm

    def save_model(self, request, obj, form, change):
        # A revert (django-simple-history) saves a whole old version, disabled fields included:
        # a city editor's keeps the city's identity as it stands.
        if change and not edits_every_city(request.user):
            current = City.objects.get(pk=obj.pk)
            for name in self.identity_fields:
                attname = City._meta.get_field(name).attname
                setattr(obj, attname, getattr(current, attname))
        super().save_model(request, obj, form, change)

    @admin.display(description=_("departments"), ordering="department_count")
    def department_count(self, city):
        return city.department_count

    @admin.display(description=_("running classes"), ordering="class_link_count")
    def class_link_count(self, city):
        return city.class_link_count


@admin.register(Department)
class DepartmentAdmin(
    LinkHealthAdminMixin,
    DirectoryImportExportMixin,
    MultiLineTextMixin,
    ScopedToCitiesMixin,
    HistoryAdmin,
):
    form = DeskForm
    inlines = [DepartmentPhoneInline, OpeningHoursInline]
    list_display = ["shown_name", "city", "email", "url", *LINK_HEALTH]
    list_select_related = ["city"]
    list_filter = ["city__prefecture__region", LinkStatusFilter, MissingDeskDetailFilter]
    readonly_fields = LINK_HEALTH
    actions = ["check_selected_links"]
    # The Japanese name too: what the Japanese admin names a desk, in its list and a class's box.
    search_fields = ["name", "name_ja", "email", "city__name", "city__name_ja", "city__code"]
    autocomplete_fields = ["city"]
    resource_classes = [DepartmentResource]
    import_kind = "departments"
    object_history_list_template = "admin/directory/department/history_list.html"
    # Says that a revert puts the phones and hours back too.
    object_history_form_template = "admin/directory/department/object_history_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(shown_name=read_as_in_sql())

    @admin.display(description=_("name"), ordering="shown_name")
    def shown_name(self, desk):
        """The desk's name as a class's desk box names it (`read_as`)."""
        return str(desk)

    def get_search_results(self, request, queryset, search_term):
        """The desks the search words find, and those with the phone number the search is, typed
        as staff write it (024-924-0000, full width, +81..., or 924-0000 without the area code):
        numbers are stored as +81..."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number, local = phones.read_number(search_term), phones.local_digits(search_term)
        if number is not None:
            dialled = DepartmentPhone.objects.filter(number=number)
        elif local is not None:
            dialled = DepartmentPhone.objects.filter(number__endswith=local)
        else:
            return found, may_have_duplicates
        found |= queryset.filter(pk__in=dialled.values("department"))
        return found, may_have_duplicates

    def revert_details(self, version):
        return revert_details(version)

    def history_view(self, request, object_id, extra_context=None):
        # Checked first: the desk's phones and hours are read by its id.
        self._404_unless_editable(request, object_id)
        shown = details_history(unquote(object_id))
        context = {
            "details_history": shown[:DETAILS_SHOWN],
            "details_not_shown": max(len(shown) - DETAILS_SHOWN, 0),
        }
        return super().history_view(request, object_id, {**context, **(extra_context or {})})


def deleted(model, **among):
    """The removals of `model`'s records (among those matching `among`) that are gone, newest
    first, as history rows (each names the record, when, by whom and why)."""
    rows = model.history.filter(history_type="-", **among).order_by("-history_id")
    newest = {}
    for row in rows.exclude(id__in=model.objects.values("pk")).select_related("history_user"):
        newest.setdefault(row.id, row)
    return list(newest.values())


# Records removed this long before their desk or city were removed with it (a cascade, in the
# same request or import); one removed earlier was removed on purpose and stays removed.
REMOVED_WITH_DESK = timedelta(seconds=5)

# What a record's removal takes with it, by the key naming it, put back in this order: a city's
# desks before the class links that name them.
REMOVED_WITH = {
    City: [(Department, "city_id"), (ClassLink, "city_id"), (CityEditor, "city_id")],
    Department: [(DepartmentPhone, "department_id"), (OpeningHours, "department_id")],
}


def recover_details(record):
    """Put back what went with a desk or city brought back from its history: a desk's phones,
    opening hours and class links; a city's desks (with theirs), class links and editors. The
    number put back of each model."""
    restored = Counter()
    removal = record.history.filter(history_type="-").order_by("-history_id").first()
    if removal is None:
        return restored
    since = removal.history_date - REMOVED_WITH_DESK
    for model, key in REMOVED_WITH.get(type(record), ()):
        rows = model.history.filter(**{key: record.pk}).order_by("history_id")
        newest = {row.id: row for row in rows}
        for row in newest.values():
            if row.history_type == "-" and since <= row.history_date <= removal.history_date:
                restored[model] += put_back(row.instance)
    if isinstance(record, Department):
        importlog.relink_classes([record.pk])
    return +restored


def revert_details(version):
    """Put a desk's phones and hours back as they stood with `version` of it, up to its next
    version (a desk page saves them just after the desk, an import just after its desks): those
    added since removed, those removed since put back, those changed since changed back. One
    older than their history (a phone saved before it was kept) is left as it is. The number
    changed of each model; none for the latest version."""
    later = version.next_record
    if later is None:
        return Counter()
    until = later.history_date - timedelta(microseconds=1)
    restored = Counter()
    for model, key in REMOVED_WITH[Department]:
        among = {key: version.id}
        then = {record.pk: record for record in model.history.as_of(until).filter(**among)}
        now = {record.pk: record for record in model.objects.filter(**among)}
        # Not there then, as its history says: created since, or removed before.
        known = Q(history_date__lte=until) | Q(history_type="+")
        added = model.history.filter(known, id__in=now.keys() - then.keys()).values("id")
        for record in model.objects.filter(pk__in=added):
            record.delete()
            restored[model] += 1
        for pk, record in then.items():
            if pk not in now:
                restored[model] += put_back(record)
            elif values(record) != values(now[pk]):
                record.save()
                restored[model] += 1
    return +restored


def values(record):
    """A record's values as saved, to tell whether a save would change it."""
    return [getattr(record, field.attname) for field in record._meta.concrete_fields]


def put_back(record):
    """Save a removed record again, with what went with it. A key naming a record gone since is
    emptied; where it may not be (an editor whose account was deleted), the record stays out
    (False)."""
    for field in record._meta.get_fields():
        if not (field.many_to_one and field.concrete):
            continue
        value = getattr(record, field.attname)
        if value is not None and not field.related_model.objects.filter(pk=value).exists():
            if not field.null:
                return False
            setattr(record, field.attname, None)
    record.save()
    if type(record) in REMOVED_WITH:
        recover_details(record)
    return True


# The latest changes to a desk's phones and hours its history page lists; the page says how
# many older ones it leaves out.
DETAILS_SHOWN = 100


def details_history(department_id):
    """The changes to a desk's phone numbers and opening hours, newest first, as (history row,
    value before, value after): the desk's own history does not hold them."""
    rows = [
        *DepartmentPhone.history.filter(department_id=department_id),
        *OpeningHours.history.filter(department_id=department_id),
    ]
    rows.sort(key=lambda row: row.history_date)
    shown, last = [], {}
    for row in rows:
        key = (type(row), row.id)
        value = described(row.instance)
        shown.append((row, last.get(key) if row.history_type == "~" else None, value))
        last[key] = value
    return shown[::-1]


def described(record):
    """A phone number or opening hours in one line, as staff write them in an import file."""
    if isinstance(record, OpeningHours):
        return str(record)
    word = "内線" if translation.get_language() == "ja" else "ext."
    number = phones.Phone(record.number.as_e164, record.extension, record.label)
    return phones.format_phones([number], word)


@admin.register(ClassLink)
class ClassLinkAdmin(
    LinkHealthAdminMixin,
    DirectoryImportExportMixin,
    MultiLineTextMixin,
    ScopedToCitiesMixin,
    HistoryAdmin,
):
    list_display = ["url", "name", "label", "city", "department", "status", *LINK_HEALTH]
    list_select_related = ["city", "department"]
    list_filter = ["city__prefecture__region", LinkStatusFilter, "status", "level", "audience"]
    fieldsets = [(None, {"fields": ["city"]}), *CLASS_LINK_FIELDSETS]
    formfield_overrides = CLASS_LINK_FORMFIELDS
    readonly_fields = LINK_HEALTH
    actions = ["check_selected_links"]
    search_fields = ["url", "name", "label", "venue", "city__name", "city__name_ja", "city__code"]
    autocomplete_fields = ["city", "department"]
    resource_classes = [ClassLinkResource]
    import_kind = "class-links"


# --- Link checks and visitors' problem reports (issue 7) ---


@admin.register(LinkCheck)
class LinkCheckAdmin(ScopedToCitiesMixin, admin.ModelAdmin):
    """Each URL's last check; written only by the link checker. A city editor sees the checks
    of their cities' links."""

    list_display = ["url", "owners", "status_code", "error", "final_url", "checked_at", "pending"]
    list_filter = [CheckResultFilter, "error"]
    search_fields = ["url", "final_url"]
    date_hierarchy = "checked_at"
    actions = ["check_again"]
    # The plain explanation before the checker's own (English, technical) message.
    fields = [
        "url",
        "owners",
        "error",
        "explanation",
        "message",
        "status_code",
        "final_url",
        "redirects",
        "checked_at",
        "broken_since",
    ]
    readonly_fields = ["owners", "explanation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(link_pending=pending_check())

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # The page's checks, once fetched, get their records in two queries for all of them
        # (a check has no relation to prefetch: records share it by URL). The template lists
        # the same evaluated page. An action's redirect has no list.
        context = getattr(response, "context_data", None) or {}
        if "cl" in context:
            attach_owners(context["cl"].result_list, request.user)
        return response

    def get_object(self, request, object_id, from_field=None):
        check = super().get_object(request, object_id, from_field)
        if check is not None:
            attach_owners([check], request.user)
        return check

    @admin.display(description=_("used by"))
    def owners(self, obj):
        return describe_owners(getattr(obj, "link_owners", []))

    @admin.display(description=_("what this means"))
    def explanation(self, obj):
        return linkcheck.explanation(obj.error) or "-"

    @admin.display(description=_("check pending"), boolean=True, ordering="link_pending")
    def pending(self, obj):
        return obj.link_pending

    @admin.action(description=_("Check the selected URLs again"), permissions=["view"])
    def check_again(self, request, queryset):
        queue_checks(self, request, queryset.values_list("url", flat=True))


class ProblemReportForm(forms.ModelForm):
    """The resolution note, required when the report is closed with it."""

    class Meta:
        model = ProblemReport
        fields = ["resolution"]
        widgets = {"resolution": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}

    def clean(self):
        cleaned = super().clean()
        if CLOSE in self.data and not cleaned.get("resolution", "").strip():
            self.add_error("resolution", _("Write what was done before closing the report."))
        return cleaned


class CloseReportsForm(forms.Form):
    """The note the bulk action writes on every report it closes, as a report's own page asks."""

    resolution = ProblemReport._meta.get_field("resolution").formfield(
        form_class=MultiLineField,
        required=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        error_messages={"required": _("Write what was done before closing the report.")},
    )


# The buttons of a report's own page (admin/directory/problemreport/submit_line.html).
CLOSE = "_close"
REOPEN = "_reopen"


@admin.register(ProblemReport)
class ProblemReportAdmin(MultiLineTextMixin, ScopedToCitiesMixin, admin.ModelAdmin):
    """Visitors' reports: staff read them, fix the record, and close them with a note."""

    form = ProblemReportForm
    list_display = ["created_at", "city", "kind", "message", "closed_at"]
    list_display_links = ["created_at"]
    list_filter = [ReportStatusFilter, "kind"]
    list_select_related = ["city"]
    search_fields = ["message", "city__name", "city__name_ja"]
    fields = ["city", "kind", "message", "created_at", "resolution", "closed_at", "closed_by"]
    readonly_fields = ["city", "kind", "message", "created_at", "closed_at", "closed_by"]
    actions = ["close_reports", "reopen_reports"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Close (who and when) or reopen the report as the button pressed asks."""
        if CLOSE in request.POST and obj.is_open:
            obj.closed_at = timezone.now()
            obj.closed_by = request.user
        elif REOPEN in request.POST:
            obj.closed_at = None
            obj.closed_by = None
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if CLOSE in request.POST or REOPEN in request.POST:
            message = (
                _("The report about %(city)s is closed.")
                if CLOSE in request.POST
                else _("The report about %(city)s is open again.")
            )
            self.message_user(request, message % {"city": obj.city}, messages.SUCCESS)
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    @admin.action(description=_("Close the selected reports"), permissions=["change"])
    def close_reports(self, request, queryset):
        """Close the selected open reports, after asking what was done (one note for all)."""
        reports = queryset.filter(closed_at__isnull=True)
        form = CloseReportsForm(request.POST if "resolution" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Close the selected reports"),
                "opts": self.opts,
                "form": form,
                "reports": reports,
                "selected": queryset.values_list("pk", flat=True),
            }
            template = "admin/directory/problemreport/close_selected.html"
            return TemplateResponse(request, template, context)
        count = reports.update(
            closed_at=timezone.now(),
            closed_by=request.user,
            resolution=form.cleaned_data["resolution"],
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


class ReadOnlyMixin:
    """Records only the code writes: staff may look, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportLog)
class ImportLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every confirmed import, read-only; each can be undone as one, which is logged in turn.

    City editors see the entries that touched only their cities (`ImportLog.objects.visible_to`).
    """

    list_display = [
        "id",
        "created_at",
        "kind",
        "file_name",
        "user",
        "via",
        "counts",
        "undone",
    ]
    list_display_links = ["id", "created_at"]
    list_filter = ["kind", "via"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "undone_by", "undoes"]
    actions = ["undo_import"]
    fields = readonly_fields = [
        "created_at",
        "kind",
        "file_name",
        "user",
        "via",
        "created",
        "updated",
        "removed",
        "kept",
        "undoes",
        "undone",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_undo_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("records"))
    def counts(self, log):
        # One column rather than four: the list stays within a 1280 px screen.
        text = _("%(created)d created, %(updated)d updated, %(removed)d removed") % {
            "created": log.created,
            "updated": log.updated,
            "removed": log.removed,
        }
        if log.kept:
            text += _(", %(kept)d staff edits kept") % {"kept": log.kept}
        return text

    @admin.display(description=_("undone"))
    def undone(self, log):
        undo = getattr(log, "undone_by", None)
        if undo is not None:
            return _("by import #%(id)s") % {"id": undo.pk}
        return _("undo of import #%(id)s") % {"id": log.undoes_id} if log.undoes_id else "–"

    @admin.action(description=_("Undo the selected import"), permissions=["undo"])
    def undo_import(self, request, queryset):
        """Undo one import once the page naming it is confirmed, as `delete_selected` asks."""
        if queryset.count() != 1:
            self.message_user(request, _("Select one import to undo at a time."), messages.ERROR)
            return
        log = queryset.get()
        try:
            if not request.POST.get("post"):
                # A refusal known now is told now, rather than after a confirmation.
                importlog.check(log, request.user)
                context = {
                    **self.admin_site.each_context(request),
                    "title": _("Undo import #%(id)s?") % {"id": log.pk},
                    "opts": self.opts,
                    "log": log,
                    "counts": self.counts(log),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                }
                template = "admin/directory/importlog/undo_confirmation.html"
                return TemplateResponse(request, template, context)
            undo = importlog.undo(log, request.user)
        except importlog.UndoRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(request, importlog.undone(log, undo), messages.SUCCESS)


class CityEditorInline(admin.TabularInline):
    model = CityEditor
    extra = 0
    autocomplete_fields = ["city"]


class StaffProfileInline(admin.StackedInline):
    """The user's admin and e-mail language, which superusers may set for them."""

    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    max_num = 1


class SuperuserOnlyMixin:
    """Users and groups are managed by superusers alone, whatever permissions staff hold."""

    # Without any of these, the admin's index leaves the models out (has_module_permission).
    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class DirectoryUserAdmin(SuperuserOnlyMixin, TranslatedNamesMixin, UserAdmin):
    inlines = [StaffProfileInline, CityEditorInline]
    list_filter = ["is_staff", "is_superuser", "is_active", ("groups", GroupFilter)]


@admin.register(Group)
class DirectoryGroupAdmin(SuperuserOnlyMixin, TranslatedNamesMixin, GroupAdmin):
    """Groups, the role groups named in the staff's language wherever Django prints a group:
    Django's pages and messages are handed `shown_group` copies; what is saved and logged keeps
    the stored name."""

    list_display = ["shown_name"]

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, group):
        return group_name(group.name)

    def action_checkbox(self, group):
        # Its label, read out by screen readers, names the group as the list shows it.
        return super().action_checkbox(shown_group(group))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and obj.name in GROUP_PERMISSIONS:
            form.base_fields["name"].help_text = _(
                "The site finds this role by its English name: keep it as it is. Staff see it "
                "as “%(name)s”."
            ) % {"name": group_name(obj.name)}
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The heading and the breadcrumbs; the form's name field keeps the stored name.
        if obj is not None:
            context.update(subtitle=group_name(obj.name), original=shown_group(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return super().response_add(request, shown_group(obj), post_url_continue)

    def response_change(self, request, obj):
        return super().response_change(request, shown_group(obj))

    def get_deleted_objects(self, objs, request):
        return super().get_deleted_objects([shown_group(group) for group in objs], request)

    def render_delete_form(self, request, context):
        context["object"] = shown_group(context["object"])
        return super().render_delete_form(request, context)

    def response_delete(self, request, obj_display, obj_id):
        # `obj_display` is the deleted group's stored name.
        return super().response_delete(request, group_name(obj_display), obj_id)

    def history_view(self, request, object_id, extra_context=None):
        group = self.get_object(request, unquote(object_id))
        if group is not None:
            shown = shown_group(group)
            extra_context = {
                "title": _("Change history: %s") % shown,
                "object": shown,
                **(extra_context or {}),
            }
        return super().history_view(request, object_id, extra_context)


# Places (issue 17) and two-factor devices have their own modules; importing them registers them.
from . import admin_devices, admin_places  # noqa: E402, F401
