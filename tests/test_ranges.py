"""Ranges of days and times as the pages write them, in pieces a line breaks between."""

from datetime import time

import pytest
from django.utils import translation

from directory import ranges


def test_a_range_of_days_keeps_its_dash_with_the_first_day():
    assert ranges.days("Monday", "Friday") == ["Monday – ", "Friday"]


def test_a_range_of_times_reads_opening_dash_closing():
    assert ranges.times(time(8, 30), time(17, 15)) == "08:30–17:15"


def test_each_piece_is_one_box_and_the_space_after_it_stays_between_the_boxes():
    html = ranges.unbroken(["Thứ Hai – ", "Thứ Sáu"])
    assert html == '<span class="unit">Thứ Hai –</span> <span class="unit">Thứ Sáu</span>'


def test_a_piece_is_escaped():
    assert ranges.unbroken(["<b>"]) == '<span class="unit">&lt;b&gt;</span>'


def test_a_unit_keeps_the_closing_punctuation_after_it_so_no_line_starts_with_it():
    html = ranges.with_units("(Monday – Friday), 9:00", ["Friday", "9:00"])
    assert html == '(Monday – <span class="unit">Friday),</span> <span class="unit">9:00</span>'
    assert ranges.with_units("英語、中国語。", ["英語", "中国語"]) == (
        '<span class="unit">英語、</span><span class="unit">中国語。</span>'
    )


def test_the_text_around_units_is_escaped_and_a_unit_not_in_it_is_left_out():
    html = ranges.with_units("<b> & Tiếng Việt", ["Tiếng Việt", "English"])
    assert html == '&lt;b&gt; &amp; <span class="unit">Tiếng Việt</span>'


@pytest.mark.parametrize(
    ("language", "days", "times"),
    [
        ("en", ["Mon – ", "Fri"], "08:30–17:15"),
        # Japanese writes a range with ～, as staff do in the desks' notes (12月29日～1月3日).
        ("ja", ["Mon～", "Fri"], "08:30～17:15"),
        ("ja-easy", ["Mon～", "Fri"], "08:30～17:15"),
        ("ko", ["Mon ~ ", "Fri"], "08:30 ~ 17:15"),  # CLDR's Korean range
        ("vi", ["Mon – ", "Fri"], "08:30–17:15"),
    ],
)
def test_a_range_is_written_as_the_page_s_language_writes_one(language, days, times):
    with translation.override(language):
        assert ranges.days("Mon", "Fri") == days
        assert ranges.times(time(8, 30), time(17, 15)) == times
