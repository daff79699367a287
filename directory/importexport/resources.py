"""Import and export resources: one per model, keyed by natural keys that staff can read.

A city is known by its local government code, a department by its city and name, a class link by
its city and URL. A desk's or class link's row may also give the record's own number (the `id`
column exports write), which names it even when the row changes its name or URL. Every resource
is scoped to the cities its user may edit, checks each row as the admin form would, and keeps
history for the rows it writes in bulk.
"""

import re
import unicodedata
from dataclasses import asdict
from datetime import date, datetime, time
from functools import partial

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Diff
from openpyxl.utils.datetime import from_excel, to_excel
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import classes, dates, hours, phones, postal_codes, spoken_languages
from ..models import (
    City,
    ClassLink,
    Department,
    DepartmentPhone,
    OpeningHours,
    Prefecture,
    Weekday,
    city_slug,
)
from ..roles import edits_every_city
from ..signals import directory_changed
from ..validators import NOT_A_LANGUAGE, normalize_email, validate_multi_line_text, visible
from .cells import as_text, excel_error, quoted, with_lf
from .columns import COLUMNS, both_headers, column_of
from .lost_characters import garbled, lost_characters
from .plain import plain_width

# Yes and no as staff write them, the one rule of every yes/no cell: in Japan a form marks yes
# with a circle and no with a cross, each typed as several characters by input methods and fonts.
CIRCLES = {"○", "〇", "◯", "⭕"}
CROSSES = {"×", "✕", "✖", "✗", "✘", "☓", "❌"}
YES_WORDS = {"yes", "y", "true", "1", "はい", *CIRCLES}
NO_WORDS = {"no", "n", "false", "0", "いいえ", *CROSSES}
# A delete cell: yes, a tick or the word removes the record, no or nothing keeps it. A cross is
# refused there: it may mean the row is crossed out, to be removed.
DELETE_WORDS = YES_WORDS | {"x", "delete", "削除"}
KEEP_WORDS = (NO_WORDS - CROSSES) | {""}


def _text(value):
    """A cell as text as it was typed (a workbook's date as 2023-07-14), without the spaces
    around it: what is looked up, stored, and quoted when refused."""
    return as_text(value).strip()


def refuse_excel_error(value):
    """Refuse a cell holding the error of a formula Excel could not work out (#REF!, #N/A)."""
    error = excel_error(value)
    if error is not None:
        raise ValueError(
            _(
                "the cell holds Excel's error %s, left by a formula it could not work out: type "
                "the value itself"
            )
            % error
        )


# The encodings other than UTF-8 an import reads (`importing.decoded`), as staff know them.
ENCODING_NAMES = {
    "cp932": "Shift_JIS (CP932)",
    "iso2022_jp": "ISO-2022-JP",
    "iso2022_jp_ext": "ISO-2022-JP",
    "iso2022_jp_2004": "ISO-2022-JP",
}


def refuse_lost_characters(stored, cell, encoding):
    """Refuse a cell that is the `stored` value with the characters `encoding` cannot hold
    replaced, as Excel's Shift_JIS CSV writes ? for ế: imported, it would overwrite them."""
    lost = isinstance(stored, str) and lost_characters(stored, with_lf(cell.strip()), encoding)
    if not lost:
        return
    # A combining mark (a Vietnamese accent typed apart) shown on the circle that stands for
    # its letter.
    shown = ("◌" + c if unicodedata.combining(c) else c for c in lost)
    raise ValueError(
        _(
            "the file was saved in %(encoding)s, which cannot hold “%(characters)s” of the stored "
            "value: they became other characters, and importing the cell would overwrite them. "
            "Save the file as “CSV UTF-8 (comma delimited)” and upload it again"
        )
        % {
            "encoding": ENCODING_NAMES.get(encoding, encoding),
            "characters": visible(pgettext("list separator", ", ").join(shown)),
        }
    )


def refuse_garbled(stored, cell, encoding):
    """Refuse a cell where "?" stands for characters `encoding` cannot hold (`garbled`), as
    Excel's Shift_JIS CSV writes “L?p h?c” for “Lớp học” in a new or edited cell."""
    shown = garbled(with_lf(cell.strip()), stored)
    if not shown:
        return
    raise ValueError(
        _(
            "the file shows “%(text)s”: it was saved in %(encoding)s, which cannot hold some "
            "characters of the text, so ? was written in their place. Save the file as “CSV "
            "UTF-8 (comma delimited)” and upload it again, or import it without this text and "
            "correct the text in the admin"
        )
        % {"text": quoted(shown), "encoding": ENCODING_NAMES.get(encoding, encoding)}
    )


def refuse_lost_text(stored, cell, encoding):
    """Refuse a cell of a file saved in `encoding` that lost characters of its text: the
    `stored` value with them replaced, or "?" standing for them in new text."""
    refuse_lost_characters(stored, cell, encoding)
    # A web address's cell starts with http(s)://, which `garbled` reads past as an address.
    refuse_garbled(stored, cell, encoding)


class CityCodeWidget(widgets.ForeignKeyWidget):
    """A city by its local government code, refused when the importing user may not edit it."""

    def __init__(self):
        super().__init__(City, "code")
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
                raise ValueError(_("you may not edit the city with code %s") % quoted(code))
            raise ValueError(
                _(
                    "no city has the local government code %s: expected the six-digit code of a "
                    "city in the directory, e.g. 012025"
                )
                % quoted(code)
            )
        return city


class WordsWidget(widgets.Widget):
    """A widget whose exports use words: in Japanese for a Japanese file, else in English."""

    language = None


class DepartmentNameWidget(WordsWidget, widgets.ForeignKeyWidget):
    """A department by its English or Japanese name within the row's city: staff know a desk
    by the Japanese name the admin's class form shows, which a Japanese file is written with."""

    def __init__(self):
        super().__init__(Department, "name")
        self.by_key = {}

    def know(self, departments):
        """Take the departments rows may name, each by its city's code and either name."""
        self.by_key = {}
        for department in departments:
            for name in {department.name, department.name_ja} - {""}:
                self.by_key.setdefault((department.city.code, name), []).append(department)

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        code = _text(row.get("city")) if row else ""
        found = self.by_key.get((code, name), [])
        if not found:
            raise ValueError(
                _(
                    "city %(code)s has no department “%(name)s”: expected the English or "
                    "Japanese name of one of its departments, exactly as in the departments list"
                )
                % {"code": quoted(code), "name": quoted(name)}
            )
        if len(found) > 1:
            # One desk's English name is another's Japanese one (or two share a Japanese name).
            raise ValueError(
                _(
                    "city %(code)s has more than one department named “%(name)s”: %(departments)s; "
                    "write the other name of the one meant, or rename one in the departments list"
                )
                % {"code": quoted(code), "name": quoted(name), "departments": _both_names(found)}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        if value is not None and (self.language or "").startswith("ja") and value.name_ja:
            return value.name_ja
        return super().render(value, obj, **kwargs)


def _both_names(departments):
    """Departments by English and Japanese name in the user's language, e.g. `“Desk” (国際課),
    “国際課”`."""
    named = (
        _("“%(name)s” (%(name_ja)s)") % {"name": d.name, "name_ja": d.name_ja}
        if d.name_ja
        else _("“%(name)s”") % {"name": d.name}
        for d in departments
    )
    return ("、" if translation.get_language() == "ja" else ", ").join(named)


class WholeNumberWidget(widgets.Widget):
    """A whole number (position, table number): no locale's separators apply to these.

    The library's IntegerWidget formats and parses through the active locale on every cell,
    which a large import pays for on each row.
    """

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():  # a spreadsheet's 3.0
            return int(value)
        text = _text(value)
        if not text:
            return None
        if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 9:
            raise ValueError(
                _("“%s” is not a whole number: expected digits, e.g. 3") % quoted(text)
            )
        return int(text)


class RecordNumberWidget(widgets.Widget):
    """A record's own number (its primary key) as exports write it; None for an empty cell."""

    def clean(self, value, row=None, **kwargs):
        text = as_text(value).strip()
        if not text:
            return None
        # 18 digits: more than any primary key holds, and never too long for int().
        if not (text.isascii() and text.isdigit()) or len(text) > 18:
            raise ValueError(
                _(
                    "not a record number: keep the number an export wrote, or leave the cell "
                    "empty for a new record"
                )
            )
        return int(text)


class PrefectureCodeWidget(widgets.CachedForeignKeyWidget):
    """A prefecture by its two-digit code, from one query for the whole import."""

    def __init__(self):
        super().__init__(Prefecture, "code")

    def clean(self, value, row=None, **kwargs):
        code = _text(value)
        try:
            return self.get_instance_by_lookup_fields(code, row)
        except Prefecture.DoesNotExist:
            raise ValueError(
                _("no prefecture has the code “%s”: expected 01 (Hokkaido) to 47 (Okinawa)")
                % quoted(code)
            ) from None


class EmailWidget(widgets.CharWidget):
    """An e-mail address; the published `name[at]host` form is stored as `name@host`."""

    def clean(self, value, row=None, **kwargs):
        return normalize_email(super().clean(value, row, **kwargs) or "")


class TextWidget(widgets.CharWidget):
    """Text with surrounding spaces removed and line breaks as LF, empty rather than None when
    missing."""

    def clean(self, value, row=None, **kwargs):
        return with_lf(_text(value))


# --- A desk's and a class's details as staff read and type them (issue 16) ---


def _japanese(language):
    return (language or "").startswith("ja")


def _folded(value):
    """A cell as text with full-width letters, digits and signs read as the plain ones."""
    return plain_width(_text(value))


class YesNoWidget(WordsWidget):
    """A fact that may be unknown: yes or no (はい or いいえ, ○ or ×); an empty cell is not
    known."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _folded(value)
        if not text:
            return None
        if text.lower() not in YES_WORDS | NO_WORDS:
            raise ValueError(
                _(
                    "“%s” is not yes or no: write yes or no (はい or いいえ, ○ or ×), or leave "
                    "the cell empty when it is not known"
                )
                % quoted(text)
            )
        return text.lower() in YES_WORDS

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if _japanese(self.language):
            return "はい" if value else "いいえ"
        return "yes" if value else "no"


class ChoiceWidget(WordsWidget):
    """One of a field's choices, by its name in English or Japanese (or its stored value)."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices
        self._words = None

    def words(self):
        if self._words is None:
            self._words = {}
            for choice in self.choices:
                for language in ("en", "ja"):
                    with translation.override(language):
                        self._words[plain_width(str(choice.label)).lower()] = choice.value
                self._words[choice.value] = choice.value
        return self._words

    def clean(self, value, row=None, **kwargs):
        text = _folded(value)
        if not text:
            return ""
        found = self.words().get(text.lower())
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s")
                % {
                    "value": quoted(text),
                    "choices": ", ".join(str(c.label) for c in self.choices),
                }
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("ja" if _japanese(self.language) else "en"):
            return str(self.choices(value).label)


class LanguageCodesWidget(WordsWidget):
    """Languages written `en, zh, vi` or `英語、中国語`, kept as a list of codes; a Japanese file
    has their Japanese names."""

    def clean(self, value, row=None, **kwargs):
        # A JSON list's items read as cells are: a number or null is text to check, too.
        items = value if isinstance(value, list) else [value]
        text = ", ".join(_folded(item) for item in items)
        try:
            codes = spoken_languages.parse_codes(text)
        except ValueError as error:
            raise ValueError(NOT_A_LANGUAGE % {"value": quoted(error.args[0])}) from None
        return codes

    def render(self, value, obj=None, **kwargs):
        codes = value or []
        if not _japanese(self.language):
            return ", ".join(codes)
        with translation.override("ja"):
            return "、".join(spoken_languages.name_in(code) for code in codes)


class PostalCodeWidget(widgets.Widget):
    """A postal code as staff type it (〒, full-width, no hyphen), kept as NNN-NNNN."""

    def clean(self, value, row=None, **kwargs):
        text = as_text(value).strip()
        return postal_codes.normalise(text) if text else ""


# `hours.HoursError`'s reasons in the user's language.
HOURS_MESSAGES = {
    "no_times": gettext_lazy("“%(part)s” has no times: write e.g. “Mon-Fri 08:30-17:15”"),
    "no_days": gettext_lazy("“%(part)s” has no days: write e.g. “Mon-Fri 08:30-17:15”"),
    "time": gettext_lazy(
        "“%(text)s” in “%(part)s” is not a time: write it as 08:30 (or 8時30分, 午前8時半)"
    ),
    # A time alone in its cell (a class's), which is all of the part.
    "time_alone": gettext_lazy(
        "“%(text)s” is not a time: write it as 18:30 (or 18時30分, 午後6時半)"
    ),
    "ambiguous": gettext_lazy(
        "“%(text)s” in “%(part)s” is read as noon by some and midnight by others: write it as "
        "12:00 for noon or 0:00 for midnight"
    ),
    "ambiguous_alone": gettext_lazy(
        "“%(text)s” is read as noon by some and midnight by others: write it as 12:00 for noon "
        "or 0:00 for midnight"
    ),
    "day": gettext_lazy(
        "“%(text)s” in “%(part)s” is not a day or a range of days: write days as %(days)s "
        "(or 月 to 日, 平日, 土日), e.g. Mon-Fri or 月～金"
    ),
    "backwards": gettext_lazy("“%(text)s” in “%(part)s” runs backwards: write e.g. Mon-Fri"),
    # A cell of days alone (a class's), which is all of the part.
    "day_alone": gettext_lazy(
        "“%(text)s” is not a day or a range of days: write days as %(days)s (or 月 to 日, 平日, "
        "土日), e.g. Mon-Fri or 月～金"
    ),
    # Holidays among the days (土日祝, 平日(祝日を除く)): for the note column, `note`.
    "holiday": gettext_lazy(
        "“%(text)s” in “%(part)s” names holidays, which days of the week cannot hold: write the "
        "days without them (e.g. 平日 or 月～金) and anything about holidays in the column "
        "“%(note)s”"
    ),
    "holiday_alone": gettext_lazy(
        "“%(text)s” names holidays, which days of the week cannot hold: write the days without "
        "them (e.g. 平日 or 月～金) and anything about holidays in the column “%(note)s”"
    ),
    # A day of the month among the days (第2土曜, 毎月第2土曜): for the note column too.
    "monthly": gettext_lazy(
        "“%(text)s” in “%(part)s” is a day of the month, which days of the week cannot hold: "
        "write only the days of every week here and the monthly day in the column “%(note)s”"
    ),
    "monthly_alone": gettext_lazy(
        "“%(text)s” is a day of the month, which days of the week cannot hold: write only the "
        "days of every week here and the monthly day in the column “%(note)s”"
    ),
    "backwards_alone": gettext_lazy("“%(text)s” runs backwards: write e.g. Mon-Fri"),
    "span": gettext_lazy(
        "“%(text)s” in “%(part)s” is not opening and closing times: write e.g. 08:30-17:15"
    ),
    "closes_first": gettext_lazy("“%(text)s” in “%(part)s” closes before it opens"),
    "overlap": gettext_lazy("%(day)s has overlapping times: %(first)s and %(second)s"),
}


def hours_message(error, note=("departments", "hours_note")):
    """What is wrong in hours or days (`hours.HoursError`), in the user's language: a day is
    named as the admin's day choices name it (月曜日, or Monday), and holidays and days of the
    month are sent to the `note` column (import kind, column key), named by both its headers."""
    reason = error.reason
    if error.params.get("text") == error.params.get("part") and f"{reason}_alone" in HOURS_MESSAGES:
        reason = f"{reason}_alone"
    params = error.params | {"note": both_headers(column_of(*note))}
    params |= {name: quoted(params[name]) for name in ("text", "part") if name in params}
    if "weekday" in params:
        params = params | {"day": Weekday(params["weekday"]).label}
    return str(HOURS_MESSAGES[reason] % params)


class HoursWidget(WordsWidget):
    """A desk's weekly hours in `hours.parse`'s compact form, e.g. `Mon-Fri 08:30-17:15`, or
    `月～金 08:30～17:15` in a Japanese file."""

    def clean(self, value, row=None, **kwargs):
        text = _folded(value)
        try:
            return tuple(hours.parse(text))
        except hours.HoursError as error:
            raise ValueError(hours_message(error.quoting(_text(value), text))) from None

    def render(self, value, obj=None, **kwargs):
        return hours.format_hours(value or (), japanese=_japanese(self.language))


class WeekdaysWidget(WordsWidget):
    """A class's days written `Tue, Fri` (or 火、金, 火金, a range: as `hours.parse_days` reads
    them), kept as RFC 5545 codes; a Japanese file has 火、金."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, list):  # JSON from a program
            value = ", ".join(value)
        text = _folded(value)
        try:
            days = hours.parse_days(text) if text else []
        except hours.HoursError as error:
            # A class's note on its days and times is its "when (as written)" column.
            error = error.quoting(_text(value), text)
            raise ValueError(hours_message(error, ("class-links", "schedule_note"))) from None
        return [classes.WEEKDAYS[day] for day in sorted(days)]

    def render(self, value, obj=None, **kwargs):
        days = (classes.WEEKDAYS.index(day) for day in value or ())
        return hours.format_days(days, japanese=_japanese(self.language))


def _excel_serial(value, lowest, highest):
    """A workbook's number between `lowest` and `highest` as the date or time Excel counts it
    by (days since 1900, a time the day's fraction), else the value as it is.

    A cell in a format the workbook names only by its number, as Japanese Excel's 2026年4月1日
    and 9時00分 are, is read as that number; outside the range a number is anything but a date
    (2026 typed alone would be 1905) and is refused as text.
    """
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and lowest <= value < highest
    ):
        return from_excel(value)
    return value


# The serial numbers of the dates the directory holds (`dates.held`): from FIRST_DAY's to the
# one after LAST_DAY's (any time of that last day), 36526 to 73051.
DATE_SERIALS = (int(to_excel(dates.FIRST_DAY)), int(to_excel(dates.LAST_DAY)) + 1)


class TimeWidget(widgets.Widget):
    """A time of day written 18:30 (or 18時30分, or a spreadsheet's time cell)."""

    def clean(self, value, row=None, **kwargs):
        value = _excel_serial(value, 0, 1)
        if isinstance(value, datetime):
            return value.time()
        if isinstance(value, time):
            return value
        # A spreadsheet's time written out with its seconds, 18:30:00.
        text = re.sub(r"^(\d{1,2}:\d{2}):00$", r"\1", _folded(value))
        if not text:
            return None
        try:
            return hours.parse_time(text)
        except hours.HoursError as error:
            raise ValueError(hours_message(error)) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value:%H:%M}" if value else ""


# `dates.DateError`'s reasons in the user's language.
DATE_MESSAGES = {
    "date": gettext_lazy(
        "“%(text)s” is not a date: write it as 2026-04-01 (or 2026/4/1, 2026年4月1日, "
        "令和8年4月1日, R8.4.1)"
    ),
    # A date its era never had: of the era going on, or of one that ended.
    "era": gettext_lazy(
        "“%(text)s” is not a date of %(era)s, which began on %(first)s: check the era and the year"
    ),
    "era_ended": gettext_lazy(
        "“%(text)s” is not a date of %(era)s, which ran from %(first)s to %(last)s: check the "
        "era and the year"
    ),
    "weekday": gettext_lazy(
        "“%(text)s” says %(written)s, but %(date)s is a %(weekday)s: check the date and the "
        "day of the week"
    ),
}


def date_message(error):
    """What is wrong in a date (`dates.DateError`), in the user's language: dates as the
    language writes them, a weekday as the admin's day choices name it."""
    reason, params = error.reason, {"text": quoted(error.text), **error.params}
    if "era" in params:
        era = params["era"]
        reason = "era_ended" if era.last else "era"
        params |= {"era": era.names[0], "first": formats.date_format(era.first)}
        params |= {"last": formats.date_format(era.last)} if era.last else {}
    if "weekday" in params:
        params |= {"date": formats.date_format(params["date"])}
        params |= {"weekday": Weekday(params["weekday"]).label}
    return str(DATE_MESSAGES[reason] % params)


class DateWidget(widgets.Widget):
    """A date written 2026-04-01 (or as `dates.parse_date` reads it: 2026/4/1, 2026年4月1日,
    令和8年4月1日, R8.4.1, with its weekday or not), or a spreadsheet's date cell."""

    def clean(self, value, row=None, **kwargs):
        value = _excel_serial(value, *DATE_SERIALS)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _folded(value)
        if not text:
            return None
        try:
            return dates.parse_date(text)
        except dates.DateError as error:
            raise ValueError(date_message(error)) from None


class FeeWidget(widgets.Widget):
    """A class's fee in yen: digits (¥, 円 and thousands' commas allowed), 0 or “free” (無料)."""

    FREE = {"free", "無料", "0"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        text = _folded(value)
        # Shift_JIS writes ¥ as the byte of a backslash (a CP932 file reads \1,000), and the
        # input method types the full-width ￥.
        digits = text.lower().replace(",", "").lstrip("¥￥\\").removesuffix("円").strip()
        if not text:
            return None
        if digits in self.FREE:
            return 0
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
            raise ValueError(
                _(
                    "“%s” is not a fee: write the amount in yen in digits, e.g. 500, or 0 for "
                    "a free class"
                )
                % quoted(text)
            )
        return int(digits)


class PhonesWidget(WordsWidget):
    """A desk's phone numbers in one cell, in `phones.parse_phones`'s form:
    `代表: 024-924-0000; 相談: 024-924-0001 ext. 123`."""

    def clean(self, value, row=None, **kwargs):
        # Not folded here: `parse_phones` folds the numbers and keeps the labels as written.
        text = as_text(value).strip()
        try:
            found = phones.parse_phones(text)
        except phones.TwoNumbers as error:
            raise ValueError(
                _("“%s” holds two phone numbers: put “;” between them") % quoted(error.number)
            ) from None
        except phones.PhoneError as error:
            raise ValueError(
                _(
                    "“%s” is not a phone number in Japan: write it as 024-924-0000, with "
                    "“label:” before it and “ext. 123” (or 内線 123) after it if needed, and "
                    "“;” between numbers"
                )
                % quoted(error.number)
            ) from None
        for phone in found:
            # The checks of the admin's phone rows (label's length, extension's digits).
            record = DepartmentPhone(**asdict(phone))
            try:
                record.clean_fields(exclude=["department", "position"])
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
        return tuple(found)

    def render(self, value, obj=None, **kwargs):
        return phones.format_phones(value or (), "内線" if _japanese(self.language) else "ext.")


class RowsField(fields.Field):
    """A desk's phones or opening hours in one cell: its related records, read and compared as a
    tuple of values (`read`), and written after the desk is (`DepartmentResource.write_rows`)."""

    def __init__(self, attribute, widget, read):
        super().__init__(attribute, attribute, widget)
        self.read = read

    def current(self, instance):
        """What the database holds, read once per record."""
        key = f"_current_{self.attribute}"
        if key not in instance.__dict__:
            instance.__dict__[key] = tuple(self.read(instance)) if instance.pk else ()
        return instance.__dict__[key]

    def assign(self, instance, value):
        instance.__dict__[f"_new_{self.attribute}"] = tuple(value)

    def get_value(self, instance):
        if instance is None:  # a deleted record, as the preview's diff reads it
            return ()
        new = instance.__dict__.get(f"_new_{self.attribute}")
        return self.current(instance) if new is None else new

    def changed(self, instance):
        return self.get_value(instance) != self.current(instance)

    def written(self, instance):
        instance.__dict__[f"_current_{self.attribute}"] = self.get_value(instance)


def _read_phones(department):
    return (
        phones.Phone(phone.number.as_e164, phone.extension, phone.label)
        for phone in department.phones.all()
    )


def _read_hours(department):
    return (opening.period for opening in department.hours.all())


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
    """Finds existing records by natural key, or by their own number when the row gives it, from
    one query, not one query per row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.existing = resource.existing_by_key()
        self.numbered = {record.pk: record for record in self.existing.values()}

    def get_instance(self, row):
        if self.resource.current_number is not None:
            return self.numbered.get(self.resource.current_number)
        return self.existing.get(self.resource.current_key)


class DirectoryResource(resources.ModelResource):
    """What every directory resource shares: scoping, row checks, bulk writes with history."""

    # The widget of each column not declared as a field, by its model field's type.
    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,  # and so URLField, SlugField
        "TextField": TextWidget,
        "BooleanField": YesNoWidget,
        "PositiveSmallIntegerField": WholeNumberWidget,
        "TimeField": TimeWidget,
        "DateField": DateWidget,
    }

    kind = None
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
        # The row's own number of the record it names (None: named by `current_key`), its line,
        # and the line of the first row naming each record, with whether it gave the number.
        self.current_number = None
        self.current_line = None
        self.named_on = {}
        # The language of the headers an export writes; the headers an import's file used, and
        # its encoding when not UTF-8.
        self.header_language = None
        self.file_headers = {}
        self.file_encoding = None

    class Meta:
        skip_unchanged = True
        report_skipped = False
        use_bulk = True
        # Exports with related rows (a desk's phones and hours) are read a page at a time so the
        # prefetch works; a large page keeps the open data's queries few as the directory grows.
        chunk_size = 5000
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

    def set_words_language(self):
        """Exports write yes/no and choices in the headers' language (an import's file's, for its
        preview)."""
        language = self.header_language
        if not language and any(used != key for key, used in self.file_headers.items()):
            language = "ja"
        for field in self.fields.values():
            if isinstance(field.widget, WordsWidget):
                field.widget.language = language

    def before_export(self, queryset, **kwargs):
        super().before_export(queryset, **kwargs)
        self.set_words_language()

    def get_diff_headers(self):
        """The preview names each changed column as the file did, in its language."""
        return [self.file_headers.get(name, name) for name in super().get_diff_headers()]

    def editable(self, model):
        """The records of `model` the importing user may change (all from the command line)."""
        records = model.objects.all()
        return records.editable_by(self.user) if self.user is not None else records

    def refuse_other_cities(self, instance, row=None):
        """Refuse a row about a record of a city the user may not edit, or (`row`, a row that
        deletes and so skips the city column's own check) naming one."""
        if self.editable_ids is None:
            return
        if instance.pk is not None and instance.pk not in self.editable_ids:
            # The record was found by the row's key, whose first column is the city's code.
            message = _("you may not edit the city with code %s") % self.current_key[0]
            self.refuse(self.get_import_id_fields()[0], message)
        if row is not None and "city" in self.fields:
            try:
                self.fields["city"].widget.clean(row.get("city"), row=row)
            except ValueError as error:
                self.refuse("city", str(error))

    def refuse(self, column, message):
        """Refuse the row for `message` alone: its other cells are not checked."""
        self.refused = True
        raise ValidationError({column: [message]})

    def existing_by_key(self):
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user") or self.user
        self.set_words_language()
        self.change_reason = kwargs.get("change_reason", "")
        missing = [c for c in self.get_import_id_fields() if c not in (dataset.headers or [])]
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
            widget.allowed = {c.code: c for c in self.editable(City)}
            widget.others = set(City.objects.values_list("code", flat=True)) - set(widget.allowed)

    @staticmethod
    def line(kwargs):
        """The row's line in the file: from `lines`, each imported row's (`importing` leaves
        out emptied rows), else the row's number after a header line."""
        number = kwargs.get("row_number", 0)
        lines = kwargs.get("lines")
        return lines[number - 1] if lines else number + 1

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
                    refuse_excel_error(row[column])
                    if self.file_encoding:
                        stored = self.stored_text(instance, field)
                        refuse_lost_text(stored, row[column], self.file_encoding)
                value = field.widget.clean(row[column], row=row, **kwargs)
            except ValidationError as error:
                errors[field.attribute] = error
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
            else:
                if isinstance(field, RowsField):
                    field.assign(instance, value)
                else:
                    setattr(instance, field.attribute, value)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def stored_text(instance, field):
        """A field's stored value as an export wrote it (text as it is, a desk's phones in a
        cell), before the row replaces it; "" for a new record."""
        if instance.pk is None:
            return ""
        stored = getattr(instance, field.attribute, None)
        return stored if isinstance(stored, str) else field.export(instance)

    def for_delete(self, row, instance):
        text = _folded(row.get("delete"))
        if text.lower() not in DELETE_WORDS | KEEP_WORDS:
            # Anything else would keep the record while the clerk believes it gone.
            message = _(
                "“%s” is not yes: write yes (or はい) to remove the record, or leave the cell "
                "empty to keep it"
            )
            raise ValidationError({"delete": message % quoted(text)})
        wanted = text.lower() in DELETE_WORDS
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
        self.current_key = tuple(_text(row.get(column)) for column in self.get_import_id_fields())
        self.current_number = None
        self.current_line = self.line(kwargs)

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
            errors.setdefault(self.get_import_id_fields()[-1], []).append(
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
        if using_transactions or not dry_run:
            write = partial(bulk_create_with_history, batch_size=batch_size)
            self.write_with_history(write, self.create_instances, raise_errors, result)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if using_transactions or not dry_run:
            attributes = self.get_bulk_update_fields()
            write = partial(bulk_update_with_history, fields=attributes, batch_size=batch_size)
            self.write_with_history(write, self.update_instances, raise_errors, result)
        self.update_instances.clear()

    def write_with_history(self, write, instances, raise_errors, result):
        """Write records in bulk with their history (`write`), then their related rows."""
        if not instances:
            return
        try:
            write(
                instances,
                self._meta.model,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
            self.write_rows(instances)
        except Exception as error:  # noqa: BLE001 - reported on the result, as upstream does
            self.handle_import_error(result, error, raise_errors)

    def write_rows(self, instances):
        """Write the related records (a desk's phones and hours) of records just written."""

    def get_bulk_update_fields(self):
        # The imported attributes but the key's first column (the code; a record's city, never
        # changed by a row) and a desk's phones and hours (`write_rows`). The rest of the key
        # changes when a row that gives a record's number renames it.
        fixed = self.get_import_id_fields()[0]
        return [
            field.attribute
            for field in self.get_import_fields()
            if not isinstance(field, RowsField) and field.column_name != fixed
        ]

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            directory_changed.send(sender=self._meta.model)

    def get_queryset(self):
        return self.editable(self._meta.model)


class CityResource(DirectoryResource):
    prefecture = fields.Field("prefecture", "prefecture", PrefectureCodeWidget())

    prefecture_name = fields.Field("prefecture__name", "prefecture_name", readonly=True)
    prefecture_name_ja = fields.Field("prefecture__name_ja", "prefecture_name_ja", readonly=True)

    kind = "cities"
    validate_unique_per_row = True

    class Meta(DirectoryResource.Meta):
        model = City
        import_id_fields = ["code"]
        fields = [column.key for column in COLUMNS["cities"]]

    def existing_by_key(self):
        return {(c.code,): c for c in City.objects.select_related("prefecture")}

    def get_queryset(self):
        return super().get_queryset().select_related("prefecture")

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
            prefecture = instance.prefecture.name if instance.prefecture_id else ""
            instance.slug = city_slug(instance.name, prefecture, self.slugs)
        self.slugs.add(instance.slug)

    @staticmethod
    def identity(city):
        """What a city editor may not change of a city (the code is the row's key), as written."""
        return {
            # Empty where a bad row left it unset.
            "prefecture": city.prefecture.code if city.prefecture_id else "",
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


class CityRecordResource(DirectoryResource):
    """A city's records (desks, class links): named by the city's code, with its names beside."""

    city = fields.Field("city", "city", CityCodeWidget())
    city_name = fields.Field("city__name", "city_name", readonly=True)
    city_name_ja = fields.Field("city__name_ja", "city_name_ja", readonly=True)
    prefecture_name = fields.Field("city__prefecture__name", "prefecture_name", readonly=True)
    prefecture_name_ja = fields.Field(
        "city__prefecture__name_ja", "prefecture_name_ja", readonly=True
    )

    # Exported for the import to name the record by: never assigned from a row (`get_instance`).
    id = fields.Field("id", "id", RecordNumberWidget(), readonly=True)

    def get_queryset(self):
        return super().get_queryset().select_related("city__prefecture")

    def get_instance(self, instance_loader, row):
        """The record the row names, by its number when the row gives one, else by its natural
        key; refused when another row names the same record in the other way or by the same
        number."""
        self.current_number = self.record_number(row)
        instance = super().get_instance(instance_loader, row)
        if self.current_number is not None:
            self.check_numbered(instance, instance_loader.existing)
        if instance is not None:
            self.check_named_once(instance)
        return instance

    def record_number(self, row):
        """The number in the row's `id` cell, or None when it has none."""
        value = row.get("id")
        try:
            if isinstance(value, str):
                # As `assign_fields` does: no NUL for a lookup, no escape echoed to a terminal.
                validate_multi_line_text(value)
            return self.fields["id"].widget.clean(value)
        except ValidationError as error:
            self.refuse("id", " ".join(error.messages))
        except ValueError as error:
            self.refuse("id", str(error))

    def check_numbered(self, instance, existing):
        """Refuse a number of no record the user may edit (alike, so as to tell nothing of other
        cities), of a record of another city than the row's, or renaming a record to the key
        of another."""
        model = self._meta.model._meta.verbose_name
        number = self.current_number
        if instance is None or (
            self.editable_ids is not None and instance.pk not in self.editable_ids
        ):
            message = _(
                "no %(model)s has the number %(number)s: keep the number an export wrote, or "
                "leave the cell empty for a new record"
            )
            self.refuse("id", message % {"model": model, "number": number})
        code = self.current_key[0]
        if instance.city.code != code:
            message = _(
                "%(model)s number %(number)s is a record of city %(city)s, not of “%(code)s”: a "
                "record cannot move to another city"
            )
            values = {"model": model, "number": number, "city": instance.city.code, "code": code}
            self.refuse("id", message % values)
        other = existing.get(self.current_key)
        if other is not None and other.pk != instance.pk:
            message = _(
                "%(key)s already names another %(model)s (number %(number)s): two of a city's "
                "records cannot share it"
            )
            values = {"key": " / ".join(self.current_key), "model": model, "number": other.pk}
            self.refuse(self.get_import_id_fields()[-1], message % values)

    def check_named_once(self, instance):
        """Refuse a second row naming the same record when either row gives its number (two
        rows of the same natural key are refused by `import_instance`)."""
        numbered = self.current_number is not None
        line, first_numbered = self.named_on.setdefault(instance.pk, (self.current_line, numbered))
        if line == self.current_line or not (numbered or first_numbered):
            return
        values = {
            "line": line,
            "number": instance.pk,
            "model": self._meta.model._meta.verbose_name,
        }
        if numbered and first_numbered:
            self.refuse("id", _("number %(number)s is listed on line %(line)s too") % values)
        message = _(
            "line %(line)s names this %(model)s too (number %(number)s): give each record one row"
        )
        self.refuse("id" if numbered else self.get_import_id_fields()[-1], message % values)


class DepartmentResource(CityRecordResource):
    email = fields.Field("email", "email", EmailWidget())
    phones = RowsField("phones", PhonesWidget(), _read_phones)
    postal_code = fields.Field("postal_code", "postal_code", PostalCodeWidget())
    hours = RowsField("hours", HoursWidget(), _read_hours)
    languages = fields.Field("languages", "languages", LanguageCodesWidget())

    kind = "departments"
    resolved_foreign_keys = ("city",)

    class Meta(CityRecordResource.Meta):
        model = Department
        import_id_fields = ["city", "name"]
        fields = [column.key for column in COLUMNS["departments"]]

    def existing_by_key(self):
        departments = Department.objects.select_related("city").prefetch_related("phones", "hours")
        existing = {}
        for department in departments:
            # Read before the import copies the record to compare against.
            self.fields["phones"].current(department)
            self.fields["hours"].current(department)
            existing[(department.city.code, department.name)] = department
        return existing

    def get_queryset(self):
        return super().get_queryset().prefetch_related("phones", "hours")

    def write_rows(self, instances):
        """Replace the phones and hours of each desk whose cell changed them, with their
        history, so that undoing the import puts the old ones back."""
        for name, build in (("phones", self._phone_records), ("hours", self._hour_records)):
            field = self.fields[name]
            changed = [instance for instance in instances if field.changed(instance)]
            if not changed:
                continue
            model = DepartmentPhone if name == "phones" else OpeningHours
            # Each removal's history row is signed with the import (importlog.signed).
            model.objects.filter(department__in=changed).delete()
            bulk_create_with_history(
                [record for desk in changed for record in build(desk, field.get_value(desk))],
                model,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
            for instance in changed:
                field.written(instance)

    @staticmethod
    def _phone_records(desk, values):
        return [
            DepartmentPhone(department=desk, position=position, **asdict(phone))
            for position, phone in enumerate(values)
        ]

    @staticmethod
    def _hour_records(desk, values):
        return [OpeningHours(department=desk, **asdict(period)) for period in values]


class ClassLinkResource(CityRecordResource):
    department = fields.Field("department", "department", DepartmentNameWidget())
    attendance = fields.Field("attendance", "attendance", ChoiceWidget(classes.Attendance))
    weekdays = fields.Field("weekdays", "weekdays", WeekdaysWidget())
    fee = fields.Field("fee", "fee", FeeWidget())
    level = fields.Field("level", "level", ChoiceWidget(classes.Level))
    audience = fields.Field("audience", "audience", ChoiceWidget(classes.Audience))
    languages = fields.Field("languages", "languages", LanguageCodesWidget())
    status = fields.Field("status", "status", ChoiceWidget(classes.Status))
    link_kind = fields.Field("link_kind", "link_kind", ChoiceWidget(classes.LinkKind))

    kind = "class-links"
    resolved_foreign_keys = ("city", "department")

    class Meta(CityRecordResource.Meta):
        model = ClassLink
        import_id_fields = ["city", "url"]
        fields = [column.key for column in COLUMNS["class-links"]]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["department"].widget.know(self.editable(Department).select_related("city"))

    def existing_by_key(self):
        return {
            (link.city.code, link.url): link
            for link in ClassLink.objects.select_related("city", "department")
        }

    def get_queryset(self):
        return super().get_queryset().select_related("department")


RESOURCES = {
    "cities": CityResource,
    "departments": DepartmentResource,
    "class-links": ClassLinkResource,
}
