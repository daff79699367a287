"""Two-factor sign-in for staff: enrolment, codes, recovery codes, who must use it, throttling."""

import re

import django_otp
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from directory.twofactor import AuthenticatorApp, RecoveryCodes, new_recovery_codes
from tests.builders import app_code, load_prefectures, make_app, make_city, make_staff, sign_in
from tests.servers import Visitor, all_at_once, csrf_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # make_staff's
ADMIN_PAGES = [
    "admin:index",
    "admin:directory_city_changelist",
    "admin:directory_department_add",
    "admin:password_change",
    "admin:auth_user_changelist",
]


@pytest.fixture
def superuser():
    return make_staff("root", superuser=True)


@pytest.fixture
def directory_editor():
    return make_staff("editor", DIRECTORY_EDITORS)


@pytest.fixture
def city_editor():
    load_prefectures()
    return make_staff("hakodate", CITY_EDITORS, [make_city(name="Hakodate")])


def password_step(client, user, next_url="/admin/"):
    """The admin's login form, filled in with the user's password."""
    response = client.post(
        reverse("admin:login") + f"?next={next_url}",
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, "the password was refused"
    return response


def code_step(client, code, next_url="/admin/"):
    return client.post(reverse("admin:two_factor_verify"), {"code": code, "next": next_url})


def enrol(client):
    """Open the enrolment page and confirm with the pending app's code; return the answer."""
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(confirmed=False)
    return client.post(reverse("admin:two_factor"), {"code": app_code(device)})


# Who must use it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["superuser", "directory_editor"])
def test_a_required_user_without_a_device_gets_no_admin_page_before_enrolling(
    client, role, request
):
    user = request.getfixturevalue(role)
    password_step(client, user)

    for name in ADMIN_PAGES:
        response = client.get(reverse(name), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("admin:two_factor")), name
        assert b"Your account must use two-factor sign-in" in response.content
        assert b"Site administration" not in response.content

    enrol(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_city_editor_without_a_device_signs_in_with_the_password_alone(client, city_editor):
    password_step(client, city_editor)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert b'id="two-factor-link"' in response.content


def test_a_city_editor_who_turns_it_on_must_use_it_from_then_on(client, city_editor):
    password_step(client, city_editor)
    page = client.get(reverse("admin:two_factor"))
    assert b"Once you turn it on, your account always needs it" in page.content
    assert enrol(client).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200  # this session is verified
    client.post(reverse("admin:logout"))

    password_step(client, city_editor)

    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("admin:two_factor_verify"))
    assert b"Site administration" not in response.content


# Enrolment ---------------------------------------------------------------------------------


def test_the_enrolment_page_shows_a_qr_code_and_the_key_to_type(client, superuser):
    password_step(client, superuser)

    page = client.get(reverse("admin:two_factor")).content.decode()

    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    assert re.search(r'<img class="two-factor-qr" src="data:image/svg\+xml', page)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(secret.replace(" ", "")) == 32  # 20 bytes of key in base32
    assert secret.replace(" ", "") in device.config_url
    # A reload shows the same key: someone who has scanned it can still confirm.
    assert client.get(reverse("admin:two_factor")).content.decode().count(secret) == 1
    assert TOTPDevice.objects.filter(user=superuser).count() == 1


def test_a_wrong_first_code_is_refused_and_turns_nothing_on(client, superuser):
    password_step(client, superuser)
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=superuser)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("admin:two_factor"), {"code": wrong})

    assert response.status_code == 200
    assert b"That code is not right" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.exists()
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_right_code_straight_after_a_wrong_one_is_asked_to_wait_not_called_wrong(
    client, superuser, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # seconds after the first wrong code, for a slow run
    device = make_app(superuser)
    wrong = f"{(int(app_code(device)) + 500_000) % 1_000_000:06d}"
    password_step(client, superuser)
    code_step(client, wrong)

    response = code_step(client, app_code(device))

    assert b"Too many wrong codes. Wait a minute" in response.content
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_right_first_code_turns_it_on_and_shows_ten_recovery_codes_once(client, superuser):
    password_step(client, superuser)

    response = enrol(client)

    assert response.status_code == 200
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(shown) == 10 == len(set(shown))
    assert sorted(shown) == sorted(StaticToken.objects.values_list("token", flat=True))
    assert TOTPDevice.objects.get(user=superuser).confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    # Shown once: the page now says it is on and how many codes are left, not which.
    page = client.get(reverse("admin:two_factor")).content.decode()
    assert "You have 10 unused recovery codes." in page
    assert not any(code in page for code in shown)
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


def test_someone_with_only_the_password_cannot_enrol_a_device_of_their_own(client, superuser):
    make_app(superuser)
    password_step(client, superuser)

    response = client.get(reverse("admin:two_factor"))
    client.post(reverse("admin:two_factor"), {"code": "123456"})

    assert response["Location"].startswith(reverse("admin:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=superuser).count() == 1


def test_the_two_factor_pages_are_for_signed_in_staff_only(client, db):
    for name in ("admin:two_factor", "admin:two_factor_verify"):
        response = client.get(reverse(name))
        assert response["Location"].startswith(reverse("admin:login"))


# Signing in with a code --------------------------------------------------------------------


def test_staff_sign_in_with_the_password_then_the_code_from_their_app(client, superuser):
    device = make_app(superuser)
    next_url = reverse("admin:directory_city_changelist")
    password_step(client, superuser, next_url)

    asked = client.get(next_url, follow=True)
    assert asked.redirect_chain[-1][0].startswith(reverse("admin:two_factor_verify"))
    assert b"Enter the 6-digit code" in asked.content

    response = code_step(client, app_code(device), next_url)

    assert (response.status_code, response["Location"]) == (302, next_url)
    assert client.get(next_url).status_code == 200


def test_a_recovery_code_signs_in_once_and_is_refused_the_second_time(client, superuser):
    make_app(superuser)
    code = new_recovery_codes(superuser)[0]

    password_step(client, superuser)
    assert code_step(client, code.upper())["Location"] == "/admin/"  # as printed, in capitals
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("admin:logout"))

    password_step(client, superuser)
    response = code_step(client, code)

    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get(reverse("admin:index")).status_code == 302
    assert StaticToken.objects.count() == 9


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks: runs on PostgreSQL"
)
def test_one_recovery_code_sent_from_several_sessions_at_once_signs_in_once(live_server, superuser):
    """The same code posted at once by twelve sessions past the password (as a leaked code on
    several workers): django-otp holds the device's row while it checks, so one gets in."""
    make_app(superuser)
    code = new_recovery_codes(superuser)[0]
    visitors, forms = [Visitor() for _ in range(12)], []
    for visitor in visitors:
        token = csrf_token(visitor.get(live_server.url + "/admin/login/")[1])
        form = {"username": "root", "password": PASSWORD, "csrfmiddlewaretoken": token}
        assert visitor.post(live_server.url + "/admin/login/?next=/admin/", form)[0] == 302
        token = csrf_token(visitor.get(live_server.url + reverse("admin:two_factor_verify"))[1])
        forms.append({"code": code, "next": "/admin/", "csrfmiddlewaretoken": token})

    def send(visitor, form):
        return visitor.post(live_server.url + reverse("admin:two_factor_verify"), form)

    answers = all_at_once(send, list(zip(visitors, forms, strict=True)))
    signed_in = [status for status, _page, headers in answers if status == 302]
    assert len(answers) == len(visitors) and len(signed_in) == 1
    assert StaticToken.objects.filter(token=code).count() == 0


@pytest.mark.parametrize("code", ["", "000000", "abcdefgh", "12345"])
def test_a_wrong_or_missing_code_refuses_sign_in(client, superuser, code):
    device = make_app(superuser)
    new_recovery_codes(superuser)
    if code == "000000" and app_code(device) == code:
        code = "000001"
    password_step(client, superuser)

    response = code_step(client, code)

    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_wrong_code_counts_as_a_failed_sign_in_and_enough_lock_the_account_out(client, superuser):
    device = make_app(superuser)
    wrong = f"{(int(app_code(device)) + 500_000) % 1_000_000:06d}"
    password_step(client, superuser)

    code_step(client, wrong)
    assert AccessAttempt.objects.get(username="root").failures_since_start == 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 2):
        code_step(client, wrong)
    locked = code_step(client, wrong)

    assert locked.status_code == 429
    # Signed out: the next try starts from the password, which django-axes now refuses.
    assert not client.session.get("_auth_user_id")
    again = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert again.status_code == 429


def test_a_code_step_goes_nowhere_outside_the_site(client, superuser):
    device = make_app(superuser)
    password_step(client, superuser)

    response = code_step(client, app_code(device), "https://evil.example/")

    assert response["Location"] == reverse("admin:index")


def test_a_user_owing_a_code_can_sign_out_and_use_another_account(client, superuser):
    make_app(superuser)
    password_step(client, superuser)

    response = client.post(reverse("admin:two_factor_sign_out"))

    assert response["Location"] == reverse("admin:login")
    assert not client.session.get("_auth_user_id")


# The test builder --------------------------------------------------------------------------


def test_the_sign_in_builder_gives_a_verified_session_to_those_who_need_one(
    client, superuser, city_editor
):
    assert sign_in(client, superuser).get(reverse("admin:index")).status_code == 200
    assert TOTPDevice.objects.get(user=superuser).confirmed
    client.logout()
    assert sign_in(client, city_editor).get(reverse("admin:index")).status_code == 200
    assert not TOTPDevice.objects.filter(user=city_editor).exists()


def test_a_superuser_removes_a_lost_app_and_recovery_codes_from_the_admin(
    client, superuser, directory_editor
):
    lost = make_app(directory_editor)
    new_recovery_codes(directory_editor)
    sign_in(client, superuser)
    apps = client.get(reverse("admin:directory_authenticatorapp_changelist"))
    assert "authenticator app of editor" in apps.text and "editor" in apps.text
    url = reverse("admin:directory_authenticatorapp_delete", args=[lost.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    codes = RecoveryCodes.objects.get(user=directory_editor)
    url = reverse("admin:directory_recoverycodes_delete", args=[codes.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not django_otp.user_has_device(directory_editor)
    # Only the superuser's own devices are left.
    assert {device.user for device in django_otp.devices_for_user(superuser)} == {superuser}
    assert StaticToken.objects.filter(device__user=directory_editor).count() == 0


def test_the_device_lists_are_for_superusers_only(client, directory_editor):
    sign_in(client, directory_editor)
    new_recovery_codes(directory_editor)
    index = client.get(reverse("admin:index"), headers={"accept-language": "ja"})
    assert "認証アプリ" not in index.text and "リカバリーコード" not in index.text
    for model in (AuthenticatorApp, RecoveryCodes):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:directory_{name}_changelist")).status_code == 403
        device = model.objects.get(user=directory_editor)
        url = reverse(f"admin:directory_{name}_delete", args=[device.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=device.pk).exists()
