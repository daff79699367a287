"""Site-wide middleware: a request holding a NUL character is refused with 400, never a 500.

PostgreSQL refuses NUL in text, so each of these reached a query and failed there as a 500
before the middleware; on SQLite they answered 200 or 404. Django's test client is told not to
raise, so a server error shows as the status a visitor would get.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from directory.models import City, Department, ProblemReport
from directory.roles import DIRECTORY_EDITORS
from tests.builders import department_form, make_city, make_department, make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city(name="Nulltown")


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.fixture
def staff(city):
    client = Client(raise_request_exception=False)
    return sign_in(client, make_staff("boss", DIRECTORY_EDITORS))


@pytest.mark.parametrize(
    "url",
    [
        "/en/prefectures/%00/",
        "/en/cities/%00/",
        "/en/cities/%00/report/",
        "/en/search/?q=%00",
        "/en/search/?q=Sap%00poro",
        "/en/search/?prefecture=%00",
        "/en/prefectures/13/?page=%00",
        "/en/search/?%00=1",
    ],
)
def test_a_public_url_with_a_nul_is_a_bad_request(visitor, city, url):
    assert visitor.get(url).status_code == 400


def test_a_problem_report_with_a_nul_is_refused_and_not_stored(visitor, city):
    url = reverse("directory:city-report", args=[city.slug])
    for data in (
        {"kind": "other", "message": "The link\x00is broken"},
        {"kind": "other\x00", "message": "The link is broken"},
        {"kind": "other", "message": "ok", "website\x00": ""},
    ):
        assert visitor.post(url, data).status_code == 400
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/directory/city/%00/change/",
        "/admin/directory/city/%00/history/",
        "/admin/directory/city/{pk}/history/%00/",
        "/admin/directory/city/?q=%00",
        "/admin/directory/city/?prefecture__region=%00",
        "/admin/directory/department/?city__prefecture__region=%00",
        "/admin/directory/problemreport/?kind=%00",
        "/admin/directory/linkcheck/?error=%00",
        "/admin/autocomplete/?app_label=directory&model_name=department&field_name=city&term=%00",
    ],
)
def test_an_admin_url_with_a_nul_is_a_bad_request(staff, city, url):
    assert staff.get(url.format(pk=city.pk)).status_code == 400


def test_an_admin_form_post_with_a_nul_is_refused_and_changes_nothing(staff, city):
    department = make_department(city, name="International Affairs")
    url = reverse("admin:directory_department_change", args=[department.pk])
    data = department_form(department, email="desk@example.jp")
    assert staff.post(url, {**data, "name": "International\x00Affairs"}).status_code == 400
    assert staff.post(url, {**data, "city": f"{city.pk}\x00", "name": "X"}).status_code == 400
    assert Department.objects.get(pk=department.pk).name == "International Affairs"
    # The same form without the NUL is saved: the refusal is the NUL's alone.
    assert staff.post(url, {**data, "name": "International Desk"}).status_code == 302
    assert Department.objects.get(pk=department.pk).name == "International Desk"


def test_an_admin_action_with_a_nul_in_the_selection_is_refused(staff, city):
    url = reverse("admin:directory_city_changelist")
    data = {"action": "delete_selected", "_selected_action": f"{city.pk}\x00", "post": "yes"}
    assert staff.post(url, data).status_code == 400
    assert City.objects.filter(pk=city.pk).exists()


def test_a_nul_in_a_cookie_or_header_is_a_bad_request(visitor, city):
    # The session key goes to the database on PostgreSQL; a quoted cookie may carry \000.
    visitor.cookies["sessionid"] = "\x00" * 32
    assert visitor.get("/admin/").status_code == 400
    assert Client().get("/en/", headers={"user-agent": "bot\x00"}).status_code == 400


def test_a_visitor_whose_search_holds_a_nul_is_told_why_in_their_language(visitor):
    response = visitor.get("/vi/search/?q=Sap%00poro")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Có ký tự không đọc được" in page
    # The way on, in the same language: a search box and the list of prefectures.
    assert 'action="/vi/search/"' in page and 'href="/vi/"' in page
    # What was sent is not shown again.
    assert "Sap" not in page


def test_an_address_with_no_language_is_answered_in_the_browsers(city):
    client = Client(raise_request_exception=False, headers={"accept-language": "ja"})
    response = client.get("/admin/directory/city/?q=%00")
    assert response.status_code == 400
    assert "読み取れない文字があります" in response.content.decode()


@override_settings(SITE_URL="https://madoguchi.example.jp")
def test_a_request_for_a_host_the_site_does_not_serve_is_pointed_to_the_sites_address(visitor):
    # An old name or the server's IP address: a search box there would be refused again.
    response = visitor.get("/ko/", headers={"host": "203.0.113.7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="ko">' in page
    assert "이 사이트는 다른 주소에 있습니다" in page
    assert '<a href="https://madoguchi.example.jp/ko/">' in page
    assert "읽을 수 없는 문자" not in page and 'action="/ko/search/"' not in page


def test_the_refusal_page_keeps_the_sites_content_security_policy(visitor):
    # It is made before CSPMiddleware runs; without the header it could be framed.
    policy = visitor.get("/vi/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    for response in (
        visitor.get("/vi/search/?q=Sap%00poro"),
        visitor.get("/ko/", headers={"host": "madoguchi.example.evil"}),
    ):
        assert response.status_code == 400
        assert response.headers["Content-Security-Policy"] == policy


def test_a_spreadsheet_upload_whose_bytes_hold_nul_is_still_read(staff, city):
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "name"])
    workbook.active.append([city.code, "Nulltown"])
    content = io.BytesIO()
    workbook.save(content)
    assert b"\x00" in content.getvalue()  # a zip archive: only its name and fields are checked
    upload = SimpleUploadedFile("cities.xlsx", content.getvalue())
    response = staff.post(reverse("admin:directory_city_import"), {"import_file": upload})
    assert response.status_code == 302 and "preview=" in response["Location"]
