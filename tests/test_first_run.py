"""A new user's path: the site leads to the seed cities and the admin lets staff sign in."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.builders import enter_app_code, make_app

pytestmark = pytest.mark.browser


def test_the_home_page_leads_to_the_seed_cities(live_directory, phone_tab, screenshot):
    phone_tab.goto(live_directory.url)
    phone_tab.get_by_role("link", name="Fukushima 福島県 3 cities").click()
    # Waits for the prefecture page: a click returns before the next page is drawn.
    expect(phone_tab.get_by_role("link", name="City of Koriyama")).to_be_visible()
    phone_tab.get_by_role("link", name="City of Koriyama").click()
    assert phone_tab.get_by_role("heading", level=1).inner_text().startswith("City of Koriyama")
    screenshot(phone_tab, "first-run-city-phone")


def test_staff_can_sign_in_to_the_admin(live_directory, desktop_tab):
    staff = get_user_model().objects.create_superuser(
        "staff", "staff@example.jp", "a-long-pass-phrase"
    )
    device = make_app(staff)
    desktop_tab.goto(f"{live_directory.url}/admin/")
    desktop_tab.get_by_label("Username").fill("staff")
    desktop_tab.get_by_label("Password").fill("a-long-pass-phrase")
    desktop_tab.get_by_role("button", name="Log in").click()
    enter_app_code(desktop_tab, device)
    expect(desktop_tab.get_by_role("link", name="Cities")).to_be_visible()


def test_the_stylesheet_is_served_under_its_hashed_name(live_directory, phone_tab):
    response = phone_tab.goto(live_directory.url)
    assert response.ok
    href = phone_tab.locator("link[rel=stylesheet]").get_attribute("href")
    assert href.startswith("/static/css/site.") and href != "/static/css/site.css"
    css = phone_tab.request.get(live_directory.url + href)
    assert css.ok and "font-family" in css.text()
