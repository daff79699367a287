"""What changes the directory's version: a bulk write once at its end, and a deploy's migrate."""

from unittest import mock

import pytest
from django.core.management import call_command

from directory.models import City
from directory.search import refresh_search_keys
from directory.signals import bulk_write, directory_changed
from directory.version import bump, current
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
        mock.patch("directory.version.bump", wraps=bump) as bumps,
    ):
        load_seed()

    assert (keys.call_count, bumps.call_count, sent) == (1, 1, [City])
    assert list(City.objects.search("こおりやま").values_list("name", flat=True)) == [
        "City of Koriyama"
    ]


def test_a_save_inside_a_bulk_write_is_searchable_and_seen_once_the_write_ends(db, sent):
    load_prefectures()
    sent.clear()  # loading the prefectures is a bulk write of its own
    before = current()
    with bulk_write(sender=City):
        city = make_city(name="Sakuradai")
        assert City.objects.get(pk=city.pk).search_key == ""
        assert current() == before

    assert "sakuradai" in City.objects.get(pk=city.pk).search_key
    assert current() != before
    assert sent == [City]


def test_a_bulk_write_that_writes_nothing_sends_nothing(db, sent):
    with bulk_write(sender=City):
        pass

    assert sent == []


def test_a_bulk_write_that_fails_sends_nothing(db, sent):
    load_prefectures()
    sent.clear()  # loading the prefectures is a bulk write of its own
    with pytest.raises(RuntimeError), bulk_write(sender=City):
        make_city(name="Sakuradai")
        raise RuntimeError("the import stopped")

    assert sent == []


def test_a_deploys_migrate_gives_the_directory_a_new_version(db):
    """Pages cached by the release before, rendered from its templates, are not served after."""
    before = current()

    call_command("migrate", verbosity=0)

    assert current() != before
