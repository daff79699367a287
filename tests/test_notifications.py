"""E-mail to staff: a new problem report reaches its city's editors, and the weekly digest."""

import datetime
import runpy
import smtplib
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from directory import linkcheck, notifications
from directory.models import LinkCheck, ProblemReport, StaffProfile
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import make_city, make_class_link, make_department, make_staff

pytestmark = pytest.mark.django_db

SITE = "https://madoguchi.example.jp"
SETTINGS = Path(__file__).resolve().parent.parent / "config" / "settings.py"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def editor(username, cities=(), group=CITY_EDITORS, language="", email=None, **fields):
    """A staff member with an address, in a role group, with a saved e-mail language or none."""
    user = make_staff(username, group, cities, superuser=fields.pop("superuser", False))
    user.email = f"{username}@example.jp" if email is None else email
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    if language:
        StaffProfile.objects.create(user=user, language=language)
    return user


@pytest.fixture
def koriyama(db):
    return make_city("07", name="Koriyama", name_ja="郡山市", slug="koriyama")


@pytest.fixture
def iwaki(db):
    return make_city("07", name="Iwaki", name_ja="いわき市", slug="iwaki")


def report(client, city, kind="broken-link", message="The class page answers 404.\nSince May."):
    return client.post(
        reverse("directory:city-report", args=[city.slug]), {"kind": kind, "message": message}
    )


def sent_to(outbox):
    return {tuple(message.to): message for message in outbox}


# --- A new problem report ---


def test_a_report_is_mailed_to_each_of_its_citys_editors_in_their_own_language(
    client, koriyama, mailoutbox, django_capture_on_commit_callbacks
):
    editor("sato", [koriyama])  # no saved language: Japanese
    editor("smith", [koriyama], language="en")

    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, koriyama)

    assert response.status_code == 302
    the_report = ProblemReport.objects.get()
    link = f"{SITE}/admin/directory/problemreport/{the_report.pk}/change/"
    mails = sent_to(mailoutbox)
    assert set(mails) == {("sato@example.jp",), ("smith@example.jp",)}
    assert all(not message.cc and not message.bcc for message in mailoutbox)

    ja = mails["sato@example.jp",]
    assert "郡山市" in ja.subject and "リンクが開けない" in ja.subject
    assert "郡山市のページ" in ja.body
    assert "The class page answers 404.\nSince May." in ja.body
    assert link in ja.body
    assert f"{SITE}/ja/cities/koriyama/" in ja.body
    assert "Koriyama" not in ja.body

    en = mails["smith@example.jp",]
    assert en.subject == "[madoguchi] Problem report: Koriyama – A link does not work"
    assert "A visitor reported a problem on the page of Koriyama." in en.body
    assert "The class page answers 404.\nSince May." in en.body
    assert link in en.body
    assert f"{SITE}/en/cities/koriyama/" in en.body
    assert "as an editor of Koriyama" in en.body


def test_another_citys_editors_hear_nothing_of_a_report(
    client, koriyama, iwaki, mailoutbox, django_capture_on_commit_callbacks
):
    editor("sato", [koriyama])
    editor("suzuki", [iwaki], language="en")
    editor("chief", group=DIRECTORY_EDITORS)

    with django_capture_on_commit_callbacks(execute=True):
        report(client, iwaki)

    assert [message.to for message in mailoutbox] == [["suzuki@example.jp"]]


def test_a_report_about_a_city_without_editors_goes_to_the_directory_editors(
    client, koriyama, iwaki, mailoutbox, django_capture_on_commit_callbacks
):
    editor("suzuki", [iwaki])
    editor("chief", group=DIRECTORY_EDITORS, language="en")
    editor("deputy", group=DIRECTORY_EDITORS)
    editor("retired", group=DIRECTORY_EDITORS, is_active=False)
    editor("nomail", group=DIRECTORY_EDITORS, email="")
    editor("root", group=None, superuser=True)
    # An assigned editor who cannot be mailed is as good as none.
    editor("gone", [koriyama], is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        report(client, koriyama, kind="wrong-email", message="")

    mails = sent_to(mailoutbox)
    assert set(mails) == {("chief@example.jp",), ("deputy@example.jp",)}
    en = mails["chief@example.jp",]
    assert "An e-mail address is wrong" in en.subject
    assert "(none given)" in en.body
    assert "because Koriyama has no editor of its own" in en.body
    ja = mails["deputy@example.jp",]
    assert "郡山市" in ja.body and "担当者がいないため" in ja.body


def test_superusers_hear_of_reports_only_when_there_is_no_directory_editor(
    client, koriyama, mailoutbox, django_capture_on_commit_callbacks
):
    editor("root", group=None, superuser=True, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        report(client, koriyama)

    assert [message.to for message in mailoutbox] == [["root@example.jp"]]


def test_the_mail_waits_until_the_report_is_stored(
    client, koriyama, mailoutbox, django_capture_on_commit_callbacks
):
    editor("sato", [koriyama])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report(client, koriyama)

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_a_bots_report_is_mailed_to_nobody(
    client, koriyama, mailoutbox, django_capture_on_commit_callbacks
):
    editor("sato", [koriyama])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:city-report", args=[koriyama.slug]),
            {"kind": "other", "message": "buy", "website": "https://spam.example/"},
        )

    assert mailoutbox == []


class RefusingBackend(BaseEmailBackend):
    """A mail server that takes the connection and refuses every message."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(554, b"Transaction failed")


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        raise AssertionError("never opened")


@pytest.mark.parametrize("backend", [RefusingBackend, UnreachableBackend])
def test_when_the_mail_server_fails_the_report_is_kept_and_the_visitor_thanked(
    client, koriyama, settings, caplog, django_capture_on_commit_callbacks, backend
):
    settings.EMAIL_BACKEND = f"{__name__}.{backend.__name__}"
    editor("sato", [koriyama])
    editor("smith", [koriyama])

    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, koriyama)

    assert response.status_code == 302
    assert ProblemReport.objects.filter(city=koriyama).count() == 1
    assert b"Thank you" in client.get(response["Location"]).content
    failures = [r for r in caplog.records if r.name == "directory.notifications"]
    assert failures and all(r.levelname == "ERROR" for r in failures)


def test_a_report_is_kept_and_the_visitor_thanked_whatever_goes_wrong_in_the_mail(
    client, koriyama, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken_template(*args):
        raise ValueError("a broken template")

    monkeypatch.setattr(notifications, "report_message", broken_template)
    editor("sato", [koriyama])

    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, koriyama)

    assert response.status_code == 302
    assert ProblemReport.objects.filter(city=koriyama).exists()
    assert "a broken template" in caplog.text


# --- The weekly digest ---

NOW = timezone.now()


def broken(url, days_ago, error=LinkCheck.Error.HTTP, status=404):
    return LinkCheck.objects.create(
        url=url,
        status_code=status,
        error=error,
        message="HTTP 404 Not Found",
        checked_at=NOW,
        broken_since=NOW - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def directory(koriyama, iwaki):
    """Koriyama: a desk whose site broke this week, a class broken for a month, unverified for
    two years. Iwaki: verified today, a class that broke yesterday. Fukushima: never verified."""
    today = timezone.localdate()
    koriyama.last_verified = today - datetime.timedelta(days=800)
    koriyama.save()
    iwaki.last_verified = today
    iwaki.save()
    fukushima = make_city("07", name="Fukushima", name_ja="福島市", slug="fukushima")
    desk = make_department(koriyama, "International Exchange Division", url="https://k.example/")
    make_class_link(koriyama, url="https://k.example/old-class", label="Old class")
    make_class_link(iwaki, url="https://i.example/class", label="Iwaki class")
    make_department(iwaki, "Iwaki desk", url="https://i.example/")
    broken("https://k.example/", days_ago=2)
    broken("https://k.example/old-class", days_ago=30)
    broken("https://i.example/class", days_ago=1, error=LinkCheck.Error.DNS, status=None)
    LinkCheck.objects.create(url="https://i.example/", status_code=200, checked_at=NOW)
    return {"koriyama": koriyama, "iwaki": iwaki, "fukushima": fukushima, "desk": desk}


def digest(*args):
    out = StringIO()
    call_command("send_digest", *args, stdout=out)
    return out.getvalue()


def test_each_editor_gets_their_cities_newly_broken_links_and_unverified_cities(
    directory, mailoutbox
):
    editor("sato", [directory["koriyama"]])
    editor("chief", group=DIRECTORY_EDITORS, language="en")

    output = digest()

    mails = sent_to(mailoutbox)
    assert set(mails) == {("sato@example.jp",), ("chief@example.jp",)}
    ja = mails["sato@example.jp",]
    assert ja.subject == "[madoguchi] 週報：確認が必要なリンクと記録"
    assert "International Exchange Division" in ja.body
    assert "https://k.example/\n" in ja.body
    assert "HTTP エラー (404)" in ja.body
    assert f"{SITE}/admin/directory/department/{directory['desk'].pk}/change/" in ja.body
    assert "1年以上確認されていない市が1件あります" in ja.body
    assert "郡山市" in ja.body
    # Broken for a month is not new; Iwaki and Fukushima are not Sato's.
    for other in ("old-class", "Iwaki", "いわき市", "福島市"):
        assert other not in ja.body

    en = mails["chief@example.jp",]
    assert en.subject == "[madoguchi] Weekly digest: links and records to check"
    assert "2 links broke in the last 7 days:" in en.body
    assert "Iwaki class" in en.body and "DNS: no such host" in en.body
    assert "2 cities not verified for a year:" in en.body
    assert "Fukushima: never verified" in en.body
    assert "Koriyama: last verified on" in en.body
    assert "old-class" not in en.body and "Iwaki: " not in en.body
    assert "sato <sato@example.jp>: 1 newly broken links, 1 cities" in output
    assert "2 digests sent." in output


def test_a_city_editor_of_two_cities_gets_one_digest_with_both(directory, mailoutbox):
    editor("kato", [directory["koriyama"], directory["iwaki"]], language="en")

    digest()

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "2 links broke in the last 7 days:" in body
    assert "International Exchange Division" in body and "Iwaki class" in body
    assert "1 city not verified for a year:" in body and "Fukushima" not in body


def test_nobody_gets_an_empty_digest(directory, mailoutbox):
    iwaki = directory["iwaki"]
    LinkCheck.objects.filter(url="https://i.example/class").update(
        broken_since=NOW - datetime.timedelta(days=9)
    )
    editor("suzuki", [iwaki])

    output = digest()

    assert mailoutbox == []
    assert "suzuki <suzuki@example.jp>: nothing to report, not sent" in output
    assert "0 digests sent." in output


def test_with_no_editors_the_digest_sends_nothing_and_says_so(directory, mailoutbox):
    assert digest() == "0 digests sent.\n"
    assert mailoutbox == []


def test_a_dry_run_says_who_would_get_a_digest_and_sends_nothing(directory, mailoutbox):
    editor("sato", [directory["koriyama"]])

    output = digest("--dry-run")

    assert mailoutbox == []
    assert "sato <sato@example.jp>: 1 newly broken links" in output
    assert "Dry run: 1 digests would be sent." in output


def test_a_digest_the_mail_server_refuses_fails_the_command(directory, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    editor("sato", [directory["koriyama"]])

    with pytest.raises(CommandError, match="0 of 1 digests sent"):
        digest()


def test_a_link_is_newly_broken_from_the_check_that_finds_it_broken_until_it_works(db):
    url = "https://k.example/page"
    first = timezone.now() - datetime.timedelta(days=20)

    def check(error, at):
        linkcheck.store(linkcheck.Result(url=url, error=error, checked_at=at, status_code=500))
        return LinkCheck.objects.get(url=url)

    assert check("http", first).broken_since == first
    assert check("http", first + datetime.timedelta(days=7)).broken_since == first
    assert not LinkCheck.objects.newly_broken().exists()
    assert check("", first + datetime.timedelta(days=14)).broken_since is None
    again = timezone.now()
    assert check("timeout", again).broken_since == again
    assert list(LinkCheck.objects.newly_broken().values_list("url", flat=True)) == [url]


# --- Settings ---


def mail_settings(monkeypatch, **env):
    """The e-mail settings config/settings.py makes from this environment."""
    for name in (
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_TIMEOUT",
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
        "SITE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_a_mail_server_e_mail_is_written_to_the_console(monkeypatch):
    made = mail_settings(monkeypatch)
    assert made["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert made["SITE_URL"] == "http://127.0.0.1:8000"
    assert made["DEFAULT_FROM_EMAIL"] == made["SERVER_EMAIL"]


def test_smtp_comes_from_the_environment(monkeypatch):
    made = mail_settings(
        monkeypatch,
        EMAIL_HOST="smtp.example.jp",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="madoguchi",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_SSL="true",
        DEFAULT_FROM_EMAIL="madoguchi <noreply@example.jp>",
        SITE_URL="https://madoguchi.example.jp/",
    )
    assert made["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (made["EMAIL_HOST"], made["EMAIL_PORT"]) == ("smtp.example.jp", 465)
    assert (made["EMAIL_HOST_USER"], made["EMAIL_HOST_PASSWORD"]) == ("madoguchi", "secret")
    assert (made["EMAIL_USE_SSL"], made["EMAIL_USE_TLS"]) == (True, False)
    assert made["SERVER_EMAIL"] == "madoguchi <noreply@example.jp>"
    assert made["SITE_URL"] == "https://madoguchi.example.jp"


def test_smtp_uses_starttls_unless_told_otherwise(monkeypatch):
    assert mail_settings(monkeypatch, EMAIL_HOST="smtp.example.jp")["EMAIL_USE_TLS"] is True


@pytest.mark.parametrize(
    "env",
    [{"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, {"SITE_URL": "madoguchi.example.jp"}],
)
def test_contradictory_or_malformed_mail_settings_are_refused(monkeypatch, env):
    with pytest.raises(ImproperlyConfigured):
        mail_settings(monkeypatch, **env)
