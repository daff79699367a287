"""In Chromium, a Japanese browser: a superuser's dashboard, a city and a group read in Japanese."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from conftest import DESKTOP
from directory.models import City
from directory.roles import CITY_EDITORS, ensure_groups
from tests.builders import app_code, make_app, make_staff
from tests.test_i18n_admin_pages import english_left

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # make_staff's


@pytest.fixture
def japanese_page(browser):
    context = browser.new_context(
        viewport=DESKTOP, locale="ja-JP", extra_http_headers={"Accept-Language": "ja,en;q=0.5"}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, base, device):
    page.goto(base + reverse("admin:login"))
    page.locator("#id_username").fill("root")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.get_by_text("認証アプリに今表示されている6桁のコード")).to_be_visible()
    page.get_by_label("コード").fill(app_code(device))
    page.get_by_role("button", name="確認").click()
    expect(page.locator("#user-tools")).to_contain_text("root")


def test_a_superusers_dashboard_and_a_citys_page_are_in_japanese(
    live_directory, japanese_page, desktop_tab, screenshot
):
    user = make_staff("root", superuser=True)
    device = make_app(user)
    base = live_directory.url
    page = japanese_page
    sign_in(page, base, device)
    koriyama = City.objects.get(name="City of Koriyama")
    city_url = base + reverse("admin:directory_city_change", args=[koriyama.pk])

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("#link-health caption")).to_have_text("リンクと情報の鮮度")
    expect(page.locator("#language-link")).to_have_text("言語 / Language")
    expect(page.get_by_role("link", name="窓口一覧")).to_be_visible()
    screenshot(page, "admin-ja-dashboard")
    dashboard = page.content()

    page.goto(city_url)
    expect(page.locator(".breadcrumbs")).to_contain_text("郡山市")
    expect(page.locator("#id_prefecture + .select2")).to_contain_text("福島県")
    expect(page.get_by_role("heading", name="担当課", exact=True)).to_be_visible()
    screenshot(page, "admin-ja-city")
    city = page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]

    # The same pages for an English browser, in the same session.
    english = desktop_tab
    english.context.add_cookies(page.context.cookies())
    english.goto(base + reverse("admin:index"))
    assert english_left(english.content(), dashboard) == []
    english.goto(city_url)
    assert english_left(english.content(), city) == []


def test_a_staff_member_switches_their_admin_to_english_from_the_user_tools(
    live_directory, japanese_page, screenshot
):
    user = make_staff("root", superuser=True)
    base = live_directory.url
    page = japanese_page
    sign_in(page, base, make_app(user))
    page.locator("#language-link").click()
    expect(page.locator("h1")).to_have_text("言語")
    expect(page.get_by_label("ブラウザーの言語")).to_be_checked()
    screenshot(page, "admin-ja-language")
    page.get_by_label("English").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messagelist")).to_have_text("Your language is saved.")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("English")).to_be_checked()
    page.goto(base + reverse("admin:index"))
    expect(page.locator("#link-health caption")).to_have_text("Links and freshness")


def test_a_role_groups_page_names_it_and_its_permissions_in_japanese(
    live_directory, japanese_page, screenshot
):
    ensure_groups()
    user = make_staff("root", superuser=True)
    base = live_directory.url
    page = japanese_page
    sign_in(page, base, make_app(user))
    group = Group.objects.get(name=CITY_EDITORS)
    page.goto(base + reverse("admin:auth_group_change", args=[group.pk]))
    expect(page.locator("#content h2")).to_have_text("市の編集者")
    expect(page.locator(".breadcrumbs")).to_contain_text("グループ › 市の編集者")
    chosen = page.locator("#id_permissions_to")
    expect(chosen.locator("option", has_text="窓口一覧 | 担当課 | 追加")).to_have_count(1)
    expect(chosen).not_to_contain_text("Can ")
    available = page.locator("#id_permissions_from")
    expect(
        available.locator("option", has_text="2段階認証：認証アプリ | 認証アプリ | 削除")
    ).to_have_count(1)
    screenshot(page, "admin-ja-group")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
