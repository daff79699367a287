"""Sign-in lockout: per account from any address, per address at a higher limit, never longer
for trying during it, with a page that says when to try again.

Sign-ins are real posts to the admin's login page (axes needs the request).
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format

from tests.builders import make_staff
from tests.servers import Visitor, all_at_once, csrf_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # noqa: S105  (make_staff's)
OFFICE = "203.0.113.5"
ELSEWHERE = "198.51.100.77"


@pytest.fixture(autouse=True)
def quick_hashing(settings):
    # Dozens of sign-ins per test: the production hasher would make each take a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tanaka(quick_hashing):
    return make_staff("tanaka")


@pytest.fixture
def sato(quick_hashing):
    return make_staff("sato")


def sign_in(client, username, password=PASSWORD, address=OFFICE, **headers):
    client.cookies.clear()
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def mistype(client, username, times=1, address=OFFICE, **headers):
    return [sign_in(client, username, "wrong", address, **headers) for _ in range(times)]


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def locked(response):
    return response.status_code == 429


def turn_back_the_clock(minutes):
    """Make every recorded failure `minutes` older, as if that much time had passed."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_five_wrong_passwords_from_several_addresses_lock_the_account(client, tanaka):
    answers = [sign_in(client, "tanaka", "wrong", address=f"192.0.2.{n}") for n in range(1, 6)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert b"Please enter the correct username and password" in answers[0].content

    from_a_new_address = sign_in(client, "tanaka", address="192.0.2.99")
    assert locked(from_a_new_address)
    assert b"too many wrong passwords for the account" in from_a_new_address.content
    assert b"\xe2\x80\x9ctanaka\xe2\x80\x9d" in from_a_new_address.content


def test_a_colleague_at_the_same_office_signs_in_after_one_persons_typos(client, tanaka, sato):
    mistype(client, "tanaka", times=5)
    assert locked(sign_in(client, "tanaka"))

    assert signed_in(sign_in(client, "sato"))


def test_a_colleague_signing_in_clears_nobody_elses_failures(client, tanaka, sato):
    mistype(client, "tanaka", times=4)
    assert signed_in(sign_in(client, "sato"))

    assert locked(mistype(client, "tanaka")[0])


def test_signing_in_clears_ones_own_typos(client, tanaka):
    mistype(client, "tanaka", times=4)
    assert signed_in(sign_in(client, "tanaka"))

    assert not any(locked(answer) for answer in mistype(client, "tanaka", times=4))


def test_failures_across_many_accounts_lock_the_address_only_at_its_limit(client, settings, sato):
    settings.LOGIN_FAILURES_PER_ADDRESS = 12
    for n in range(11):  # one or two typos each for a busy office, and an attacker's guesses
        mistype(client, f"user{n}")
    assert signed_in(sign_in(client, "sato")), "below the address's limit"

    twelfth = mistype(client, "user11")[0]
    assert locked(twelfth)
    assert b"too many wrong passwords from your network" in twelfth.content

    colleague = sign_in(client, "sato")
    assert locked(colleague)
    assert b"this also affects your colleagues" in colleague.content
    assert signed_in(sign_in(client, "sato", address=ELSEWHERE))


def test_tries_during_a_lockout_do_not_extend_it(client, tanaka):
    mistype(client, "tanaka", times=5)
    turn_back_the_clock(50)
    failures = list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start"))
    first_page = sign_in(client, "tanaka")

    # Ten minutes before it lifts, a wrong password and the right one are both refused...
    assert all(locked(answer) for answer in mistype(client, "tanaka", times=3))
    assert locked(sign_in(client, "tanaka", address=ELSEWHERE))
    # ...without being counted, so the time it lifts stays where it was.
    assert list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start")) == (
        failures
    )
    # The time it lifts, not "in N minutes", which the real clock moves on meanwhile.
    assert lifts_at(sign_in(client, "tanaka")) == lifts_at(first_page)

    turn_back_the_clock(11)
    assert signed_in(sign_in(client, "tanaka"))


def until(page):
    return re.search(r'<p id="signin-locked-until">(.*?)</p>', page, re.S).group(1).strip()


def lifts_at(response):
    """The time a lockout page says the sign-in opens again."""
    return until(response.content.decode()).split(" (in ")[0]


def test_the_lockout_page_says_when_to_try_again_in_words_and_local_time(client, tanaka):
    mistype(client, "tanaka", times=5)
    latest = AccessAttempt.objects.get().attempt_time
    page = sign_in(client, "tanaka")

    lifts = latest + timedelta(hours=1)
    shown = (lifts + timedelta(minutes=1)).replace(second=0, microsecond=0)
    text = " ".join(until(page.content.decode()).split())
    expected = date_format(timezone.localtime(shown), "DATETIME_FORMAT")
    assert text.startswith(f"You can try again from {expected} (in ")
    assert re.search(r"\(in (1 hour|59 minutes)\)", text)
    assert timezone.localtime(shown).tzname() == "JST"
    assert 'href="/admin/login/"' in page.content.decode()


def test_the_lockout_page_has_no_inline_style_or_script(client, tanaka):
    page = mistype(client, "tanaka", times=5)[-1]
    html = page.content.decode()

    assert locked(page)
    assert "Content-Security-Policy" in page.headers
    assert not re.search(r"<[^>]*\s(style|on[a-z]+)=", html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html


def test_the_address_is_the_one_our_proxy_saw_not_one_the_client_wrote(client, settings, sato):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        forged = f"10.0.0.{n}, {OFFICE}"  # the proxy appended the real address
        mistype(client, f"user{n}", address="127.0.0.1", HTTP_X_FORWARDED_FOR=forged)

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    behind_proxy = {"address": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"10.9.9.9, {OFFICE}"}
    assert locked(sign_in(client, "sato", **behind_proxy))
    elsewhere = {"address": "127.0.0.1", "HTTP_X_FORWARDED_FOR": ELSEWHERE}
    assert signed_in(sign_in(client, "sato", **elsewhere))


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, settings, sato):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        mistype(client, f"user{n}", address=OFFICE, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    assert locked(sign_in(client, "sato", address=OFFICE, HTTP_X_FORWARDED_FOR=ELSEWHERE))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks: runs on PostgreSQL"
)
def test_wrong_passwords_sent_all_at_once_are_checked_no_more_than_the_limit(live_server, settings):
    """Twelve guesses released together, on the live server's threads (as on several workers):
    each is counted before the next is checked, so the account's limit holds."""
    # The production hasher: each check takes long enough for the guesses to overlap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    make_staff("suzuki")
    visitors = [Visitor() for _ in range(12)]
    forms = []
    for visitor in visitors:
        token = csrf_token(visitor.get(live_server.url + "/admin/login/")[1])
        forms.append({"username": "suzuki", "password": "guess", "csrfmiddlewaretoken": token})

    def guess(visitor, form):
        return visitor.post(live_server.url + "/admin/login/", form)

    all_at_once(guess, list(zip(visitors, forms, strict=True)))
    checked = AccessAttempt.objects.filter(username="suzuki").aggregate(
        n=Sum("failures_since_start")
    )
    assert checked["n"] == settings.AXES_FAILURE_LIMIT
