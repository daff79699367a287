"""Pieces of pages kept per process: made once per directory version, and never in development."""

from itertools import count

from django.test import override_settings

from directory.pagecache import fragments
from directory.pagecache.fragments import remembered
from directory.pagecache.models import bump

made = count(1)


def test_a_piece_is_made_once_per_directory_version(db):
    first = remembered(("test-piece",), lambda: next(made))
    assert remembered(("test-piece",), lambda: next(made)) == first
    bump()
    assert remembered(("test-piece",), lambda: next(made)) != first


@override_settings(DEBUG=True)
def test_with_debug_on_a_piece_is_made_every_time_so_template_edits_show(db):
    first = remembered(("debug-piece",), lambda: next(made))
    assert remembered(("debug-piece",), lambda: next(made)) != first


def test_when_the_store_is_full_the_least_recently_used_piece_goes(db, monkeypatch):
    monkeypatch.setattr("directory.pagecache.fragments.LIMIT", 5)
    monkeypatch.setattr("directory.pagecache.fragments._pieces", type(fragments._pieces)())
    hot = remembered(("hot",), lambda: next(made))
    for card in range(20):
        remembered(("card", card), lambda: next(made))
        assert remembered(("hot",), lambda: next(made)) == hot
    assert len(fragments._pieces) == 5
    latest = remembered(("card", 19), lambda: next(made))
    assert remembered(("card", 19), lambda: next(made)) == latest
    first = remembered(("card", 0), lambda: next(made))
    assert first > latest  # made again: it had gone
