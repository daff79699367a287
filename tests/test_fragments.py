"""Pieces of pages kept per process: made once per directory version, and never in development."""

from itertools import count

from django.test import override_settings

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
