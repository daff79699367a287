"""Loading the association's table keeps the fields staff changed since the last load, marks
them in the report and the admin's preview, and replaces them only when told to."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from directory.importexport.published_table import DEFAULT_PATH
from directory.models import City, ClassLink, Department, ImportLog
from directory.roles import DIRECTORY_EDITORS
from tests.builders import department_form, make_staff, sign_in

pytestmark = pytest.mark.django_db

PUBLISHED = "kanko@city.matsuyama.ehime.jp"
STAFF = "kokusai@city.matsuyama.ehime.jp"
CITY_IMPORT = reverse("admin:directory_city_import")
CITY_CONFIRM = reverse("admin:directory_city_process_import")


def load(*args):
    out = StringIO()
    call_command("load_published_table", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def editor(seed):
    return make_staff("editor", DIRECTORY_EDITORS)


def edit_as_staff(client, editor, **changes):
    """Change Matsuyama's desk through the admin's form, as staff do."""
    department = Department.objects.get(email=PUBLISHED)
    sign_in(client, editor)
    url = reverse("admin:directory_department_change", args=[department.pk])
    response = client.post(url, department_form(department, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    department.refresh_from_db()
    return department


def upload_table(client, text=None, language="en"):
    text = DEFAULT_PATH.read_text(encoding="utf-8") if text is None else text
    upload = SimpleUploadedFile("core-cities.tsv", text.encode())
    headers = {"accept-language": language}
    response = client.post(CITY_IMPORT, {"import_file": upload}, headers=headers, follow=True)
    assert response.status_code == 200
    assert "token" in response.context, response.context.get("report")
    return response


def test_a_desks_email_changed_by_staff_is_kept_by_the_next_load_and_said_to_be(client, editor):
    department = edit_as_staff(client, editor, email=STAFF)
    output = load()
    department.refresh_from_db()
    assert department.email == STAFF
    today = timezone.localdate().isoformat()
    assert (
        f"    E-mail: '{STAFF}' changed by staff on {today}, kept (the table has '{PUBLISHED}')"
        in output
    )
    assert "0 new, 0 updated, 195 unchanged, 0 deleted, 1 staff edit kept" in output
    # Kept again by every later load, until someone chooses otherwise.
    assert "1 staff edit kept" in load()
    assert Department.objects.get(pk=department.pk).email == STAFF


def test_a_desk_renamed_by_staff_keeps_its_name_and_details_through_the_next_load(client, editor):
    department = edit_as_staff(client, editor, name="International Exchange Desk (3rd floor)")
    output = load()
    department.refresh_from_db()
    # Found by its e-mail, not removed and made again from the table.
    assert department.name == "International Exchange Desk (3rd floor)"
    assert "Name: 'International Exchange Desk (3rd floor)' changed by staff on" in output
    assert "0 new, 0 updated, 195 unchanged, 0 deleted, 1 staff edit kept" in output


def test_a_class_link_staff_moved_to_a_new_address_keeps_it_and_its_details_through_a_load(
    editor,
):
    link = ClassLink.objects.get(city__name="Akita City")
    published = link.url
    link.url, link.name, link.fee = f"{published}nihongo/", "秋田市日本語教室", 500
    link.save()
    output = load()
    # Found by the address the last load gave it, not removed and made again from the table.
    link.refresh_from_db()
    assert (link.url, link.name, link.fee) == (f"{published}nihongo/", "秋田市日本語教室", 500)
    assert f"URL: '{published}nihongo/' changed by staff on" in output
    assert "class links: 0 new, 0 updated, 65 unchanged, 0 deleted" in output
    # Overwritten only when asked: the table's address, the staff's details still there.
    load("--overwrite-staff-edits")
    link.refresh_from_db()
    assert (link.url, link.name, link.fee) == (published, "秋田市日本語教室", 500)


def test_overwriting_staff_edits_is_a_choice_and_is_reported(client, editor):
    department = edit_as_staff(client, editor, email=STAFF)
    output = load("--overwrite-staff-edits")
    department.refresh_from_db()
    assert department.email == PUBLISHED
    assert f"changed by staff on {timezone.localdate().isoformat()}, overwritten" in output
    assert "1 staff edit overwritten" in output
    # The table's value is what the last load set now: nothing is left to keep.
    assert "staff edit" not in load()


def test_the_tables_other_changes_to_a_record_staff_edited_still_apply(client, editor, tmp_path):
    department = edit_as_staff(client, editor, email=STAFF)
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    old_url = department.url
    assert old_url and old_url in text
    path = tmp_path / "core-cities.tsv"
    path.write_text(
        text.replace(old_url, "https://example.jp/matsuyama").replace("kanko[at]", "tourism[at]"),
        encoding="utf-8",
    )
    output = load(str(path))
    department.refresh_from_db()
    assert (department.url, department.email) == ("https://example.jp/matsuyama", STAFF)
    assert f"    Website: '{old_url}' -> 'https://example.jp/matsuyama'" in output
    assert "kept (the table has 'tourism@city.matsuyama.ehime.jp')" in output


def test_a_value_staff_changed_and_changed_back_is_not_a_staff_edit(client, editor):
    edit_as_staff(client, editor, email=STAFF)
    edit_as_staff_back = Department.objects.get(email=STAFF)
    edit_as_staff_back.email = PUBLISHED
    edit_as_staff_back.save()
    assert "staff edit" not in load()


def test_a_number_staff_gave_a_city_that_the_table_gives_another_is_refused_by_line(
    editor, tmp_path
):
    naha = City.objects.get(name="Naha City")
    naha.number = 62  # staff number the footnote city
    naha.save()
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    path = tmp_path / "core-cities.tsv"
    path.write_text(text.replace("\n1\tHokkaido\tHakodate", "\n62\tHokkaido\tHakodate"))
    before = list(City.objects.values_list("pk", "number"))
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_published_table", str(path), stdout=StringIO(), stderr=err)
    clash = "line 4: the table gives No. 62 to Hakodate, but staff gave that number to Naha City"
    assert clash in err.getvalue() and "overwrite the staff edits" in err.getvalue()
    assert "Nothing was imported" in str(caught.value)
    assert list(City.objects.values_list("pk", "number")) == before
    load(str(path), "--overwrite-staff-edits")
    assert City.objects.get(name="Hakodate").number == 62
    assert City.objects.get(name="Naha City").number is None


def test_the_admin_preview_marks_a_kept_staff_edit_and_confirming_keeps_it(client, editor):
    department = edit_as_staff(client, editor, email=STAFF)
    preview = upload_table(client)
    page = preview.text
    assert "changed by staff on" in page and ", kept" in page
    assert 'name="overwrite_staff_edits"' in page
    [change] = preview.context["page"].object_list
    assert change.staff_edits[0][:3] == ("E-mail", STAFF, PUBLISHED)
    client.post(CITY_CONFIRM, {"token": preview.context["token"]})
    department.refresh_from_db()
    assert department.email == STAFF
    assert ImportLog.objects.latest("pk").kept == 1


def test_the_admin_preview_in_japanese_says_the_edit_is_kept(client, editor):
    edit_as_staff(client, editor, email=STAFF)
    page = upload_table(client, language="ja").text
    today = timezone.localdate().isoformat()
    assert f"{today} にスタッフが変更、保持" in page
    assert "スタッフの変更を表の値で上書きする" in page


def test_the_japanese_preview_punctuates_in_japanese_and_names_staff_family_name_first(
    client, editor
):
    editor.first_name, editor.last_name = "花子", "山田"
    editor.save()
    edit_as_staff(client, editor, email=STAFF)
    preview = upload_table(client, language="ja")
    page = " ".join(preview.text.split())
    today = timezone.localdate().isoformat()

    summary = preview.context["report"].summary()
    assert summary.endswith("削除 0 件、スタッフの変更 1 件を保持"), summary
    assert "," not in summary
    assert f"{today} にスタッフが変更、保持（山田 花子）。 表の値：" in page
    assert "(花子 山田)" not in page and "保持." not in page


def test_ticking_overwrite_on_the_preview_replaces_the_staff_edit(client, editor):
    department = edit_as_staff(client, editor, email=STAFF)
    preview = upload_table(client)
    response = client.post(
        CITY_CONFIRM,
        {"token": preview.context["token"], "overwrite_staff_edits": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    department.refresh_from_db()
    assert department.email == PUBLISHED
    latest = department.history.latest()
    log = ImportLog.objects.latest("pk")
    assert latest.history_change_reason == f"Import #{log.pk}: core-cities.tsv"
    assert (log.kind, log.user, log.updated, log.kept) == ("published", editor, 1, 0)
