"""The admin's link health: filters, dashboard counts, proxy originals, freshness and reports."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import City, ClassLink, LinkCheck, LinkCheckRequest, ProblemReport
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import make_city, make_class_link, make_department, make_staff, sign_in
from tests.http_server import LocalServer

pytestmark = pytest.mark.django_db

NOW = "2025-01-01 00:00Z"


@pytest.fixture
def admin_user(db):
    return make_staff("root", superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    return sign_in(client, admin_user)


@pytest.fixture
def editor(db):
    return make_staff("editor", DIRECTORY_EDITORS)


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


@pytest.fixture
def server(settings):
    """A city's web server: it counts every connection, so a check made anyway shows."""
    with LocalServer() as running:
        settings.LINKCHECK_ALLOWED_ADDRESSES = [running.address]
        yield running


@pytest.fixture
def checked(db):
    """Departments whose links were checked broken, redirected, fine, and one never checked."""
    city = make_city()
    records = {
        "broken": make_department(city, "Broken desk", url="https://a.example/gone"),
        "redirected": make_department(city, "Moved desk", url="https://b.example/old"),
        "ok": make_department(city, "Fine desk", url="https://c.example/"),
        "unchecked": make_department(city, "New desk", url="https://d.example/"),
    }
    LinkCheck.objects.create(
        url="https://a.example/gone", status_code=404, error="http", checked_at=NOW
    )
    LinkCheck.objects.create(
        url="https://b.example/old",
        status_code=200,
        final_url="https://b.example/new",
        redirects=[[301, "https://b.example/old"]],
        checked_at=NOW,
    )
    LinkCheck.objects.create(url="https://c.example/", status_code=200, checked_at=NOW)
    make_class_link(city, url="https://a.example/gone")
    return records


@pytest.mark.parametrize("status", ["broken", "redirected", "ok", "unchecked"])
def test_the_department_list_filters_by_link_check(admin_client, checked, status):
    response = admin_client.get(reverse("admin:directory_department_changelist"), {"link": status})
    listed = {department.name for department in response.context["cl"].result_list}
    assert listed == {checked[status].name}


def test_the_admin_index_counts_broken_redirected_and_unchecked_links(admin_client, checked):
    response = admin_client.get(reverse("admin:index"))
    health = response.context["health"]
    assert health["broken"] == {"departments": 1, "class_links": 1}
    assert health["redirected"] == {"departments": 1, "class_links": 0}
    assert health["unchecked"] == {"departments": 1, "class_links": 0}
    assert b'?link=broken">1</a>' in response.content


def test_the_department_list_shows_a_redirect_and_where_it_goes(admin_client, checked):
    response = admin_client.get(reverse("admin:directory_department_changelist"))
    assert b"https://b.example/new" in response.content
    assert b"not yet checked" in response.content


def test_the_admin_shows_the_city_page_a_proxy_url_wraps(admin_client, seed):
    link = ClassLink.objects.get(url__contains="matsumoto.nagano.jp.e.arx.hp.transer.com")
    page = admin_client.get(reverse("admin:directory_classlink_change", args=[link.pk]))
    assert b"https://www.city.matsumoto.nagano.jp/koho/195283.html" in page.content
    listed = admin_client.get(reverse("admin:directory_classlink_changelist"), {"q": "kurume"})
    assert b'href="https://www.city.kurume.fukuoka.jp/1050kurashi/' in listed.content


def test_the_city_action_queues_the_citys_links_and_checks_none(editor_client, editor, server):
    city, other = make_city(), make_city()
    make_department(city, url=server.url("/missing"))
    make_class_link(city, url=server.url("/ok"))
    make_department(other, url=server.url("/broken"))

    response = editor_client.post(
        reverse("admin:directory_city_changelist"),
        {"action": "check_city_links", "_selected_action": [city.pk]},
        follow=True,
    )

    assert server.httpd.connections == 0 and not LinkCheck.objects.exists()
    queued = LinkCheckRequest.objects.all()
    assert {request.url for request in queued} == {server.url("/missing"), server.url("/ok")}
    assert {request.requested_by for request in queued} == {editor}
    assert "2 links queued; they are checked within the hour." in response.content.decode()


def test_the_department_list_shows_a_queued_link_as_pending(editor_client, server):
    department = make_department(make_city(), url=server.url("/ok"))
    changelist = reverse("admin:directory_department_changelist")
    assert "check pending" not in editor_client.get(changelist).content.decode()

    response = editor_client.post(
        changelist,
        {"action": "check_selected_links", "_selected_action": [department.pk]},
        follow=True,
    )

    assert "1 link queued; it is checked within the hour." in response.content.decode()
    assert "<strong>check pending</strong>" in response.content.decode()
    assert server.httpd.connections == 0


def test_a_queued_link_keeps_showing_its_last_result_beside_pending(editor_client, checked):
    broken = checked["broken"]
    editor_client.post(
        reverse("admin:directory_department_changelist"),
        {"action": "check_selected_links", "_selected_action": [broken.pk]},
    )
    page = editor_client.get(reverse("admin:directory_department_change", args=[broken.pk]))
    assert (
        "<strong>check pending</strong>; <strong>HTTP error 404</strong>" in page.content.decode()
    )


def test_the_class_link_list_queues_instead_of_checking(editor_client, server):
    link = make_class_link(make_city(), url=server.url("/ok"))
    editor_client.post(
        reverse("admin:directory_classlink_changelist"),
        {"action": "check_selected_links", "_selected_action": [link.pk]},
    )
    assert list(LinkCheckRequest.objects.values_list("url", flat=True)) == [server.url("/ok")]
    assert server.httpd.connections == 0


def test_checking_again_from_the_link_check_list_queues_the_url(admin_client, checked):
    check = LinkCheck.objects.get(url="https://a.example/gone")
    changelist = reverse("admin:directory_linkcheck_changelist")

    admin_client.post(changelist, {"action": "check_again", "_selected_action": [check.pk]})

    assert list(LinkCheckRequest.objects.values_list("url", flat=True)) == [check.url]
    listed = admin_client.get(changelist).context["cl"].result_list
    assert {row.url: row.link_pending for row in listed} == {
        "https://a.example/gone": True,
        "https://b.example/old": False,
        "https://c.example/": False,
    }


def test_the_command_carries_out_what_the_admin_queued(editor_client, server):
    department = make_department(make_city(), url=server.url("/missing"))
    changelist = reverse("admin:directory_department_changelist")
    editor_client.post(
        changelist, {"action": "check_selected_links", "_selected_action": [department.pk]}
    )

    call_command("check_links", "--requested", "--no-progress")

    assert server.httpd.connections > 0 and not LinkCheckRequest.objects.exists()
    assert LinkCheck.objects.get(url=server.url("/missing")).error == "http"
    page = editor_client.get(changelist).content.decode()
    assert "check pending" not in page and "HTTP error 404" in page


def test_marking_cities_verified_takes_them_off_the_stale_list(admin_client):
    today = timezone.localdate()
    never = make_city(name="Never")
    old = make_city(name="Old", last_verified=today - datetime.timedelta(days=400))
    recent = make_city(name="Recent", last_verified=today - datetime.timedelta(days=30))
    changelist = reverse("admin:directory_city_changelist")

    stale = admin_client.get(changelist, {"verified": "stale"}).context["cl"].result_list
    assert {city.name for city in stale} == {"Never", "Old"}

    admin_client.post(
        changelist, {"action": "mark_verified_today", "_selected_action": [never.pk, old.pk]}
    )

    assert {c.last_verified for c in City.objects.filter(pk__in=[never.pk, old.pk])} == {today}
    assert admin_client.get(changelist, {"verified": "stale"}).context["cl"].result_count == 0
    assert City.objects.get(pk=recent.pk).last_verified == today - datetime.timedelta(days=30)


def test_staff_close_a_report_and_it_leaves_the_open_list(admin_client, admin_user):
    report = ProblemReport.objects.create(city=make_city(), kind="wrong-email", message="bounced")
    changelist = reverse("admin:directory_problemreport_changelist")
    assert admin_client.get(changelist, {"status": "open"}).context["cl"].result_count == 1

    selected = {"action": "close_reports", "_selected_action": [report.pk]}
    # First asked what was done, as a report's own page asks; nothing is closed yet.
    asked = admin_client.post(changelist, selected)
    assert asked.status_code == 200 and b"bounced" in asked.content
    empty = admin_client.post(changelist, {**selected, "resolution": "  "})
    assert "Write what was done before closing the report." in empty.content.decode()
    report.refresh_from_db()
    assert report.is_open

    admin_client.post(changelist, {**selected, "resolution": "Fixed the address"})

    report.refresh_from_db()
    assert report.closed_at is not None and report.closed_by == admin_user
    assert report.resolution == "Fixed the address"
    assert admin_client.get(changelist, {"status": "open"}).context["cl"].result_count == 0


def test_a_city_editor_closes_only_their_own_cities_reports_in_bulk(client):
    own, other = make_city(name="Own"), make_city(name="Other")
    editor = make_staff("owneditor", CITY_EDITORS, [own])
    mine = ProblemReport.objects.create(city=own, kind="wrong-email", message="mine")
    theirs = ProblemReport.objects.create(city=other, kind="wrong-email", message="theirs")
    sign_in(client, editor)
    changelist = reverse("admin:directory_problemreport_changelist")
    selected = {"action": "close_reports", "_selected_action": [mine.pk, theirs.pk]}

    asked = client.post(changelist, selected).content.decode()
    assert "mine" in asked and "theirs" not in asked
    client.post(changelist, {**selected, "resolution": "Done"})

    assert not ProblemReport.objects.get(pk=mine.pk).is_open
    assert ProblemReport.objects.get(pk=theirs.pk).is_open


def test_the_city_page_in_the_admin_shows_proxy_originals_beside_its_links(admin_client, seed):
    city = ClassLink.objects.get(url__contains="translate.google.com").city
    page = admin_client.get(reverse("admin:directory_city_change", args=[city.pk]))
    assert page.status_code == 200
    assert b'href="https://www.city.nara.ig.jp/"' in page.content


def test_the_link_check_list_filters_broken_urls(admin_client, checked):
    response = admin_client.get(reverse("admin:directory_linkcheck_changelist"), {"link": "broken"})
    assert [check.url for check in response.context["cl"].result_list] == ["https://a.example/gone"]


def test_the_link_check_list_names_the_city_and_desk_or_class_each_url_belongs_to(admin_client):
    koriyama = make_city(name="City of Koriyama", name_ja="郡山市")
    nara = make_city(name="City of Nara", name_ja="奈良市")
    shared = "https://shared.example/class"
    make_department(koriyama, "International Desk", name_ja="国際交流課", url=shared)
    make_class_link(nara, url=shared, name="Evening class")
    make_department(nara, "Nara Desk", name_ja="国際課", url="https://nara.example/")
    for url in (shared, "https://nara.example/"):
        LinkCheck.objects.create(url=url, error="dns", checked_at=NOW)
    changelist = reverse("admin:directory_linkcheck_changelist")

    page = admin_client.get(changelist, headers={"accept-language": "ja"}).content.decode()

    assert "リンク元" in page
    assert "郡山市　窓口：国際交流課" in page and "奈良市　教室：Evening class" in page
    assert "奈良市　窓口：国際課" in page

    # Two queries for the page's records however many checks it lists, not one per row.
    with CaptureQueriesContext(connection) as two_checks:
        admin_client.get(changelist)
    for serial in range(5):
        url = f"https://more.example/{serial}"
        make_class_link(koriyama, url=url)
        LinkCheck.objects.create(url=url, error="timeout", checked_at=NOW)
    with CaptureQueriesContext(connection) as seven_checks:
        admin_client.get(changelist)
    assert len(seven_checks) == len(two_checks)


def test_a_failed_checks_page_explains_the_error_in_plain_japanese(admin_client):
    department = make_department(make_city(name_ja="郡山市"), name_ja="国際交流課")
    check = LinkCheck.objects.create(
        url=department.url,
        error="dns",
        message="[Errno -2] Name or service not known",
        checked_at=NOW,
    )
    page = admin_client.get(
        reverse("admin:directory_linkcheck_change", args=[check.pk]),
        headers={"accept-language": "ja"},
    ).content.decode()

    assert "この名前のサーバーが見つかりません" in page
    assert "郡山市　窓口：国際交流課" in page
    # The checker's own message stays, after the explanation, for whoever fixes the server.
    assert page.index("サーバーが見つかりません") < page.index("[Errno -2]")
