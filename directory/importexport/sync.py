"""Bring the database in line with a parsed published table, reporting every change.

`plan()` compares without writing; `apply()` writes a plan in one transaction. Records keep their
ids: cities are matched by local government code, departments by name (or, renamed, by their
e-mail or own web page), class links by URL.
"""

from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import municipalities as facts_of
from ..folding import compact
from ..models import (
    City,
    ClassLink,
    Department,
    Municipality,
    Prefecture,
    bare_city_name,
    city_slug,
)
from ..signals import bulk_write
from ..validators import validate_local_government_code
from . import importlog
from .cells import quoted
from .published_table import PublishedTableError

# The model of each kind of record, in the order they are written.
MODELS = {"city": City, "department": Department, "class link": ClassLink}
# The fields the table sets on each kind of record.
FIELDS = {
    "city": ("prefecture", "name", "number", "note"),
    "department": ("name", "url", "email", "position"),
    "class link": ("url", "label", "position", "department"),
}
# What a department or class link is known by within its city.
CHILD_KEYS = {"department": "name", "class link": "url"}


@dataclass
class StaffEdit:
    """A field staff changed since the last load, which the table would set otherwise."""

    name: str
    staff_value: object  # what staff made it, in the database now
    table_value: object
    date: object  # when staff changed it (the last change since the load)
    user: object  # who, when known
    kept: bool


@dataclass
class Step:
    """One record's planned write: created, updated (with its changed fields), unchanged or
    removed. Reported through `importing.ImportReport`, the one report of every import."""

    kind: str  # "city", "department" or "class link"
    action: str  # "new", "updated", "unchanged" or "deleted", as the import report says
    label: str
    changes: dict = field(default_factory=dict)  # field -> (old, new)
    instance: object = None
    values: dict = field(default_factory=dict)
    parent: object = None
    line: int | None = None  # where the table gives the record; none for a removed one
    staff_edits: list[StaffEdit] = field(default_factory=list)


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)


def shown(value):
    """A planned value as a person reads it: a record still to be written by its name."""
    return value.label.rsplit(" (", 1)[0] if isinstance(value, Step) else value


def plan(records, keep_staff_edits=True):
    """Compare parsed `CityRecord`s with the database and return the `Plan` to match them.

    A field staff changed since the last load is kept (`keep_staff_edits`), or overwritten
    and said to be; either way its step lists it in `staff_edits`.
    """
    municipalities = facts_of.read_municipalities()
    prefectures = {p.name: p for p in Prefecture.objects.all()}
    existing = {(c.prefecture.name, c.name): c for c in City.objects.select_related("prefecture")}
    by_code = {c.code: c for c in existing.values()}
    departments = {}
    for department in Department.objects.select_related("city"):
        departments.setdefault(department.city_id, {})[department.name] = department
    links = {}
    for link in ClassLink.objects.select_related("department"):
        links.setdefault(link.city_id, {})[link.url] = link
    moved = _moved_links(links)

    result = Plan()
    seen_cities = set()
    slugs = {c.slug for c in existing.values()}
    for record in records:
        prefecture = prefectures[record.prefecture]
        city = existing.get((record.prefecture, record.name))
        if city is None:
            facts = municipalities.get((prefecture.code, record.name))
            facts = facts or _city_in_japan_post(prefecture, record.name)
            if facts is None:
                raise PublishedTableError(
                    record.line,
                    _(
                        "%(city)s (%(prefecture)s) is not in the municipality facts "
                        "(fixtures/municipalities.tsv): add its code, Japanese name and reading"
                    )
                    % {"city": quoted(record.name), "prefecture": record.prefecture},
                )
            try:
                validate_local_government_code(facts.code)
            except ValidationError as error:
                raise PublishedTableError(record.line, error.messages[0]) from None
            city = by_code.get(facts.code)
        values = {
            "prefecture": prefecture,
            "name": record.name,
            "number": record.number,
            "note": record.note,
        }
        label = f"{record.name} ({record.prefecture})"
        if city is None:
            values.update(
                code=facts.code,
                name_ja=facts.name_ja,
                name_kana=facts.name_kana,
                slug=city_slug(record.name, prefecture.name, slugs),
            )
            slugs.add(values["slug"])
            change = Step("city", "new", label, values=values)
        else:
            seen_cities.add(city.pk)
            change = _compare("city", label, city, values)
        change.line = record.line
        result.steps.append(change)
        _plan_children(result, record, change, city, departments, links, moved)

    for city in existing.values():
        if city.pk not in seen_cities:
            result.steps.append(
                Step("city", "deleted", f"{city.name} ({city.prefecture})", instance=city)
            )
            # Its desks and classes go with it: counted and listed, not removed unseen.
            _plan_removals(result, city.name, departments.get(city.pk, {}), links.get(city.pk, {}))
    _find_staff_edits(result, keep_staff_edits)
    return result


def _city_in_japan_post(prefecture, name):
    """The facts of the one city of `prefecture` whose name, read from Japan Post's kana, is
    the published name ("Kusatsu City": 草津市, 252069); None for none or several. A city the
    association newly lists loads without a line added to fixtures/municipalities.tsv."""
    bare = compact(bare_city_name(name))
    cities = Municipality.objects.filter(prefecture=prefecture, kind=Municipality.Kind.CITY)
    found = [city for city in cities if compact(city.name) == bare]
    if len(found) != 1:
        return None
    city = found[0]
    return facts_of.Municipality(prefecture.code, name, city.code, city.name_ja, city.name_kana)


def _moved_links(links):
    """{city id: {address the last load gave: link}} of the class links staff have given
    another address since, so the table's row still finds its link (and what staff added)."""
    loads = importlog.load_ids()
    loaded = {}
    rows = ClassLink.history.order_by("history_id")
    for pk, url, reason in rows.values_list("id", "url", "history_change_reason"):
        if importlog.is_load(reason, loads):
            loaded[pk] = url
    moved = {}
    for city_id, by_url in links.items():
        for link in by_url.values():
            if loaded.get(link.pk, link.url) != link.url:
                moved.setdefault(city_id, {})[loaded[link.pk]] = link
    return moved


def _plan_children(result, record, city_change, city, departments, links, moved):
    old_departments = departments.get(city.pk, {}) if city else {}
    old_links = links.get(city.pk, {}) if city else {}
    moved_links = moved.get(city.pk, {}) if city else {}
    renamed = _renamed(record.departments, old_departments)
    position = 0
    for index, department in enumerate(record.departments):
        values = {"url": department.url, "email": department.email, "position": index}
        values["name"] = department.name
        old = old_departments.pop(renamed.get(department.name, department.name), None)
        department_change = _child("department", department, old, values, city_change)
        result.steps.append(department_change)
        for link in department.links:
            values = {"url": link.url, "label": link.label, "position": position}
            values["department"] = department_change
            position += 1
            old = old_links.pop(link.url, None)
            staff_moved = moved_links.get(link.url)
            if old is None and staff_moved is not None and staff_moved.url in old_links:
                old = old_links.pop(staff_moved.url)  # a staff edit, kept or said to be
            result.steps.append(_child("class link", link, old, values, city_change))
    _plan_removals(result, record.name, old_departments, old_links)


def _renamed(departments, old_departments):
    """{name in the table: stored name} of departments the table names anew: each shares its
    e-mail or its own web page with exactly one stored department the table no longer names,
    which keeps its id and what staff added to it (phones, hours, address)."""
    names = {department.name for department in departments}
    new = [department for department in departments if department.name not in old_departments]
    gone = [old for name, old in old_departments.items() if name not in names]
    renamed = {}
    for department in new:
        same = [old for old in gone if _same_desk(old, department)]
        if len(same) == 1 and [d for d in new if _same_desk(same[0], d)] == [department]:
            renamed[department.name] = same[0].name
    return renamed


def _same_desk(old, department):
    # A city's home page is shared by its desks; only a page of the desk's own tells it.
    own_page = urlsplit(department.url).path.strip("/") != ""
    return bool(
        (department.email and old.email == department.email)
        or (own_page and old.url == department.url)
    )


def _plan_removals(result, city_name, departments, links):
    """Remove a city's departments and class links left out of the table."""
    for old in departments.values():
        result.steps.append(
            Step("department", "deleted", f"{old.name} ({city_name})", instance=old)
        )
    for old in links.values():
        result.steps.append(Step("class link", "deleted", f"{old.url} ({city_name})", instance=old))


def _child(kind, item, old, values, city_change):
    """The change to a city's department or class link: created when `old` is None."""
    key_field = CHILD_KEYS[kind]
    key = getattr(item, key_field)
    label = f"{key} ({city_change.values['name']})"
    if old is None:
        change = Step(kind, "new", label, values={key_field: key, **values}, parent=city_change)
    else:
        change = _compare(kind, label, old, values)
    change.line = item.line
    return change


def _compare(kind, label, instance, values):
    changes = {}
    for name in FIELDS[kind]:
        old, new = getattr(instance, name), values[name]
        if isinstance(new, Step):
            # A link's department is known by the department's step; compare by identity.
            if new.instance is None or old is None or old.pk != new.instance.pk:
                changes[name] = (old, shown(new))
        elif old != new:
            changes[name] = (old, new)
    action = "updated" if changes else "unchanged"
    return Step(kind, action, label, changes, instance=instance, values=values)


def _find_staff_edits(result, keep):
    """Mark (and unless told otherwise keep) each field staff changed since the last load.

    What the last load set is read from each record's history (`importlog.is_load`); a record
    no load ever wrote has nothing to keep, and the table is applied to it as it is.
    """
    updated = [step for step in result.steps if step.action == "updated"]
    if not updated:
        return
    loads = importlog.load_ids()
    for kind, model in MODELS.items():
        steps = {step.instance.pk: step for step in updated if step.kind == kind}
        if not steps:
            continue
        history = {}
        rows = model.history.filter(id__in=steps).select_related("history_user")
        for row in rows.order_by("history_id"):
            history.setdefault(row.id, []).append(row)
        for pk, step in steps.items():
            _staff_edits(step, model, history.get(pk, []), loads, keep)
    _refuse_clashing_numbers(result)


def _staff_edits(step, model, rows, loads, keep):
    loaded = [
        i for i, row in enumerate(rows) if importlog.is_load(row.history_change_reason, loads)
    ]
    if not loaded:
        return
    since = rows[loaded[-1] :]
    for name in list(step.changes):
        attname = model._meta.get_field(name).attname
        if getattr(step.instance, attname) == getattr(since[0], attname):
            continue  # as the last load left it
        # The last change to the field since the load: who made it, and when.
        edit = None
        for before, row in pairwise(since):
            if getattr(row, attname) != getattr(before, attname):
                edit = row
        if edit is None:
            continue  # changed without a history row (a department's removal unlinks classes)
        old, new = step.changes[name]
        step.staff_edits.append(
            StaffEdit(name, old, new, edit.history_date, edit.history_user, kept=keep)
        )
        if keep:
            del step.changes[name]
            step.values[name] = getattr(step.instance, name)
    if not step.changes:
        step.action = "unchanged"


def _refuse_clashing_numbers(result):
    """A number staff gave a city that the table gives another city cannot be kept."""
    numbers = {}
    for step in result.steps:
        if step.kind == "city" and step.action != "deleted":
            number = step.values.get("number")
            if number is not None:
                numbers.setdefault(number, []).append(step)
    for number, steps in numbers.items():
        kept = [s for s in steps if any(e.name == "number" and e.kept for e in s.staff_edits)]
        if len(steps) > 1 and kept:
            others = [s for s in steps if s is not kept[0]]
            raise PublishedTableError(
                others[0].line,
                _(
                    "the table gives No. %(number)s to %(city)s, but staff gave that number to "
                    "%(other)s: correct one of them, or overwrite the staff edits"
                )
                % {"number": number, "city": shown(others[0]), "other": shown(kept[0])},
            )


@transaction.atomic
def apply(result, user=None, reason=""):
    """Write a `Plan` in one transaction; ids of kept records stay the same.

    Each record's history says who (`user`) and why (`reason`) when they are given.
    """
    # Keys and the directory's version are brought up to date once, at the end.
    with bulk_write(sender=City) as changed:
        removed = [c for c in result.steps if c.action == "deleted"]
        # A city's departments and class links first, so each removal keeps its own history.
        for change in sorted(removed, key=lambda c: c.kind == "city"):
            # django-simple-history reads these when it writes a deleted record's history row.
            if user is not None:
                change.instance._history_user = user
            if reason:
                change.instance._change_reason = reason
            change.instance.delete()
        # Free the numbers of renumbered cities first: a swap must not trip the unique constraint.
        renumbered = [
            c.instance.pk for c in result.steps if c.kind == "city" and "number" in c.changes
        ]
        City.objects.filter(pk__in=renumbered).update(number=None)
        # Cities before their departments, departments before the class links naming them.
        for kind, model in MODELS.items():
            updated, created = [], []
            for change in result.steps:
                if change.kind != kind or change.action not in ("updated", "new"):
                    continue
                values = {
                    name: (value.instance if isinstance(value, Step) else value)
                    for name, value in change.values.items()
                }
                if change.action == "updated":
                    for name, value in values.items():
                        setattr(change.instance, name, value)
                    updated.append(change.instance)
                else:
                    if kind != "city":
                        values["city"] = change.parent.instance
                    change.instance = model(**values)
                    created.append(change.instance)
            history = {"default_user": user, "default_change_reason": reason}
            if updated:
                bulk_update_with_history(updated, model, FIELDS[kind], **history)
            if created:
                bulk_create_with_history(created, model, **history)
        if any(step.action != "unchanged" for step in result.steps):
            # Bulk writes send no model signals: the keys and the version follow them here.
            changed()
    return result
