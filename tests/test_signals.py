"""A bulk write holds the per-row work (search keys, the directory's version) until its end."""

from unittest import mock

import pytest

from directory.models import City
from directory.pagecache.models import bump, current_token
from directory.search import refresh_search_keys
from directory.signals import bulk_write, directory_changed
from tests.builders import load_prefectures, load_seed, make_city


@pytest.fixture
def sent():
    """The senders of every `directory_changed` sent during the test."""
    senders = []

    def note(sender, **kwargs):
        senders.append(sender)

    directory_changed.connect(note)
    yield senders
    directory_changed.disconnect(note)


def test_loading_the_published_table_refreshes_keys_and_the_version_once(db, sent):
    with (
        mock.patch("directory.receivers.refresh_search_keys", wraps=refresh_search_keys) as keys,
        mock.patch("directory.pagecache.receivers.bump", wraps=bump) as bumps,
    ):
        load_seed()

    assert (keys.call_count, bumps.call_count, sent) == (1, 1, [City])
    assert list(City.objects.search("こおりやま").values_list("name", flat=True)) == [
        "City of Koriyama"
    ]


def test_a_save_inside_a_bulk_write_is_searchable_and_seen_once_the_write_ends(db, sent):
    load_prefectures()
    before = current_token()
    with bulk_write(sender=City):
        city = make_city(name="Sakuradai")
        assert City.objects.get(pk=city.pk).search_key == ""
        assert current_token() == before

    assert "sakuradai" in City.objects.get(pk=city.pk).search_key
    assert current_token() != before
    assert sent == [City]


def test_a_bulk_write_that_writes_nothing_sends_nothing(db, sent):
    with bulk_write(sender=City):
        pass

    assert sent == []


def test_a_bulk_write_that_fails_sends_nothing(db, sent):
    load_prefectures()
    with pytest.raises(RuntimeError), bulk_write(sender=City):
        make_city(name="Sakuradai")
        raise RuntimeError("the import stopped")

    assert sent == []
