"""In Chromium, as staff do it: upload Shift_JIS CSVs, preview, confirm, check history; a bad
file names every error and changes nothing; no page of the flow breaks the site's CSP."""

import pytest
from playwright.sync_api import expect

from directory.models import ClassLink, Department
from directory.roles import DIRECTORY_EDITORS
from tests.builders import enter_app_code, make_app, make_staff, published_table_as_csv

pytestmark = pytest.mark.browser

HAKODATE = "012025"
ASAHIKAWA = "012041"

# Chromium reports blocked inline code on the console; the listener also catches what it
# reports only as an event. An init script is injected by the driver, not by the page.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.violatedDirective
    + " " + event.blockedURI + " " + event.sourceFile + ":" + event.lineNumber);
});
"""


def cp932_csv(path, *rows):
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="cp932")
    return path


def quoted(text):
    return '"' + text.replace('"', '""') + '"'


def directory_state():
    """Every department and class link as it stands, to show a refused file changed nothing."""
    return (
        sorted(Department.objects.values_list("city__code", "name", "url", "email", "position")),
        sorted(ClassLink.objects.values_list("city__code", "url", "label", "department_id")),
    )


@pytest.fixture
def staff_page(live_directory, desktop_page):
    """A directory editor signed in with password and code, CSP violations recorded."""
    device = make_app(make_staff("editor", DIRECTORY_EDITORS))
    page = desktop_page
    page.violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.violations.append(message.text)
        ),
    )
    page.add_init_script(REPORT_VIOLATIONS)
    page.goto(live_directory.url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    enter_app_code(page, device)
    expect(page.locator("#user-tools")).to_contain_text("editor")
    page.base = live_directory.url
    return page


def upload(page, model, path):
    page.goto(f"{page.base}/admin/directory/{model}/import/")
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()


def test_staff_import_shift_jis_files_and_see_the_changes_in_history(
    staff_page, tmp_path, screenshot
):
    page = staff_page
    department = Department.objects.filter(city__code=HAKODATE).first()
    same = Department.objects.filter(city__code=ASAHIKAWA).first()
    departments = cp932_csv(
        tmp_path / "窓口.csv",
        ("city", "name", "url", "email"),
        (HAKODATE, quoted(department.name), department.url, "kokusai@city.hakodate.example.jp"),
        (ASAHIKAWA, quoted(same.name), same.url, same.email),
        (ASAHIKAWA, "国際交流課", "https://www.city.asahikawa.hokkaido.jp/kokusai/", ""),
    )
    upload(page, "department", departments)
    expect(page.locator("#import-summary")).to_have_text("1 new, 1 updated, 1 unchanged, 0 deleted")
    changes = page.locator("#import-changes tbody tr")
    expect(changes).to_have_count(2)
    updated = changes.filter(has_text=department.name)
    expect(updated).to_contain_text("email")
    expect(updated.locator("del")).to_have_text(department.email)
    expect(updated.locator("ins")).to_have_text("kokusai@city.hakodate.example.jp")
    added = changes.filter(has_text="国際交流課")
    expect(added).to_contain_text("new")
    expect(added.locator("ins")).to_contain_text(["012041", "国際交流課", "https://www.city.asahi"])
    screenshot(page, "admin-import-preview")
    # Nothing is written by the preview.
    department.refresh_from_db()
    assert department.email != "kokusai@city.hakodate.example.jp"

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist .success")).to_contain_text("1 new, 1 updated")
    department.refresh_from_db()
    assert department.email == "kokusai@city.hakodate.example.jp"
    assert Department.objects.filter(city__code=ASAHIKAWA, name="国際交流課").exists()

    page.goto(f"{page.base}/admin/directory/department/{department.pk}/change/")
    expect(page.get_by_label("E-mail")).to_have_value("kokusai@city.hakodate.example.jp")
    page.get_by_role("link", name="History").click()
    latest = page.locator("#change-history tbody tr").first
    expect(latest).to_contain_text(": 窓口.csv")
    expect(latest).to_contain_text("editor")
    screenshot(page, "admin-import-history")
    # The version before the import, offered for revert, shows the old address.
    page.locator("#change-history tbody tr").nth(1).get_by_role("link").click()
    expect(page.get_by_label("E-mail")).to_have_value(department.history.earliest().email)
    expect(page.get_by_role("button", name="Revert")).to_be_visible()

    links = cp932_csv(
        tmp_path / "教室.csv",
        ("city", "url", "label", "department"),
        (HAKODATE, "https://example.jp/nihongo", "にほんご教室（髙﨑）①", quoted(department.name)),
    )
    upload(page, "classlink", links)
    expect(page.locator("#import-summary")).to_contain_text("1 new, 0 updated")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist .success")).to_contain_text("1 new")
    link = ClassLink.objects.get(url="https://example.jp/nihongo")
    assert (link.label, link.city.code, link.department) == (
        "にほんご教室（髙﨑）①",
        HAKODATE,
        department,
    )
    page.goto(f"{page.base}/admin/directory/classlink/{link.pk}/history/")
    expect(page.locator("#change-history tbody tr")).to_contain_text(": 教室.csv")

    page.goto(f"{page.base}/admin/directory/classlink/export/")
    page.get_by_label("Format").select_option(label="csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    exported = download.value.path().read_bytes().decode("utf-8-sig")
    assert "にほんご教室（髙﨑）①" in exported
    assert page.violations == []


def test_a_file_with_a_bad_row_names_every_error_and_changes_nothing(
    staff_page, tmp_path, screenshot
):
    page = staff_page
    hakodate, asahikawa = (
        Department.objects.filter(city__code=code).first() for code in (HAKODATE, ASAHIKAWA)
    )
    before = directory_state()
    bad = cp932_csv(
        tmp_path / "bad.csv",
        ("city", "name", "url", "email"),
        (HAKODATE, quoted(hakodate.name), hakodate.url, "new-desk@city.hakodate.example.jp"),
        (ASAHIKAWA, quoted(asahikawa.name), "javascript:alert(1)", "国際課＠旭川"),
        (ASAHIKAWA, "新しい窓口", "https://example.jp/madoguchi", ""),
    )
    upload(page, "department", bad)
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    rows = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in errors.all()]
    assert [row[:2] for row in rows] == [["3", "url"], ["3", "email"]]
    assert [row[2] for row in rows] == ["javascript:alert(1)", "国際課@旭川"]
    assert "http" in rows[0][3] and "email" in rows[1][3].lower()
    expect(page.locator("#import-errors")).to_contain_text("Nothing was imported")
    # The form is there again, to upload the corrected file.
    expect(page.get_by_role("button", name="Preview")).to_be_visible()
    screenshot(page, "admin-import-errors")
    assert directory_state() == before
    assert page.violations == []


def test_staff_correct_the_published_table_in_excel_and_upload_it_as_shift_jis_csv(
    staff_page, tmp_path, screenshot
):
    """One CP932 CSV changes a department and adds a class link: one preview, one confirm."""
    page = staff_page
    department = Department.objects.get(city__code=HAKODATE)
    classes = "https://www.city.hakodate.hokkaido.jp/docs/2014013100501/"
    text = published_table_as_csv().replace("hkd-intl[at]", "kokusai[at]")
    text = text.replace(classes, classes + " https://example.jp/nihongo (にほんご教室（髙﨑）①)")
    table = tmp_path / "中核市一覧.csv"
    table.write_bytes(text.encode("cp932"))

    upload(page, "city", table)
    expect(page.locator("#import-summary")).to_contain_text("1 new, 1 updated")
    changes = page.locator("#import-changes tbody tr")
    expect(changes).to_have_count(2)
    updated = changes.filter(has=page.get_by_role("cell", name="updated", exact=True))
    expect(updated.locator("del")).to_have_text("hkd-intl@city.hakodate.hokkaido.jp")
    expect(updated.locator("ins")).to_have_text("kokusai@city.hakodate.hokkaido.jp")
    # Each change names the line of the table it comes from; Hakodate is on line 4.
    expect(updated.locator("td").first).to_have_text("4")
    added = changes.filter(has_text="https://example.jp/nihongo")
    expect(added.locator("td").first).to_have_text("4")
    expect(added.locator("td").nth(1)).to_have_text("new")
    expect(added.locator("ins")).to_contain_text(
        ["https://example.jp/nihongo", "にほんご教室（髙﨑）①"]
    )
    screenshot(page, "admin-import-published-csv-preview")
    department.refresh_from_db()
    assert department.email == "hkd-intl@city.hakodate.hokkaido.jp", "the preview wrote nothing"

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist .success")).to_contain_text("1 new, 1 updated")
    page.goto(f"{page.base}/admin/directory/city/{department.city_id}/change/")
    expect(page.locator("input[value='kokusai@city.hakodate.hokkaido.jp']")).to_have_count(1)
    expect(page.locator("input[value='にほんご教室（髙﨑）①']")).to_have_count(1)
    page.goto(f"{page.base}/admin/directory/department/{department.pk}/history/")
    latest = page.locator("#change-history tbody tr").first
    expect(latest).to_contain_text(": 中核市一覧.csv")
    expect(latest).to_contain_text("editor")
    link = ClassLink.objects.get(url="https://example.jp/nihongo")
    assert link.department == department
    assert page.violations == []
