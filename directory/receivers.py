"""Keep each city's search key current however its records change.

Per-row edits (admin, shell) arrive as model signals; bulk changes (the loader, imports) send
`directory_changed`, which recomputes every key, so a bulk write that skips model signals still
leaves the keys right as long as it sends that signal. Inside `signals.bulk_write()` the
per-row receivers leave their work to the one `directory_changed` it sends at the end.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from .importexport import importlog
from .models import City, ClassLink, Department, Prefecture
from .search import refresh_search_keys
from .signals import directory_changed, held_by_bulk_write


@receiver(directory_changed)
def refresh_all_keys(sender, **kwargs):
    refresh_search_keys()


@receiver(post_save, sender=City)
def refresh_city_key(sender, instance, raw=False, **kwargs):
    if not raw and not held_by_bulk_write():
        refresh_search_keys([instance.pk])


@receiver(pre_save, sender=Department)
@receiver(pre_save, sender=ClassLink)
def remember_parent(sender, instance, raw=False, **kwargs):
    # A record moved to another city changes the one it left as well.
    if instance.pk is not None and not raw and not held_by_bulk_write():
        instance._city_before = (
            sender.objects.filter(pk=instance.pk).values_list("city_id", flat=True).first()
        )


@receiver([post_save, post_delete], sender=Department)
@receiver([post_save, post_delete], sender=ClassLink)
def refresh_parent_key(sender, instance, raw=False, **kwargs):
    if not raw and not held_by_bulk_write():
        cities = {instance.city_id, getattr(instance, "_city_before", None)}
        refresh_search_keys(cities - {None})


@receiver(post_save, sender=Prefecture)
def refresh_prefecture_keys(sender, instance, raw=False, **kwargs):
    if not raw and not held_by_bulk_write():
        refresh_search_keys(City.objects.filter(prefecture=instance).values_list("pk", flat=True))


@receiver(pre_create_historical_record)
def name_the_import(sender, history_instance, **kwargs):
    # Deleted records (cascades included) are saved one by one: their history names the import.
    importlog.signed(history_instance)
