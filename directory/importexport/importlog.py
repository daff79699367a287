"""The import log: each confirmed import recorded, named in its records' history, undone as one.

`recording` opens an entry around an import and names it in the history of every record written
(bulk writes get the reason passed; per-row saves and cascaded deletes through `signed`); `undo`
puts every record it wrote back as it was before, through simple-history, all or nothing;
`check` says beforehand whether `undo` would refuse.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    City,
    CityEditor,
    ClassLink,
    Department,
    DepartmentPhone,
    ImportedCity,
    ImportLog,
    OpeningHours,
)
from ..roles import edits_every_city
from ..signals import bulk_write

# The records an import counts and names cities by.
RECORDS = (ClassLink, Department, City)
# Undone in this order (a desk's phones and hours and the class links name departments, which
# belong to cities, as editors' assignments do); restored in the reverse order.
MODELS = (DepartmentPhone, OpeningHours, CityEditor, *RECORDS)
# Fields never put back: they are derived from the rest and recomputed after an undo.
DERIVED = {"search_key"}
# A legacy load (before the import log) said so in its records' history.
LEGACY_LOAD = "Loaded from "
REASON = re.compile(r"Import #(\d+):")
# The whole reason, as `ImportLog.reason` writes it.
SHOWN_REASON = re.compile(
    r"Import #(?P<id>\d+): (?:undo of import #(?P<undone>\d+)|(?P<file>.*))", re.DOTALL
)

_current = ContextVar("directory_import_log", default=None)


class UndoRefused(Exception):
    """An import that cannot be undone; the message says why, naming the record."""


@contextmanager
def recording(kind, user=None, file_name="", via=ImportLog.Via.ADMIN, undoes=None):
    """Open a log entry for a confirmed import and sign each record's history with it.

    Used inside the import's transaction: an import that fails leaves no entry.
    """
    log = ImportLog.objects.create(
        kind=kind, user=user, file_name=file_name[:255], via=via, undoes=undoes
    )
    reset = _current.set(log)
    try:
        yield log
    finally:
        _current.reset(reset)


def signed(history_instance):
    """Name the current import in a history row written by a model signal, not a bulk write
    (a deleted record, or one a cascade deleted): called by `pre_create_historical_record`."""
    log = _current.get()
    if log is None:
        return
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = log.reason
    if history_instance.history_user_id is None and log.user_id is not None:
        history_instance.history_user_id = log.user_id


def finish(log, created=0, updated=0, removed=0, kept=0):
    """Write the entry's counts and the cities it touched (for city editors' view of the log)."""
    log.created, log.updated, log.removed, log.kept = created, updated, removed, kept
    log.save(update_fields=["created", "updated", "removed", "kept"])
    cities = set()
    for model in RECORDS:
        attribute = "id" if model is City else "city_id"
        cities.update(_written_by(log, model).values_list(attribute, flat=True).distinct())
    ImportedCity.objects.bulk_create(ImportedCity(log=log, city_pk=pk) for pk in sorted(cities))


def _written_by(log, model):
    return model.history.filter(history_change_reason__startswith=log.reason_prefix)


def load_ids():
    """The ids of the published-table loads still in force (not undone)."""
    loads = ImportLog.objects.filter(kind=ImportLog.Kind.PUBLISHED, undone_by__isnull=True)
    return set(loads.values_list("pk", flat=True))


def shown_reason(reason):
    """A history row's reason, stored in English ("Import #12: desks.csv", "Import #13: undo of
    import #12"), in the staff member's language; any other reason as it is."""
    found = SHOWN_REASON.fullmatch(reason or "")
    if found is None:
        return reason or ""
    if found["undone"]:
        return _("Import #%(id)s: undo of import #%(undone)s") % found.groupdict()
    return _("Import #%(id)s: %(file)s") % found.groupdict()


def is_load(reason, loads):
    """Whether a history row's reason names a load of the published table among `loads`."""
    reason = reason or ""
    match = REASON.match(reason)
    return (match is not None and int(match[1]) in loads) or reason.startswith(LEGACY_LOAD)


def check(log, user=None):
    """Raise `UndoRefused` if `undo` would refuse `log` now, changing nothing (to refuse before
    asking for confirmation)."""
    _rows_to_put_back(log, user)


def _rows_to_put_back(log, user):
    if log.kind == ImportLog.Kind.UNDO:
        raise UndoRefused(_("An undo cannot itself be undone; import the file again instead."))
    if ImportLog.objects.filter(undoes=log).exists():
        raise UndoRefused(_("Import #%(id)s has already been undone.") % {"id": log.pk})
    # The history rows the import wrote, by model: each record's row for it.
    rows = {model: list(_written_by(log, model).order_by("history_id")) for model in MODELS}
    _refuse_changed_since(log, rows, user)
    return rows


def undo(log, user=None, via=ImportLog.Via.ADMIN):
    """Put back every record `log` wrote as it was before, in one transaction; returns the
    entry recording the undo. Raises `UndoRefused` when a record has changed since."""
    with transaction.atomic():
        # Locked, so two undos of one import cannot both run.
        log = ImportLog.objects.select_for_update().get(pk=log.pk)
        rows = _rows_to_put_back(log, user)
        with recording(ImportLog.Kind.UNDO, user, log.file_name, via, undoes=log) as entry:
            try:
                counts = _put_back(rows)
            except IntegrityError:
                raise UndoRefused(
                    _(
                        "Import #%(id)s cannot be undone: a record it removed or changed now "
                        "clashes with another (same name, URL or number). Nothing was changed."
                    )
                    % {"id": log.pk}
                ) from None
            try:
                # Foreign keys are checked at commit, past this block: check them here.
                connection.check_constraints()
            except IntegrityError:
                raise UndoRefused(
                    _(
                        "Import #%(id)s cannot be undone: a record it would put back belongs to "
                        "a city or desk deleted since. Restore that first, from its history. "
                        "Nothing was changed."
                    )
                    % {"id": log.pk}
                ) from None
            finish(entry, **counts)
    return entry


def _refuse_changed_since(log, rows, user):
    # A city's own fields (code, number, slug) are not a city editor's to change; the command
    # line (no user) may undo anything, as it may import anything.
    if rows[City] and user is not None and not edits_every_city(user):
        raise UndoRefused(_("Only directory editors may undo an import that changed cities."))
    for model, history in rows.items():
        if not history:
            continue
        mine = {row.id: row.history_id for row in history}
        # History ids only grow: a later row of one of the records is a change made since.
        later = (
            model.history.filter(
                id__in=_written_by(log, model).values("id"), history_id__gt=min(mine.values())
            )
            .exclude(history_change_reason__startswith=log.reason_prefix)
            .order_by("history_id")
        )
        for change in later:
            if change.history_id > mine[change.id]:
                raise UndoRefused(
                    _(
                        "Import #%(id)s cannot be undone: %(model)s “%(record)s” has changed "
                        "since (%(date)s). Nothing was changed."
                    )
                    % {
                        "id": log.pk,
                        "model": model._meta.verbose_name,
                        "record": change.instance,
                        "date": timezone.localtime(change.history_date).strftime("%Y-%m-%d %H:%M"),
                    }
                )


def _put_back(rows):
    # Counted as the import counted them: a desk's phones and hours, and a city's editors, as
    # part of their desk or city.
    counts = {"created": 0, "updated": 0, "removed": 0}
    # An editor whose account was deleted since has no assignment to get back.
    users = get_user_model().objects.filter(pk__in=[row.user_id for row in rows[CityEditor]])
    kept = set(users.values_list("pk", flat=True))
    rows[CityEditor] = [row for row in rows[CityEditor] if row.user_id in kept]
    with bulk_write(sender=City) as changed:
        # What the import created goes first, class links before their departments and city.
        for model in MODELS:
            pks = [row.id for row in rows[model] if row.history_type == "+"]
            for record in model.objects.filter(pk__in=pks):
                record.delete()
                counts["removed"] += model in RECORDS
        # A number a city gave up in the import may have gone to another city it also changed.
        renumbered = [row.id for row in rows[City] if row.history_type == "~"]
        City.objects.filter(pk__in=renumbered).update(number=None)
        for model in reversed(MODELS):
            for row in rows[model]:
                if row.history_type == "+":
                    continue
                # Changed: as it was before the import; removed: as it was when removed.
                before = row.prev_record if row.history_type == "~" else row
                if before is None:
                    raise UndoRefused(
                        _("“%(record)s” has no earlier version to put back.")
                        % {"record": row.instance}
                    )
                record = before.instance
                if row.history_type == "~":
                    current = model.objects.get(pk=row.id)
                    for name in DERIVED & {f.attname for f in model._meta.concrete_fields}:
                        setattr(record, name, getattr(current, name))
                    counts["updated"] += model in RECORDS
                else:
                    counts["created"] += model in RECORDS
                record.save()
        relink_classes([row.id for row in rows[Department] if row.history_type == "-"])
        changed()
    return counts


def relink_classes(departments):
    """Give back their department to the class links its removal unlinked (a removal sets their
    department to none in the database, with no history row: their last row still names it)."""
    if not departments:
        return
    unlinked = ClassLink.objects.filter(department__isnull=True)
    history = ClassLink.history.filter(id__in=unlinked.values("pk")).order_by("history_id")
    last = {row.id: row.department_id for row in history}  # each link's last row wins
    for link in unlinked.filter(pk__in=[pk for pk, d in last.items() if d in departments]):
        link.department_id = last[link.pk]
        link.save()


def describe(log):
    """One line on what an entry did, for the admin's messages."""
    counts = {"created": log.created, "updated": log.updated, "removed": log.removed}
    counts["count"] = sum(counts.values())
    message = ngettext(
        "%(created)d created, %(updated)d updated, %(removed)d removed (%(count)d record).",
        "%(created)d created, %(updated)d updated, %(removed)d removed (%(count)d records).",
        counts["count"],
    )
    return message % counts


def undone(log, undo):
    """What the admin and the command say once `undo` has undone the import of `log`."""
    return _("Import #%(id)s undone, recorded as #%(undo)s: %(summary)s") % {
        "id": log.pk,
        "undo": undo.pk,
        "summary": describe(undo),
    }
