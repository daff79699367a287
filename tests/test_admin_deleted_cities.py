"""A city deleted in the admin, found under "Deleted cities" and brought back from its history
with its desks, class links and city editors, as they were when it was removed."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory import version
from directory.models import (
    City,
    CityEditor,
    ClassLink,
    Department,
    DepartmentPhone,
    ProblemReport,
)
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import (
    city_form,
    make_city,
    make_class_link,
    make_department,
    make_full_department,
    make_staff,
    sign_in,
)

pytestmark = pytest.mark.django_db

JAPANESE = {"accept-language": "ja"}


@pytest.fixture
def city():
    return make_city("07", name="Testyama", name_ja="試験山市", slug="testyama")


@pytest.fixture
def editor(client):
    """A directory editor, signed in."""
    return sign_in(client, make_staff("director", DIRECTORY_EDITORS))


def text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def deleted_cities():
    return reverse("admin:directory_city_deleted")


def history_url(city_id):
    return reverse("admin:directory_city_history", args=[city_id])


def removed_an_hour_ago(record):
    """Delete `record` as staff would have, on purpose, an hour before its city went."""
    pk = record.pk
    record.delete()
    an_hour_ago = timezone.now() - timedelta(hours=1)
    type(record).history.filter(id=pk, history_type="-").update(history_date=an_hour_ago)


def delete(client, city):
    """Delete `city` through the admin's delete page; its last version, to revert to."""
    last = city.history.latest("history_id")
    url = reverse("admin:directory_city_delete", args=[city.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not City.objects.filter(pk=city.pk).exists()
    return last


def revert(client, last):
    """Revert a deleted city to version `last` from its history page; the city back."""
    url = reverse("admin:directory_city_simple_history", args=[last.id, last.pk])
    assert f'href="{url}"' in client.get(history_url(last.id)).content.decode()
    assert client.post(url, city_form(last.instance)).status_code == 302
    # Foreign keys are checked at commit, which a test's transaction never reaches: here.
    connection.check_constraints()
    return City.objects.get(pk=last.id)


def test_a_deleted_city_found_under_deleted_cities_comes_back_with_its_desks_classes_and_editors(
    editor, city
):
    desk = make_full_department(city)
    link = make_class_link(city, department=desk)
    hanako = make_staff("hanako", CITY_EDITORS, [city])
    # Removed on purpose an hour before the city went: they stay removed.
    removed_an_hour_ago(make_department(city, "Closed desk"))
    removed_an_hour_ago(DepartmentPhone.objects.create(department=desk, number="024-924-1111"))
    changelist = reverse("admin:directory_city_changelist")
    assert "No city has been deleted." in text(editor.get(deleted_cities()))
    public = city.get_absolute_url()
    assert "024-924-0000" in editor.get(public).content.decode()

    last = delete(editor, city)
    assert editor.get(public).status_code == 404
    # The list of cities leads to the deleted ones, each to its history, in either language.
    assert f'<a href="{deleted_cities()}">Deleted cities</a>' in editor.get(changelist).text
    japanese = editor.get(changelist, headers=JAPANESE)
    assert f'<a href="{deleted_cities()}">削除された市</a>' in japanese.text
    listed = editor.get(deleted_cities())
    assert f'<a href="{history_url(city.pk)}">Testyama</a>' in listed.text
    assert '<td class="who">director</td>' in listed.text
    japanese = editor.get(deleted_cities(), headers=JAPANESE)
    assert f'<a href="{history_url(city.pk)}">試験山市</a>' in japanese.text
    before = version.stored()
    city = revert(editor, last)
    # The editor is told what came back with it.
    shown = text(editor.get(reverse("admin:directory_city_change", args=[city.pk])))
    assert "Also brought back, as they were when it was removed: " in shown
    assert "Departments: 1, Japanese class links: 1, Assigned cities: 1." in shown

    desk = Department.objects.get(pk=desk.pk)
    assert [phone.national for phone in desk.phones.all()] == ["024-924-0000", "024-924-0001"]
    assert desk.hours.count() == 11
    assert list(city.departments.all()) == [desk], "the desk closed before stays closed"
    assert ClassLink.objects.get(pk=link.pk).department == desk
    assert CityEditor.objects.filter(user=hanako, city=city).exists()
    assert "No city has been deleted." in text(editor.get(deleted_cities()))
    # The public pages are made afresh, with the desk.
    assert version.stored() != before
    page = editor.get(public).content.decode()
    assert "024-924-0000" in page and "024-924-1111" not in page
    # Its city editor has their city back.
    own = sign_in(Client(), hanako)
    assert own.get(reverse("admin:directory_city_change", args=[city.pk])).status_code == 200


def test_a_class_whose_desk_was_removed_before_its_city_comes_back_with_no_desk(editor, city):
    desk = make_department(city)
    link = make_class_link(city, department=desk)
    removed_an_hour_ago(desk)

    revert(editor, delete(editor, city))

    assert ClassLink.objects.get(pk=link.pk).department is None
    assert not Department.objects.exists()


def test_an_editor_whose_account_was_deleted_since_is_left_out(editor, city):
    hanako = make_staff("hanako", CITY_EDITORS, [city])
    taro = make_staff("taro", CITY_EDITORS, [city])
    last = delete(editor, city)
    User.objects.filter(pk=taro.pk).delete()

    city = revert(editor, last)

    assert list(city.editors.values_list("user", flat=True)) == [hanako.pk]


def test_a_city_editor_reaches_neither_the_deleted_cities_nor_a_deleted_city_s_history(
    editor, city
):
    hanako = make_staff("hanako", CITY_EDITORS, [city, make_city("07")])
    last = delete(editor, city)
    client = sign_in(Client(), hanako)

    assert client.get(deleted_cities()).status_code == 403
    assert client.get(history_url(city.pk)).status_code == 404
    url = reverse("admin:directory_city_simple_history", args=[last.id, last.pk])
    assert client.post(url, city_form(last.instance)).status_code == 404
    assert not City.objects.filter(pk=city.pk).exists()
    assert deleted_cities() not in client.get(reverse("admin:directory_city_changelist")).text


def test_a_directory_editor_deletes_a_city_with_visitors_reports_which_the_page_lists_first(
    editor, city
):
    # Django refused outright: the role had no right to delete the reports that go with it.
    ProblemReport.objects.create(city=city, kind="wrong-email", message="bounced")
    url = reverse("admin:directory_city_delete", args=[city.pk])
    confirm = text(editor.get(url, headers=JAPANESE))
    assert "関連づけられている以下のオブジェクトも全て削除されます" in confirm
    assert "問題の報告: 1" in confirm
    delete(editor, city)
    assert not ProblemReport.objects.exists()
