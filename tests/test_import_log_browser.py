"""In Chromium, in Japanese: staff change a desk's e-mail, load the association's table, see the
edit marked as kept in the preview, confirm, find the load in the import log and undo it, past
the page that asks first."""

import pytest
from playwright.sync_api import expect

from directory.importexport.published_table import DEFAULT_PATH
from directory.models import Department, ImportLog, StaffProfile
from directory.roles import DIRECTORY_EDITORS
from tests.builders import enter_app_code, make_app, make_staff

pytestmark = pytest.mark.browser

PUBLISHED = "kanko@city.matsuyama.ehime.jp"
STAFF = "kokusai@city.matsuyama.ehime.jp"


@pytest.fixture
def staff_page(live_directory, desktop_page):
    """A directory editor signed in, with CSP violations recorded."""
    user = make_staff("editor", DIRECTORY_EDITORS)
    device = make_app(user)
    page = desktop_page
    page.violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.violations.append(message.text)
        ),
    )
    page.goto(live_directory.url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    enter_app_code(page, device)
    expect(page.locator("#user-tools")).to_contain_text("editor")
    page.base = live_directory.url
    page.user = user
    return page


def test_a_staff_edit_is_kept_by_a_load_marked_in_japanese_and_the_load_undone(
    staff_page, tmp_path, screenshot
):
    page = staff_page
    department = Department.objects.get(email=PUBLISHED)
    page.goto(f"{page.base}/admin/directory/department/{department.pk}/change/")
    page.locator("#id_email").fill(STAFF)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    # From here on the admin speaks the staff member's saved language.
    StaffProfile.objects.create(user=page.user, language="ja")

    page.goto(f"{page.base}/admin/directory/city/import/")
    # A newer table: Hakodate's desk has a new address, Matsuyama's the one staff replaced.
    table = tmp_path / "core-cities.tsv"
    table.write_text(
        DEFAULT_PATH.read_text(encoding="utf-8").replace("hkd-intl[at]", "intl[at]"),
        encoding="utf-8",
    )
    page.locator("input[type=file]").set_input_files(str(table))
    page.locator("#import-form input[type=submit]").click()
    box = page.locator("#import-staff-edits")
    expect(box).to_contain_text("スタッフが 1 項目を変更しました")
    expect(page.locator("#import-summary")).to_contain_text("スタッフの変更 1 件を保持")
    expect(page.locator("#import-changes")).to_contain_text("にスタッフが変更、保持")
    expect(page.locator("#import-changes")).to_contain_text(f"表の値：{PUBLISHED}")
    screenshot(page, "import-staff-edit-kept-ja")
    page.locator("#confirm-form input[name=confirm]").click()
    expect(page.locator(".messagelist")).to_contain_text("インポート記録 #")
    department.refresh_from_db()
    assert department.email == STAFF
    load = ImportLog.objects.latest("pk")
    assert (load.kind, load.updated, load.kept, load.user) == ("published", 1, 1, page.user)
    hakodate = Department.objects.get(email="intl@city.hakodate.hokkaido.jp")

    page.goto(f"{page.base}/admin/directory/importlog/")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("core-cities.tsv")
    screenshot(page, "import-log-ja")

    def ask_to_undo():
        row.locator("input.action-select").check()
        page.locator("select[name=action]").select_option("undo_import")
        page.locator("button[name=index]").click()
        # A page names the import and asks first: nothing is undone yet.
        expect(page.locator("h1")).to_have_text(f"インポート #{load.pk} を取り消しますか？")
        expect(page.locator("#undo-import")).to_contain_text("core-cities.tsv")
        assert not ImportLog.objects.filter(undoes=load).exists()

    ask_to_undo()
    page.get_by_role("link", name="いいえ、戻ります").click()
    expect(page.locator("#result_list")).to_contain_text("core-cities.tsv")
    ask_to_undo()
    screenshot(page, "import-log-undo-confirmation-ja")
    page.get_by_role("button", name="はい、取り消します").click()
    expect(page.locator(".messagelist")).to_contain_text(f"インポート #{load.pk} を取り消し")
    screenshot(page, "import-log-undone-ja")
    assert ImportLog.objects.filter(undoes=load).exists()
    hakodate.refresh_from_db()
    assert hakodate.email == "hkd-intl@city.hakodate.hokkaido.jp"
    assert page.violations == []
