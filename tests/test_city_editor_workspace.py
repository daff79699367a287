"""A city editor's own workspace: their dashboard, reports, link checks and cities' identity;
adding a city editor in one form, and password reset for staff."""

import re
import smtplib

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from django.utils import translation

from directory.importexport import importing
from directory.models import CityEditor, LinkCheck, ProblemReport, StaffProfile
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import city_form, make_city, make_department, make_staff, sign_in

pytestmark = pytest.mark.django_db

CHECKED = "2025-01-01 00:00Z"


@pytest.fixture
def own(db):
    return make_city("07", "Ownton", name_ja="自市", slug="ownton", number=901)


@pytest.fixture
def other(db):
    return make_city("07", "Zzotherville", name_ja="他市町", slug="zzotherville", number=902)


@pytest.fixture
def editor(own):
    return make_staff("owntoneditor", CITY_EDITORS, [own])


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


def page_of(response):
    return response.content.decode()


def report_about(city, message):
    return ProblemReport.objects.create(city=city, kind="wrong-email", message=message)


# --- The dashboard ---


def test_a_city_editors_dashboard_lists_their_cities_and_counts_only_theirs(
    editor_client, own, other
):
    report_about(own, "Ownton bounce")
    report_about(other, "Otherville bounce")
    make_department(other, "Other desk", url="https://otherville.example/")
    page = page_of(editor_client.get(reverse("admin:index")))
    own_cities = re.search(r'<div class="module" id="own-cities">.*?</div>', page, re.S).group()
    assert "Ownton" in own_cities and "never verified" in own_cities
    assert "Zzotherville" not in page and "他市町" not in page
    assert re.search(r'<tr id="reports-open">.*?>1</a>', page)
    assert re.search(r'<tr id="departments-unchecked">.*?>0</a>', page)
    # Adding city editors is for directory editors.
    assert "Add a city editor" not in page


def test_a_city_editors_dashboard_in_japanese_names_their_city_in_japanese(editor_client):
    page = page_of(editor_client.get(reverse("admin:index"), headers={"accept-language": "ja"}))
    own_cities = re.search(r'<div class="module" id="own-cities">.*?</div>', page, re.S).group()
    assert "自市" in own_cities and "担当の市" in own_cities


def test_a_directory_editors_dashboard_offers_to_add_a_city_editor(client, own):
    sign_in(client, make_staff("everything", DIRECTORY_EDITORS))
    page = page_of(client.get(reverse("admin:index")))
    assert reverse("admin:add_city_editor") in page
    assert 'id="own-cities"' not in page


# --- Problem reports ---


def test_a_city_editor_lists_their_citys_reports_and_never_another_citys(editor_client, own, other):
    report_about(own, "Ownton bounce")
    report_about(other, "Otherville bounce")
    response = editor_client.get(reverse("admin:directory_problemreport_changelist"))
    assert response.status_code == 200
    assert [r.message for r in response.context["cl"].result_list] == ["Ownton bounce"]
    assert "Otherville" not in page_of(response)


def test_a_city_editor_closes_a_report_from_its_page_with_a_note(editor_client, editor, own):
    report = report_about(own, "The desk's address bounces")
    url = reverse("admin:directory_problemreport_change", args=[report.pk])
    page = page_of(editor_client.get(url))
    assert 'name="_close"' in page and "The desk&#x27;s address bounces" in page

    response = editor_client.post(url, {"resolution": "Fixed the address.", "_close": "1"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert not report.is_open and report.closed_by == editor
    assert report.resolution == "Fixed the address."
    listed = editor_client.get(response["Location"])
    assert "The report about Ownton is closed." in page_of(listed)
    # Its page now offers to reopen it; reopening keeps the note.
    assert 'name="_reopen"' in page_of(editor_client.get(url))
    editor_client.post(url, {"resolution": "Fixed the address.", "_reopen": "1"})
    report.refresh_from_db()
    assert report.is_open and report.closed_by is None
    assert report.resolution == "Fixed the address."


def test_a_report_is_not_closed_without_a_note(editor_client, own):
    report = report_about(own, "Bounces")
    url = reverse("admin:directory_problemreport_change", args=[report.pk])
    response = editor_client.post(url, {"resolution": "  ", "_close": "1"})
    assert response.status_code == 200
    assert "Write what was done before closing the report." in page_of(response)
    report.refresh_from_db()
    assert report.is_open


def test_saving_a_note_alone_keeps_the_report_open(editor_client, own):
    report = report_about(own, "Bounces")
    url = reverse("admin:directory_problemreport_change", args=[report.pk])
    editor_client.post(url, {"resolution": "Asked the desk.", "_save": "1"})
    report.refresh_from_db()
    assert report.is_open and report.resolution == "Asked the desk."


def test_a_city_editor_can_neither_see_nor_close_another_citys_report(editor_client, other):
    report = report_about(other, "Otherville bounce")
    url = reverse("admin:directory_problemreport_change", args=[report.pk])
    missing = reverse("admin:directory_problemreport_change", args=[987654])
    for data in (None, {"resolution": "Hijacked", "_close": "1"}):
        method = editor_client.get if data is None else editor_client.post
        response, nothing = method(url, data), method(missing, data)
        assert (response.status_code, response["Location"].replace(str(report.pk), "ID")) == (
            nothing.status_code,
            nothing["Location"].replace("987654", "ID"),
        )
    report.refresh_from_db()
    assert report.is_open and report.resolution == ""


def test_a_city_editor_cannot_change_what_a_visitor_reported(editor_client, own, other):
    report = report_about(own, "Bounces")
    url = reverse("admin:directory_problemreport_change", args=[report.pk])
    editor_client.post(
        url, {"resolution": "x", "message": "Changed", "city": other.pk, "kind": "other"}
    )
    report.refresh_from_db()
    assert (report.message, report.city, report.kind) == ("Bounces", own, "wrong-email")


# --- Link checks ---


def test_a_city_editor_sees_only_their_citys_link_checks(editor_client, own, other):
    make_department(own, "Own desk", url="https://ownton.example/desk")
    make_department(other, "Other desk", url="https://otherville.example/desk")
    for url in ("https://ownton.example/desk", "https://otherville.example/desk"):
        LinkCheck.objects.create(url=url, status_code=404, error="http", checked_at=CHECKED)
    changelist = reverse("admin:directory_linkcheck_changelist")
    response = editor_client.get(changelist, {"link": "broken"})
    assert response.status_code == 200
    assert [c.url for c in response.context["cl"].result_list] == ["https://ownton.example/desk"]
    assert "otherville" not in page_of(response)
    theirs = LinkCheck.objects.get(url__contains="otherville")
    response = editor_client.get(reverse("admin:directory_linkcheck_change", args=[theirs.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_city_editor_sees_only_their_citys_records_beside_a_url_two_cities_share(
    editor_client, own, other
):
    shared = "https://shared.example/"
    make_department(own, "Own desk", name_ja="自市の窓口", url=shared)
    make_department(other, "Other desk", name_ja="他市町の窓口", url=shared)
    LinkCheck.objects.create(url=shared, status_code=404, error="http", checked_at=CHECKED)
    changelist = reverse("admin:directory_linkcheck_changelist")

    page = page_of(editor_client.get(changelist, headers={"accept-language": "ja"}))

    assert "自市　窓口：自市の窓口" in page
    assert "他市町" not in page


# --- A city's identity: code, number, slug, prefecture ---


IDENTITY = {"code": "012025", "number": "7", "slug": "moved", "prefecture": "1"}


def identity(city):
    city.refresh_from_db()
    return city.code, city.number, city.slug, city.prefecture_id


def test_a_city_editor_sees_a_citys_identity_but_cannot_change_it(editor_client, own):
    url = reverse("admin:directory_city_change", args=[own.pk])
    page = page_of(editor_client.get(url))
    for name in ("code", "number", "slug"):
        assert re.search(rf'<input[^>]*name="{name}"[^>]*disabled', page), name
    before = identity(own)
    response = editor_client.post(url, city_form(own, note="Desk moved upstairs", **IDENTITY))
    assert response.status_code == 302
    assert identity(own) == before
    assert own.note == "Desk moved upstairs"


def test_a_city_editors_revert_keeps_the_identity_a_directory_editor_gave(
    client, editor_client, own
):
    first = own.history.earliest()
    own.number, own.slug = 903, "ownton-renamed"
    own.save()
    revert = reverse("admin:directory_city_simple_history", args=[own.pk, first.history_id])
    response = editor_client.post(revert, city_form(own, note="Reverted"))
    assert response.status_code == 302
    assert identity(own)[1:3] == (903, "ownton-renamed")


def test_a_directory_editor_still_changes_a_citys_number_and_slug(client, own):
    sign_in(client, make_staff("everything", DIRECTORY_EDITORS))
    url = reverse("admin:directory_city_change", args=[own.pk])
    response = client.post(url, city_form(own, number="904", slug="ownton-new"))
    assert response.status_code == 302
    assert identity(own)[1:3] == (904, "ownton-new")


def test_a_city_editors_import_changing_a_citys_identity_names_each_cell(editor, own):
    text = (
        f"code,prefecture,name,number,slug,note\n{own.code},01,Ownton,905,moved,A new note\n"
    ).encode()
    with translation.override("en"):
        report = importing.run_import("cities", text, "csv", user=editor, dry_run=False)
    messages = {(e.line, e.column): str(e) for e in report.errors}
    assert set(messages) == {(2, "prefecture"), (2, "number"), (2, "slug")}
    assert "“905” should be “901”" in messages[2, "number"]
    assert "“moved” should be “ownton”" in messages[2, "slug"]
    assert "“01” should be “07”" in messages[2, "prefecture"]
    own.refresh_from_db()
    assert own.note == "" and own.number == 901
    # The same file with the city's identity as it stands goes through.
    kept = f"code,prefecture,name,number,slug,note\n{own.code},07,Ownton,901,ownton,A note\n"
    assert importing.run_import("cities", kept.encode(), "csv", user=editor, dry_run=False).ok
    own.refresh_from_db()
    assert own.note == "A note"


# --- Adding a city editor ---


def add_form(client, **data):
    fields = {"name": "山田 花子", "email": "hanako@example.jp", "language": "", **data}
    return client.post(reverse("admin:add_city_editor"), fields)


@pytest.fixture
def directory_editor_client(client):
    return sign_in(client, make_staff("everything", DIRECTORY_EDITORS))


def link_in(message):
    return re.search(r"https?://\S+/password-reset/\S+/\S+/", message.body).group()


def test_a_directory_editor_adds_a_city_editor_in_one_form(directory_editor_client, own, other):
    response = add_form(directory_editor_client, cities=[own.pk, other.pk], language="en")
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    user = User.objects.get(email="hanako@example.jp")
    assert user.username == "hanako@example.jp" and user.first_name == "山田 花子"
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [CITY_EDITORS]
    assert set(CityEditor.objects.filter(user=user).values_list("city", flat=True)) == {
        own.pk,
        other.pk,
    }
    assert StaffProfile.objects.get(user=user).language == "en"
    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"]
    assert "Dear 山田 花子," in message.body and "- Ownton" in message.body
    assert "hanako@example.jp" in message.body and "for 3 days" in message.body
    assert "set your password" in message.subject
    notice = page_of(directory_editor_client.get(response["Location"]))
    assert "山田 花子 is now a city editor of Ownton, Zzotherville." in notice


def test_the_new_editor_sets_a_password_from_the_e_mail_and_signs_in(
    directory_editor_client, client, own
):
    add_form(directory_editor_client, cities=[own.pk])
    directory_editor_client.logout()
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    )
    user = User.objects.get(email="hanako@example.jp")
    assert user.check_password("a long new passphrase")
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "hanako@example.jp", "password": "a long new passphrase", "next": "/admin/"},
        follow=True,
    )
    assert "Ownton" in page_of(signed_in)
    # The link worked once.
    assert not client.get(link, follow=True).context["validlink"]


def test_the_invitation_is_in_japanese_unless_the_editor_chose_english(
    directory_editor_client, own
):
    add_form(directory_editor_client, cities=[own.pk])
    [message] = mail.outbox
    assert "パスワード" in message.subject
    assert "- 自市" in message.body and "山田 花子" in message.body


def test_a_deleted_city_editors_group_is_made_again_with_its_permissions(
    directory_editor_client, own
):
    Group.objects.filter(name=CITY_EDITORS).delete()
    add_form(directory_editor_client, cities=[own.pk])
    user = User.objects.get(email="hanako@example.jp")
    assert user.has_perm("directory.view_problemreport")


def test_an_e_mail_address_already_used_is_refused_with_a_clear_message(
    directory_editor_client, own
):
    someone = make_staff("someone", CITY_EDITORS)
    User.objects.filter(pk=someone.pk).update(email="Hanako@Example.jp")
    response = add_form(directory_editor_client, cities=[own.pk])
    assert response.status_code == 200
    assert "There is already an account with the e-mail address hanako@example.jp." in page_of(
        response
    )
    assert User.objects.filter(email__iexact="hanako@example.jp").count() == 1
    assert not mail.outbox


@pytest.mark.parametrize("typed", ["hanako@exａmple.jp", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"])
def test_an_address_already_used_typed_in_full_width_letters_is_refused_too(
    directory_editor_client, own, typed
):
    make_staff("hanako@example.jp", CITY_EDITORS)  # her user name is her address
    response = add_form(directory_editor_client, cities=[own.pk], email=typed)
    assert response.status_code == 200
    assert "There is already an account with the e-mail address" in page_of(response)
    assert User.objects.filter(username__iexact="hanako@example.jp").count() == 1
    assert not mail.outbox


def test_the_form_asks_for_a_name_an_address_and_a_city(directory_editor_client):
    response = add_form(directory_editor_client, name="", email="not an address")
    errors = response.context["form"].errors
    assert set(errors) == {"name", "email", "cities"}
    assert not User.objects.filter(username="not an address").exists()


def test_no_account_is_left_when_the_e_mail_cannot_be_sent(
    directory_editor_client, own, monkeypatch
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = add_form(directory_editor_client, cities=[own.pk])
    assert response.status_code == 200
    assert "The e-mail could not be sent, so no account was made." in page_of(response)
    assert not User.objects.filter(email="hanako@example.jp").exists()
    assert not CityEditor.objects.filter(city=own).exclude(user__username="owntoneditor").exists()


def test_only_superusers_and_directory_editors_add_city_editors(client, editor, own):
    sign_in(client, editor)
    url = reverse("admin:add_city_editor")
    assert client.get(url).status_code == 403
    assert add_form(client, cities=[own.pk]).status_code == 403
    assert not User.objects.filter(email="hanako@example.jp").exists()
    sign_in(client, make_staff("root", superuser=True))
    assert client.get(url).status_code == 200


def test_the_migration_lets_both_roles_read_reports_and_link_checks(db):
    for name in (CITY_EDITORS, DIRECTORY_EDITORS):
        granted = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_problemreport", "change_problemreport", "view_linkcheck"} <= granted
        assert "delete_problemreport" not in granted


# --- Password reset for staff ---


def test_the_sign_in_page_offers_a_password_reset(client):
    page = page_of(client.get(reverse("admin:login")))
    # Django's own words for the link.
    assert "Forgotten your login credentials?" in page
    assert reverse("admin_password_reset") in page
    japanese = page_of(client.get(reverse("admin:login"), headers={"accept-language": "ja"}))
    assert "ログイン認証情報を忘れましたか？" in japanese


def test_a_reset_answers_the_same_whether_or_not_the_address_is_known(client, editor):
    User.objects.filter(pk=editor.pk).update(email="desk@ownton.example")
    url = reverse("admin_password_reset")
    unknown = client.post(url, {"email": "nobody@example.jp"})
    assert not mail.outbox
    known = client.post(url, {"email": "DESK@ownton.example"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    [message] = mail.outbox
    assert message.to == ["desk@ownton.example"] and "owntoneditor" in message.body
    # In the editor's language: Japanese when they chose none.
    assert "パスワード" in message.subject
    done = client.get(known["Location"])
    assert done.status_code == 200


def test_an_address_asking_for_many_resets_gets_no_more_e_mail(client, editor):
    User.objects.filter(pk=editor.pk).update(email="desk@ownton.example")
    url = reverse("admin_password_reset")
    answers = {client.post(url, {"email": "desk@ownton.example"})["Location"] for _ in range(12)}
    assert answers == {reverse("password_reset_done")}
    assert len(mail.outbox) == 10


def test_staff_reset_their_password_with_the_link(client, editor):
    User.objects.filter(pk=editor.pk).update(email="desk@ownton.example")
    StaffProfile.objects.create(user=editor, language="en")
    client.post(reverse("admin_password_reset"), {"email": "desk@ownton.example"})
    form = client.get(link_in(mail.outbox[0]), follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another long phrase", "new_password2": "another long phrase"},
        follow=True,
    )
    assert "Your password has been set." in page_of(done)
    editor.refresh_from_db()
    assert editor.check_password("another long phrase")
