"""Dates as Japanese offices write them: 2026-04-01, 2026/4/1, 2026年4月1日, in a Japanese era
(令和8年4月1日, R8.4.1, 令和元年5月1日), and with the weekday Excel's Japanese formats print after
them (2026/4/1(水), 2026年4月1日 水曜日).

Plain Python (no Django): the import reads every date cell through `parse_date`, after folding
full-width characters (Ｒ８．４．１) to ASCII. The directory holds dates of this century alone
(`held`): the admin and the import refuse others, and a spreadsheet's number is a date only when
it counts one of them.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .hours import day_number

# The dates the directory holds: a class's status date is of this century. Outside it a date is
# a slip (1926 or 2062 for 2026), and a spreadsheet's number outside it is not a date at all.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def held(day):
    """Whether the directory holds `day`: FIRST_DAY to LAST_DAY, both included."""
    return FIRST_DAY <= day <= LAST_DAY


@dataclass(frozen=True)
class Era:
    """A Japanese era: its names as written (in full, Excel's one character and letter, the one
    square character), the day it began, and its last day (None while it goes on)."""

    names: tuple
    first: date
    last: date | None = None


# The eras a date may be written in. Each began the day after the one before it ended.
_BEGAN = (
    (("昭和", "昭", "S", "㍼"), date(1926, 12, 25)),
    (("平成", "平", "H", "㍻"), date(1989, 1, 8)),
    (("令和", "令", "R", "㋿"), date(2019, 5, 1)),
)
ERAS = tuple(
    Era(names, first, following[1] - timedelta(days=1) if following else None)
    for (names, first), following in zip(_BEGAN, (*_BEGAN[1:], None), strict=True)
)
_ERA_NAMES = {name.lower(): era for era in ERAS for name in era.names}

_DATE = re.compile(
    r"(?P<era>[^\d\s]*)\s*(?P<year>\d+|元)\s*"
    r"(?:年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"|(?P<separator>[-/.])(?P<month_>\d{1,2})(?P=separator)(?P<day_>\d{1,2}))",
    re.ASCII,
)
# A weekday after the date, as Excel's formats aaa and aaaa print it: (水), (水曜日), or 水曜日
# after a space.
_WEEKDAY = re.compile(r"(?P<date>.*?)\s*(?:\((?P<within>[^()]*)\)|\s(?P<after>\D+))")


class DateError(ValueError):
    """Text that is not a date. `reason` says why: "date" (no date), "era" (a date its era does
    not have: `era`), "weekday" (`written` is not the date's weekday, `weekday`); `date` is the
    date meant where there is one."""

    def __init__(self, reason, text, **params):
        self.reason, self.text, self.params = reason, text, params
        super().__init__(f"{text!r} is not a date ({reason})")


def parse_date(text):
    """The date in `text` (ASCII digits and signs), in any of the forms above; raises
    `DateError`."""
    text = text.strip()
    found = _WEEKDAY.fullmatch(text)
    written = found and (found["within"] or found["after"] or "").strip()
    if found and day_number(written) is None:
        raise DateError("date", text)
    meant = _read_date(found["date"] if found else text, text)
    if found and day_number(written) != meant.weekday():
        raise DateError("weekday", text, date=meant, written=written, weekday=meant.weekday())
    return meant


def _read_date(written, text):
    found = _DATE.fullmatch(written)
    if not found:
        raise DateError("date", text)
    era = _ERA_NAMES.get(found["era"].lower()) if found["era"] else None
    year = 1 if found["year"] == "元" else int(found["year"])
    month, day = (int(found[name] or found[f"{name}_"]) for name in ("month", "day"))
    # A year of the common era has four digits (26/4/1 could be any century), an era's one or
    # two; 元 (the first) is an era's.
    if era is None and (found["era"] or len(found["year"]) != 4):
        raise DateError("date", text)
    if era is not None and len(found["year"]) > 2:
        raise DateError("date", text)
    try:
        meant = date(era.first.year + year - 1 if era else year, month, day)
    except ValueError:
        raise DateError("date", text) from None
    if era is not None and not (era.first <= meant and (era.last is None or meant <= era.last)):
        raise DateError("era", text, era=era)
    return meant
