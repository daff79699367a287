"""Signals of the directory app."""

from django.dispatch import Signal

# Sent after a bulk change (loader, import) that bypasses per-row model signals.
directory_changed = Signal()
