"""Export the directory in the formats it imports, safe to open in a spreadsheet.

Cells a spreadsheet would run as a formula get a leading ' in CSV, TSV and XLSX (OWASP ASVS
V1.2.10); `importing.read_dataset` takes it off again, so export then import changes nothing.
"""

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


def export(kind, fmt, user=None, queryset=None):
    """The records of one kind that `user` may see (of `queryset`, if given), as file bytes."""
    resource = RESOURCES[kind](user=user)
    records = resource.get_queryset()
    if queryset is not None:
        records = records.filter(pk__in=queryset.values("pk"))
    dataset = resource.export(queryset=records)
    if fmt in ("csv", "tsv", "xlsx"):
        for index, row in enumerate(dataset):
            dataset[index] = [neutralise(cell) for cell in row]
    if fmt == "xlsx":
        return dataset.export("xlsx")
    text = dataset.export(fmt)
    # A BOM lets Japanese Excel open a UTF-8 CSV without mojibake.
    return text.encode("utf-8-sig" if fmt in ("csv", "tsv") else "utf-8")
