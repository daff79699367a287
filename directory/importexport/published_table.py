"""Read the association's published table of core cities into plain records.

The format is the tab-separated table as published: seven columns, a repeated header, rows without
a number continuing the city above, class cells holding several links, and a footnote city. This
module knows nothing of the database; `directory.sync` writes its records.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..validators import (
    normalize_email,
    small_number_validators,
    validate_single_line_text,
    validate_web_url,
)
from .cells import LongCell, csv_rows, quoted, too_long_for_csv
from .plain import plain_width

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEFAULT_PATH = FIXTURES / "core-cities.tsv"

COLUMNS = (
    "No.",
    "Prefecture",
    "City",
    "Department in Charge",
    "URL",
    "E-mail",
    "Japanese Class Information",
)
NUMBER, PREFECTURE, CITY, DEPARTMENT, URL, EMAIL, CLASSES = range(7)
# The columns whose full-width input means ASCII: never the names.
PLAIN = (NUMBER, URL, EMAIL)

# "For Naha City, Okinawa a Japanese Language Education Division has not yet been established."
FOOTNOTE = re.compile(r"^For (?P<city>[^,\t]+), (?P<prefecture>[A-Za-z-]+) (?P<rest>\S.*)$")
# A class cell's URLs and providers are separated by white space.
WORD = re.compile(r"\S+")


class PublishedTableError(ValueError):
    """A line of the table that cannot be read; names the line and, where it can, the column
    and the value found there."""

    def __init__(self, line, message, column=None, value=None):
        self.line = line
        self.column = column
        self.message = message
        self.value = value
        self.errors = [self]  # every error this refusal stands for
        where = _("line %(line)s") % {"line": line}
        if column is not None:
            where += ", " + _("column %(number)s (%(name)s)") % {
                "number": column + 1,
                "name": COLUMNS[column],
            }
        super().__init__(f"{where}: {message}")


class PublishedTableErrors(PublishedTableError):
    """Every line of the table that cannot be read; stands as the first for its line and column."""

    def __init__(self, errors):
        first = errors[0]
        super().__init__(first.line, first.message, first.column, first.value)
        self.errors = errors
        self.args = ("\n".join(str(error) for error in errors),)


@dataclass
class LinkRecord:
    url: str
    label: str
    line: int


@dataclass
class DepartmentRecord:
    name: str
    url: str
    email: str
    line: int
    links: list[LinkRecord] = field(default_factory=list)


@dataclass
class CityRecord:
    number: int | None
    prefecture: str
    name: str
    line: int
    note: str = ""
    departments: list[DepartmentRecord] = field(default_factory=list)

    @property
    def links(self):
        return [link for department in self.departments for link in department.links]


@cache
def prefecture_fixture():
    """The fields of all 47 prefectures (code, name, name_ja, name_kana, region), as the fixture
    gives them: the one source of the prefectures' facts."""
    # Read once per process: the file ships with the code, and every search reads it.
    with open(FIXTURES / "prefectures.json", encoding="utf-8") as fixture:
        return tuple(MappingProxyType(entry["fields"]) for entry in json.load(fixture))


def parse_file(path=DEFAULT_PATH):
    """Read a published table from a path; see `parse`."""
    with open(path, encoding="utf-8-sig", newline="") as table:
        return parse(table.read())


def parse(text):
    """Return the cities of a published table as `CityRecord`s, in published order.

    The table is tab-separated as published, or comma-separated as a spreadsheet saves it.
    Raises `PublishedTableErrors` naming every line that is not in the published format.
    """
    prefectures = {fields["name"] for fields in prefecture_fixture()}
    cities, errors = [], []
    # The rows that go on a city refused: checked on their own, kept out of `cities`.
    refused = None
    for line_number, cells in rows(text):
        if not any(cells) or tuple(cells) == COLUMNS:  # a blank row, or the header repeated
            continue
        try:
            if cells[NUMBER] or len(cells) == 1:
                refused = None
            city = _row(
                line_number, cells, prefectures, refused or (cities[-1] if cities else None)
            )
        except PublishedTableError as error:
            errors.extend(error.errors)
            if cells[NUMBER] and len(cells) > 1:
                # Its rows below are still checked, against a stand-in with a department.
                refused = CityRecord(None, "", "", line_number)
                refused.departments.append(DepartmentRecord("", "", "", line_number))
            continue
        if city is not None:
            cities.append(city)
    errors.extend(_unique_errors(cities))
    if errors:
        errors.sort(key=lambda error: error.line)
        raise PublishedTableErrors(errors)
    return cities


def _row(line_number, cells, prefectures, current):
    """The city a row starts, or None for a row that goes on `current`; raises on a bad row."""
    # Full-width digits, ＠ and ｈｔｔｐｓ：／／ mean the plain ones in numbers and addresses.
    cells = [plain_width(cell) if column in PLAIN else cell for column, cell in enumerate(cells)]
    if len(cells) == 1:
        _check(line_number, cells[0], [validate_single_line_text])
        return _footnote_city(line_number, cells[0], prefectures)
    if len(cells) != len(COLUMNS):
        raise PublishedTableError(
            line_number,
            _("expected %(expected)s columns, found %(found)s")
            % {"expected": len(COLUMNS), "found": len(cells)},
        )
    for column, cell in enumerate(cells):
        _check(line_number, cell, [validate_single_line_text], column)
    if cells[NUMBER]:
        return _new_city(line_number, cells, prefectures)
    if current is None:
        raise PublishedTableError(
            line_number, _("a row without a number must follow a numbered city"), NUMBER
        )
    _continue_city(line_number, cells, current)
    return None


def header_delimiter(text):
    """The delimiter of a published table's header: a tab as published, a comma as a spreadsheet
    saves it; None when the text's first row is not that header."""
    # Lazily, line by line: the text may be a large upload. A spreadsheet saves blank rows
    # as bare commas. Lines end in CR too: Excel for Mac's "CSV (Macintosh)" ends them so.
    lines = io.StringIO(text, newline="")
    header = next((line for line in lines if line.replace(",", "").strip()), "")
    for delimiter in ("\t", ","):
        try:
            cells = next(csv.reader([header.rstrip("\r\n")], delimiter=delimiter), [])
        except csv.Error:  # a cell longer than csv reads: no header of ours
            continue
        if tuple(cell.strip() for cell in cells) == COLUMNS:
            return delimiter
    return None


def rows(text):
    """(line number, stripped cells) of each row of a tab- or comma-separated table."""
    if header_delimiter(text) != ",":
        for line_number, line in enumerate(text.splitlines(), start=1):
            yield line_number, [cell.strip() for cell in line.split("\t")]
        return
    try:
        for _number, line, row in csv_rows(text, ","):
            # A cell a spreadsheet wrapped over several lines reads as one line of the table.
            cells = [" ".join(cell.split()) for cell in row]
            if cells[:1] and cells[0] and not any(cells[1:]) and not cells[0].isdigit():
                # A spreadsheet pads the footnote row out to the table's width.
                cells = cells[:1]
            yield line, cells
    except LongCell as long:
        # Named by its column when the table has it (a cell past them is refused by its start).
        column = long.position if long.position < len(COLUMNS) else None
        raise PublishedTableError(long.line, too_long_for_csv(), column, long.start) from None


def _footnote_city(line_number, text, prefectures):
    match = FOOTNOTE.match(text)
    if not match:
        raise PublishedTableError(
            line_number,
            _("expected %(expected)s columns or a footnote, found 1") % {"expected": len(COLUMNS)},
            value=text,
        )
    prefecture = match["prefecture"]
    if prefecture not in prefectures:
        raise PublishedTableError(
            line_number,
            _(
                "unknown prefecture “%(name)s” in the footnote: expected its English name, "
                "e.g. Okinawa"
            )
            % {"name": quoted(prefecture)},
            value=text,
        )
    return CityRecord(None, prefecture, match["city"].strip(), line_number, note=text)


def _check(line_number, value, validators, column=None, message=None, cell=None):
    """Run the models' validators on a cell, so the table is refused what the admin would be.

    `message`, naming the `cell` as written (by default `value`), replaces the validator's own.
    """
    cell = value if cell is None else cell
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            # The validators cut the value they name to the admin's 40 characters: named again
            # as every import message quotes a cell.
            first = error.error_list[0]
            params = {**(first.params or {}), "value": quoted(cell)}
            text = str((first.message if message is None else message) % params)
            raise PublishedTableError(line_number, text, column, cell) from None


def _new_city(line_number, cells, prefectures):
    digits = cells[NUMBER]
    # Past nine digits int() slows (and fails past 4,300); the range check names shorter ones.
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        raise PublishedTableError(
            line_number,
            _("“%(value)s” is not a number: expected the city's number, e.g. 12")
            % {"value": quoted(digits)},
            NUMBER,
            digits,
        )
    _check(line_number, int(digits), small_number_validators, NUMBER)
    if cells[PREFECTURE] not in prefectures:
        raise PublishedTableError(
            line_number,
            _("unknown prefecture “%(name)s”: expected its English name, e.g. Hokkaido")
            % {"name": quoted(cells[PREFECTURE])},
            PREFECTURE,
            cells[PREFECTURE],
        )
    if not cells[CITY]:
        raise PublishedTableError(
            line_number, _("the city's name is empty: expected its English name"), CITY
        )
    city = CityRecord(int(cells[NUMBER]), cells[PREFECTURE], cells[CITY], line_number)
    city.departments.append(_department(line_number, cells))
    return city


def _continue_city(line_number, cells, city):
    for column, expected in ((PREFECTURE, city.prefecture), (CITY, city.name)):
        if cells[column] and cells[column] != expected:
            raise PublishedTableError(
                line_number,
                _("a continuation of %(city)s names “%(value)s”; leave it empty")
                % {"city": quoted(city.name), "value": quoted(cells[column])},
                column,
                cells[column],
            )
    if cells[DEPARTMENT] or cells[URL] or cells[EMAIL]:
        city.departments.append(_department(line_number, cells))
    else:
        # Only the class column: the cell above goes on, so its links keep their department.
        city.departments[-1].links.extend(_links(line_number, cells[CLASSES]))


def _department(line_number, cells):
    """The department a row names; raises naming every bad cell of the row."""
    errors = []
    if not cells[DEPARTMENT]:
        errors.append(
            PublishedTableError(
                line_number, _("the department's name is empty: expected its name"), DEPARTMENT
            )
        )
    url = cells[URL]
    if url:
        _collect(errors, _check_url, line_number, url, URL)
    email = normalize_email(cells[EMAIL])
    if email:
        message = _("“%(value)s” is not an e-mail address: expected e.g. name[at]city.example.jp")
        _collect(errors, _check, line_number, email, [validate_email], EMAIL, message, cells[EMAIL])
    links = _collect(errors, _links, line_number, cells[CLASSES])
    if errors:
        raise PublishedTableErrors(errors)
    department = DepartmentRecord(cells[DEPARTMENT], url, email, line_number)
    department.links.extend(links)
    return department


def _collect(errors, check, *arguments):
    """The result of `check`, or None with its refusal added to `errors`."""
    try:
        return check(*arguments)
    except PublishedTableError as error:
        errors.extend(error.errors)
        return None


def _check_url(line_number, url, column):
    message = _(
        "“%(value)s” is not an http or https address: expected e.g. https://www.city.example.jp/"
    )
    _check(line_number, url, [validate_web_url], column, message)


def _links(line_number, cell):
    """Split a class cell into links: each a URL, optionally followed by "(provider)".

    The provider may hold parentheses of its own: "(Matsuyama International Center (MIC))".
    """
    links, position = [], 0
    while word := WORD.search(cell, position):
        if word[0].startswith("("):
            raise PublishedTableError(
                line_number, _("a provider in parentheses must follow a URL"), CLASSES, cell
            )
        url = plain_width(word[0])
        _check_url(line_number, url, CLASSES)
        label, position = "", word.end()
        after = WORD.search(cell, position)
        if after and after[0].startswith("("):
            label, position = _parenthesised(line_number, cell, after.start())
        links.append(LinkRecord(url, label, line_number))
    return links


def _parenthesised(line_number, cell, start):
    depth = 0
    for position in range(start, len(cell)):
        if cell[position] == "(":
            depth += 1
        elif cell[position] == ")":
            depth -= 1
            if depth == 0:
                return cell[start + 1 : position].strip(), position + 1
    raise PublishedTableError(
        line_number, _("a provider's parenthesis is never closed"), CLASSES, cell
    )


def _unique_errors(cities):
    """An error for each number, city, department and class link listed twice."""
    errors = []

    def once(seen, key, line, column, value, message, params):
        # Each message names the line `key` was first listed on.
        if key in seen:
            message %= {**params, "line": seen[key]}
            errors.append(PublishedTableError(line, message, column, value))
        seen.setdefault(key, line)

    numbers, names = {}, {}
    for city in cities:
        if city.number is not None:
            message = _("No. %(number)s is used on line %(line)s too")
            params = {"number": city.number}
            once(numbers, city.number, city.line, NUMBER, str(city.number), message, params)
        message = _("%(city)s (%(prefecture)s) is listed on line %(line)s too")
        params = {"city": quoted(city.name), "prefecture": city.prefecture}
        once(names, (city.prefecture, city.name), city.line, CITY, city.name, message, params)
        departments, urls = {}, {}
        for department in city.departments:
            message = _("%(city)s lists “%(name)s” on line %(line)s too")
            params = {"city": quoted(city.name), "name": quoted(department.name)}
            key = department.name
            once(departments, key, department.line, DEPARTMENT, key, message, params)
            for link in department.links:
                message = _("%(city)s lists %(url)s on line %(line)s too")
                params = {"city": quoted(city.name), "url": quoted(link.url)}
                once(urls, link.url, link.line, CLASSES, link.url, message, params)
    return errors
