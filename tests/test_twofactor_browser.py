"""In Chromium: a directory editor turns on two-factor sign-in, then signs in with a code."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from directory.roles import DIRECTORY_EDITORS
from tests.builders import app_code, enter_app_code, make_staff

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # make_staff's


def password_step(page, base, username="editor"):
    page.goto(base + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_directory_editor_enrols_then_signs_in_with_a_code(
    live_directory, desktop_tab, phone_tab, screenshot
):
    make_staff("editor", DIRECTORY_EDITORS)
    page = desktop_tab
    blocked = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and blocked.append(message.text),
    )

    password_step(page, live_directory.url)
    expect(page.get_by_text("Your account must use two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 100  # the data: image loaded
    screenshot(page, "two-factor-enrol-desktop")
    make_staff("root", superuser=True)
    password_step(phone_tab, live_directory.url, "root")
    expect(phone_tab.get_by_role("button", name="Turn on two-factor sign-in")).to_be_visible()
    screenshot(phone_tab, "two-factor-enrol-phone")
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= 360

    device = TOTPDevice.objects.get(user__username="editor")
    page.get_by_label("Code").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot(page, "two-factor-recovery-codes-desktop")
    page.get_by_role("link", name="I have kept my recovery codes: continue").click()
    expect(page.locator("#user-tools")).to_contain_text("editor")

    page.get_by_role("button", name="Log out").click()
    password_step(page, live_directory.url)
    expect(page.get_by_text("Enter the 6-digit code")).to_be_visible()
    screenshot(page, "two-factor-code-desktop")
    # The enrolment code's time step is used up: the app's next one is the one to give. Counted
    # as the server counts it: a code that crossed a 30-second boundary on its way was taken
    # as the app's clock running a step behind (django-otp's drift), and the next follows on.
    device.refresh_from_db()
    enter_app_code(page, device, steps_ahead=1)
    expect(page.get_by_role("link", name="Cities")).to_be_visible()
    assert blocked == []
