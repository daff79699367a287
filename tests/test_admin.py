"""The directory admin: lists, validation on save, roles, history and login throttling."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory.admin import CloseReportsForm
from directory.importexport import exporting, importing, importlog
from directory.models import City, ClassLink, Department, Prefecture
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import (
    city_form,
    department_form,
    make_city,
    make_staff,
    sign_in,
    valid_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, seed):
    sign_in(client, make_staff("editor", DIRECTORY_EDITORS))
    return client


def test_the_migration_creates_both_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {DIRECTORY_EDITORS, CITY_EDITORS}


def test_the_city_list_shows_counts_without_a_query_per_row(editor_client):
    url = reverse("admin:directory_city_changelist")
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url + "?q=Hakodate")
    with CaptureQueriesContext(connection) as many:
        response = editor_client.get(url)
    assert len(many) == len(few)
    hakodate = City.objects.with_counts().get(name="Hakodate")
    rows = response.content.decode()
    assert f'<td class="field-department_count">{hakodate.department_count}</td>' in rows


@pytest.mark.parametrize("query", ["Hakodate", "函館", "はこだて", "012025"])
def test_the_city_list_searches_names_readings_and_codes(editor_client, query):
    response = editor_client.get(reverse("admin:directory_city_changelist"), {"q": query})
    assert list(response.context["cl"].result_list.values_list("name", flat=True)) == ["Hakodate"]


@pytest.mark.parametrize("query", ["国際交流課", "文化スポーツ部"])
def test_a_desk_is_found_by_its_japanese_name_in_the_list_and_a_class_s_desk_box(
    editor_client, query
):
    desk = Department.objects.get(city__code="072036", name__startswith="Equality")
    desk.name_ja = "文化スポーツ部国際交流課"
    desk.save()
    listed = editor_client.get(reverse("admin:directory_department_changelist"), {"q": query})
    assert list(listed.context["cl"].result_list) == [desk]
    field = {"app_label": "directory", "model_name": "classlink", "field_name": "department"}
    offered = editor_client.get(reverse("admin:autocomplete"), {**field, "term": query})
    assert [result["id"] for result in offered.json()["results"]] == [str(desk.pk)]


def test_the_city_list_filters_cities_without_class_links(editor_client):
    ClassLink.objects.filter(city__name="Hakodate").delete()
    response = editor_client.get(
        reverse("admin:directory_city_changelist"), {"has_class_links": "no"}
    )
    names = list(response.context["cl"].result_list.values_list("name", flat=True))
    assert "Hakodate" in names and "Asahikawa" not in names


def test_the_city_list_counts_and_filters_only_classes_that_have_not_ended(editor_client):
    ClassLink.objects.filter(city__name="Hakodate").update(status="ended")
    url = reverse("admin:directory_city_changelist")
    response = editor_client.get(url, {"has_class_links": "no", "q": "Hakodate"})
    assert list(response.context["cl"].result_list.values_list("name", flat=True)) == ["Hakodate"]
    assert '<td class="field-class_link_count">0</td>' in response.content.decode()
    response = editor_client.get(url, {"has_class_links": "yes"})
    names = list(response.context["cl"].result_list.values_list("name", flat=True))
    assert "Hakodate" not in names and "Asahikawa" in names


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.jp/"])
def test_the_admin_refuses_a_url_that_is_not_a_web_address(editor_client, bad):
    department = Department.objects.first()
    url = reverse("admin:directory_department_change", args=[department.pk])
    response = editor_client.post(url, department_form(department, url=bad))
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    department.refresh_from_db()
    assert department.url.startswith("http")


def test_the_admin_stores_a_published_at_address_as_an_email_address(editor_client):
    department = Department.objects.first()
    url = reverse("admin:directory_department_change", args=[department.pk])
    response = editor_client.post(url, department_form(department, email="desk[at]city.jp"))
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.email == "desk@city.jp"
    assert department.history.latest().history_user.username == "editor"


def test_a_city_editor_sees_and_edits_only_assigned_cities(client, seed):
    hakodate, asahikawa = City.objects.get(name="Hakodate"), City.objects.get(name="Asahikawa")
    sign_in(client, make_staff("hakodate", CITY_EDITORS, [hakodate]))
    response = client.get(reverse("admin:directory_city_changelist"))
    assert list(response.context["cl"].result_list) == [hakodate]
    theirs = Department.objects.filter(city=asahikawa).first()
    change = reverse("admin:directory_department_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # "does not exist", back to the index
    client.post(change, department_form(theirs, email="hijack@example.jp"))
    theirs.refresh_from_db()
    assert theirs.email != "hijack@example.jp"
    mine = Department.objects.filter(city=hakodate).first()
    mine_url = reverse("admin:directory_department_change", args=[mine.pk])
    response = client.post(mine_url, department_form(mine, city=asahikawa.pk))
    assert response.status_code == 200  # another city is not a valid choice
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_only_superusers_manage_users(client, db):
    sign_in(client, make_staff("editor", DIRECTORY_EDITORS))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    sign_in(client, make_staff("root", superuser=True))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_a_change_can_be_reverted_from_the_history_page(editor_client):
    department = Department.objects.first()
    old_email = department.email
    change = reverse("admin:directory_department_change", args=[department.pk])
    editor_client.post(change, department_form(department, email="new@city.jp"))
    history = editor_client.get(reverse("admin:directory_department_history", args=[department.pk]))
    assert "new@city.jp" in history.content.decode()
    first = department.history.earliest()
    revert = reverse(
        "admin:directory_department_simple_history", args=[department.pk, first.history_id]
    )
    response = editor_client.post(revert, department_form(department, email=old_email))
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.email == old_email


def test_the_history_page_names_a_yes_no_or_empty_value_in_words(editor_client):
    department = Department.objects.first()
    change = reverse("admin:directory_department_change", args=[department.pk])
    data = department_form(department, remote_interpretation="true", email="")
    editor_client.post(change, data, headers={"accept-language": "ja"})
    history = editor_client.get(
        reverse("admin:directory_department_history", args=[department.pk]),
        headers={"accept-language": "ja"},
    ).content.decode()
    assert ": — → はい" in " ".join(history.split())
    assert "None" not in history and "True" not in history


def test_the_history_page_names_the_import_that_wrote_a_record_in_japanese(editor_client):
    department = Department.objects.first()
    page = editor_client.get(
        reverse("admin:directory_department_history", args=[department.pk]),
        headers={"accept-language": "ja"},
    ).content.decode()
    assert re.search(r"<td>インポート #\d+：core-cities\.tsv</td>", page)
    with translation.override("ja"):
        undo = importlog.shown_reason("Import #13: undo of import #12")
    assert undo == "インポート #13：インポート #12 の取り消し"
    assert importlog.shown_reason("Edited by hand") == "Edited by hand"


def test_the_revert_page_names_its_way_back_in_japanese(editor_client):
    department = Department.objects.first()
    version = department.history.earliest()
    revert = reverse(
        "admin:directory_department_simple_history", args=[department.pk, version.history_id]
    )
    page = editor_client.get(revert, headers={"accept-language": "ja"}).content.decode()
    breadcrumbs = " ".join(page.split('<div class="breadcrumbs">')[1].split("</div>")[0].split())
    assert "ホーム</a> › <a" in breadcrumbs.replace("&rsaquo;", "›")
    assert (
        ">窓口一覧</a>" in breadcrumbs
        and ">担当課</a>" in breadcrumbs
        and ">履歴</a>" in breadcrumbs
    )
    assert "Historical" not in breadcrumbs and "Directory" not in breadcrumbs


def test_a_page_the_admin_does_not_have_is_the_admins_own_with_the_way_back(client, db):
    other = make_city(name="Otherville")
    desk = Department.objects.create(city=other, name="Desk")
    sign_in(client, make_staff("mine", CITY_EDITORS, [make_city(name="Mytown")]))
    history = reverse("admin:directory_department_history", args=[desk.pk])
    for url in (history, "/admin/directory/no-such-page/"):
        response = client.get(url, headers={"accept-language": "ja"})
        assert response.status_code == 404
        page = response.content.decode()
        assert "ページが見つかりません" in page and "madoguchi 管理サイト" in page
        assert f'href="{reverse("admin:index")}"' in page
        assert "Otherville" not in page and 'class="search-box"' not in page
    # The public site keeps its own.
    public = client.get("/ja/no-such-page/")
    assert public.status_code == 404 and 'class="search-box"' in public.content.decode()


def test_repeated_failed_logins_are_throttled_with_a_clear_message(client, db):
    make_staff("editor", DIRECTORY_EDITORS)
    login = reverse("admin:login")
    for _ in range(5):
        client.post(login, {"username": "editor", "password": "wrong"})
    response = client.post(login, {"username": "editor", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "too many" in response.content.decode().lower()


def test_an_upload_is_previewed_then_applied_only_on_confirm(editor_client):
    department = Department.objects.first()
    upload = SimpleUploadedFile(
        "desks.csv",
        f'city,name,email\n{department.city.code},"{department.name}",new@city.jp\n'.encode(),
    )
    import_url = reverse("admin:directory_department_import")
    preview = editor_client.post(import_url, {"import_file": upload}, follow=True)
    assert preview.context["report"].summary() == "0 new, 1 updated, 0 unchanged, 0 deleted"
    department.refresh_from_db()
    assert department.email != "new@city.jp"
    confirm = reverse("admin:directory_department_process_import")
    assert editor_client.get(confirm).status_code == 405
    response = editor_client.post(confirm, {"token": preview.context["token"]})
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.email == "new@city.jp"
    # A preview is applied once: confirming it again finds it expired.
    again = editor_client.post(confirm, {"token": preview.context["token"]}, follow=True)
    assert "expired" in again.content.decode()


def test_a_note_typed_in_the_admin_is_stored_with_lf_so_its_export_imports_unchanged(
    editor_client,
):
    city = City.objects.get(code="012025")
    desk = city.departments.first()
    # As a browser sends a text area: each line break as CR LF.
    typed = "祝日は休み\r\n12月29日から1月3日も休み"
    city_change = reverse("admin:directory_city_change", args=[city.pk])
    assert editor_client.post(city_change, city_form(city, note=typed)).status_code == 302
    desk_change = reverse("admin:directory_department_change", args=[desk.pk])
    assert (
        editor_client.post(desk_change, department_form(desk, hours_note=typed)).status_code == 302
    )
    city.refresh_from_db()
    desk.refresh_from_db()
    assert city.note == desk.hours_note == "祝日は休み\n12月29日から1月3日も休み"
    for kind in ("cities", "departments"):
        report = importing.run_import(kind, exporting.export(kind, "csv"), "csv")
        assert report.ok and report.counts["updated"] == 0, report.changes


def test_every_text_area_of_the_admin_stores_its_line_breaks_as_lf(rf, db):
    request = rf.get("/")
    request.user = make_staff("root", superuser=True)
    # Ours: the sign-in throttle's own admin (axes) only shows what it recorded.
    models_ = apps.get_app_config("directory").get_models()
    admins = [admin.site.get_model_admin(m) for m in models_ if admin.site.is_registered(m)]
    forms = [(each.model, each.get_form(request)) for each in admins]
    forms += [
        (inline.model, inline.get_formset(request).form)
        for each in admins
        for inline in each.get_inline_instances(request)
    ]
    fields = {
        (model.__name__, name): field
        for model, form in forms
        for name, field in form.base_fields.items()
        if isinstance({f.name: f for f in model._meta.get_fields()}.get(name), models.TextField)
    }
    fields["CloseReportsForm", "resolution"] = CloseReportsForm().fields["resolution"]
    assert {("City", "note"), ("Department", "hours_note"), ("ClassLink", "sign_up")} <= set(fields)
    for name, field in fields.items():
        assert field.clean("一行目\r\n二行目") == "一行目\n二行目", name


def add_city(client, code, name="Sakuradai"):
    """Post the admin's add-city form, as a browser does, with the code as typed."""
    data = {
        **city_form(make_city("07"), name=name, code=code, slug=""),
        "prefecture": Prefecture.objects.get(code="07").pk,
        "number": "",
    }
    return client.post(reverse("admin:directory_city_add"), data, headers={"accept-language": "ja"})


SAKURADAI = valid_code("07991")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "typed",
    [SAKURADAI.translate(FULL_WIDTH), SAKURADAI[1:], SAKURADAI[1:].translate(FULL_WIDTH)],
    ids=["full-width digits", "leading zero dropped", "both"],
)
def test_a_city_code_typed_in_full_width_or_without_its_leading_zero_is_read_as_an_import_does(
    editor_client, typed
):
    response = add_city(editor_client, typed)

    assert response.status_code == 302
    assert City.objects.get(name="Sakuradai").code == SAKURADAI


def test_a_five_digit_city_code_whose_check_digit_does_not_fit_is_refused_in_japanese(
    editor_client,
):
    wrong = next(d for d in "0123456789" if d != SAKURADAI[-1])

    response = add_city(editor_client, SAKURADAI[1:-1] + wrong)

    assert response.status_code == 200
    assert not City.objects.filter(name="Sakuradai").exists()
    assert "地方公共団体コードは6桁の数字です。" in response.content.decode()


def test_a_citys_revert_page_says_in_japanese_that_its_desks_and_classes_stay_as_they_are(
    editor_client,
):
    city = City.objects.get(name="Hakodate")
    revert = reverse(
        "admin:directory_city_simple_history", args=[city.pk, city.history.earliest().history_id]
    )
    history = reverse("admin:directory_city_history", args=[city.pk])
    note = "担当課と日本語教室のリンクは今のまま変わりません。"
    for url in (revert, history):
        page = editor_client.get(url, headers={"accept-language": "ja"}).content.decode()
        assert note in page, url
