"""Opening hours as staff type them, and whether a desk is open at a given moment in Japan."""

from datetime import datetime, time

import pytest

from directory.hours import (
    TOKYO,
    HoursError,
    Period,
    format_days,
    format_hours,
    parse,
    parse_days,
    parse_time,
    status,
)


def at(text):
    """A moment in Tokyo, e.g. at("2026-11-30 10:00") (a Monday)."""
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


WEEK = parse("Mon-Fri 08:30-12:00,13:00-17:15; Sat 09:00-12:00")


def test_it_reads_day_ranges_single_days_and_two_spans_a_day():
    assert len(WEEK) == 11
    assert WEEK[0] == Period(0, time(8, 30), time(12, 0))
    assert WEEK[-1] == Period(5, time(9), time(12))


def test_it_writes_back_the_text_it_reads():
    text = "Mon-Fri 08:30-12:00,13:00-17:15; Sat 09:00-12:00"
    assert format_hours(WEEK) == text
    assert format_hours(parse("mon 9:00-12:00; Wed-Thu 09:00-12:00")) == (
        "Mon 09:00-12:00; Wed-Thu 09:00-12:00"
    )
    assert parse("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon-Fri", '"Mon-Fri" has no times'),
        ("08:30-17:15", '"08:30-17:15" has no days'),
        ("Mon-Fry 08:30-17:15", '"Mon-Fry" in "Mon-Fry 08:30-17:15" is not a day'),
        ("Fri-Mon 08:30-17:15", "runs backwards"),
        ("Mon 8.30-17:15", '"8.30" in "Mon 8.30-17:15" is not a time'),
        ("Mon 08:30-25:00", '"25:00" in "Mon 08:30-25:00" is not a time'),
        ("Mon 17:15-08:30", '"17:15-08:30" in "Mon 17:15-08:30" closes before it opens'),
        ("Mon 08:30", '"08:30" in "Mon 08:30" is not opening and closing times'),
        ("Mon 08:30-12:00,11:00-17:00", "Mon has overlapping times"),
    ],
)
def test_it_names_what_is_wrong_in_bad_text(text, message):
    with pytest.raises(HoursError) as error:
        parse(text)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("9時", time(9)),
        ("9時05分", time(9, 5)),
        ("17時半", time(17, 30)),
        ("午前11時59分", time(11, 59)),
        ("午後 1時", time(13)),
        ("0時", time(0)),
    ],
)
def test_it_reads_times_as_japanese_offices_write_them(text, meant):
    assert parse_time(text) == meant


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("午前0時", "ambiguous"),
        ("午前12時", "ambiguous"),
        ("午後0時30分", "ambiguous"),
        ("午後12時", "ambiguous"),
        ("午後13時", "time"),
        ("午前13時", "time"),
        ("24時", "time"),
        ("9時60分", "time"),
        ("9時間", "time"),
    ],
)
def test_it_refuses_a_time_with_no_single_meaning(text, reason):
    with pytest.raises(HoursError) as error:
        parse_time(text)
    assert error.value.reason == reason


@pytest.mark.parametrize(
    ("unspaced", "spaced"),
    [
        ("平日8:30-17:15", "平日 8:30-17:15"),
        ("月-金9:00-17:00", "月-金 9:00-17:00"),
        ("Mon-Fri08:30-17:15", "Mon-Fri 08:30-17:15"),
        ("平日午前9時-午後5時", "平日 午前9時-午後5時"),
        ("月,水9:00-12:00;土10:00-12:00", "月, 水 9:00-12:00; 土 10:00-12:00"),
    ],
)
def test_days_and_times_with_no_space_between_are_read_as_with_one(unspaced, spaced):
    assert parse(unspaced) == parse(spaced) != []


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("土日", [5, 6]),
        ("月水金", [0, 2, 4]),
        ("土日曜日", [5, 6]),
        ("月曜日水曜日", [0, 2]),
        ("平日土", [0, 1, 2, 3, 4, 5]),
        ("月～水金", [0, 1, 2, 4]),
        ("火 金", [1, 4]),
        ("火・金", [1, 4]),
    ],
)
def test_single_days_run_together_are_read_as_a_list(text, meant):
    assert parse_days(text) == meant


@pytest.mark.parametrize("dash", ["ー", "‐", "－", "―", "〜", "～", "-", "–"])
def test_every_dash_a_range_is_typed_with_reads_as_one_between_days_and_between_times(dash):
    assert parse_days(f"月{dash}金") == parse_days(f"月 {dash} 金") == [0, 1, 2, 3, 4]
    assert format_hours(parse(f"月{dash}金 8:30{dash}17:15; 土日 10:00{dash}12:00")) == (
        "Mon-Fri 08:30-17:15; Sat-Sun 10:00-12:00"
    )


@pytest.mark.parametrize(
    ("text", "reason", "named"),
    [
        ("土日祝 10:00-12:00", "holiday", "祝"),
        ("祝日 10:00-12:00", "holiday", "祝日"),
        ("平日(祝日を除く) 8:30-17:15", "holiday", "祝日を除く"),
        ("月-金 8:30-17:15; 祝日 休み", "holiday", "祝日"),
        ("日・祭日 9:00-12:00", "holiday", "祭日"),
        # A day of the month, named whole: not its 第 alone, nor its digit read as a time.
        ("第2土曜 9:00-12:00", "monthly", "第2土曜"),
        # Quoted as written (・ is read as ","): a clerk finds it in the cell.
        ("第1・第3日曜 10:00～12:00", "monthly", "第1・第3日曜"),
        ("毎月第2土曜", "monthly", "毎月第2土曜"),
        ("平日 8:30-17:15; 第2・4土曜日 9時-12時", "monthly", "第2・4土曜日"),
        ("毎月第二土曜9:00-12:00", "monthly", "毎月第二土曜"),
    ],
)
def test_days_no_week_holds_are_refused_naming_them_whole(text, reason, named):
    # Holidays and days of the month: the note column says them, not the weekly days.
    with pytest.raises(HoursError) as error:
        parse(text)
    assert (error.value.reason, error.value.params["text"]) == (reason, named)
    with pytest.raises(HoursError) as error:
        parse_days(f"土、{named}")
    assert (error.value.reason, error.value.params["text"]) == (reason, named)


def test_a_day_that_is_none_is_told_the_japanese_words_for_days():
    with pytest.raises(HoursError) as error:
        parse("毎日 9:00-17:00")
    assert "(or 月 to 日, 平日, 土日)" in str(error.value)


def test_heijitsu_is_monday_to_friday():
    assert parse_days("平日") == [0, 1, 2, 3, 4]
    assert format_hours(parse("平日 8時30分-17時15分")) == "Mon-Fri 08:30-17:15"


def test_a_desk_is_open_within_its_hours_and_says_until_when():
    found = status(WEEK, at("2026-11-30 10:00"))
    assert found.open_now and found.closes == time(12, 0)


def test_at_lunch_it_is_closed_and_opens_again_the_same_day():
    found = status(WEEK, at("2026-11-30 12:30"))
    assert not found.open_now and not found.closed_today
    assert found.opens == at("2026-11-30 13:00")


def test_after_closing_on_friday_it_opens_next_on_saturday():
    found = status(WEEK, at("2026-12-04 17:15"))
    assert not found.open_now
    assert found.opens == at("2026-12-05 09:00")


def test_on_a_sunday_it_is_closed_today_and_opens_on_monday():
    found = status(WEEK, at("2026-12-06 10:00"))
    assert found.closed_today and not found.open_now
    assert found.opens == at("2026-12-07 08:30")


def test_on_a_national_holiday_a_weekday_desk_is_closed_and_named_so():
    # 23 November 2026, Labour Thanksgiving Day, is a Monday.
    found = status(WEEK, at("2026-11-23 10:00"))
    assert not found.open_now and found.closed_today
    assert found.holiday == "勤労感謝の日"
    assert found.opens == at("2026-11-24 08:30")


@pytest.mark.parametrize("moment", ["2024-12-30 10:00", "2025-01-02 10:00", "2025-01-03 10:00"])
def test_in_the_new_year_holidays_a_weekday_desk_is_closed_and_opens_after_them(moment):
    found = status(WEEK, at(moment))
    assert not found.open_now and found.closed_today and found.new_year
    assert found.opens == at("2025-01-04 09:00")  # the Saturday after them


def test_before_the_new_year_holidays_a_desk_opens_after_them_not_on_the_29th():
    # Saturday 28 December 2024, after closing: not Monday the 30th, but Saturday 4 January.
    assert status(WEEK, at("2024-12-28 12:30")).opens == at("2025-01-04 09:00")
    # A desk open on Wednesdays alone opens on the first Wednesday after them.
    wednesdays = [Period(2, time(9), time(12))]
    assert status(wednesdays, at("2024-12-28 12:30")).opens == at("2025-01-08 09:00")


@pytest.mark.parametrize(
    ("moment", "opens"),
    [
        ("2026-12-23 17:00", "2027-01-06 10:00"),  # after the New Year holidays, 14 days on
        ("2026-04-29 10:00", "2026-05-13 10:00"),  # Showa Day, then 6 May's substitute holiday
    ],
)
def test_a_desk_open_one_day_a_week_names_its_next_opening_across_two_holidays(moment, opens):
    wednesdays = [Period(2, time(10), time(16))]
    assert status(wednesdays, at(moment)).opens == at(opens)


def test_the_time_is_taken_in_tokyo_whatever_the_clock_s_zone():
    # 01:00 UTC on Monday is 10:00 in Tokyo.
    utc = datetime.fromisoformat("2026-11-30T01:00:00+00:00")
    assert status(WEEK, utc).open_now


def test_a_desk_without_hours_never_opens():
    found = status([], at("2026-11-30 10:00"))
    assert not found.open_now and found.opens is None and found.closed_today


def test_it_reads_days_written_in_japanese_and_writes_them_back_in_english():
    assert format_hours(parse("月-金 08:30-17:15; 土 09:00-12:00")) == (
        "Mon-Fri 08:30-17:15; Sat 09:00-12:00"
    )


def test_days_alone_are_read_and_written_as_a_class_s_days_are():
    assert parse_days("Tue, fri") == [1, 4]
    assert parse_days("月-水,金") == [0, 1, 2, 4]
    assert format_days([4, 1]) == "Tue, Fri"


def test_an_error_carries_its_reason_and_the_parts_a_caller_words_it_with():
    with pytest.raises(HoursError) as error:
        parse("Mon-Fri 08:30-25:00")
    assert error.value.reason == "time"
    assert error.value.params == {"text": "25:00", "part": "Mon-Fri 08:30-25:00"}
