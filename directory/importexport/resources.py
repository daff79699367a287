"""Import and export resources: one per model, keyed by natural keys rather than database ids.

A city is known by its local government code, a department by its city and name, a class link by
its city and URL. Every resource is scoped to the cities its user may edit, checks each row as the
admin form would, and keeps history for the rows it writes in bulk.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Diff
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import City, ClassLink, Department, Prefecture, city_slug
from ..roles import edits_every_city
from ..signals import directory_changed
from ..validators import normalize_email, validate_multi_line_text
from .columns import COLUMNS

TRUE_WORDS = {"1", "true", "yes", "y", "x", "delete", "はい", "削除"}
# The readable columns beside a department's or class link's city code, which imports ignore.
READABLE_CITY = ["city_name", "city_name_ja", "prefecture_name", "prefecture_name_ja"]


def _value(instance, attribute):
    """The instance's attribute; None for a relation a bad row left unset."""
    try:
        return getattr(instance, attribute)
    except ObjectDoesNotExist:
        return None


def _text(value):
    return "" if value is None else str(value).strip()


class CityCodeWidget(widgets.Widget):
    """A city by its local government code, refused when the importing user may not edit it."""

    def __init__(self):
        super().__init__()
        self.allowed = {}
        self.others = set()

    def clean(self, value, row=None, **kwargs):
        code = _text(value)
        if not code:
            raise ValueError(
                _("a city's local government code is required: expected six digits, e.g. 012025")
            )
        city = self.allowed.get(code)
        if city is None:
            if code in self.others:
                raise ValueError(_("you may not edit the city with code %s") % code)
            raise ValueError(
                _(
                    "no city has the local government code %s: expected the six-digit code of a "
                    "city in the directory, e.g. 012025"
                )
                % code
            )
        return city

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class DepartmentNameWidget(widgets.Widget):
    """A department by its name within the row's city."""

    def __init__(self):
        super().__init__()
        self.by_key = {}

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        code = _text(row.get("city")) if row else ""
        department = self.by_key.get((code, name))
        if department is None:
            raise ValueError(
                _(
                    "city %(code)s has no department “%(name)s”: expected the name of one of its "
                    "departments, exactly as in the departments list"
                )
                % {"code": code, "name": name}
            )
        return department

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number (position, table number): no locale's separators apply to these.

    The library's widget formats and parses through the active locale on every cell, which a
    large import pays for on each row.
    """

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, float) and value.is_integer():  # a spreadsheet's 3.0
            return int(value)
        text = _text(value)
        if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 9:
            raise ValueError(_("“%s” is not a whole number: expected digits, e.g. 3") % text)
        return int(text)

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type") or not isinstance(value, int):
            return super().render(value, obj, **kwargs)
        return str(value)


class PrefectureCodeWidget(widgets.Widget):
    """A prefecture by its two-digit code."""

    def __init__(self):
        super().__init__()
        self.by_code = None

    def clean(self, value, row=None, **kwargs):
        if self.by_code is None:
            self.by_code = {prefecture.code: prefecture for prefecture in Prefecture.objects.all()}
        code = _text(value)
        prefecture = self.by_code.get(code)
        if prefecture is None:
            raise ValueError(
                _("no prefecture has the code “%s”: expected 01 (Hokkaido) to 47 (Okinawa)") % code
            )
        return prefecture

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class EmailWidget(widgets.CharWidget):
    """An e-mail address; the published `name[at]host` form is stored as `name@host`."""

    def clean(self, value, row=None, **kwargs):
        return normalize_email(super().clean(value, row, **kwargs) or "")


class TextWidget(widgets.CharWidget):
    """Text with surrounding spaces removed, empty rather than None when missing."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)


class ChangedValues(Diff):
    """The library's diff of a row, given as the (column, old, new) of each changed field (the
    values as exported) rather than as HTML: the preview shows them in its own table."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.columns = resource.get_diff_headers()

    def as_html(self):
        changes = zip(self.columns, self.left, self.right, strict=True)
        if self.new:
            # A new record has no old values: its filled-in fields are what the preview shows.
            return [(column, "", new) for column, _, new in changes if new]
        return [(column, old, new) for column, old, new in changes if old != new]


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds existing records by natural key from one query, not one query per row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.existing = resource.existing_by_key()

    def get_instance(self, row):
        return self.existing.get(self.resource.current_key)


class DirectoryResource(resources.ModelResource):
    """What every directory resource shares: scoping, row checks, bulk writes with history."""

    kind = None
    key_columns = ()
    # Foreign keys resolved from preloaded maps: no need for full_clean to query them again.
    resolved_foreign_keys = ()

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.seen_keys = {}
        self.change_reason = ""
        # Primary keys of the records the user may change; None when every one.
        self.editable_ids = None
        self._import_fields = None
        self.refused = False
        self.current_key = ()
        # The language of the headers an export writes; the headers an import's file used.
        self.header_language = None
        self.file_headers = {}

    class Meta:
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True
        use_bulk = True
        batch_size = 1000
        instance_loader_class = NaturalKeyLoader

    def get_import_fields(self):
        # The library asks for these once per field of every row; they never change mid-import.
        # The readable columns (names beside the codes) are for people: never imported.
        if self._import_fields is None:
            self._import_fields = [f for f in super().get_import_fields() if not f.readonly]
        return self._import_fields

    def get_export_headers(self, selected_fields=None):
        """The headers in `header_language` (Japanese for ja), from `columns.COLUMNS`."""
        names = {column.key: column.header(self.header_language) for column in COLUMNS[self.kind]}
        return [names.get(header, header) for header in super().get_export_headers(selected_fields)]

    def get_diff_headers(self):
        """The preview names each changed column as the file did, in its language."""
        return [self.file_headers.get(name, name) for name in super().get_diff_headers()]

    def editable(self, model):
        """The records of `model` the importing user may change (all from the command line)."""
        records = model.objects.all()
        return records.editable_by(self.user) if self.user is not None else records

    def editable_cities(self):
        return self.editable(City)

    def city_code(self, instance):
        """The local government code of the city a record belongs to."""
        return instance.city.code

    def refuse_other_cities(self, instance, row=None):
        """Refuse a row about a record of a city the user may not edit, or (`row`, a row that
        deletes and so skips the city column's own check) naming one."""
        if self.editable_ids is None:
            return
        if instance.pk is not None and instance.pk not in self.editable_ids:
            code = self.city_code(instance)
            self.refuse(self.key_columns[0], _("you may not edit the city with code %s") % code)
        if row is not None and "city" in self.fields:
            try:
                self.fields["city"].widget.clean(row.get("city"), row=row)
            except ValueError as error:
                self.refuse("city", str(error))

    def refuse(self, column, message):
        """Refuse the row for `message` alone: its other cells are not checked."""
        self.refused = True
        raise ValidationError({column: [message]})

    def row_key(self, row):
        return tuple(_text(row.get(column)) for column in self.key_columns)

    def existing_by_key(self):
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user") or self.user
        self.change_reason = kwargs.get("change_reason", "")
        missing = [c for c in self.required_columns() if c not in (dataset.headers or [])]
        if missing:
            names = {column.key: column.ja for column in COLUMNS[self.kind]}
            raise ValueError(
                _("the file has no column %s: expected a header row naming every column")
                % ", ".join(f"{key} ({names[key]})" for key in missing)
            )
        if self.user is not None and not edits_every_city(self.user):
            editable = self.editable(self._meta.model)
            self.editable_ids = set(editable.values_list("pk", flat=True))
        if "city" in self.fields:
            widget = self.fields["city"].widget
            widget.allowed = {c.code: c for c in self.editable_cities()}
            widget.others = set(City.objects.values_list("code", flat=True)) - set(widget.allowed)

    def required_columns(self):
        return self.key_columns

    @staticmethod
    def line(kwargs):
        """The row's line in the file (`line_offset` is 1 for a header line, 0 for JSON)."""
        return kwargs.get("row_number", 0) + kwargs.get("line_offset", 1)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        row_result.line = self.line(kwargs)
        row_result.key = " / ".join(self.current_key)

    def assign_fields(self, instance, row, **kwargs):
        """Set each field the row has, as the library's `import_instance` does, minus the layers
        (`import_field`, `Field.save`, `Field.clean`) that plain attributes never need: an import
        runs this for every field of every row."""
        errors = {}
        for field in self.get_import_fields():
            column = field.column_name
            if column not in row:
                continue
            if field.attribute in ("position", "slug") and _text(row[column]) == "":
                # An empty cell keeps the current value, or the default (a new city's slug).
                continue
            try:
                if isinstance(row[column], str):
                    # Before any lookup: PostgreSQL cannot compare text holding NUL, and the
                    # widgets' messages would echo an escape sequence to a terminal as it is.
                    validate_multi_line_text(row[column])
                value = field.widget.clean(row[column], row=row, **kwargs)
            except ValidationError as error:
                errors[field.attribute] = error
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
            else:
                setattr(instance, field.attribute, value)
        if errors:
            raise ValidationError(errors)

    def for_delete(self, row, instance):
        wanted = _text(row.get("delete")).lower() in TRUE_WORDS
        if wanted:
            # A row that deletes skips `import_instance` and its checks.
            self.refuse_other_cities(instance, row)
        return wanted

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing record the row leaves as it was is counted unchanged, not written."""
        return instance.pk is not None and super().skip_row(
            instance, original, row, import_validation_errors
        )

    def get_diff_class(self):
        return ChangedValues

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.refused = False
        self.current_key = self.row_key(row)

    def import_instance(self, instance, row, **kwargs):
        self.refuse_other_cities(instance)
        errors = {}
        try:
            self.assign_fields(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        key = self.current_key
        line = self.line(kwargs)
        first = self.seen_keys.setdefault(key, line)
        if first != line:
            errors.setdefault(self.key_columns[-1], []).append(
                _("%(key)s is listed on line %(line)s too")
                % {"key": " / ".join(key), "line": first}
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if self.refused:
            # A record the user may not touch: what else is wrong with the row is no matter.
            raise ValidationError(errors)
        exclude = set(errors) | set(self.resolved_foreign_keys)
        try:
            # Natural keys, the only unique constraints of departments and class links, are checked
            # against the file above and against the database by the loader: only cities, with
            # other unique fields (slug, number), ask the database per row.
            instance.full_clean(
                exclude=exclude,
                validate_unique=self.validate_unique_per_row,
                validate_constraints=self.validate_unique_per_row,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    validate_unique_per_row = False

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=self.change_reason,
                )
            except Exception as error:  # noqa: BLE001 - reported on the result, as upstream does
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=self.change_reason,
                )
            except Exception as error:  # noqa: BLE001
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def get_bulk_update_fields(self):
        return [
            field.attribute
            for name, field in self.fields.items()
            if field.attribute and not field.readonly and name not in self._meta.import_id_fields
        ]

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            directory_changed.send(sender=self._meta.model)

    def get_queryset(self):
        return self.editable(self._meta.model)


class CityResource(DirectoryResource):
    code = fields.Field("code", "code", TextWidget())
    prefecture = fields.Field("prefecture", "prefecture", PrefectureCodeWidget())
    name = fields.Field("name", "name", TextWidget())
    name_ja = fields.Field("name_ja", "name_ja", TextWidget())
    name_kana = fields.Field("name_kana", "name_kana", TextWidget())
    number = fields.Field("number", "number", WholeNumberWidget())
    slug = fields.Field("slug", "slug", TextWidget())
    note = fields.Field("note", "note", TextWidget())

    prefecture_name = fields.Field("prefecture__name", "prefecture_name", readonly=True)
    prefecture_name_ja = fields.Field("prefecture__name_ja", "prefecture_name_ja", readonly=True)

    kind = "cities"
    key_columns = ("code",)
    validate_unique_per_row = True

    class Meta(DirectoryResource.Meta):
        model = City
        import_id_fields = ["code"]
        fields = [
            "code",
            "prefecture",
            "name",
            "name_ja",
            "name_kana",
            "number",
            "slug",
            "note",
            "prefecture_name",
            "prefecture_name_ja",
        ]

    def existing_by_key(self):
        return {(c.code,): c for c in City.objects.select_related("prefecture")}

    def get_queryset(self):
        return self.editable_cities().select_related("prefecture")

    def city_code(self, instance):
        return instance.code

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Slugs in use, and those the file gives or earns, so a new city's is free.
        self.slugs = set(City.objects.values_list("slug", flat=True))

    def import_instance(self, instance, row, **kwargs):
        if self.editable_ids is not None and instance.pk is None:
            self.refuse("code", _("you may not add cities"))
        kept = self.identity(instance) if self.editable_ids is not None else None
        super().import_instance(instance, row, **kwargs)
        if kept is not None:
            self.refuse_identity_changes(instance, kept)
        if not instance.slug:
            prefecture = _value(instance, "prefecture")
            instance.slug = city_slug(
                instance.name, prefecture.name if prefecture else "", self.slugs
            )
        self.slugs.add(instance.slug)

    @staticmethod
    def identity(city):
        """What a city editor may not change of a city (the code is the row's key), as written."""
        prefecture = _value(city, "prefecture")
        return {
            "prefecture": prefecture.code if prefecture else "",
            "number": _text(city.number),
            "slug": city.slug,
        }

    def refuse_identity_changes(self, city, kept):
        """Refuse a city editor's row that changes the city's prefecture, number or slug."""
        errors = {
            column: [
                _("only directory editors may change this: “%(new)s” should be “%(old)s”")
                % {"new": new, "old": kept[column]}
            ]
            for column, new in self.identity(city).items()
            if new != kept[column]
        }
        if errors:
            raise ValidationError(errors)

    def for_delete(self, row, instance):
        wanted = super().for_delete(row, instance)
        if wanted and self.editable_ids is not None:
            raise ValidationError({"delete": [_("you may not delete cities")]})
        return wanted


class DepartmentResource(DirectoryResource):
    city = fields.Field("city", "city", CityCodeWidget())
    name = fields.Field("name", "name", TextWidget())
    url = fields.Field("url", "url", TextWidget())
    email = fields.Field("email", "email", EmailWidget())
    position = fields.Field("position", "position", WholeNumberWidget())

    city_name = fields.Field("city__name", "city_name", readonly=True)
    city_name_ja = fields.Field("city__name_ja", "city_name_ja", readonly=True)
    prefecture_name = fields.Field("city__prefecture__name", "prefecture_name", readonly=True)
    prefecture_name_ja = fields.Field(
        "city__prefecture__name_ja", "prefecture_name_ja", readonly=True
    )

    kind = "departments"
    key_columns = ("city", "name")
    resolved_foreign_keys = ("city",)

    class Meta(DirectoryResource.Meta):
        model = Department
        import_id_fields = ["city", "name"]
        fields = ["city", "name", "url", "email", "position", *READABLE_CITY]

    def existing_by_key(self):
        return {(d.city.code, d.name): d for d in Department.objects.select_related("city")}

    def get_queryset(self):
        return super().get_queryset().select_related("city__prefecture")


class ClassLinkResource(DirectoryResource):
    city = fields.Field("city", "city", CityCodeWidget())
    url = fields.Field("url", "url", TextWidget())
    label = fields.Field("label", "label", TextWidget())
    department = fields.Field("department", "department", DepartmentNameWidget())
    position = fields.Field("position", "position", WholeNumberWidget())

    city_name = fields.Field("city__name", "city_name", readonly=True)
    city_name_ja = fields.Field("city__name_ja", "city_name_ja", readonly=True)
    prefecture_name = fields.Field("city__prefecture__name", "prefecture_name", readonly=True)
    prefecture_name_ja = fields.Field(
        "city__prefecture__name_ja", "prefecture_name_ja", readonly=True
    )

    kind = "class-links"
    key_columns = ("city", "url")
    resolved_foreign_keys = ("city", "department")

    class Meta(DirectoryResource.Meta):
        model = ClassLink
        import_id_fields = ["city", "url"]
        fields = ["city", "url", "label", "department", "position", *READABLE_CITY]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["department"].widget.by_key = {
            (d.city.code, d.name): d for d in self.editable(Department).select_related("city")
        }

    def existing_by_key(self):
        return {
            (link.city.code, link.url): link
            for link in ClassLink.objects.select_related("city", "department")
        }

    def get_queryset(self):
        return super().get_queryset().select_related("city__prefecture", "department")


RESOURCES = {
    "cities": CityResource,
    "departments": DepartmentResource,
    "class-links": ClassLinkResource,
}
