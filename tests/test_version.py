"""The directory's version as pages read it: the cache's copy, put there when a change commits,
never a token another transaction has not committed, and never stale for longer than a minute."""

import time

import pytest
from django.core.cache import cache
from django.db import transaction

from directory import version
from directory.models import Department
from tests.builders import load_prefectures, make_city, make_department


@pytest.fixture
def desk(transactional_db):
    """A city's desk, written and committed: these tests watch what a commit does."""
    load_prefectures()
    return make_department(make_city(name="Sakuradai"), name="International Exchange Section")


def test_a_page_served_from_the_cache_asks_the_database_nothing(
    client, desk, django_assert_num_queries
):
    url = desk.city.get_absolute_url()
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)

    assert again.content == first.content


def test_a_committed_edit_shows_on_the_next_request_though_the_version_is_the_caches(client, desk):
    url = desk.city.get_absolute_url()
    client.get(url)
    client.get(url)  # from the cache, under the copy of the version

    desk.name = "Multicultural Affairs Division"
    desk.save()

    assert cache.get(version.CACHE_KEY) == version.stored()
    assert b"Multicultural Affairs Division" in client.get(url).content


def test_a_version_no_one_has_committed_is_never_given_to_other_requests(client, desk):
    url = desk.city.get_absolute_url()
    before = version.current()

    with transaction.atomic():
        Department.objects.filter(pk=desk.pk).update(name="Not Saved Yet")
        version.bump()
        # A page rendered inside the change sees it, and keeps its version to itself.
        assert b"Not Saved Yet" in client.get(url).content
        assert cache.get(version.CACHE_KEY) is None
        transaction.set_rollback(True)

    assert version.current() == before
    assert b"International Exchange Section" in client.get(url).content


def test_a_copy_that_missed_a_change_is_read_again_from_the_database_within_a_minute(
    desk, monkeypatch
):
    committed = version.stored()
    # As if the cache had been out of reach when the last change committed.
    cache.set(version.CACHE_KEY, "a-token-from-before-the-change", version.COPY_SECONDS)
    assert version.current() == "a-token-from-before-the-change"

    later = time.time() + version.COPY_SECONDS + 1
    monkeypatch.setattr("time.time", lambda: later)

    assert version.current() == committed
