"""Dates as Japanese offices write them, in the common era or a Japanese era, with or without the
weekday."""

from datetime import date

import pytest

from directory.dates import ERAS, DateError, held, parse_date


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        ("2026.4.1", date(2026, 4, 1)),
        ("2026年 4月 1日 水曜日", date(2026, 4, 1)),
        ("2026/4/1 (Wed)", date(2026, 4, 1)),
        ("令8.4.1", date(2026, 4, 1)),
        ("r08-04-01", date(2026, 4, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("H31.4.30", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
    ],
)
def test_it_reads_a_date_in_each_form_excel_and_staff_write(text, meant):
    assert parse_date(text) == meant


def test_each_era_ends_the_day_before_the_next_begins():
    assert [(era.names[0], era.first, era.last) for era in ERAS] == [
        ("昭和", date(1926, 12, 25), date(1989, 1, 7)),
        ("平成", date(1989, 1, 8), date(2019, 4, 30)),
        ("令和", date(2019, 5, 1), None),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("平成32年1月1日", "era"),
        ("平成31年5月1日", "era"),
        ("令和1年4月30日", "era"),
        ("令和0年5月1日", "era"),
        ("昭和64年1月8日", "era"),
        ("2026/4/1(木)", "weekday"),
        ("2026/4/1 頃", "date"),
        ("26/4/1", "date"),
        ("元年5月1日", "date"),
        ("X8.4.1", "date"),
        ("R8.4/1", "date"),
        ("R2026.4.1", "date"),
        ("2026-02-30", "date"),
    ],
)
def test_it_refuses_a_date_that_does_not_exist_or_cannot_be_told(text, reason):
    with pytest.raises(DateError) as error:
        parse_date(text)
    assert error.value.reason == reason


def test_the_directory_holds_the_dates_of_2000_to_2099_alone():
    assert held(date(2000, 1, 1)) and held(date(2026, 4, 1)) and held(date(2099, 12, 31))
    assert not held(date(1999, 12, 31)) and not held(date(2100, 1, 1))
