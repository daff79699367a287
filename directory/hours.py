"""Opening hours as weekly times: the compact text staff type, and whether a desk is open now.

Plain Python (no Django), so the import, the admin and the pages share one reading of the text.
Days are numbered as `date.weekday()` counts them: Monday 0 to Sunday 6.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import groupby, pairwise
from zoneinfo import ZoneInfo

import jpholiday

TOKYO = ZoneInfo("Asia/Tokyo")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Japanese staff write days as 月 to 日, or 月曜日 as the admin's day choices name them, or 月曜;
# read alike, written back as 月 to 日 in a Japanese file.
DAY_NAMES_JA = ("月", "火", "水", "木", "金", "土", "日")
_DAYS = {name.lower(): number for number, name in enumerate(DAY_NAMES)} | {
    name + suffix: number
    for number, name in enumerate(DAY_NAMES_JA)
    for suffix in ("", "曜", "曜日")
}
# Words for several days: 平日 (weekdays) is Monday to Friday; national holidays are closed
# in any case (`status`).
_DAY_RANGES = {"平日": (0, 4)}
# Holidays are no day of the week (祝, 祝日, 祝祭日, 祝日を除く, and the older 祭日): refused, for
# the desk's note to say; a desk is shown closed on national holidays in any case (`status`).
_HOLIDAY = re.compile(r"[祝祭][^\s,;()（）-]*")
# Nor is a day of the month (第2土曜, 第1・第3日曜, 第2・4土曜日, 毎月第二土曜): weekly periods
# cannot hold "the 2nd Saturday". Refused whole, with its day's name, for the note to say.
_MONTHLY = re.compile(r"(?:毎月)?第[\d一二三四五]+(?:,第?[\d一二三四五]+)*[^\s\d,;()（）-]*")
# What days of the week cannot hold, by the reason it is refused with (`_refuse_not_weekly`).
_NOT_WEEKLY = {"holiday": _HOLIDAY, "monthly": _MONTHLY}
# Single days a Japanese hand runs together, 土日 or 月水金 (or 土日曜日): read as a list, as
# if "," stood between each two.
_RUN_TOGETHER = re.compile(f"(?<=[{''.join(DAY_NAMES_JA)}])(?=[{''.join(DAY_NAMES_JA)}])")
# Every dash a range is typed with, read as "-": ‐ – ― － 〜 ～ as Japanese input methods and
# fonts give them (− and — are how some Shift_JIS readers decode － and ―; ~ is ～ folded to
# ASCII), and ー, the long vowel mark the input method types for the same key. And "、" "・"
# "，" between days or spans, read as ",".
_DASHES = "‐–—―−－ー〜～~"
_COMMAS = "、・･，"
_PUNCTUATION = str.maketrans(dict.fromkeys(_DASHES, "-") | dict.fromkeys(_COMMAS, ","))
# A time as 08:30, or as Japanese offices write it: 9時, 9時30分, 17時半, 午前9時, 午後5時30分.
_TIME = re.compile(
    r"^(?P<half_day>午前|午後)?\s*(?P<hour>\d{1,2})"
    r"(?::(?P<minute>\d{2})|時(?:(?P<minutes>\d{1,2})分|(?P<half>半))?)$"
)
# A part's days end where its times begin: at the first digit, or 午前 or 午後, with a space
# before it or none (平日 8:30-17:15, 平日8:30-17:15); no day's name holds either.
_TIMES_BEGIN = re.compile(r"午前|午後|\d")
# 午前 and 午後 count hours 1 to 11. Their 0 and 12 are read as noon by some and as midnight by
# others (午後12時, 午前0時, and 午前0時 mixed up with 午後0時): refused, not guessed.
_AMBIGUOUS_HOURS = {0, 12}
# The New Year holidays Japan's local governments close for (the Local Autonomy Act, art. 4-2,
# and each city's ordinance on its holidays): 29 December to 3 January, as (month, day).
NEW_YEAR_HOLIDAYS = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}


@dataclass(frozen=True, order=True)
class Period:
    """One day's opening: `weekday` (0 = Monday) from `opens` to `closes`."""

    weekday: int
    opens: time
    closes: time


# What is wrong, by reason; a caller words it in the user's language from `reason` and `params`.
MESSAGES = {
    "no_times": '"{part}" has no times: write e.g. "Mon-Fri 08:30-17:15".',
    "no_days": '"{part}" has no days: write e.g. "Mon-Fri 08:30-17:15".',
    "time": '"{text}" in "{part}" is not a time: write it as 08:30.',
    "ambiguous": '"{text}" in "{part}" may be noon or midnight: write 12:00 or 0:00.',
    "day": '"{text}" in "{part}" is not a day or a range of days: write days as {days} (or 月 to '
    "日, 平日, 土日), e.g. Mon-Fri.",
    "holiday": '"{text}" in "{part}" names holidays, which days of the week cannot hold: write '
    "the days without them, and holidays in a note.",
    "monthly": '"{text}" in "{part}" is a day of the month, which days of the week cannot hold: '
    "write the days of every week without it, and the monthly day in a note.",
    "backwards": '"{text}" in "{part}" runs backwards: write e.g. Mon-Fri.',
    "span": '"{text}" in "{part}" is not opening and closing times: write e.g. 08:30-17:15.',
    "closes_first": '"{text}" in "{part}" closes before it opens.',
    "overlap": "{day} has overlapping times: {first} and {second}.",
}


class HoursError(ValueError):
    """Text that is not opening hours; the message names the part that is wrong."""

    def __init__(self, reason, **params):
        self.reason, self.params = reason, params
        super().__init__(MESSAGES[reason].format(**params))

    def quoting(self, written, read):
        """This error quoting `written` where it quotes `read`, the same text with characters
        read as others one for one (`_PUNCTUATION`, full-width digits): staff find in their
        cell what the message quotes (第1・第3日曜, not 第1,第3日曜)."""
        if len(written) != len(read):
            return self
        params = dict(self.params)
        for name in ("text", "part"):
            at = read.find(params[name]) if name in params else -1
            if at >= 0:
                params[name] = written[at : at + len(params[name])]
        return HoursError(self.reason, **params)


def tokyo_now():
    """The time now in Japan, where every listed desk is."""
    return datetime.now(TOKYO)


def parse_time(text, part=None):
    """A time of day written 08:30 (or 8:30, 8時30分, 午後5時半); raises `HoursError` naming it
    (in `part`)."""
    text = text.strip()
    found = _TIME.match(text)
    if not found:
        raise HoursError("time", text=text, part=part or text)
    hour, half_day = int(found["hour"]), found["half_day"]
    minute = 30 if found["half"] else int(found["minute"] or found["minutes"] or 0)
    if half_day and hour in _AMBIGUOUS_HOURS:
        raise HoursError("ambiguous", text=text, part=part or text)
    if hour > (11 if half_day else 23) or minute > 59:
        raise HoursError("time", text=text, part=part or text)
    return time(hour + 12 if half_day == "午後" else hour, minute)


def split_span(text):
    """The two ends of a span typed in one box ("8:30-17:15", "8:30～17:15" in plain width), as
    written; None for anything else."""
    ends = [end.strip() for end in text.translate(_PUNCTUATION).split("-")]
    return tuple(ends) if len(ends) == 2 and all(ends) else None


def day_number(name):
    """The number (0 = Monday) of a day written Mon, 月, 月曜 or 月曜日; None for anything else."""
    return _DAYS.get(name.strip().lower())


def parse_days(text):
    """Day numbers (0 = Monday) from days and ranges such as `Mon-Wed, Fri`, `月～金`, `平日`,
    `土日`, `月水金` or `月曜日、木曜日`, in the order written; raises `HoursError` naming the bad
    one as written."""
    read = text.translate(_PUNCTUATION)
    try:
        return _parse_days(read, read.strip())
    except HoursError as error:
        raise error.quoting(text, read) from None


def _parse_days(text, part):
    _refuse_not_weekly(text, part)
    days = []
    for piece in _day_pieces(text):
        ends = [end.strip().lower() for end in piece.split("-")]
        if ends[0] in _DAY_RANGES and len(ends) == 1:
            first, last = _DAY_RANGES[ends[0]]
        elif len(ends) > 2 or any(day_number(end) is None for end in ends):
            raise HoursError("day", text=piece.strip(), part=part, days=", ".join(DAY_NAMES))
        else:
            first, last = day_number(ends[0]), day_number(ends[-1])
        if last < first:
            raise HoursError("backwards", text=piece.strip(), part=part)
        days.extend(day for day in range(first, last + 1) if day not in days)
    return days


def _refuse_not_weekly(text, part):
    """Raise `HoursError` naming a holiday (土日祝, 平日(祝日を除く)) or a day of the month
    (第2土曜) written among days: `_NOT_WEEKLY`, for the note."""
    for reason, pattern in _NOT_WEEKLY.items():
        found = pattern.search(text)
        if found:
            raise HoursError(reason, text=found[0], part=part)


def _day_pieces(text):
    """The days and ranges of days in `text`, separated by commas or spaces, or run together
    (土日); the ends of a range may have spaces beside the dash."""
    text = _RUN_TOGETHER.sub(",", re.sub(r"\s*-\s*", "-", text.strip()))
    return re.split(r"\s*,\s*|\s+", text)


def format_days(days, japanese=False):
    """Day numbers as `parse_days` reads them, e.g. [1, 4] -> `Tue, Fri`, or `火、金`."""
    names, comma = (DAY_NAMES_JA, "、") if japanese else (DAY_NAMES, ", ")
    return comma.join(names[day] for day in sorted(days))


def parse(text):
    """Periods from text such as `Mon-Fri 08:30-17:15; Sat 09:00-12:00` (days sorted).

    Parts are separated by ";", a part's days from its times by a space or nothing (平日8:30-17:15),
    its times by "," (or "、"); a range's dash may be any of `_DASHES` (月～金 8:30～17:15); raises
    `HoursError` naming the bad part as written.
    """
    read = text.translate(_PUNCTUATION)
    try:
        return _parse(read)
    except HoursError as error:
        raise error.quoting(text, read) from None


def _parse(text):
    periods = set()
    for part in (part.strip() for part in text.split(";")):
        if not part:
            continue
        # Before the times are looked for: 祝日 休み has none, but its fault is the holiday; and
        # 第2土曜's digit would be read as its times' beginning.
        _refuse_not_weekly(part, part)
        days, times = _days_and_times(part)
        if not times:
            raise HoursError("no_times", part=part)
        if not days:
            raise HoursError("no_days", part=part)
        weekdays = _parse_days(days, part)
        for span in times.split(","):
            ends = span.split("-")
            if len(ends) != 2:
                raise HoursError("span", text=span.strip(), part=part)
            opens, closes = (parse_time(end, part) for end in ends)
            if closes <= opens:
                raise HoursError("closes_first", text=span.strip(), part=part)
            periods.update(Period(day, opens, closes) for day in weekdays)
    return without_overlaps(periods)


def _days_and_times(part):
    """A part's days and its times, split where the times begin (`_TIMES_BEGIN`)."""
    found = _TIMES_BEGIN.search(part)
    if found is None:
        return part, ""
    return part[: found.start()].strip(), part[found.start() :].strip()


def without_overlaps(periods):
    """The periods sorted; raises `HoursError` naming the first two of one day that overlap
    (the same period twice among them)."""
    ordered = sorted(periods)
    for before, after in pairwise(ordered):
        if before.weekday == after.weekday and after.opens < before.closes:
            raise HoursError(
                "overlap",
                weekday=before.weekday,  # for a caller to name the day in the user's language
                day=DAY_NAMES[before.weekday],
                first=f"{before.opens:%H:%M}-{before.closes:%H:%M}",
                second=f"{after.opens:%H:%M}-{after.closes:%H:%M}",
            )
    return ordered


def grouped(periods):
    """[(first day, last day, [(opens, closes)])]: consecutive days with the same times joined."""
    groups = []
    for day, day_periods in groupby(sorted(periods), key=lambda period: period.weekday):
        times = [(period.opens, period.closes) for period in day_periods]
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == times:
            groups[-1] = (groups[-1][0], day, times)
        else:
            groups.append((day, day, times))
    return groups


def format_hours(periods, japanese=False):
    """The compact text `parse` reads, e.g. `Mon-Fri 08:30-17:15; Sat 09:00-12:00`, or
    `月～金 08:30～17:15; 土 09:00～12:00` (a dash Shift_JIS has)."""
    names, dash, comma = (DAY_NAMES_JA, "～", "、") if japanese else (DAY_NAMES, "-", ",")
    parts = []
    for first, last, times in grouped(periods):
        days = names[first] if first == last else f"{names[first]}{dash}{names[last]}"
        spans = comma.join(f"{opens:%H:%M}{dash}{closes:%H:%M}" for opens, closes in times)
        parts.append(f"{days} {spans}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Status:
    """Where a desk stands at one moment.

    `open_now` with `closes` (today's time); otherwise `opens` is the next opening as a date and
    time within a week, or None. `holiday` names today's national holiday, if any.
    """

    open_now: bool
    closes: time | None = None
    opens: datetime | None = None
    holiday: str | None = None
    closed_today: bool = False
    new_year: bool = False


def is_new_year_holiday(day):
    """Whether a date falls in the New Year holidays (29 December to 3 January)."""
    return (day.month, day.day) in NEW_YEAR_HOLIDAYS


def _day_periods(periods, day):
    # jpholiday counts substitute holidays too.
    if jpholiday.is_holiday(day) or is_new_year_holiday(day):
        return []
    return [period for period in periods if period.weekday == day.weekday()]


def status(periods, now=None):
    """The desk's `Status` at `now` (default: now), in Tokyo time, closed on national holidays
    and the New Year holidays."""
    now = (now or tokyo_now()).astimezone(TOKYO)
    today = now.date()
    clock = now.time().replace(tzinfo=None)
    periods = list(periods)
    todays = _day_periods(periods, today)
    holiday = jpholiday.is_holiday_name(today)
    new_year = is_new_year_holiday(today)
    for period in todays:
        if period.opens <= clock < period.closes:
            return Status(open_now=True, closes=period.closes, holiday=holiday)
    closed = {"holiday": holiday, "closed_today": not todays, "new_year": new_year}
    # Three weeks ahead: a desk open one day a week may miss two of them, as a Wednesday desk
    # does from 23 December to 6 January, or over Golden Week when 29 April and 6 May are
    # holidays.
    for ahead in range(21):
        day = today + timedelta(days=ahead)
        # Today's periods count only when they open later.
        upcoming = [
            period for period in _day_periods(periods, day) if ahead or clock < period.opens
        ]
        if upcoming:
            return Status(False, opens=datetime.combine(day, upcoming[0].opens, TOKYO), **closed)
    return Status(False, **closed)
