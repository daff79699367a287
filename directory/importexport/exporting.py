"""Export the directory in the formats it imports, safe to open in a spreadsheet.

Cells a spreadsheet would run as a formula get a leading ' in CSV, TSV and XLSX (OWASP ASVS
V1.2.10); `importing.read_dataset` takes it off again, so export then import changes nothing.
`template` makes the empty workbook staff fill in for an import, with a sheet explaining it.
"""

import io

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .columns import DELETE, columns
from .importing import FORMULA_STARTS
from .resources import RESOURCES

EXPORT_FORMATS = ("csv", "tsv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def neutralise(value):
    """Put a ' before a text cell that starts like a formula (or with a ' itself)."""
    if isinstance(value, str) and value[:1] in (*FORMULA_STARTS, "'") and value:
        return "'" + value
    return value


def export(kind, fmt, user=None, queryset=None, header_language=None):
    """The records of one kind that `user` may see (of `queryset`, if given), as file bytes,
    with spreadsheet headers in `header_language` (Japanese for ja, otherwise English)."""
    resource = RESOURCES[kind](user=user)
    # JSON is read by programs: its keys stay the English ones in every language.
    resource.header_language = header_language if fmt != "json" else None
    records = resource.get_queryset()
    if queryset is not None:
        records = records.filter(pk__in=queryset.values("pk"))
    dataset = resource.export(queryset=records)
    if fmt in ("csv", "tsv", "xlsx"):
        for index, row in enumerate(dataset):
            dataset[index] = [neutralise(cell) for cell in row]
    if fmt == "xlsx":
        # The sheet's tab says what it holds ("担当課"), not tablib's "Tablib Dataset".
        dataset.title = str(records.model._meta.verbose_name_plural)
        return dataset.export("xlsx")
    text = dataset.export(fmt)
    # A BOM lets Japanese Excel open a UTF-8 CSV without mojibake.
    return text.encode("utf-8-sig" if fmt in ("csv", "tsv") else "utf-8")


def template(kind, language=None):
    """An empty XLSX workbook for the import of `kind`: the header row in `language`, code
    columns formatted as text, and a second sheet explaining every column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = pgettext("import template", "Import")
    importable = columns(kind, readable=False)
    sheet.append([column.header(language) for column in importable])
    for index, column in enumerate(importable, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = 24
        if column.key in ("code", "city", "prefecture"):
            # Excel's "Text" format: a code typed into the column keeps its leading zeros.
            sheet.column_dimensions[letter].number_format = "@"
    help_sheet = workbook.create_sheet(pgettext("import template", "Columns"))
    help_sheet.append(
        [
            pgettext("import template", "Column"),
            pgettext("import template", "Also accepted"),
            pgettext("import template", "Required"),
            pgettext("import template", "What it holds"),
            pgettext("import template", "Example"),
        ]
    )
    for column in [*importable, DELETE]:
        other = column.key if column.header(language) == column.ja else column.ja
        help_sheet.append(
            [
                column.header(language),
                other,
                pgettext("import template", "yes")
                if column.required
                else pgettext("import template", "no"),
                str(column.explanation),
                column.example,
            ]
        )
    help_sheet.append([])
    help_sheet.append(
        [
            _(
                "Columns named in either language are read alike. Exports add columns of names "
                "beside the codes; an import ignores them."
            )
        ]
    )
    for letter, width in zip("ABCDE", (24, 24, 10, 90, 24), strict=True):
        help_sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
