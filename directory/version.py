"""The directory's version: a token in the database that every change replaces.

It changes in the same transaction as the data, so no node sees a new token before the change is
committed, and every worker and node reads the same one. Cached pages and pieces of pages are keyed
by it (`directory.page_cache`, `{% cache %}`), so none is used after a change, and nothing needs
purging.

Pages read a copy of it in the cache, put there when the change commits, so that a page served
from the cache asks the database nothing. A copy missing (a cache emptied or restarted) is read
again from the database; a copy that missed a change (the cache unreachable just as it committed)
lasts COPY_SECONDS at most.
"""

import secrets

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .signals import directory_changed, held_by_bulk_write

ROW = 1
CACHE_KEY = "directory-version"
COPY_SECONDS = 60


def new_token():
    """A random token: one never seen before cannot match anything cached."""
    return secrets.token_hex(16)


class DirectoryVersion(models.Model):
    """The one row naming the directory's current state."""

    token = models.CharField(max_length=32, default=new_token)

    class Meta:
        app_label = "directory"

    def __str__(self):
        return self.token


def current():
    """The directory's token: the cache's copy, or the database's when the cache has none."""
    token = cache.get(CACHE_KEY)
    if token is None:
        token = stored()
        # Only a token read outside a transaction is known to be committed. `add`, never `set`:
        # a change committed since this read has put its own.
        if not connection.in_atomic_block:
            cache.add(CACHE_KEY, token, COPY_SECONDS)
    return token


def stored():
    """The token of the directory as this transaction sees it (made on first use)."""
    return DirectoryVersion.objects.get_or_create(pk=ROW)[0].token


def bump():
    """Give the directory a new token, so every node renders its pages afresh."""
    token = new_token()
    DirectoryVersion.objects.update_or_create(pk=ROW, defaults={"token": token})
    # The copy goes at once, so the token is read from the database (where this transaction sees
    # its own) until the commit puts the new one in its place.
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.set(CACHE_KEY, token, COPY_SECONDS))


@receiver(directory_changed)
@receiver([post_save, post_delete], sender="directory.Prefecture")
@receiver([post_save, post_delete], sender="directory.City")
@receiver([post_save, post_delete], sender="directory.Department")
@receiver([post_save, post_delete], sender="directory.ClassLink")
@receiver([post_save, post_delete], sender="directory.NationalHelp")
def bump_on_change(sender, signal, **kwargs):
    # Inside a bulk write, one bump at its end (on `directory_changed`) does for every row.
    if signal is directory_changed or not held_by_bulk_write():
        bump()


@receiver(post_migrate)
def bump_on_deploy(sender, apps=None, **kwargs):
    """A deploy runs `migrate`: pages rendered by the templates of the release before go."""
    if sender.name == "directory":
        try:
            (apps or sender.apps).get_model("directory", "DirectoryVersion")
        except LookupError:  # migrated back to before the version existed
            return
        bump()
