"""The plain admin works under the site's strict Content-Security-Policy, in a real browser.

The login is a real form post over plain HTTP on loopback, which also shows that the Secure
session and CSRF cookies are kept and sent there.
"""

import pytest
from django.contrib.auth import get_user_model

from directory.models import City
from tests.builders import enter_app_code, make_app

PASSWORD = "a-long-staff-password-1"  # noqa: S105

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.browser
def test_the_admin_login_change_list_and_change_form_raise_no_csp_violation(
    live_directory, desktop_tab, screenshot
):
    staff = get_user_model().objects.create_superuser("staff", "staff@example.jp", PASSWORD)
    device = make_app(staff)
    city = City.objects.filter(departments__class_links__isnull=False).distinct().first()
    page = desktop_tab
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    violations = []

    def visit(path):
        page.goto(live_directory.url + path)
        violations.extend(page.evaluate("window.__cspViolations"))

    visit("/admin/login/?next=/admin/directory/city/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    # The code step is a page under the same CSP.
    page.wait_for_url("**/admin/two-factor/verify/**")
    violations.extend(page.evaluate("window.__cspViolations"))
    enter_app_code(page, device)
    page.wait_for_url("**/admin/directory/city/")
    violations.extend(page.evaluate("window.__cspViolations"))
    assert page.locator("#result_list tbody tr").count() == City.objects.count()

    visit(f"/admin/directory/city/{city.pk}/change/")
    assert page.locator(".inline-group").count() == 2
    # The inlines' "Add another" link is written by the admin's JavaScript: proof it ran.
    page.locator(".inline-group .add-row a").first.click()
    page.locator("#id_prefecture + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("Hok")
    page.locator(".select2-results__option", has_text="Hokkaido").first.wait_for()
    page.keyboard.press("Escape")
    screenshot(page, "admin-city-change-form")
    violations.extend(page.evaluate("window.__cspViolations"))

    blocked = [line for line in console if "Content Security Policy" in line]
    assert violations == [] and blocked == []
