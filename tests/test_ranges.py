"""Ranges of days and times as the pages write them, in pieces a line breaks between."""

from datetime import time

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
