"""Import previews: kept in the database for their uploader alone, for a day, applied once; and
records a file removes are removed only when the preview's box naming them is ticked."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from directory.importexport import importing
from directory.models import City, ClassLink, Department, ImportLog, ImportPreview, ProblemReport
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import department_form, make_staff, published_table_as_csv, sign_in

pytestmark = pytest.mark.django_db

DEPARTMENT_IMPORT = reverse("admin:directory_department_import")
DEPARTMENT_CONFIRM = reverse("admin:directory_department_process_import")
LINK_IMPORT = reverse("admin:directory_classlink_import")
LINK_CONFIRM = reverse("admin:directory_classlink_process_import")
CITY_IMPORT = reverse("admin:directory_city_import")
CITY_CONFIRM = reverse("admin:directory_city_process_import")
EXPIRED = "That preview has expired: upload the file again."
CHANGED = "The directory has changed since your preview. Check the changes below and confirm again."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def editor(seed):
    return make_staff("editor", DIRECTORY_EDITORS)


@pytest.fixture
def no_shared_cache(settings):
    """A cache that keeps nothing: what a worker sees of another worker's memory cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def department_upload(email="new@city.jp"):
    department = Department.objects.select_related("city").first()
    content = f'city,name,email\n{department.city.code},"{department.name}",{email}\n'
    return department, SimpleUploadedFile("desks.csv", content.encode())


def preview(client, import_url, upload, language="en"):
    """Upload a file; return the token of its preview and the preview page."""
    headers = {"accept-language": language}
    response = client.post(import_url, {"import_file": upload}, headers=headers, follow=True)
    assert response.status_code == 200
    return response.context["token"], response


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_a_preview_made_on_one_worker_is_shown_and_confirmed_on_another(
    client, editor, no_shared_cache
):
    sign_in(client, editor)
    department, upload = department_upload()
    token, _ = preview(client, DEPARTMENT_IMPORT, upload)
    # Nothing is left in any cache: the next request, wherever it lands, reads the database.
    shown = client.get(f"{DEPARTMENT_IMPORT}?preview={token}")
    assert shown.context["report"].summary() == "0 new, 1 updated, 0 unchanged, 0 deleted"
    [change] = shown.context["page"].object_list
    assert change.fields == [("email", department.email, "new@city.jp")]

    confirmed = client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert "Imported desks.csv: 0 new, 1 updated" in messages_of(confirmed)[0]
    department.refresh_from_db()
    assert department.email == "new@city.jp"
    assert not ImportPreview.objects.exists()


def test_a_japanese_preview_and_its_confirm_read_as_japanese_sentences(client, editor):
    sign_in(client, editor)
    _department, upload = department_upload()
    token, shown = preview(client, DEPARTMENT_IMPORT, upload, language="ja")
    summary = shown.content.decode().split('id="import-summary">')[1].split("</p>")[0]
    # A status line, as the command prints it: no English full stop after Japanese.
    assert summary.endswith("件") and not summary.endswith(".")
    headers = {"accept-language": "ja"}
    confirmed = client.post(DEPARTMENT_CONFIRM, {"token": token}, headers=headers, follow=True)
    # As the admin shows it, first letter capitalised: the file's name stays as it is.
    page = confirmed.content.decode()
    assert "「desks.csv」をインポートしました" in page and "Desks.csv" not in page


def test_a_confirmed_preview_is_gone_and_cannot_be_applied_twice(client, editor):
    sign_in(client, editor)
    department, upload = department_upload()
    token, _ = preview(client, DEPARTMENT_IMPORT, upload)
    client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert not ImportPreview.objects.exists()
    Department.objects.filter(pk=department.pk).update(email="changed@city.jp")

    again = client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert messages_of(again) == [EXPIRED]
    assert client.get(f"{DEPARTMENT_IMPORT}?preview={token}").status_code == 302
    department.refresh_from_db()
    assert department.email == "changed@city.jp"


def test_another_user_can_neither_see_nor_confirm_a_preview(client, editor):
    sign_in(client, editor)
    department, upload = department_upload()
    token, _ = preview(client, DEPARTMENT_IMPORT, upload)

    other = make_staff("colleague", DIRECTORY_EDITORS)  # the same rights over every city
    sign_in(client, other)
    shown = client.get(f"{DEPARTMENT_IMPORT}?preview={token}", follow=True)
    assert messages_of(shown) == [EXPIRED]
    assert "new@city.jp" not in shown.content.decode()
    refused = client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert messages_of(refused) == [EXPIRED]
    department.refresh_from_db()
    assert department.email != "new@city.jp"

    # The uploader's preview is still theirs to confirm.
    sign_in(client, editor)
    client.post(DEPARTMENT_CONFIRM, {"token": token})
    department.refresh_from_db()
    assert department.email == "new@city.jp"


@pytest.mark.parametrize("token", ["", "nonsense", "0" * 32, "../../etc", "%00"])
def test_a_made_up_token_is_an_expired_preview(client, editor, token):
    sign_in(client, editor)
    refused = client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert messages_of(refused) == [EXPIRED]


def test_a_preview_is_confirmed_only_on_the_import_it_was_made_for(client, editor):
    sign_in(client, editor)
    department, upload = department_upload()
    token, _ = preview(client, DEPARTMENT_IMPORT, upload)
    refused = client.post(LINK_CONFIRM, {"token": token}, follow=True)
    assert messages_of(refused) == [EXPIRED]
    department.refresh_from_db()
    assert department.email != "new@city.jp"


def test_a_preview_older_than_a_day_is_expired_and_deleted_by_the_next_upload(client, editor):
    sign_in(client, editor)
    department, upload = department_upload()
    token, _ = preview(client, DEPARTMENT_IMPORT, upload)
    ImportPreview.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))

    assert messages_of(client.get(f"{DEPARTMENT_IMPORT}?preview={token}", follow=True)) == [EXPIRED]
    assert messages_of(client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)) == [EXPIRED]
    department.refresh_from_db()
    assert department.email != "new@city.jp"

    _, upload = department_upload("newer@city.jp")
    newer, _ = preview(client, DEPARTMENT_IMPORT, upload)
    assert list(ImportPreview.objects.values_list("token", flat=True)) == [uuid.UUID(newer)]


def test_a_preview_younger_than_a_day_still_holds(client, editor):
    sign_in(client, editor)
    _, upload = department_upload()
    token, _ = preview(client, DEPARTMENT_IMPORT, upload)
    ImportPreview.objects.update(created_at=timezone.now() - timedelta(hours=23))
    assert client.get(f"{DEPARTMENT_IMPORT}?preview={token}").status_code == 200


def test_the_report_is_kept_as_json_and_made_again_as_it_was(editor):
    """Records in a change (a link's department) are kept by name; nothing is pickled."""
    department = Department.objects.first()
    report = importing.ImportReport("class-links", "links.csv")
    report.counts["updated"] = 1
    report.changes.append(
        importing.RowChange(
            3, "updated", "012025 / https://example.jp/a", [("department", department, "New")]
        )
    )
    token = importing.stage(editor, "class-links", b"city,url\n", "csv", report)
    stored = ImportPreview.objects.get()
    assert stored.report["changes"][0]["fields"] == [["department", str(department), "New"]]

    staged = importing.staged(token, editor)
    assert (staged.kind, staged.fmt, staged.file_name, staged.data) == (
        "class-links",
        "csv",
        "links.csv",
        b"city,url\n",
    )
    assert staged.report.changes == [
        importing.RowChange(
            3, "updated", "012025 / https://example.jp/a", [("department", str(department), "New")]
        )
    ]
    assert staged.report.summary() == report.summary()


# Removals ---------------------------------------------------------------------------------------


def links_marked_delete(count):
    links = list(ClassLink.objects.select_related("city")[:count])
    rows = "".join(f"{link.city.code},{link.url},yes\n" for link in links)
    return links, SimpleUploadedFile("links.csv", f"city,url,delete\n{rows}".encode())


def test_a_preview_that_removes_records_asks_to_confirm_them_by_number(client, editor):
    sign_in(client, editor)
    links, upload = links_marked_delete(3)
    token, page = preview(client, LINK_IMPORT, upload)
    html = page.content.decode()
    assert "This file removes 3 records from the directory" in html
    assert 'name="confirm_removals" value="3"' in html
    assert "Yes, remove these 3 records" in html
    # The removals come first, where the box is.
    first = page.context["page"].object_list[0]
    assert first.action == "deleted"

    refused = client.post(LINK_CONFIRM, {"token": token}, follow=True)
    assert messages_of(refused) == [
        "Nothing was imported: this file removes 3 records. Tick “Yes, remove these 3 records” "
        "to confirm, or cancel."
    ]
    assert refused.context["token"] == token  # back on the same preview, still usable
    assert ClassLink.objects.filter(pk__in=[link.pk for link in links]).count() == 3

    confirmed = client.post(LINK_CONFIRM, {"token": token, "confirm_removals": "3"}, follow=True)
    assert "0 new, 0 updated, 0 unchanged, 3 deleted" in messages_of(confirmed)[0]
    assert not ClassLink.objects.filter(pk__in=[link.pk for link in links]).exists()


def test_one_removal_is_named_in_the_singular(client, editor):
    sign_in(client, editor)
    links, upload = links_marked_delete(1)
    token, page = preview(client, LINK_IMPORT, upload)
    assert "Yes, remove this record" in page.content.decode()
    refused = client.post(LINK_CONFIRM, {"token": token, "confirm_removals": "2"}, follow=True)
    assert "this file removes 1 record." in messages_of(refused)[0]
    assert ClassLink.objects.filter(pk=links[0].pk).exists()


def test_a_city_editor_confirms_removing_a_desk_of_their_own_city(client, seed):
    aomori = City.objects.get(name="Aomori City")
    editor = make_staff("aomori", CITY_EDITORS, cities=[aomori])
    department = aomori.departments.first()
    sign_in(client, editor)
    upload = SimpleUploadedFile(
        "desks.csv", f'city,name,delete\n{aomori.code},"{department.name}",yes\n'.encode()
    )
    token, page = preview(client, DEPARTMENT_IMPORT, upload)
    assert "Yes, remove this record" in page.content.decode()
    client.post(DEPARTMENT_CONFIRM, {"token": token})
    assert Department.objects.filter(pk=department.pk).exists()
    client.post(DEPARTMENT_CONFIRM, {"token": token, "confirm_removals": "1"})
    assert not Department.objects.filter(pk=department.pk).exists()


def directory_state():
    return (
        sorted(City.objects.values_list("pk", "name", "number")),
        sorted(Department.objects.values_list("pk", "city_id", "name", "email")),
        sorted(ClassLink.objects.values_list("pk", "city_id", "url")),
    )


def table_cut_short():
    """The published table as a spreadsheet saves it, with its last half of lines lost."""
    lines = published_table_as_csv().splitlines(keepends=True)
    return SimpleUploadedFile("core-cities.csv", "".join(lines[: len(lines) // 2]).encode())


def test_a_table_cut_short_removes_nothing_unless_every_removal_is_confirmed(client, editor):
    sign_in(client, editor)
    before = directory_state()
    token, page = preview(client, CITY_IMPORT, table_cut_short())
    removals = page.context["report"].removals
    assert removals > 60  # cities, with their desks and classes
    assert f"Yes, remove these {removals} records" in page.content.decode()

    client.post(CITY_CONFIRM, {"token": token})
    assert directory_state() == before

    # A desk added since the preview would go too: nothing is written, and the new preview's box
    # names it.
    okazaki = City.objects.get(name="Okazaki")
    Department.objects.create(city=okazaki, name="Added since the preview")
    before = directory_state()
    data = {"token": token, "confirm_removals": str(removals)}
    refused = client.post(CITY_CONFIRM, data, follow=True)
    assert messages_of(refused)[-1] == CHANGED
    assert f"Yes, remove these {removals + 1} records" in refused.content.decode()
    assert directory_state() == before


def test_a_table_cut_short_is_applied_when_its_removals_are_confirmed(client, editor):
    sign_in(client, editor)
    token, page = preview(client, CITY_IMPORT, table_cut_short())
    removals = page.context["report"].removals
    client.post(CITY_CONFIRM, {"token": token, "confirm_removals": str(removals)})
    assert not City.objects.filter(name="Okazaki").exists()
    assert City.objects.filter(name="Hakodate").exists()


def test_a_preview_removing_cities_says_their_problem_reports_go_for_good(client, editor):
    okazaki = City.objects.get(name="Okazaki")  # in the table's lost half
    for kind in ("broken-link", "other"):
        ProblemReport.objects.create(city=okazaki, kind=kind, message="Reported by a visitor")
    ProblemReport.objects.create(city=City.objects.get(name="Hakodate"), kind="other")
    sign_in(client, editor)
    _token, page = preview(client, CITY_IMPORT, table_cut_short())
    assert (
        "With them go 2 problem reports about these cities: undoing the import does not bring "
        "them back." in page.content.decode()
    )
    _token, page = preview(client, CITY_IMPORT, table_cut_short(), language="ja")
    assert "問題の報告2件も一緒に削除されます" in page.content.decode()
    # A spreadsheet of cities that removes one, as the published table does.
    upload = SimpleUploadedFile("cities.csv", f"code,delete\n{okazaki.code},yes\n".encode())
    _token, page = preview(client, CITY_IMPORT, upload)
    assert "With them go 2 problem reports" in page.content.decode()
    # A file that removes no city with reports says nothing of them.
    _token, page = preview(client, DEPARTMENT_IMPORT, department_upload()[1])
    assert "problem report" not in page.content.decode()


# The directory changed since the preview ---------------------------------------------------------


def desks_file(*rows):
    """A departments file of (city code, name, Japanese name, hours note, e-mail) rows."""
    lines = "".join(",".join(f'"{cell}"' for cell in row) + "\n" for row in rows)
    content = f"city,name,name_ja,hours_note,email\n{lines}"
    return SimpleUploadedFile("desks.csv", content.encode())


def colleague_saves(department, **changes):
    """A colleague, signed in elsewhere, saves the desk's change form in the admin."""
    colleague = sign_in(Client(), make_staff("colleague", DIRECTORY_EDITORS))
    url = reverse("admin:directory_department_change", args=[department.pk])
    response = colleague.post(url, department_form(department, **changes))
    assert response.status_code == 302


def test_a_confirm_after_a_colleagues_edit_shows_the_new_preview_and_writes_nothing(client, editor):
    sign_in(client, editor)
    desk = Department.objects.select_related("city").first()
    upload = desks_file((desk.city.code, desk.name, desk.name_ja, desk.hours_note, "new@city.jp"))
    token, page = preview(client, DEPARTMENT_IMPORT, upload)
    [change] = page.context["page"].object_list
    assert change.fields == [("email", desk.email, "new@city.jp")]
    colleague_saves(desk, name_ja="国際交流課", hours_note="Closed on Mondays")

    shown = client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert messages_of(shown) == [CHANGED]
    assert shown.context["token"] != token
    [change] = shown.context["page"].object_list
    assert change.action == "updated"
    assert change.fields == [
        ("name_ja", "国際交流課", desk.name_ja),
        ("email", desk.email, "new@city.jp"),
        ("hours_note", "Closed on Mondays", desk.hours_note),
    ]
    saved = Department.objects.get(pk=desk.pk)
    assert (saved.name_ja, saved.hours_note, saved.email) == (
        "国際交流課",
        "Closed on Mondays",
        desk.email,
    )
    assert not ImportLog.objects.filter(kind="departments").exists()

    # The old preview is gone; the new one, confirmed, applies what it showed.
    assert messages_of(client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)) == [EXPIRED]
    confirmed = client.post(DEPARTMENT_CONFIRM, {"token": shown.context["token"]}, follow=True)
    assert "Imported desks.csv: 0 new, 1 updated" in messages_of(confirmed)[0]
    saved.refresh_from_db()
    assert (saved.name_ja, saved.hours_note, saved.email) == (
        desk.name_ja,
        desk.hours_note,
        "new@city.jp",
    )


def test_a_desk_previewed_as_new_that_a_colleague_created_meanwhile_is_previewed_as_updated(
    client, editor
):
    sign_in(client, editor)
    city = City.objects.get(name="Aomori City")
    upload = desks_file((city.code, "Newcomers' Desk", "", "", "new@city.jp"))
    token, page = preview(client, DEPARTMENT_IMPORT, upload)
    assert page.context["report"].summary() == "1 new, 0 updated, 0 unchanged, 0 deleted"
    Department.objects.create(city=city, name="Newcomers' Desk", email="colleague@city.jp")

    shown = client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert messages_of(shown) == [CHANGED]
    assert shown.context["report"].summary() == "0 new, 1 updated, 0 unchanged, 0 deleted"
    [change] = shown.context["page"].object_list
    assert change.fields == [("email", "colleague@city.jp", "new@city.jp")]
    assert city.departments.get(name="Newcomers' Desk").email == "colleague@city.jp"

    client.post(DEPARTMENT_CONFIRM, {"token": shown.context["token"]})
    assert city.departments.get(name="Newcomers' Desk").email == "new@city.jp"


def test_an_edit_the_file_does_not_touch_leaves_the_confirm_to_apply_at_once(client, editor):
    sign_in(client, editor)
    desk, upload = department_upload()  # changes only the e-mail
    token, _ = preview(client, DEPARTMENT_IMPORT, upload)
    colleague_saves(desk, hours_note="Closed on Mondays")

    confirmed = client.post(DEPARTMENT_CONFIRM, {"token": token}, follow=True)
    assert "Imported desks.csv: 0 new, 1 updated" in messages_of(confirmed)[0]
    desk.refresh_from_db()
    assert (desk.hours_note, desk.email) == ("Closed on Mondays", "new@city.jp")
