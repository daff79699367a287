"""The page cache keeps a city page no longer than its desks' "open now" lines hold: until a desk
opens or closes, or Tokyo midnight; other pages for PAGE_CACHE_SECONDS (test_production.py)."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.test import Client

from directory import hours
from directory.models import Department, OpeningHours
from tests.builders import load_prefectures, make_city, make_department


class Clock:
    """A moment in Tokyo the test sets: the one "open now" is read by, and the cache's own."""

    def __init__(self, monkeypatch):
        self.now = None
        monkeypatch.setattr(hours, "tokyo_now", lambda: self.now)
        monkeypatch.setattr("time.time", lambda: self.now.timestamp())

    def at(self, moment):
        self.now = datetime.fromisoformat(moment).replace(tzinfo=hours.TOKYO)

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def city(db):
    load_prefectures()
    city = make_city(name="Sakuradai")
    make_department(city, name="International Exchange Section")
    return city


def office_hours(city):
    """Monday to Friday, 08:30 to 17:15, for the city's desk."""
    desk = city.departments.get()
    for weekday in range(5):
        OpeningHours.objects.create(
            department=desk, weekday=weekday, opens=time(8, 30), closes=time(17, 15)
        )


def open_state(response):
    """The desk's "open now" line as a visitor reads it."""
    found = re.search(r'<p class="open-state[^"]*">(.*?)</p>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", found[1])


def test_a_page_cached_while_a_desk_is_open_is_made_again_once_it_has_closed(
    client, city, clock, django_assert_max_num_queries
):
    office_hours(city)
    url = city.get_absolute_url()
    clock.at("2025-06-02T17:10")  # a Monday
    assert open_state(client.get(url)) == "Open now · until 17:15"

    clock.at("2025-06-02T17:14")
    with django_assert_max_num_queries(1):  # the directory's version: the page is cached
        assert open_state(client.get(url)) == "Open now · until 17:15"

    clock.at("2025-06-02T17:16")
    assert open_state(client.get(url)) == "Closed now · opens Tuesday at 08:30"


@pytest.mark.parametrize(
    ("cached_at", "read_at", "cached", "read"),
    [
        (
            "2025-06-03T08:25",
            "2025-06-03T08:31",
            "Closed now · opens today at 08:30",
            "Open now · until 17:15",
        ),
        # At Tokyo midnight "today" is another day.
        (
            "2025-06-01T23:57",
            "2025-06-02T00:01",
            "Closed today · opens Monday at 08:30",
            "Closed now · opens today at 08:30",
        ),
        # Marine Day, a Monday: a national holiday begins.
        (
            "2025-07-20T23:57",
            "2025-07-21T00:01",
            "Closed today · opens Tuesday at 08:30",
            "Closed today: national holiday · opens Tuesday at 08:30",
        ),
    ],
    ids=["opens", "midnight", "holiday"],
)
def test_a_cached_page_never_outlives_what_it_says_of_a_desk(
    client, city, clock, cached_at, read_at, cached, read
):
    office_hours(city)
    url = city.get_absolute_url()
    clock.at(cached_at)
    assert open_state(client.get(url)) == cached

    clock.at(read_at)

    assert open_state(client.get(url)) == read


def test_a_city_page_without_hours_is_kept_the_whole_page_cache_time(client, city, clock):
    url = city.get_absolute_url()
    clock.at("2025-06-02T17:10")
    client.get(url)
    Department.objects.filter(city=city).update(name="Quietly Renamed Section")

    clock.advance(settings.PAGE_CACHE_SECONDS - 1)
    assert b"International Exchange Section" in client.get(url).content

    clock.advance(2)
    assert b"Quietly Renamed Section" in client.get(url).content


def test_a_page_kept_until_a_desk_closes_still_has_browsers_ask_again_and_no_one_s_cookie(
    client, city, clock, django_assert_max_num_queries
):
    office_hours(city)
    url = city.get_absolute_url()
    clock.at("2025-06-02T17:10")
    first = client.get(url)
    assert first.cookies  # the first visitor's own language cookie
    other = Client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    with django_assert_max_num_queries(1):  # the page as cached for the first visitor
        again = other.get(url)

    assert first["Cache-Control"] == again["Cache-Control"] == "max-age=0"
    assert not again.cookies


def test_a_page_asked_for_with_a_parameter_no_page_reads_is_made_afresh_and_never_stored(
    client, city
):
    # One copy per made-up value (?fbclid=..., ?junk=...) would let anyone fill the shared cache.
    url = city.get_absolute_url()
    client.get(f"{url}?fbclid=abc")
    client.get(url)
    Department.objects.filter(city=city).update(name="Quietly Renamed Section")  # no signal

    assert b"Quietly Renamed Section" in client.get(f"{url}?fbclid=abc").content
    assert b"International Exchange Section" in client.get(url).content, "stored as ever"
    # A parameter a page reads makes a page of its own, stored as any other.
    card = f"{url}desks/{city.departments.get().pk}/staff-card/?say=learn"
    assert b"Quietly Renamed Section" in client.get(card).content
    Department.objects.filter(city=city).update(name="Renamed Again")
    assert b"Quietly Renamed Section" in client.get(card).content
