"""Signals of the directory app, and a way to hold per-row work until a bulk write ends."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# Sent after a bulk change (loader, import) that bypasses per-row model signals.
directory_changed = Signal()

_held = ContextVar("directory_held_changes", default=None)


@contextmanager
def bulk_write(sender):
    """Hold the per-row receivers (search keys, the version token) during a block of saves and
    deletes, and send `directory_changed` once at its end if any of them ran, or if the block
    called the function it is given (for bulk writes, which send no model signals).

    Loading the published table saves every record: one refresh of the keys and the version at
    the end does the work of one after each.
    """
    held = []
    reset = _held.set(held)
    try:
        yield lambda: held.append(True)
    finally:
        _held.reset(reset)
    if held:
        directory_changed.send(sender=sender)


def held_by_bulk_write():
    """Whether a per-row receiver should leave its work to the end of `bulk_write()`."""
    held = _held.get()
    if held is None:
        return False
    held.append(True)
    return True
