"""Bump the directory version on every change: row by row, or in bulk via `directory_changed`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from directory.models import City, ClassLink, Department, Prefecture
from directory.signals import directory_changed, held_by_bulk_write

from .models import bump


@receiver(directory_changed)
@receiver(post_save, sender=Prefecture)
@receiver(post_delete, sender=Prefecture)
@receiver(post_save, sender=City)
@receiver(post_delete, sender=City)
@receiver(post_save, sender=Department)
@receiver(post_delete, sender=Department)
@receiver(post_save, sender=ClassLink)
@receiver(post_delete, sender=ClassLink)
def directory_version_bump(sender, signal, **kwargs):
    # Inside a bulk write, one bump at its end (on `directory_changed`) does for every row.
    if signal is directory_changed or not held_by_bulk_write():
        bump()
