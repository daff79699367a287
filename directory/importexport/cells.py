"""Cells as a spreadsheet leaves them, read as they are meant before an import checks them.

Full-width input is folded to ASCII in codes, numbers, e-mail addresses and URLs (never in
names), and codes Excel stored as numbers get back the leading zeros it dropped, where that is
unambiguous: a local government code by its check digit, a prefecture code by the prefecture list,
a postal code by its seven digits.
"""

import csv
import io
from collections import deque
from datetime import datetime, time

from django.utils.translation import gettext as _

from ..validators import local_government_check_digit, visible
from .plain import plain_width

# The columns of each import whose full-width input means ASCII.
PLAIN_COLUMNS = {
    *("code", "city", "prefecture", "postal_code", "number", "position", "email", "url", "id"),
}
CITY_CODE_COLUMNS = {"code", "city"}
# What Excel shows, and saves in a workbook's cache or a CSV, for a formula it could not work out.
EXCEL_ERRORS = {
    *("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"),
    *("#GETTING_DATA", "#SPILL!", "#CALC!"),
}


# The most of a cell a message quotes: a cell may hold 100,000 characters, and a page of
# refusals quotes a cell in each.
QUOTED_CHARACTERS = 100


def quoted(value):
    """A cell's value as a message quotes it: control characters written out, and cut to
    QUOTED_CHARACTERS, its cut marked "…"."""
    return visible(as_text(value), QUOTED_CHARACTERS)


def as_text(value):
    """A cell as text: a spreadsheet's whole number 12025.0 as "12025", its date as 2023-07-14
    (without the 00:00:00 of a date cell) and its time to the second."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        # openpyxl reads every date cell as a datetime; its time, if any, may carry the
        # microseconds of Excel's fraction of a day.
        value = value.date() if value.time() == time() else value.replace(microsecond=0)
    elif isinstance(value, time):
        value = value.replace(microsecond=0)
    return "" if value is None else str(value)


def with_lf(text):
    """Text with each line break as LF, as a workbook's cell has it: a CSV's cell may have CR LF
    (Windows) or CR (old Mac), and the same note would otherwise read as changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def too_long_for_csv():
    """What is wrong with a cell longer than Python's csv reads (csv.field_size_limit()): no
    spreadsheet's cell is that long, but a quote left open runs on over the rows below."""
    return _(
        "a cell holds more than %(limit)s characters, more than an import reads: check that "
        "each cell's opening quote (\") is closed, or shorten the cell."
    ) % {"limit": f"{csv.field_size_limit():,}"}


class LongCell(ValueError):
    """A cell longer than csv reads (csv.field_size_limit()): the number of its row (from 1),
    the row's first line in the text, the cell's position in the row (from 0) and its start."""

    def __init__(self, number, line, position, start):
        super().__init__(number, line, position)
        self.number, self.line, self.position, self.start = number, line, position, start


def csv_rows(text, delimiter):
    """(number from 1, first line, cells) of each row of delimited `text`; raises `LongCell` at a
    cell longer than csv reads."""
    taken = 0  # how much of the text csv has read: it reads a row's lines, no further

    def lines():
        nonlocal taken
        for line in io.StringIO(text, newline=""):
            taken += len(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    number, first, start = 0, 1, 0
    try:
        for number, row in enumerate(reader, start=1):
            yield number, first, row
            first, start = reader.line_num + 1, taken
    except csv.Error:
        position, cell = long_cell(text[start:taken], delimiter)
        raise LongCell(number + 1, first, position, cell) from None


def long_cell(record, delimiter):
    """(position from 0, start) of the cell longer than csv reads in `record`: the text of a row
    from its start to where csv refused it. csv's limit is the process's, so it is not raised
    to read the row; csv reads ever shorter starts of it instead, until the cell fits."""
    fits, refused = 0, len(record)
    while refused - fits > 1:
        middle = (fits + refused) // 2
        try:
            _last_row(record[:middle], delimiter)
            fits = middle
        except csv.Error:
            refused = middle
    # Its start, cut where csv stops: the row's last cell.
    row = _last_row(record[:fits], delimiter)
    return len(row) - 1, row[-1]


def _last_row(text, delimiter):
    rows = deque(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), maxlen=1)
    return rows[0] if rows else [""]


def blank_row(row):
    """Whether every cell of a row is empty or spaces: a row staff emptied instead of deleting."""
    return not any(as_text(cell).strip() for cell in row)


def excel_error(value):
    """The error a cell holds where a formula failed (#REF!, #N/A...), else None: no column
    of an import means it, and stored it would show on the public pages."""
    text = as_text(value).strip()
    return text if text in EXCEL_ERRORS else None


def restore_city_code(value):
    """A local government code Excel shortened to five digits, with its 0 back when the check
    digit confirms it ("12025" -> "012025"); any other value as it is."""
    text = plain_width(as_text(value)).strip()
    if len(text) == 5 and text.isascii() and text.isdigit():
        restored = "0" + text
        if local_government_check_digit(restored[:5]) == restored[5]:
            return restored
    return text


def restore_prefecture_code(value, codes):
    """A prefecture code Excel shortened to one digit, with its 0 back when the list of prefecture
    `codes` has it ("7" -> "07"); any other value as it is."""
    text = plain_width(as_text(value)).strip()
    if len(text) == 1 and ("0" + text) in codes:
        return "0" + text
    return text


def restore_postal_code(value):
    """A postal code Excel shortened to six digits (written without its hyphen), with its 0
    back: every postal code has seven ("408666" -> "0408666"); any other value as it is."""
    text = plain_width(as_text(value)).strip()
    if len(text) == 6 and text.isascii() and text.isdigit():
        return "0" + text
    return text


def read_as_meant(dataset, prefecture_codes=()):
    """Fold and restore the cells of a dataset whose headers are column keys, in place."""
    headers = list(dataset.headers or [])
    plain = [i for i, header in enumerate(headers) if header in PLAIN_COLUMNS]
    if not plain:
        return
    for index, row in enumerate(dataset):
        cells = list(row)
        for i in plain:
            cells[i] = _as_meant(headers[i], cells[i], prefecture_codes)
        if cells != list(row):
            dataset[index] = cells


def _as_meant(column, value, prefecture_codes):
    if value is None or value == "":
        return value
    if column in CITY_CODE_COLUMNS:
        return restore_city_code(value)
    if column == "prefecture":
        return restore_prefecture_code(value, prefecture_codes)
    if column == "postal_code":
        return restore_postal_code(value)
    return plain_width(value)
