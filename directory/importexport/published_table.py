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
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ..validators import (
    normalize_email,
    small_number_validators,
    validate_single_line_text,
    validate_web_url,
)

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

# "For Naha City, Okinawa a Japanese Language Education Division has not yet been established."
FOOTNOTE = re.compile(r"^For (?P<city>[^,\t]+), (?P<prefecture>[A-Za-z-]+) (?P<rest>\S.*)$")


class PublishedTableError(ValueError):
    """A line of the table that cannot be read; names the line and, where it can, the column."""

    def __init__(self, line, message, column=None):
        self.line = line
        self.column = column
        self.message = message
        where = f"line {line}"
        if column is not None:
            where += f", column {column + 1} ({COLUMNS[column]})"
        super().__init__(f"{where}: {message}")


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


def prefecture_fixture():
    """The fields of all 47 prefectures (code, name, name_ja, name_kana, region), as the fixture
    gives them: the one source of the prefectures' facts."""
    with open(FIXTURES / "prefectures.json", encoding="utf-8") as fixture:
        return [entry["fields"] for entry in json.load(fixture)]


def known_prefectures():
    """The English names of all 47 prefectures, as the prefecture fixture spells them."""
    return {fields["name"] for fields in prefecture_fixture()}


def parse_file(path=DEFAULT_PATH, prefectures=None):
    """Read a published table from a path; see `parse`."""
    with open(path, encoding="utf-8-sig", newline="") as table:
        return parse(table.read(), prefectures)


def parse(text, prefectures=None):
    """Return the cities of a published table as `CityRecord`s, in published order.

    The table is tab-separated as published, or comma-separated as a spreadsheet saves it.
    Raises `PublishedTableError` naming the first line that is not in the published format.
    """
    prefectures = known_prefectures() if prefectures is None else set(prefectures)
    cities = []
    for line_number, cells in rows(text):
        if not any(cells):
            continue
        if tuple(cells) == COLUMNS:
            continue
        if len(cells) == 1:
            _check(line_number, cells[0], [validate_single_line_text])
            cities.append(_footnote_city(line_number, cells[0], prefectures))
            continue
        if len(cells) != len(COLUMNS):
            raise PublishedTableError(
                line_number, f"expected {len(COLUMNS)} columns, found {len(cells)}"
            )
        for column, cell in enumerate(cells):
            _check(line_number, cell, [validate_single_line_text], column)
        if cells[NUMBER]:
            cities.append(_new_city(line_number, cells, prefectures))
        elif not cities:
            raise PublishedTableError(
                line_number, "a row without a number must follow a numbered city", NUMBER
            )
        else:
            _continue_city(line_number, cells, cities[-1])
    _check_unique(cities)
    return cities


def header_delimiter(text):
    """The delimiter of a published table's header: a tab as published, a comma as a spreadsheet
    saves it; None when the text's first row is not that header."""
    # Lazily, line by line: the text may be a large upload. A spreadsheet saves blank rows
    # as bare commas.
    header = next((line for line in io.StringIO(text) if line.replace(",", "").strip()), "")
    for delimiter in ("\t", ","):
        cells = next(csv.reader([header.rstrip("\r\n")], delimiter=delimiter), [])
        if tuple(cell.strip() for cell in cells) == COLUMNS:
            return delimiter
    return None


def rows(text):
    """(line number, stripped cells) of each row of a tab- or comma-separated table."""
    if header_delimiter(text) != ",":
        for line_number, line in enumerate(text.splitlines(), start=1):
            yield line_number, [cell.strip() for cell in line.split("\t")]
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for row in reader:
        # A cell a spreadsheet wrapped over several lines reads as one line of the table.
        cells = [" ".join(cell.split()) for cell in row]
        if cells[:1] and cells[0] and not any(cells[1:]) and not cells[0].isdigit():
            # A spreadsheet pads the footnote row out to the table's width.
            cells = cells[:1]
        yield start, cells
        start = reader.line_num + 1


def _footnote_city(line_number, text, prefectures):
    match = FOOTNOTE.match(text)
    if not match:
        raise PublishedTableError(
            line_number, f"expected {len(COLUMNS)} columns or a footnote, found 1"
        )
    prefecture = match["prefecture"]
    if prefecture not in prefectures:
        raise PublishedTableError(line_number, f"unknown prefecture {prefecture!r} in the footnote")
    return CityRecord(None, prefecture, match["city"].strip(), line_number, note=text)


def _check(line_number, value, validators, column=None):
    """Run the models' validators on a cell, so the table is refused what the admin would be."""
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            raise PublishedTableError(line_number, error.messages[0], column) from None


def _new_city(line_number, cells, prefectures):
    digits = cells[NUMBER]
    # Past nine digits int() slows (and fails past 4,300); the range check names shorter ones.
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        raise PublishedTableError(line_number, f"{digits!r} is not a number", NUMBER)
    _check(line_number, int(digits), small_number_validators, NUMBER)
    if cells[PREFECTURE] not in prefectures:
        raise PublishedTableError(
            line_number, f"unknown prefecture {cells[PREFECTURE]!r}", PREFECTURE
        )
    if not cells[CITY]:
        raise PublishedTableError(line_number, "the city's name is empty", CITY)
    city = CityRecord(int(cells[NUMBER]), cells[PREFECTURE], cells[CITY], line_number)
    city.departments.append(_department(line_number, cells))
    return city


def _continue_city(line_number, cells, city):
    for column, expected in ((PREFECTURE, city.prefecture), (CITY, city.name)):
        if cells[column] and cells[column] != expected:
            raise PublishedTableError(
                line_number,
                f"a continuation of {city.name} names {cells[column]!r}; leave it empty",
                column,
            )
    if cells[DEPARTMENT] or cells[URL] or cells[EMAIL]:
        city.departments.append(_department(line_number, cells))
    else:
        # Only the class column: the cell above goes on, so its links keep their department.
        city.departments[-1].links.extend(_links(line_number, cells[CLASSES]))


def _department(line_number, cells):
    if not cells[DEPARTMENT]:
        raise PublishedTableError(line_number, "the department's name is empty", DEPARTMENT)
    url = cells[URL]
    if url:
        _check_url(line_number, url, URL)
    email = normalize_email(cells[EMAIL])
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise PublishedTableError(
                line_number, f"{cells[EMAIL]!r} is not an e-mail address", EMAIL
            ) from None
    department = DepartmentRecord(cells[DEPARTMENT], url, email, line_number)
    department.links.extend(_links(line_number, cells[CLASSES]))
    return department


def _check_url(line_number, url, column):
    try:
        validate_web_url(url)
    except ValidationError:
        raise PublishedTableError(
            line_number, f"{url!r} is not an http or https address", column
        ) from None


def _links(line_number, cell):
    """Split a class cell into links: each a URL, optionally followed by "(provider)".

    The provider may hold parentheses of its own: "(Matsuyama International Center (MIC))".
    """
    links = []
    position, end = 0, len(cell)
    while True:
        while position < end and cell[position].isspace():
            position += 1
        if position == end:
            return links
        if cell[position] == "(":
            raise PublishedTableError(
                line_number, "a provider in parentheses must follow a URL", CLASSES
            )
        start = position
        while position < end and not cell[position].isspace():
            position += 1
        url = cell[start:position]
        _check_url(line_number, url, CLASSES)
        label = ""
        after = position
        while after < end and cell[after].isspace():
            after += 1
        if after < end and cell[after] == "(":
            label, position = _parenthesised(line_number, cell, after)
        links.append(LinkRecord(url, label, line_number))


def _parenthesised(line_number, cell, start):
    depth = 0
    for position in range(start, len(cell)):
        if cell[position] == "(":
            depth += 1
        elif cell[position] == ")":
            depth -= 1
            if depth == 0:
                return cell[start + 1 : position].strip(), position + 1
    raise PublishedTableError(line_number, "a provider's parenthesis is never closed", CLASSES)


def _check_unique(cities):
    numbers, names = {}, {}
    for city in cities:
        if city.number is not None:
            if city.number in numbers:
                raise PublishedTableError(
                    city.line,
                    f"No. {city.number} is used on line {numbers[city.number]} too",
                    NUMBER,
                )
            numbers[city.number] = city.line
        key = (city.prefecture, city.name)
        if key in names:
            raise PublishedTableError(
                city.line,
                f"{city.name} ({city.prefecture}) is listed on line {names[key]} too",
                CITY,
            )
        names[key] = city.line
        departments, urls = {}, {}
        for department in city.departments:
            if department.name in departments:
                raise PublishedTableError(
                    department.line,
                    f"{city.name} lists {department.name!r} on line "
                    f"{departments[department.name]} too",
                    DEPARTMENT,
                )
            departments[department.name] = department.line
            for link in department.links:
                if link.url in urls:
                    raise PublishedTableError(
                        link.line,
                        f"{city.name} lists {link.url} on line {urls[link.url]} too",
                        CLASSES,
                    )
                urls[link.url] = link.line
