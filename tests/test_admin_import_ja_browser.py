"""In Chromium set to Japanese, as a directory editor does it: a CSV saved by Japanese Excel
(Shift_JIS, Japanese headers, leading zeros stripped, a full-width ＠) imports as meant, and a file
with several errors shows every one in Japanese with its line, column and value."""

import csv
import io

import pytest
from playwright.sync_api import expect

from conftest import DESKTOP
from directory.models import Department
from directory.roles import DIRECTORY_EDITORS
from tests.builders import app_code, make_app, make_staff

pytestmark = pytest.mark.browser

HAKODATE = "012025"
ASAHIKAWA = "012041"


@pytest.fixture
def ja_page(browser, live_directory):
    """A directory editor signed in (password, then the app's code) in a Japanese browser."""
    device = make_app(make_staff("editor", DIRECTORY_EDITORS))
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_directory.url + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("correct horse battery")
    page.locator("#login-form input[type=submit]").click()
    page.locator("#id_code").fill(app_code(device))
    page.locator(".submit-row input[type=submit]").click()
    # Django's own admin strings, in Japanese.
    expect(page.locator("#user-tools")).to_contain_text("ログアウト")
    page.base = live_directory.url
    yield page
    context.close()


def excel_csv(path, *rows):
    """A CSV as Japanese Excel saves it: Shift_JIS (CP932), CR LF line ends."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("cp932"))
    return path


def upload(page, path):
    page.goto(f"{page.base}/admin/directory/department/import/")
    page.locator("#id_import_file").set_input_files(str(path))
    page.locator("#import-form input[type=submit]").click()


def test_an_editor_imports_a_csv_saved_by_japanese_excel_and_sees_a_japanese_preview(
    ja_page, tmp_path, screenshot
):
    page = ja_page
    desk = Department.objects.filter(city__code=HAKODATE).first()
    page.goto(f"{page.base}/admin/directory/department/import/")
    expect(page.locator("#import-advice")).to_contain_text("Excel(XLSX)形式で保存してください")
    expect(page.locator("#import-template")).to_have_text(
        "テンプレート（XLSX、各列の説明付き）をダウンロード"
    )
    expect(page.locator("#import-form code")).to_contain_text(
        "団体コード, 部署名, 部署名（日本語）, URL, メールアドレス, 電話番号"
    )
    screenshot(page, "admin-import-ja-upload")

    path = excel_csv(
        tmp_path / "窓口一覧.csv",
        ("団体コード", "部署名", "URL", "メールアドレス", "表示順"),
        ("12025", desk.name, desk.url, "kokusai＠city.hakodate.example.jp", str(desk.position)),
        ("12041", "国際交流課", "https://www.city.asahikawa.hokkaido.jp/kokusai/", "", "１"),
    )
    upload(page, path)
    expect(page.locator(".breadcrumbs")).to_contain_text("ホーム")
    changes = page.locator("#import-changes tbody tr")
    expect(changes).to_have_count(2)
    updated = changes.filter(has_text=desk.name)
    # The column as the file named it, the full-width ＠ read as @.
    expect(updated).to_contain_text("メールアドレス")
    expect(updated.locator("ins")).to_have_text("kokusai@city.hakodate.example.jp")
    added = changes.filter(has_text="国際交流課")
    # The code Excel cut to 12041 is back to six digits.
    expect(added.locator("ins")).to_contain_text([ASAHIKAWA, "国際交流課"])
    expect(added).to_contain_text("表示順")
    screenshot(page, "admin-import-ja-preview")
    # On a phone the preview keeps the screen's width: long addresses wrap.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "admin-import-ja-preview-phone")
    page.set_viewport_size(DESKTOP)
    desk.refresh_from_db()
    assert desk.email != "kokusai@city.hakodate.example.jp", "the preview wrote nothing"

    page.locator("#confirm-form input[name=confirm]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    desk.refresh_from_db()
    assert desk.email == "kokusai@city.hakodate.example.jp"
    added = Department.objects.get(city__code=ASAHIKAWA, name="国際交流課")
    assert (added.position, added.url) == (1, "https://www.city.asahikawa.hokkaido.jp/kokusai/")


def test_a_file_with_several_errors_shows_every_one_in_japanese_and_imports_nothing(
    ja_page, tmp_path, screenshot
):
    page = ja_page
    desk = Department.objects.filter(city__code=HAKODATE).first()
    before = sorted(Department.objects.values_list("city__code", "name", "email", "position"))
    path = excel_csv(
        tmp_path / "誤り.csv",
        ("団体コード", "部署名", "メールアドレス", "表示順"),
        ("12026", "国際交流課", "", ""),
        ("12025", desk.name, "国際課＠函館", "一"),
        ("12041", "新しい窓口", "madoguchi@example.jp", "2"),
    )
    upload(page, path)
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(3)
    rows = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in errors.all()]
    assert [row[:3] for row in rows] == [
        ["2", "団体コード", "12026"],
        ["3", "メールアドレス", "国際課@函館"],
        ["3", "表示順", "一"],
    ]
    assert rows[0][3].startswith("地方公共団体コード 12026 の市はありません。")
    assert rows[1][3] == "有効なメールアドレスを入力してください。"
    assert rows[2][3] == "「一」は整数ではありません。数字を入力してください（例：3）"
    expect(page.locator("table.import-errors thead")).to_contain_text("ファイルの値")
    # The form is there again, for the corrected file.
    expect(page.locator("#import-form")).to_be_visible()
    screenshot(page, "admin-import-ja-errors")
    after = sorted(Department.objects.values_list("city__code", "name", "email", "position"))
    assert after == before
