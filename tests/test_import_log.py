"""Each confirmed import is logged (who, when, file, counts), named in its records' history, and
can be undone as one, all or nothing; city editors see only their own cities' entries."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from directory.importexport import importing, importlog
from directory.importexport.published_table import DEFAULT_PATH
from directory.models import City, ClassLink, Department, ImportLog, StaffProfile
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import (
    department_form,
    make_full_department,
    make_staff,
    sign_in,
    valid_code,
)
from tests.test_i18n_admin_pages import english_left

# Koriyama's local government code: Japan Post's postal codes for Koriyama belong to it.
KORIYAMA_CODE = "072036"

pytestmark = pytest.mark.django_db

LOG = reverse("admin:directory_importlog_changelist")
LINK_IMPORT = reverse("admin:directory_classlink_import")
LINK_CONFIRM = reverse("admin:directory_classlink_process_import")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def editor(seed):
    return make_staff("editor", DIRECTORY_EDITORS)


def hakodate():
    return City.objects.get(name="Hakodate")


def links_file(city=None):
    """A class-link file that adds one link, relabels one and deletes another of a city."""
    city = city or hakodate()
    first, second = (
        ClassLink.objects.filter(city=city)[:2]
        if city.class_links.count() > 1
        else (
            city.class_links.get(),
            None,
        )
    )
    rows = [
        "city,url,label,delete",
        f"{city.code},https://example.jp/new-class,新しい教室,",
        f"{city.code},{first.url},Relabelled,",
    ]
    if second is not None:
        rows.append(f"{city.code},{second.url},,yes")
    return "\r\n".join(rows).encode(), first, second


def state():
    return (
        sorted(ClassLink.objects.values_list("pk", "city_id", "url", "label", "department_id")),
        sorted(Department.objects.values_list("pk", "city_id", "name", "url", "email")),
        sorted(
            City.objects.with_class_link_count().values_list(
                "pk", "name", "number", "note", "class_link_count"
            )
        ),
    )


def import_links(user, data, **kwargs):
    report = importing.run_import(
        "class-links",
        data,
        "csv",
        user=user,
        dry_run=False,
        file_name="links.csv",
        confirmed_removals=None,
        **kwargs,
    )
    assert report.ok, [str(error) for error in report.errors]
    return report


def city_with_two_links():
    return next(c for c in City.objects.all() if c.class_links.count() >= 2)


def test_an_admin_import_is_logged_with_who_when_file_and_counts(client, editor):
    city = city_with_two_links()
    data, first, _second = links_file(city)
    sign_in(client, editor)
    upload = SimpleUploadedFile("links.csv", data)
    preview = client.post(LINK_IMPORT, {"import_file": upload}, follow=True)
    token = preview.context["token"]
    done = client.post(LINK_CONFIRM, {"token": token, "confirm_removals": "1"}, follow=True)
    log = ImportLog.objects.latest("pk")
    assert [str(m) for m in done.context["messages"]] == [
        f"Imported links.csv: 1 new, 1 updated, 0 unchanged, 1 deleted. Recorded in the import "
        f"log as #{log.pk}."
    ]
    assert (log.kind, log.via, log.user, log.file_name) == (
        "class-links",
        "admin",
        editor,
        "links.csv",
    )
    assert (log.created, log.updated, log.removed) == (1, 1, 1)
    assert log.created_at is not None
    # Each record's history names the import.
    first.refresh_from_db()
    assert first.history.latest().history_change_reason == f"Import #{log.pk}: links.csv"
    assert list(log.cities.values_list("city_pk", flat=True)) == [city.pk]


def test_the_commands_log_their_imports_and_the_published_table_loads(editor, tmp_path):
    path = tmp_path / "links.csv"
    path.write_bytes(links_file(city_with_two_links())[0])
    out = StringIO()
    call_command("import_directory", "class-links", str(path), "--allow-removals", stdout=out)
    log = ImportLog.objects.latest("pk")
    assert f"Recorded as import #{log.pk}." in out.getvalue()
    assert (log.kind, log.via, log.user, log.created) == ("class-links", "command", None, 1)

    out = StringIO()
    call_command("load_published_table", str(DEFAULT_PATH), "--allow-removals", stdout=out)
    load = ImportLog.objects.latest("pk")
    assert (load.kind, load.via, load.file_name) == ("published", "command", "core-cities.tsv")
    assert (load.created, load.updated, load.removed, load.kept) == (
        1,  # the link the file deleted comes back
        0,
        1,  # the link the file added is not in the table
        1,  # the relabelled link keeps the label staff gave it
    )


def test_a_dry_run_or_a_failed_import_leaves_no_entry(editor):
    entries = ImportLog.objects.count()  # the seed's load
    data, _first, _second = links_file(city_with_two_links())
    importing.run_import("class-links", data, "csv", user=editor, dry_run=True)
    bad = b"city,url\r\n012025,ftp://nowhere\r\n"
    report = importing.run_import("class-links", bad, "csv", user=editor, dry_run=False)
    assert not report.ok
    refused = importing.run_import("class-links", data, "csv", user=editor, dry_run=False)
    assert refused.removals_refused
    assert ImportLog.objects.count() == entries


def test_an_import_is_undone_as_one_and_the_undo_is_logged(editor):
    city = city_with_two_links()
    before = state()
    data, first, second = links_file(city)
    report = import_links(editor, data)
    assert state() != before
    log = ImportLog.objects.get(pk=report.log_id)

    undo = importlog.undo(log, editor)

    assert state() == before
    assert (undo.kind, undo.undoes, undo.user) == ("undo", log, editor)
    assert (undo.created, undo.updated, undo.removed) == (1, 1, 1)
    # The deleted link is back with its id, and its history says why.
    restored = ClassLink.objects.get(pk=second.pk)
    assert restored.history.latest().history_change_reason == (
        f"Import #{undo.pk}: undo of import #{log.pk}"
    )
    gone = ClassLink.history.filter(url="https://example.jp/new-class").latest()
    assert (gone.history_type, gone.history_user) == ("-", editor)
    assert gone.history_change_reason == f"Import #{undo.pk}: undo of import #{log.pk}"
    # The search still finds the city by what it lists, as it did before.
    counted = City.objects.with_class_link_count().get(pk=city.pk).class_link_count
    assert counted == city.class_links.count()


def test_an_undo_is_refused_when_a_record_changed_since_and_changes_nothing(editor):
    data, first, _second = links_file(city_with_two_links())
    log = ImportLog.objects.get(pk=import_links(editor, data).log_id)
    first.refresh_from_db()
    first.label = "Changed by staff since"
    first.save()
    after = state()
    with pytest.raises(importlog.UndoRefused) as refused:
        importlog.undo(log, editor)
    message = str(refused.value)
    assert f"Import #{log.pk} cannot be undone" in message
    assert "Changed by staff since" in message and "Nothing was changed." in message
    assert state() == after
    assert not ImportLog.objects.filter(kind="undo").exists()


def test_an_import_is_undone_once_and_an_undo_not_at_all(editor):
    data, _first, _second = links_file(city_with_two_links())
    log = ImportLog.objects.get(pk=import_links(editor, data).log_id)
    undo = importlog.undo(log, editor)
    with pytest.raises(importlog.UndoRefused, match="already been undone"):
        importlog.undo(log, editor)
    with pytest.raises(importlog.UndoRefused, match="cannot itself be undone"):
        importlog.undo(undo, editor)


def desk_details(desk):
    return (
        [(p.national, p.label, p.extension, p.position) for p in desk.phones.all()],
        [str(o) for o in desk.hours.all()],
    )


def import_desks(user, *rows):
    data = "\r\n".join(",".join(row) for row in rows).encode()
    report = importing.run_import(
        "departments",
        data,
        "csv",
        user=user,
        dry_run=False,
        file_name="desks.csv",
        confirmed_removals=None,
    )
    assert report.ok, [str(error) for error in report.errors]
    return ImportLog.objects.get(pk=report.log_id)


def test_undoing_an_import_puts_a_desk_s_phones_and_hours_back(editor):
    desk = make_full_department(City.objects.get(code=KORIYAMA_CODE))
    before = desk_details(desk)
    log = import_desks(
        editor,
        ("city", "name", "phones", "hours"),
        (KORIYAMA_CODE, desk.name, "024-924-0002 ext. 9", "Sat 10:00-12:00"),
    )
    assert desk_details(desk) == ([("024-924-0002", "", "9", 0)], ["Saturday 10:00-12:00"])
    undo = importlog.undo(log, editor)
    assert desk_details(desk) == before
    assert (undo.created, undo.updated, undo.removed) == (0, 1, 0), "phones count with the desk"


def test_undoing_an_import_that_removed_a_desk_brings_back_its_phones_and_hours(editor):
    desk = make_full_department(City.objects.get(code=KORIYAMA_CODE))
    before = desk_details(desk)
    log = import_desks(editor, ("city", "name", "delete"), (KORIYAMA_CODE, desk.name, "yes"))
    assert not Department.objects.filter(pk=desk.pk).exists()
    importlog.undo(log, editor)
    assert desk_details(Department.objects.get(pk=desk.pk)) == before


def test_an_undo_is_refused_once_staff_changed_a_phone_the_import_wrote(client, editor):
    desk = make_full_department(City.objects.get(code=KORIYAMA_CODE))
    log = import_desks(
        editor, ("city", "name", "phones"), (KORIYAMA_CODE, desk.name, "024-924-0002")
    )
    sign_in(client, editor)
    url = reverse("admin:directory_department_change", args=[desk.pk])
    data = department_form(desk, **{"phones-0-number": "024-924-0003"})
    assert client.post(url, data).status_code == 302
    with pytest.raises(importlog.UndoRefused, match="has changed since"):
        importlog.undo(log, editor)
    assert desk_details(desk)[0] == [("024-924-0003", "", "", 0)]


def test_an_undo_that_would_clash_with_a_newer_record_is_refused_whole(editor):
    city = hakodate()
    department = city.departments.first()
    data = f'city,name,delete\r\n{city.code},"{department.name}",yes\r\n'.encode()
    report = importing.run_import(
        "departments", data, "csv", user=editor, dry_run=False, confirmed_removals=None
    )
    assert report.ok
    # Staff make a new desk of the same name: the old one cannot come back beside it.
    Department.objects.create(city=city, name=department.name, email="new@city.jp")
    after = state()
    with pytest.raises(importlog.UndoRefused, match="clashes with another"):
        importlog.undo(ImportLog.objects.get(pk=report.log_id), editor)
    assert state() == after


def test_an_undo_that_would_put_back_a_class_of_a_desk_deleted_since_is_refused_whole(editor):
    link = ClassLink.objects.filter(department__isnull=False).select_related("city").first()
    data = f"city,url,delete\r\n{link.city.code},{link.url},yes\r\n".encode()
    report = importing.run_import(
        "class-links", data, "csv", user=editor, dry_run=False, confirmed_removals=None
    )
    assert report.ok, [str(e) for e in report.errors]
    # Staff delete the desk the class belonged to: the class cannot come back to it.
    link.department.delete()
    after = state()
    with pytest.raises(importlog.UndoRefused, match="belongs to a city or desk deleted since"):
        importlog.undo(ImportLog.objects.get(pk=report.log_id), editor)
    assert state() == after


def test_a_published_table_load_that_removed_cities_is_undone_with_their_records(editor, tmp_path):
    before = state()
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "core-cities.tsv"
    path.write_text("".join(lines[:-10]), encoding="utf-8")
    call_command("load_published_table", str(path), "--allow-removals", stdout=StringIO())
    log = ImportLog.objects.latest("pk")
    assert log.removed > 10 and state() != before
    importlog.undo(log, editor)
    assert state() == before
    # The undone load no longer counts as the last load: nothing looks like a staff edit.
    assert "staff edit" not in "\n".join(
        importing.run_import("cities", DEFAULT_PATH.read_bytes(), "published").lines()
    )


def test_undoing_a_load_that_removed_a_city_gives_its_editors_the_city_back(editor, tmp_path):
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    removed = City.objects.get(number=61)  # Kagoshima, the table's last numbered city
    lines = [line for line in lines if not line.startswith("61\t")]
    kept, gone = make_staff("naha", CITY_EDITORS, [removed]), make_staff("left", CITY_EDITORS)
    gone.assigned_cities.create(city=removed)
    path = tmp_path / "core-cities.tsv"
    path.write_text("".join(lines), encoding="utf-8")
    call_command("load_published_table", str(path), "--allow-removals", stdout=StringIO())
    assert not City.objects.filter(pk=removed.pk).exists()
    gone.delete()  # an account deleted since has nothing to get back
    importlog.undo(ImportLog.objects.latest("pk"), editor)
    assert list(City.objects.editable_by(kept)) == [removed]


def undo_asked(log):
    """The change list's action form with one import selected, as the "Go" button posts it."""
    return {"action": "undo_import", "_selected_action": [log.pk], "index": 0}


def confirmed_undo(log):
    """The undo page's form, as its "Yes, undo it" button posts it."""
    return {"action": "undo_import", "_selected_action": [log.pk], "post": "yes"}


def template_names(response):
    return [template.name for template in response.templates]


def test_undoing_an_import_asks_first_and_changes_nothing_until_confirmed(client, editor):
    before = state()
    data, _first, _second = links_file(city_with_two_links())
    log = ImportLog.objects.get(pk=import_links(editor, data).log_id)
    after = state()
    sign_in(client, editor)

    page = client.post(LOG, undo_asked(log))

    assert page.status_code == 200
    assert template_names(page)[0] == "admin/directory/importlog/undo_confirmation.html"
    text = page.text
    assert f"Undo import #{log.pk}?" in text
    for shown in ("links.csv", "editor", "1 created, 1 updated, 1 removed", "Yes, undo it"):
        assert shown in text, shown
    assert f'<input type="hidden" name="_selected_action" value="{log.pk}">' in text
    assert '<input type="hidden" name="post" value="yes">' in text
    assert f'href="{LOG}" class="button cancel-link">No, go back</a>' in text
    assert state() == after
    assert not ImportLog.objects.filter(undoes=log).exists()

    done = client.post(LOG, confirmed_undo(log), follow=True)

    assert [str(m) for m in done.context["messages"]][0].startswith(f"Import #{log.pk} undone")
    assert state() == before


def test_the_undo_page_names_the_import_in_japanese_for_a_japanese_staff_user(client, editor):
    data, _first, _second = links_file(city_with_two_links())
    log = ImportLog.objects.get(pk=import_links(editor, data).log_id)
    sign_in(client, editor)
    english = client.post(LOG, undo_asked(log)).text
    StaffProfile.objects.create(user=editor, language="ja")

    japanese = client.post(LOG, undo_asked(log)).text

    assert '<html lang="ja"' in japanese
    assert f"インポート #{log.pk} を取り消しますか？" in japanese
    for shown in ("links.csv", "作成 1・更新 1・削除 1", "はい、取り消します", "いいえ、戻ります"):
        assert shown in japanese, shown
    assert english_left(english, japanese) == []


def test_an_undo_that_would_be_refused_says_so_without_asking_first(client, editor):
    data, first, _second = links_file(city_with_two_links())
    log = ImportLog.objects.get(pk=import_links(editor, data).log_id)
    other = ImportLog.objects.get(pk=import_links(editor, links_file(hakodate())[0]).log_id)
    first.refresh_from_db()
    first.label = "Changed by staff since"
    first.save()
    sign_in(client, editor)

    changed = client.post(LOG, undo_asked(log), follow=True)
    both = client.post(
        LOG, {**undo_asked(log), "_selected_action": [log.pk, other.pk]}, follow=True
    )
    importlog.undo(other, editor)
    undone = client.post(LOG, undo_asked(other), follow=True)

    for response in (changed, both, undone):
        assert "admin/directory/importlog/undo_confirmation.html" not in template_names(response)
    assert f"Import #{log.pk} cannot be undone" in str(list(changed.context["messages"])[0])
    assert [str(m) for m in both.context["messages"]] == ["Select one import to undo at a time."]
    assert [str(m) for m in undone.context["messages"]] == [
        f"Import #{other.pk} has already been undone."
    ]
    assert ImportLog.objects.filter(kind="undo").count() == 1


def test_the_admin_log_is_read_only_and_undoes_from_its_action(client, editor):
    data, _first, _second = links_file(city_with_two_links())
    before = state()
    log = ImportLog.objects.get(pk=import_links(editor, data).log_id)
    sign_in(client, editor)
    listing = client.get(LOG)
    assert listing.status_code == 200 and "links.csv" in listing.text
    assert client.get(reverse("admin:directory_importlog_add")).status_code == 403
    entry = client.get(reverse("admin:directory_importlog_change", args=[log.pk]))
    assert entry.status_code == 200 and 'name="_save"' not in entry.text

    response = client.post(LOG, confirmed_undo(log), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    undo = ImportLog.objects.get(undoes=log)
    assert messages == [
        f"Import #{log.pk} undone, recorded as #{undo.pk}: 1 created, 1 updated, 1 removed "
        "(3 records)."
    ]
    assert state() == before
    again = client.post(LOG, confirmed_undo(log), follow=True)
    assert [str(m) for m in again.context["messages"]] == [
        f"Import #{log.pk} has already been undone."
    ]


def test_a_city_editor_sees_and_undoes_only_the_entries_of_their_own_cities(client, editor):
    own, other = city_with_two_links(), hakodate()
    assert own != other
    city_editor = make_staff("local", CITY_EDITORS, cities=[own])
    mine = ImportLog.objects.get(pk=import_links(city_editor, links_file(own)[0]).log_id)
    theirs = ImportLog.objects.get(pk=import_links(editor, links_file(other)[0]).log_id)
    call_command("load_published_table", "--allow-removals", stdout=StringIO())
    load = ImportLog.objects.latest("pk")

    assert list(ImportLog.objects.visible_to(city_editor)) == [mine]
    sign_in(client, city_editor)
    listing = client.get(LOG)
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [mine]
    for hidden in (theirs, load):
        url = reverse("admin:directory_importlog_change", args=[hidden.pk])
        # As for any record out of reach: "doesn't exist", back to the admin's index.
        assert client.get(url).url == reverse("admin:index")
    # Undoing another city's import from a forged form does nothing.
    client.post(LOG, confirmed_undo(theirs))
    assert not ImportLog.objects.filter(undoes=theirs).exists()


def test_a_city_editor_cannot_open_the_undo_page_of_another_city_s_import_nor_confirm_it(
    client, editor
):
    own, other = city_with_two_links(), hakodate()
    city_editor = make_staff("local", CITY_EDITORS, cities=[own])
    mine = ImportLog.objects.get(pk=import_links(city_editor, links_file(own)[0]).log_id)
    theirs = ImportLog.objects.get(pk=import_links(editor, links_file(other)[0]).log_id)
    after = state()
    sign_in(client, city_editor)

    forged = client.post(LOG, undo_asked(theirs), follow=True)
    assert "admin/directory/importlog/undo_confirmation.html" not in template_names(forged)
    assert f"#{theirs.pk}" not in forged.text
    client.post(LOG, confirmed_undo(theirs))
    assert state() == after
    assert not ImportLog.objects.filter(undoes=theirs).exists()
    # Their own import they may undo, through the page.
    asked = client.post(LOG, undo_asked(mine))
    assert f"Undo import #{mine.pk}?" in asked.text
    client.post(LOG, confirmed_undo(mine))
    assert ImportLog.objects.filter(undoes=mine).exists()


def test_a_city_editor_cannot_undo_an_import_that_added_a_city(editor):
    prefecture = hakodate().prefecture
    code = valid_code("01999")
    data = "code,prefecture,name,name_ja,name_kana\r\n"
    data += f"{code},{prefecture.code},Testtown,試験町,しけん\r\n"
    report = importing.run_import(
        "cities", data.encode(), "csv", user=editor, dry_run=False, file_name="c.csv"
    )
    assert report.ok, [str(e) for e in report.errors]
    city = City.objects.get(code=code)
    city_editor = make_staff("local", CITY_EDITORS, cities=[city])
    log = ImportLog.objects.get(pk=report.log_id)
    assert list(ImportLog.objects.visible_to(city_editor)) == [log]
    with pytest.raises(importlog.UndoRefused, match="Only directory editors"):
        importlog.undo(log, city_editor)
    assert City.objects.filter(code=code).exists()
    importlog.undo(log, editor)
    assert not City.objects.filter(code=code).exists()


def test_the_undo_command_undoes_once_and_says_why_it_will_not_again(editor):
    before = state()
    log = ImportLog.objects.get(
        pk=import_links(editor, links_file(city_with_two_links())[0]).log_id
    )
    out = StringIO()
    call_command("undo_import", str(log.pk), stdout=out)
    undo = ImportLog.objects.get(undoes=log)
    assert f"Import #{log.pk} undone, recorded as #{undo.pk}" in out.getvalue()
    assert (undo.via, undo.user) == ("command", None)
    assert state() == before
    with pytest.raises(CommandError, match="already been undone"):
        call_command("undo_import", str(log.pk))
    with pytest.raises(CommandError, match="no import #9999"):
        call_command("undo_import", "9999")


def test_undoing_the_removal_of_a_desk_gives_its_classes_their_desk_back(editor):
    link = ClassLink.objects.filter(department__isnull=False).select_related("city").first()
    department = link.department
    before = state()
    data = f'city,name,delete\r\n{link.city.code},"{department.name}",yes\r\n'.encode()
    report = importing.run_import(
        "departments", data, "csv", user=editor, dry_run=False, confirmed_removals=None
    )
    assert report.ok and ClassLink.objects.get(pk=link.pk).department is None
    importlog.undo(ImportLog.objects.get(pk=report.log_id), editor)
    assert state() == before
    assert ClassLink.objects.get(pk=link.pk).department == department


def test_a_city_deleted_by_a_spreadsheet_comes_back_with_the_desks_and_classes_it_took(editor):
    city = city_with_two_links()
    before = state()
    data = f"code,delete\r\n{city.code},yes\r\n".encode()
    report = importing.run_import(
        "cities", data, "csv", user=editor, dry_run=False, confirmed_removals=None
    )
    assert report.ok, [str(e) for e in report.errors]
    assert not City.objects.filter(pk=city.pk).exists()
    # The desks and classes the deletion took with it name the import in their history too.
    reason = f"Import #{report.log_id}: cities"
    gone = Department.history.filter(city_id=city.pk, history_type="-")
    assert gone.exists() and set(gone.values_list("history_change_reason", flat=True)) == {reason}
    importlog.undo(ImportLog.objects.get(pk=report.log_id), editor)
    assert state() == before
