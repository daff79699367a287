"""In Chromium: a visitor reports a broken link on a phone; staff close it; one report over the
limit is refused; a refused report opens on its errors."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import expect

from directory.models import ClassLink, ProblemReport
from tests.builders import enter_app_code, make_app, unjoined

pytestmark = pytest.mark.browser


def send_report(page, details):
    page.get_by_label("A link does not work").check()
    page.get_by_label("Details (optional)").fill(details)
    page.get_by_role("button", name="Send report").click()


def test_a_visitor_reports_a_broken_link_and_staff_close_it(
    live_directory, phone_tab, desktop_tab, screenshot, settings
):
    # A lower limit than production's, so that reaching it takes a few reports, not ten.
    settings.PROBLEM_REPORTS_PER_HOUR = 3
    cache.clear()
    city = ClassLink.objects.get(url__contains=".e.arx.hp.transer.com").city
    page = phone_tab
    page.goto(live_directory.url + city.get_absolute_url())
    screenshot(page, "city-freshness-phone")
    # A city of the published table says so, with the day the table was loaded.
    assert page.locator("#freshness").inner_text().startswith("Source: the table of the national")
    expect(page.get_by_role("link", name="Original page (Japanese)").first).to_be_visible()

    page.get_by_role("link", name="Report a problem").click()
    send_report(page, "The Japanese class link gives 404")
    expect(page.locator("#report-sent")).to_be_visible()
    screenshot(page, "report-sent-phone")
    report = ProblemReport.objects.get()
    assert (report.city, report.kind) == (city, "broken-link")

    staff = get_user_model().objects.create_superuser(
        "staff", "staff@example.jp", "a-long-staff-password"
    )
    device = make_app(staff)
    admin = desktop_tab
    admin.goto(live_directory.url + "/admin/login/?next=/admin/")
    admin.get_by_label("Username").fill("staff")
    admin.get_by_label("Password").fill("a-long-staff-password")
    admin.get_by_role("button", name="Log in").click()
    enter_app_code(admin, device)
    assert admin.locator("#reports-open").inner_text().endswith("1")
    screenshot(admin, "admin-link-health")
    admin.locator("#reports-open a").click()
    row = admin.locator("#result_list tbody tr", has_text="The Japanese class link gives 404")
    row.locator("input.action-select").check()
    admin.locator("select[name=action]").select_option("close_reports")
    admin.get_by_role("button", name="Go").click()
    admin.get_by_label("Resolution").fill("Asked the city for the class's new page")
    screenshot(admin, "admin-close-reports")
    admin.get_by_role("button", name="Close the reports").click()
    expect(admin.get_by_text("1 report closed.")).to_be_visible()
    report.refresh_from_db()
    assert report.closed_at is not None

    for n in range(2, 4):
        page.goto(live_directory.url + city.get_absolute_url() + "report/")
        send_report(page, f"report {n}")
        expect(page.locator("#report-sent")).to_be_visible()
    page.goto(live_directory.url + city.get_absolute_url() + "report/")
    send_report(page, "one too many")
    assert page.locator("#report-limited").inner_text().startswith("Too many reports")
    screenshot(page, "report-refused-phone")
    assert ProblemReport.objects.count() == 3
    assert not ProblemReport.objects.filter(message="one too many").exists()


@pytest.mark.parametrize(
    ("language", "title", "summary"),
    [
        ("en", "Error: Report a problem", "Your report was not sent. Please correct this:"),
        ("my", "အမှား- ", "သင့်အစီရင်ခံစာကို မပို့ရသေးပါ။"),
    ],
)
def test_a_refused_report_opens_on_its_errors_each_leading_to_its_field(
    live_directory, phone_tab, screenshot, language, title, summary
):
    page = phone_tab
    page.goto(f"{live_directory.url}/{language}/cities/koriyama/report/")
    # No kind chosen, and details too long. Chromium itself would ask for the kind first and
    # stop the details at their length; the server's answer is what a browser that does not
    # check gets.
    page.locator("form.report-form").evaluate("form => { form.noValidate = true; }")
    page.locator("#id_message").evaluate("area => area.removeAttribute('maxlength')")
    page.locator("#id_message").fill("x" * 2001)
    page.locator(".report-form button[type=submit]").click()
    errors = page.locator("#error-summary")
    expect(errors).to_be_focused()
    expect(errors).to_have_attribute("role", "alert")
    assert summary in unjoined(errors.inner_text())
    assert unjoined(page.title()).startswith(title)
    expect(errors.locator("a")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"report-errors-{language}-phone")
    errors.locator("a").last.click()
    assert page.url.endswith("#id_message")
    expect(page.locator("#id_message")).to_be_in_viewport()
    errors.locator("a").first.click()
    assert page.url.endswith("#id_kind_0")
    expect(page.locator("fieldset")).to_have_attribute("aria-describedby", "id_kind_error")
    assert not ProblemReport.objects.exists()
