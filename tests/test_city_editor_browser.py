"""In Chromium, with a browser set to Japanese: a city editor signs in, edits their desk and
closes a problem report; the city and department lists fit 1280 px; a city editor is added."""

import re
from datetime import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from directory.models import City, Department, DepartmentPhone, OpeningHours, ProblemReport
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import app_code, make_app, make_city, make_department, make_staff

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # make_staff's
DESKTOP = {"width": 1280, "height": 900}


def ja(text):
    """`text` as the Japanese admin shows it (Django's catalogue or ours)."""
    with translation.override("ja"):
        return translation.gettext(text)


@pytest.fixture
def japanese_page(browser):
    """A 1280 px page of a browser set to Japanese, recording CSP violations."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.violations.append(message.text)
        ),
    )
    yield page
    context.close()


def sign_in(page, base, username, device=None):
    page.goto(base + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    if device is not None:
        page.locator("#id_code").fill(app_code(device))
        page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_contain_text(username)


def test_a_city_editor_edits_their_desk_and_closes_a_report_in_japanese(
    live_directory, japanese_page, screenshot
):
    page, base = japanese_page, live_directory.url
    city = make_city("07")
    other = City.objects.get(code="072036")  # Koriyama, a city of the seed
    desk = make_department(city, "International desk", email="desk@example.jp")
    report = ProblemReport.objects.create(
        city=city, kind="wrong-email", message="The desk's address bounces."
    )
    ProblemReport.objects.create(city=other, kind="other", message="Another city's report")
    editor = make_staff("kenji", CITY_EDITORS, [city])

    page.goto(base + "/admin/login/?next=/admin/")
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.locator("#login-form [type=submit]")).to_have_value(ja("Log in"))
    sign_in(page, base, "kenji")
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.get_by_role("heading", name=ja("Site administration"))).to_be_visible()
    own_cities = page.locator("#own-cities")
    expect(own_cities).to_contain_text("担当の市")
    expect(own_cities).to_contain_text(city.name_ja)
    expect(page.locator("#reports-open a")).to_have_text("1")
    screenshot(page, "city-editor-dashboard-ja")

    # Their city's page: its code, number, slug and prefecture are shown, not changeable.
    own_cities.get_by_role("link", name=city.name_ja).click()
    expect(page.locator("#id_code")).to_be_disabled()
    expect(page.locator("#id_slug")).to_be_disabled()
    screenshot(page, "city-editor-city-ja")

    # Their desk's e-mail and phone, then the desk's history, which names both and who.
    page.goto(base + "/admin/directory/department/")
    page.get_by_role("link", name="International desk").click()
    page.locator("#id_email").fill("new-desk@example.jp")
    page.locator("#phones-group .add-row a").click()
    page.locator("#id_phones-0-number").fill("024-924-2111")
    page.locator("#id_phones-0-extension").fill("3512")
    screenshot(page, "city-editor-desk-ja")
    page.get_by_role("button", name=ja("Save"), exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    desk.refresh_from_db()
    assert desk.email == "new-desk@example.jp"
    assert desk.history.latest().history_user == editor
    page.goto(base + f"/admin/directory/department/{desk.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("new-desk@example.jp")
    expect(page.locator("#details-history tbody tr")).to_have_text(
        re.compile(r"作成\s+kenji\s+024-924-2111 内線 3512")
    )
    screenshot(page, "city-editor-desk-history-ja")

    # The report about their city, from the dashboard's count; the other city's is not listed.
    page.goto(base + "/admin/")
    page.locator("#reports-open a").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert "Another city's report" not in page.content()
    page.locator("#result_list tbody tr th a").click()
    expect(page.locator(".field-message")).to_contain_text("The desk's address bounces.")
    page.locator("#id_resolution").fill("窓口のメールアドレスを直しました。")
    screenshot(page, "city-editor-report-ja")
    page.get_by_role("button", name="報告を対応済みにする").click()
    closed = page.locator(".messagelist .success")
    expect(closed).to_contain_text("についての報告を対応済みにしました。")
    screenshot(page, "city-editor-reports-closed-ja")
    report.refresh_from_db()
    assert not report.is_open and report.closed_by == editor
    assert report.resolution == "窓口のメールアドレスを直しました。"
    assert page.violations == []


def no_sideways_scroll(page, column):
    """The page and the list's own box fit the window, and `column`'s header is in view."""
    sizes = page.evaluate(
        """() => {
        const results = document.querySelector("#changelist .results");
        return {page: document.documentElement.scrollWidth, window: window.innerWidth,
                list: results.scrollWidth, box: results.clientWidth};
        }"""
    )
    assert sizes["page"] <= sizes["window"], sizes
    assert sizes["list"] <= sizes["box"], sizes
    header = page.locator(f"#result_list th.column-{column}").bounding_box()
    assert header["x"] + header["width"] <= DESKTOP["width"], header


def test_the_link_check_and_last_verified_columns_fit_1280_px(
    live_directory, japanese_page, screenshot
):
    page, base = japanese_page, live_directory.url
    device = make_app(make_staff("editor", DIRECTORY_EDITORS))
    sign_in(page, base, "editor", device)
    page.goto(base + "/admin/directory/city/")
    screenshot(page, "city-list-1280-ja", whole=False)  # what staff see first
    no_sideways_scroll(page, "last_verified")
    page.goto(base + "/admin/directory/department/")
    screenshot(page, "department-list-1280-ja", whole=False)
    no_sideways_scroll(page, "link_check")
    page.goto(base + "/admin/directory/classlink/")
    screenshot(page, "class-link-list-1280-ja", whole=False)
    no_sideways_scroll(page, "link_check")
    assert page.violations == []


def test_a_directory_editor_adds_a_city_editor(live_directory, japanese_page, screenshot):
    page, base = japanese_page, live_directory.url
    device = make_app(make_staff("editor", DIRECTORY_EDITORS))
    sign_in(page, base, "editor", device)
    page.get_by_role("link", name="市の編集者を追加").click()
    page.locator("#id_name").fill("山田 花子")
    page.locator("#id_email").fill("hanako@example.jp")
    page.locator(".field-cities .select2-selection").click()
    page.locator(".select2-search__field").fill("郡山")  # in Japanese, as the admin names it
    page.locator(".select2-results__option", has_text="郡山市").click()
    screenshot(page, "add-city-editor-ja")
    page.get_by_role("button", name="編集者を追加してメールを送る").click()
    expect(page.locator(".messagelist .success")).to_contain_text("山田 花子")
    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"] and "パスワード" in message.subject
    link = re.search(r"http://\S+/password-reset/\S+/", message.body).group()
    page.locator("#logout-form [type=submit]").click()
    page.goto(link)
    page.locator("#id_new_password1").fill("a long new passphrase")
    page.locator("#id_new_password2").fill("a long new passphrase")
    screenshot(page, "set-password-ja")
    page.locator("form [type=submit]").click()
    expect(page.locator("#content")).to_contain_text(ja("Password reset complete"))
    page.goto(base + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill("hanako@example.jp")
    page.locator("#id_password").fill("a long new passphrase")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#own-cities")).to_contain_text("郡山市")
    assert Department.objects.exists() and page.violations == []


def test_a_desk_with_its_phones_and_hours_fits_1280_px(live_directory, japanese_page, screenshot):
    page, base = japanese_page, live_directory.url
    desk = Department.objects.filter(city__name="City of Koriyama").first()
    DepartmentPhone.objects.create(
        department=desk, number="+81249240000", label="相談", extension="12"
    )
    OpeningHours.objects.create(department=desk, weekday=0, opens=time(8, 30), closes=time(17))
    device = make_app(make_staff("editor", DIRECTORY_EDITORS))
    sign_in(page, base, "editor", device)
    page.goto(base + reverse("admin:directory_department_change", args=[desk.pk]))
    page.locator("#phones-group .add-row a").click()  # a second, empty row
    screenshot(page, "desk-phones-1280-ja", whole=False)
    for group in ("#phones-group", "#hours-group"):
        table, box = page.evaluate(
            f"""() => [document.querySelector("{group} table").getBoundingClientRect().right,
            document.querySelector("{group} h2").getBoundingClientRect().right]"""
        )
        assert table <= box, (group, table, box)
    # The last column's header on one line, not a letter a line.
    assert page.locator("#phones-group th").last.bounding_box()["height"] < 40


def test_a_desks_history_reads_on_a_phone(live_directory, browser, screenshot):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    page = context.new_page()
    try:
        desk = Department.objects.filter(city__name="City of Koriyama").first()
        device = make_app(make_staff("editor", DIRECTORY_EDITORS))
        sign_in(page, live_directory.url, "editor", device)
        page.goto(
            live_directory.url + reverse("admin:directory_department_history", args=[desk.pk])
        )
        screenshot(page, "desk-history-360-ja", whole=False)
        # A date on one line, not a few letters a line; the table scrolls within its box.
        lines = page.evaluate(
            """() => [...document.querySelectorAll('#change-history tbody tr:first-child td')]
            .map((cell) => { const text = document.createRange();
                text.selectNodeContents(cell); return text.getClientRects().length; })"""
        )
        assert lines[1] == 1, lines  # the date on one line
        # The columns keep a readable width; the table scrolls sideways in its own box.
        table = page.evaluate(
            "(t => [t.scrollWidth, t.clientWidth])(document.querySelector('#change-history'))"
        )
        assert table[0] > table[1], table
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
