"""Row scoping in the admin: a city editor reaches their own cities' records and no others.

The walk takes every URL the admin serves for the scoped models from the admin's own URL
patterns, so a view added later is attacked without anyone listing it here.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import tablib
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import URLResolver, reverse
from django.utils import translation

from directory.importexport import importing
from directory.models import City, CityEditor, ClassLink, Department, LinkCheck, ProblemReport
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import (
    make_city,
    make_class_link,
    make_department,
    make_staff,
    published_table_as_csv,
    sign_in,
    valid_code,
)

pytestmark = pytest.mark.django_db

MISSING = 987654  # an id no record has
# What of the other city may never appear on a city editor's page: names, addresses, the
# username in its history.
SECRETS = [
    "Zzotherville",
    "他市町",
    "zzotherville",
    "secret-desk@otherville.example",
    "otherville.example",
    "Otherville Secret Desk",
    "Otherville Secret Class",
    "otherclerk",
    "Otherville complaint",
]


@dataclass
class World:
    own: dict
    other: dict
    editor: object


def _records(city, name, label, email, domain):
    department = make_department(city, name, email=email, url=f"https://{domain}/desk")
    link = make_class_link(city, f"https://{domain}/class", label=label, department=department)
    report = ProblemReport.objects.create(city=city, kind="other", message=f"{label} complaint")
    check = LinkCheck.objects.create(
        url=department.url, status_code=404, error="http", checked_at="2025-01-01 00:00Z"
    )
    return {
        City: city,
        Department: department,
        ClassLink: link,
        ProblemReport: report,
        LinkCheck: check,
    }


@pytest.fixture
def world(db):
    own = make_city("01", "Ownton", name_ja="自市", slug="ownton")
    other = make_city("01", "Zzotherville", name_ja="他市町", slug="zzotherville")
    world = World(
        own=_records(own, "Ownton Desk", "Ownton Class", "desk@ownton.example", "ownton.example"),
        other=_records(
            other,
            "Otherville Secret Desk",
            "Otherville Secret Class",
            "secret-desk@otherville.example",
            "otherville.example",
        ),
        editor=make_staff("owntoneditor", CITY_EDITORS, [own]),
    )
    # A change by the other city's clerk, so its history names someone.
    clerk = make_staff("otherclerk", CITY_EDITORS, [other])
    for record in (world.other[City], world.other[Department], world.other[ClassLink]):
        record._history_user = clerk
        record.save()
    return world


def scoped_models():
    """Every registered directory model whose records are scoped by `editable_by`."""
    return [
        model
        for model in apps.get_app_config("directory").get_models()
        if admin.site.is_registered(model) and hasattr(model.objects, "editable_by")
    ]


def snapshot():
    """Every row of the directory and how much history each kind has."""
    tables = (City, Department, ClassLink, ProblemReport, LinkCheck, CityEditor)
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}
    for model in (City, Department, ClassLink):
        rows[f"{model.__name__} history"] = model.history.count()
    return rows


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def shown_secrets(response):
    text = body(response)
    return [secret for secret in SECRETS if secret in text]


def fill(pattern, values):
    """A URL pattern's path with its parameters filled in, in order (route or regex)."""
    route = str(pattern.pattern)
    parts = iter(values)
    path = re.sub(r"<[^>]+>|\([^)]*\)", lambda _: str(next(parts)), route)
    return path.removeprefix("^").removesuffix("$")


def parameter_count(pattern):
    converters = getattr(pattern.pattern, "converters", None)
    return len(converters) if converters else pattern.pattern.regex.groups


def model_urls(model):
    """(name, URL pattern) of every view the admin site serves for `model`."""
    prefix = f"{model._meta.app_label}/{model._meta.model_name}/"
    [resolver] = [
        entry
        for entry in admin.site.get_urls()
        if isinstance(entry, URLResolver) and str(entry.pattern) == prefix
    ]
    return [(pattern.name or str(pattern.pattern), pattern) for pattern in resolver.url_patterns]


def url_for(model, pattern, record_id=None, history_id=None):
    """The URL of one of `model`'s admin views for a record and one of its versions."""
    base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    values = [record_id, history_id][: parameter_count(pattern)]
    assert None not in values, f"{pattern} takes parameters this walk cannot fill in"
    return base + fill(pattern, values)


def import_file(model, records):
    """A CSV upload that would change or delete another city's record of `model`."""
    code = records[City].code
    if model is City:
        text = f"code,name\n{code},Hijacked\n"
    elif model is Department:
        text = f'city,name,delete\n{code},"{records[Department].name}",yes\n'
    elif model is ClassLink:
        text = f"city,url,delete\n{code},{records[ClassLink].url},yes\n"
    else:
        text = "id\n1\n"
    return SimpleUploadedFile("attack.csv", text.encode())


def attack_data(model, records, target, into, own):
    """Form data every kind of view of `model` would act on: a change form's fields (moving the
    record into the city `into`), a delete confirmation, an import, an export of `target`."""
    city = into[City]
    return {
        # Change, add and revert forms of every scoped model.
        "city": city.pk,
        "department": own[Department].pk if into is own else into[Department].pk,
        "name": "Hijacked",
        "url": "https://hijack.example/",
        "email": "hijack@example.jp",
        "label": "Hijacked",
        "position": "7",
        "prefecture": city.prefecture_id,
        "name_ja": "乗取市",
        "name_kana": "のっとりし",
        "code": records[City].code,
        "slug": "hijacked",
        "note": "hijacked",
        "last_verified": "2020-01-01",
        "kind": "other",
        "message": "hijacked",
        **{
            f"{prefix}-{field}": "0"
            for prefix in ("departments", "class_links")
            for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
        },
        # A delete confirmation, an import and its confirmation, an export of the record.
        "post": "yes",
        "import_file": import_file(model, records),
        "token": "0" * 32,
        "format": "0",
        "resource": "0",
        "export_items": [target.pk],
    }


def every_action(model):
    """The names of all actions of `model`'s admin, as a superuser sees them."""
    request = RequestFactory().get("/")
    request.user = make_staff(f"actions-{model._meta.model_name}", superuser=True)
    return list(admin.site.get_model_admin(model).get_actions(request))


def answer(response, *ids):
    """The status and where it redirects to, with record ids taken out."""
    location = response.get("Location", "")
    for value in ids:
        location = location.replace(f"/{value}/", "/ID/")
    return response.status_code, location


def test_a_city_editor_reaches_nothing_of_another_city_at_any_admin_url(client, world):
    sign_in(client, world.editor)
    before = snapshot()
    walked = set()
    for model in scoped_models():
        other = world.other[model]
        version = other.history.earliest().history_id if hasattr(other, "history") else None
        for name, pattern in model_urls(model):
            takes_ids = parameter_count(pattern) > 0
            url = url_for(model, pattern, other.pk, version)
            # A record's own pages try to move it into the editor's city; the others, to put
            # a record into (or export one of) the other city.
            into = world.own if takes_ids else world.other
            posts = [attack_data(model, world.other, other, into, world.own)]
            if name.endswith("_changelist"):
                posts = [
                    {"action": action, "index": "0", "_selected_action": [other.pk], "post": "yes"}
                    for action in every_action(model)
                ] + [{"_selected_action": [other.pk], "select_across": "0"}]
            for method, data in [("get", None)] + [("post", data) for data in posts]:
                response = getattr(client, method)(url, data)
                assert not shown_secrets(response), (method, url, shown_secrets(response))
                assert snapshot() == before, f"{method} {url} changed the directory"
                if takes_ids:
                    missing = getattr(client, method)(
                        url_for(model, pattern, MISSING, MISSING), data
                    )
                    assert answer(response, other.pk, version) == answer(missing, MISSING), (
                        f"{method} {url} answers otherwise than for a record that does not exist"
                    )
            walked.add(name)
    # The walk covered what the attack used: the history list, the revert form, delete, import.
    for name in ("history", "simple_history", "delete", "change", "import", "export"):
        for model in (City, Department, ClassLink):
            assert f"directory_{model._meta.model_name}_{name}" in walked
    # Reports and link checks, which city editors now read, were attacked too.
    for model in (ProblemReport, LinkCheck):
        assert f"directory_{model._meta.model_name}_change" in walked


def test_a_city_editors_own_records_stay_reachable_at_the_same_urls(client, world):
    sign_in(client, world.editor)
    for model in (City, Department, ClassLink):
        own = world.own[model]
        version = own.history.earliest().history_id
        urls = dict(model_urls(model))
        # A city editor deletes departments and class links, never a city.
        names = ("change", "history", "simple_history", *(("delete",) if model is not City else ()))
        for name in names:
            pattern = urls[f"directory_{model._meta.model_name}_{name}"]
            response = client.get(url_for(model, pattern, own.pk, version))
            assert response.status_code == 200, (model, name)
            assert str(own) in body(response), (model, name)
    links = client.get(reverse("admin:directory_classlink_changelist"))
    assert "Ownton Class" in body(links) and not shown_secrets(links)


def test_a_city_editor_may_not_point_their_records_at_another_city(client, world):
    sign_in(client, world.editor)
    before = snapshot()
    own, other = world.own, world.other
    link_change = reverse("admin:directory_classlink_change", args=[own[ClassLink].pk])
    revert = reverse(
        "admin:directory_classlink_simple_history",
        args=[own[ClassLink].pk, own[ClassLink].history.earliest().history_id],
    )
    for url in (link_change, revert):
        for changes in ({"city": other[City].pk}, {"department": other[Department].pk}):
            data = {
                "city": own[City].pk,
                "url": own[ClassLink].url,
                "label": "Moved",
                "position": "0",
                **changes,
            }
            response = client.post(url, data)
            assert response.status_code == 200  # the form's choices hold no other city's
            assert not shown_secrets(response)
    assert snapshot() == before
    # An inline on the editor's own city naming another city's department: the city is saved,
    # the department is left alone and none is added.
    city_change = reverse("admin:directory_city_change", args=[own[City].pk])
    data = {
        field: getattr(own[City], field) or ""
        for field in ("prefecture_id", "name", "name_ja", "name_kana", "code", "slug")
    }
    data["prefecture"] = data.pop("prefecture_id")
    data.update(
        {
            "departments-TOTAL_FORMS": "1",
            "departments-INITIAL_FORMS": "1",
            "departments-0-id": other[Department].pk,
            "departments-0-city": own[City].pk,
            "departments-0-name": "Hijacked",
            "departments-0-position": "0",
            "class_links-TOTAL_FORMS": "0",
            "class_links-INITIAL_FORMS": "0",
        }
    )
    response = client.post(city_change, data)
    assert response.status_code == 302 and not shown_secrets(response)
    assert snapshot()["Department"] == before["Department"]


def test_autocomplete_offers_a_city_editor_only_their_own_records(client, world):
    sign_in(client, world.editor)
    scoped = set(scoped_models())
    answered = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.many_to_one and field.related_model in scoped):
                continue
            query = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field.name,
            }
            for term in ("", "Zzotherville", "Otherville", "Ownton"):
                url = reverse("admin:autocomplete") + "?" + urlencode({**query, "term": term})
                response = client.get(url)
                assert not shown_secrets(response), url
                if response.status_code == 200 and term in ("", "Ownton"):
                    ids = [result["id"] for result in json.loads(body(response))["results"]]
                    assert ids == [str(world.own[field.related_model].pk)], url
                    answered += 1
    assert answered >= 4  # city and department, from the live and the historical models


def test_the_admins_pages_without_a_record_show_a_city_editor_nothing_of_another_city(
    client, world
):
    sign_in(client, world.editor)
    before = snapshot()
    content_types = {model: ContentType.objects.get_for_model(model) for model in scoped_models()}
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver) or pattern.name in (None, "logout"):
            continue
        if pattern.name == "app_list":
            urls = [reverse("admin:app_list", args=["directory"])]
        else:
            urls = [
                "/admin/" + fill(pattern, [content_types[model].pk, world.other[model].pk])
                for model in content_types
            ]
        for url in dict.fromkeys(urls):
            response = client.get(url)
            assert response.status_code < 500 and not shown_secrets(response), url
    assert snapshot() == before


def _count(page, row_id):
    return int(re.search(rf'<tr id="{row_id}">.*?<a [^>]*>(\d+)</a>', page).group(1))


def test_the_dashboard_counts_only_a_city_editors_own_records(client, world):
    make_department(world.other[City], "Another desk", url="https://otherville.example/2")
    sign_in(client, world.editor)
    page = body(client.get(reverse("admin:index")))
    assert _count(page, "departments-broken") == 1
    assert _count(page, "departments-unchecked") == 0
    assert _count(page, "class-links-unchecked") == 1
    assert _count(page, "cities-stale") == 1
    assert _count(page, "reports-open") == 1
    assert "Ownton" in page and not shown_secrets(client.get(reverse("admin:index")))
    sign_in(client, make_staff("everything", DIRECTORY_EDITORS))
    page = body(client.get(reverse("admin:index")))
    assert _count(page, "departments-broken") == 2
    assert _count(page, "departments-unchecked") == 1
    assert _count(page, "cities-stale") == 2
    assert _count(page, "reports-open") == 2


def test_an_export_holds_only_a_city_editors_own_records(client, world):
    sign_in(client, world.editor)
    for model in (City, Department, ClassLink):
        url = reverse(f"admin:directory_{model._meta.model_name}_export")
        response = client.post(url, {"format": "0", "resource": "0"})
        assert response.status_code == 200
        assert "Ownton" in body(response) and not shown_secrets(response), model


def test_an_export_address_with_filters_the_list_lacks_leads_back_to_the_list(client, world):
    sign_in(client, world.editor)
    for model, query in [(City, "prefecture__id__exact=abc"), (Department, "city__id__exact=x")]:
        name = model._meta.model_name
        url = reverse(f"admin:directory_{name}_export") + "?" + query
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(reverse(f"admin:directory_{name}_changelist"), 302)]
        assert "The filters in that address do not apply to this list" in body(response)
        assert "Ownton" in body(response) and not shown_secrets(response), model


def test_a_directory_editor_still_reaches_every_citys_records_and_their_history(client, world):
    sign_in(client, make_staff("everything", DIRECTORY_EDITORS))
    for model in (City, Department, ClassLink):
        other = world.other[model]
        version = other.history.earliest().history_id
        urls = dict(model_urls(model))
        for name in ("change", "history", "simple_history", "delete"):
            pattern = urls[f"directory_{model._meta.model_name}_{name}"]
            response = client.get(url_for(model, pattern, other.pk, version))
            assert response.status_code == 200, (model, name)
            assert str(other) in body(response), (model, name)
    # The history of a record deleted since, and its revert form, as before.
    department = world.other[Department]
    pk, version = department.pk, department.history.earliest().history_id
    department.delete()
    history = reverse("admin:directory_department_history", args=[pk])
    assert client.get(history).status_code == 200
    revert = reverse("admin:directory_department_simple_history", args=[pk, version])
    assert client.get(revert).status_code == 200


def test_a_city_editor_reaches_their_own_deleted_records_history_but_not_another_citys(
    client, world
):
    sign_in(client, world.editor)
    for model in (Department, ClassLink):
        name = model._meta.model_name
        for record, status in ((world.own[model], 200), (world.other[model], 404)):
            pk, version = record.pk, record.history.earliest().history_id
            record.delete()
            history = reverse(f"admin:directory_{name}_history", args=[pk])
            revert = reverse(f"admin:directory_{name}_simple_history", args=[pk, version])
            assert client.get(history).status_code == status, (model, record)
            response = client.get(revert)
            assert response.status_code == status, (model, record)
            assert ("Otherville" in body(response)) is False
    # The city's history lists its own deleted desk, never the other city's.
    page = body(client.get(reverse("admin:directory_city_history", args=[world.own[City].pk])))
    assert "Ownton Desk" in page and "Otherville" not in page
    other = reverse("admin:directory_city_history", args=[world.other[City].pk])
    assert client.get(other).status_code == 404


def test_a_city_editor_may_still_revert_their_own_record(client, world):
    sign_in(client, world.editor)
    department = world.own[Department]
    first = department.history.earliest()
    department.email = "changed@ownton.example"
    department.save()
    revert = reverse(
        "admin:directory_department_simple_history", args=[department.pk, first.history_id]
    )
    data = {
        "city": department.city_id,
        "name": first.name,
        "url": first.url,
        "email": first.email,
        "position": first.position,
    }
    assert client.post(revert, data).status_code == 302
    department.refresh_from_db()
    assert department.email == "desk@ownton.example"


# --- Imports: a city editor's file may touch only their own cities ---

FORMATS = ("csv", "tsv", "xlsx", "json")


def file_of(rows, fmt):
    """`rows` (dicts) as a file of `fmt`, as a spreadsheet or a script would save it."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False).encode()
    headers = list(dict.fromkeys(key for row in rows for key in row))
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(header, "") for header in headers])
    data = dataset.export(fmt)
    return data if fmt == "xlsx" else data.encode()


def line_of(index, fmt):
    """The line of the `index`-th row: after a header line, except in JSON."""
    return index + (1 if fmt == "json" else 2)


@pytest.fixture
def two_desks(world):
    """A second department and class link in the other city, to delete."""
    other = world.other[City]
    world.other["desk"] = make_department(other, "Otherville Second Desk")
    world.other["link"] = make_class_link(other, "https://otherville.example/second")
    return world


def attack_rows(kind, world):
    """A file's rows: a good change to the editor's city, then rows that would change, add to
    and delete from the other city. Returns (rows, {index: column of the refusal})."""
    own, other = world.own, world.other
    code = other[City].code
    if kind == "cities":
        rows = [
            {"code": own[City].code, "name": "Ownton Renamed", "delete": ""},
            {"code": code, "name": "Hijacked", "delete": ""},
            {"code": valid_code("98765"), "name": "New", "delete": ""},
            {"code": code, "name": other[City].name, "delete": "yes"},
        ]
        return rows, {1: "code", 2: "code", 3: "code"}
    if kind == "departments":
        rows = [
            {"city": own[City].code, "name": own[Department].name, "email": "n@ownton.jp"},
            {"city": code, "name": other[Department].name, "email": "hijack@example.jp"},
            {"city": code, "name": "New desk", "email": "hijack@example.jp"},
            {"city": code, "name": other["desk"].name, "delete": "yes"},
            {"city": code, "name": "No such desk", "delete": "yes"},
        ]
        return rows, {1: "city", 2: "city", 3: "city", 4: "city"}
    rows = [
        {"city": own[City].code, "url": own[ClassLink].url, "label": "Renamed"},
        {"city": code, "url": other[ClassLink].url, "label": "Hijacked"},
        {"city": code, "url": "https://hijack.example/new", "label": "New"},
        {"city": code, "url": other["link"].url, "delete": "yes"},
        {
            "city": own[City].code,
            "url": "https://hijack.example/o",
            "department": "Otherville Secret Desk",
        },
    ]
    return rows, {1: "city", 2: "city", 3: "city", 4: "department"}


def assert_refused(report, refused, fmt, world):
    """Every refused row, and only those, is named by line and column; nothing is applied."""
    assert not report.applied
    found = {(error.line, error.column) for error in report.errors}
    assert found == {(line_of(index, fmt), column) for index, column in refused.items()}
    for error in report.errors:
        if error.column == "city":
            assert world.other[City].code in error.message, str(error)


@pytest.mark.parametrize("kind", ["cities", "departments", "class-links"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_city_editors_import_touching_another_city_is_refused_whole(two_desks, kind, fmt):
    world = two_desks
    rows, refused = attack_rows(kind, world)
    before = snapshot()
    data = file_of(rows, fmt)
    with translation.override("en"):
        for dry_run in (True, False):
            report = importing.run_import(kind, data, fmt, user=world.editor, dry_run=dry_run)
            assert_refused(report, refused, fmt, world)
    messages = {str(error) for error in report.errors}
    if kind != "cities":
        code = world.other[City].code
        assert (
            f"line {line_of(1, fmt)}, column city: you may not edit the city with code {code}"
            in (messages)
        )
    assert snapshot() == before
    # The editor's own row alone goes through: the refusal is about the other city.
    alone = file_of(rows[:1], fmt)
    assert importing.run_import(kind, alone, fmt, user=world.editor, dry_run=True).ok


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_admin_import_refuses_a_city_editors_rows_of_another_city(client, two_desks, fmt):
    world = two_desks
    sign_in(client, world.editor)
    before = snapshot()
    for kind, model in (("departments", Department), ("class-links", ClassLink)):
        rows, refused = attack_rows(kind, world)
        upload = SimpleUploadedFile(f"attack.{fmt}", file_of(rows, fmt))
        url = reverse(f"admin:directory_{model._meta.model_name}_import")
        with translation.override("en"):
            response = client.post(url, {"import_file": upload, "format": fmt})
        assert response.status_code == 200 and "token" not in response.context
        assert_refused(response.context["report"], refused, fmt, world)
        assert "you may not edit the city with code" in body(response)
        typed = json.dumps(rows, ensure_ascii=False)
        assert not [secret for secret in shown_secrets(response) if secret not in typed]
    assert snapshot() == before


def test_the_published_table_is_refused_to_a_city_editor_and_the_directory_kept(client, world):
    before = snapshot()
    data = published_table_as_csv().encode()
    report = importing.run_import("cities", data, "published", user=world.editor, dry_run=False)
    assert [str(error) for error in report.errors] == [
        "Only directory editors may load the published table."
    ]
    sign_in(client, world.editor)
    upload = SimpleUploadedFile("core-cities.csv", data)
    response = client.post(reverse("admin:directory_city_import"), {"import_file": upload})
    assert "token" not in response.context and not response.context["report"].ok
    assert snapshot() == before


def test_a_directory_editor_still_imports_into_every_city(two_desks):
    world = two_desks
    editor = make_staff("everything", DIRECTORY_EDITORS)
    rows, _ = attack_rows("departments", world)
    # The delete row is confirmed, as the preview's box does for staff.
    report = importing.run_import(
        "departments", file_of(rows, "csv"), "csv", editor, False, confirmed_removals=1
    )
    assert report.ok, report.errors
    assert report.counts == {"new": 1, "updated": 2, "unchanged": 1, "deleted": 1}
    assert not Department.objects.filter(pk=world.other["desk"].pk).exists()


def numbered_row(kind, city, number):
    """A row naming a record by its number, as a crafted file would, to rename it."""
    if kind == "departments":
        return {"city": city.code, "name": "Hijacked", "id": number}
    return {"city": city.code, "url": "https://hijack.example/x", "id": number}


@pytest.mark.parametrize("kind", ["departments", "class-links"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_city_editors_crafted_number_of_another_citys_record_is_refused_as_no_record(
    world, kind, fmt
):
    model = Department if kind == "departments" else ClassLink

    def no_record(number):
        return (
            f"line {line_of(0, fmt)}, column id: no {model._meta.verbose_name} has the number "
            f"{number}: keep the number an export wrote, or leave the cell empty for a new record"
        )

    before = snapshot()
    with translation.override("en"):
        # The other city's record is told apart from no record at all by nothing but its number.
        for city in (world.own[City], world.other[City]):
            for number in (world.other[model].pk, MISSING):
                data = file_of([numbered_row(kind, city, number)], fmt)
                report = importing.run_import(kind, data, fmt, user=world.editor, dry_run=False)
                assert [str(error) for error in report.errors] == [no_record(number)]
    assert snapshot() == before
    # The number of their own record renames it.
    own = world.own[model]
    row = numbered_row(kind, world.own[City], own.pk)
    report = importing.run_import(kind, file_of([row], fmt), fmt, user=world.editor, dry_run=False)
    assert report.ok, report.errors
    renamed = model.objects.get(city=world.own[City])
    key = "name" if kind == "departments" else "url"
    assert (renamed.pk, getattr(renamed, key)) == (own.pk, row[key])


def test_the_admin_import_refuses_a_crafted_number_and_shows_nothing_of_the_other_city(
    client, world
):
    sign_in(client, world.editor)
    before = snapshot()
    for kind, model in (("departments", Department), ("class-links", ClassLink)):
        rows = [numbered_row(kind, world.own[City], world.other[model].pk)]
        upload = SimpleUploadedFile("crafted.csv", file_of(rows, "csv"))
        url = reverse(f"admin:directory_{model._meta.model_name}_import")
        with translation.override("en"):
            response = client.post(url, {"import_file": upload, "format": "csv"})
        assert response.status_code == 200 and "token" not in response.context
        assert [error.column for error in response.context["report"].errors] == ["id"]
        assert shown_secrets(response) == []
    assert snapshot() == before
