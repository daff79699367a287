"""The import commands refuse a file in the words the admin uses for it: rows with errors,
removals nobody confirmed, a file too big, an encoding an import does not read, a damaged
workbook."""

import html
import io
import re
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from directory.importexport import importing
from directory.importexport.published_table import DEFAULT_PATH
from directory.models import City, ClassLink
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests import crafted_files
from tests.builders import make_staff, sign_in

pytestmark = pytest.mark.django_db

LINK_IMPORT = reverse("admin:directory_classlink_import")
LINK_CONFIRM = reverse("admin:directory_classlink_process_import")
HAKODATE = crafted_files.HAKODATE
BAD_ROWS = (
    f"city,url,label\n{HAKODATE},javascript:alert(1),教室\n{HAKODATE},https://example.jp/ok,\n"
    "99999,https://example.jp/nowhere,教室\n"
)


@pytest.fixture
def editor_client(client, seed):
    sign_in(client, make_staff("editor", DIRECTORY_EDITORS))
    return client


def command_refusal(tmp_path, data, *args, command="import_directory", kind="class-links"):
    """What the command says refusing `data`: its error, without the file's path, and the lines
    it printed to stderr before it."""
    path = tmp_path / "links.csv"
    path.write_bytes(data)
    err = StringIO()
    arguments = [kind, str(path)] if command == "import_directory" else [str(path)]
    with pytest.raises(CommandError) as caught:
        call_command(command, *arguments, *args, stdout=StringIO(), stderr=err)
    prefix = f"{path}: "
    assert str(caught.value).startswith(prefix)
    lines = [line.removeprefix(prefix) for line in err.getvalue().splitlines()]
    return str(caught.value).removeprefix(prefix), lines


def upload(client, data, language="en", **fields):
    return client.post(
        LINK_IMPORT,
        {"import_file": SimpleUploadedFile("links.csv", data), **fields},
        headers={"accept-language": language},
    )


def errornote(response):
    """The line above the admin's table of a file's problems, as the page shows it."""
    found = re.search(r'<div class="errornote" id="import-errors">(.*?)</div>', response.text)
    return html.unescape(found[1]).strip()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_file_with_bad_rows_is_refused_in_the_admins_words_by_the_command(
    editor_client, tmp_path, language
):
    data = BAD_ROWS.encode()
    page = upload(editor_client, data, language)
    report = page.context["report"]
    with translation.override(language):
        refusal, printed = command_refusal(tmp_path, data)
    assert refusal == errornote(page)
    assert refusal.startswith("The file has 2 problems." if language == "en" else "ファイルに 2 件")
    # Each problem the admin's table lists, by line and column, is printed too.
    assert len(printed) == len(report.errors) == 2
    for line, error in zip(printed, report.errors, strict=True):
        assert line.startswith(f"line {error.line}" if language == "en" else f"{error.line} 行目")
        assert line.endswith(html.unescape(error.message))
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/").exists()


def test_removals_nobody_confirmed_are_refused_in_the_same_words_by_the_command(
    editor_client, tmp_path
):
    links = list(ClassLink.objects.select_related("city")[:2])
    data = "city,url,delete\n" + "".join(f"{link.city.code},{link.url},yes\n" for link in links)
    token = upload(editor_client, data.encode()).url.split("preview=")[1]
    confirm = editor_client.post(LINK_CONFIRM, {"token": token}, follow=True)
    [shown] = [str(message) for message in confirm.context["messages"]]
    refusal, printed = command_refusal(tmp_path, data.encode())
    same = "Nothing was imported: this file removes 2 records."
    assert shown == f"{same} Tick “Yes, remove these 2 records” to confirm, or cancel."
    assert refusal == f"{same} Check the removals listed, then run again with --allow-removals."
    assert ClassLink.objects.filter(pk__in=[link.pk for link in links]).count() == 2


@pytest.mark.parametrize("command", ["import_directory", "load_published_table"])
def test_a_file_too_big_is_refused_in_the_admins_words_by_the_commands(
    editor_client, tmp_path, command
):
    data = BAD_ROWS.encode()
    with override_settings(IMPORT_MAX_BYTES=100):
        [shown] = upload(editor_client, data).context["form"].errors["import_file"]
        refusal, printed = command_refusal(tmp_path, data, command=command)
    assert refusal == shown
    # Sizes with a no-break space between number and unit, as filesizeformat writes them.
    too_big = f"The file is {len(data)}\xa0bytes; an import takes files of up to 100\xa0bytes."
    assert refusal.startswith(too_big)
    assert printed == []


def test_an_encoding_an_import_does_not_read_is_refused_in_the_admins_words(
    editor_client, tmp_path
):
    data = BAD_ROWS.encode("euc_jp")
    # Told from the file's name, whose text is read to tell a published table from a CSV.
    [shown] = upload(editor_client, data).context["form"].errors["import_file"]
    refusal, printed = command_refusal(tmp_path, data)
    assert refusal == shown and refusal.startswith("The file is in EUC-JP")
    # Its format chosen: the file is refused as it is read, as a file with one problem.
    page = upload(editor_client, data, format="csv")
    refusal, printed = command_refusal(tmp_path, data, "--format", "csv")
    assert refusal == errornote(page)
    assert refusal.startswith("The file has 1 problem.")
    assert printed == [shown]


# A UTF-8 file into which a label was pasted from a Shift_JIS one: 教室 as CP932's bytes.
PASTED_FROM_CP932 = (
    f"city,url,label\n{HAKODATE},https://example.jp/a,日本語\n".encode()
    + f"{HAKODATE},https://example.jp/b,にほんご".encode()
    + "教室".encode("cp932")
    + b"\n"
)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_utf8_file_with_a_cell_in_another_encoding_is_refused_naming_its_line_column_and_cell(
    editor_client, tmp_path, language
):
    # Its format told from its name, or chosen: the file is refused as it is read, by the
    # command too, naming the cell, not as a file in an encoding an import does not read.
    for fields, args in [({}, ()), ({"format": "csv"}, ("--format", "csv"))]:
        page = upload(editor_client, PASTED_FROM_CP932, language, **fields)
        [shown] = [str(error) for error in page.context["report"].errors]
        with translation.override(language):
            refusal, printed = command_refusal(tmp_path, PASTED_FROM_CP932, *args)
        assert printed == [shown] and refusal == errornote(page)
        if language == "en":
            assert shown == (
                "line 3, column label, value “にほんご����”: this holds bytes that are not UTF-8 "
                "text (shown as �), as text pasted in from a file saved in another encoding does. "
                "Type the text again, then save the file as “CSV UTF-8 (comma delimited)” and "
                "upload that."
            )
        else:
            assert shown.startswith("3 行目, 列「label」, 値「にほんご����」: ")
            assert "UTF-8 ではないバイト" in shown
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/").exists()


# Excel's "Unicode text": UTF-16 after its mark, tab-separated.
UNICODE_TEXT = ("\ufeff" + BAD_ROWS.replace(",", "\t")).encode("utf-16-le")
CUT_SHORT = UNICODE_TEXT[:-1]
NUL_BODY = UNICODE_TEXT[:40] + b"\x00" * 400  # 19 characters, then 200 NUL
# The first half of a character beyond the BMP, alone.
HALF_A_CHARACTER = UNICODE_TEXT[:40] + b"\x00\xd8" + UNICODE_TEXT[40:]


@pytest.mark.parametrize(
    ("data", "told"),
    [
        (CUT_SHORT, f"its size, {len(CUT_SHORT)} bytes, is an odd number: it was cut short"),
        (NUL_BODY, "200 of its 219 characters are NUL (U+0000), which text never holds"),
        (HALF_A_CHARACTER, "holds bytes that are not UTF-16: it is damaged"),
    ],
    ids=["cut-short", "nul", "half-a-character"],
)
def test_a_damaged_unicode_text_file_is_refused_naming_the_problem_and_nothing_is_written(
    editor_client, tmp_path, data, told
):
    before = list(ClassLink.objects.values_list("pk", "url", "label"))
    starts = "The file starts as UTF-16 text (Excel's “Unicode text”) does, but "
    # Told from the file's name, whose text is read to tell a published table from a CSV.
    [shown] = upload(editor_client, data).context["form"].errors["import_file"]
    assert shown.startswith(starts) and told in shown
    # Its format chosen: refused as it is read, as a file with one problem, by the command too.
    page = upload(editor_client, data, format="tsv")
    assert page.status_code == 200 and [str(e) for e in page.context["report"].errors] == [shown]
    refusal, printed = command_refusal(tmp_path, data, "--format", "tsv")
    assert refusal == errornote(page) and printed == [shown]
    assert list(ClassLink.objects.values_list("pk", "url", "label")) == before


def test_a_refused_files_summary_says_nothing_was_imported_not_what_its_good_rows_did(
    client, seed, tmp_path
):
    hakodate = City.objects.get(code=HAKODATE)
    sign_in(client, make_staff("city-editor", CITY_EDITORS, cities=[hakodate]))
    # One good row, one bad: the good one's count must not read as a row that went in.
    data = f"city,url,label\n{HAKODATE},https://example.jp/ok,教室\n{HAKODATE},ftp://x,教室\n"
    report = upload(client, data.encode(), "ja").context["report"]
    with translation.override("ja"):
        summary = report.summary()
        assert report.lines()[-1] == summary
    assert summary.startswith("何もインポートしていません。")
    assert "新規 1 件" in summary and "修正するまで" in summary
    assert report.counts["new"] == 1 and not ClassLink.objects.filter(url__contains="/ok").exists()
    # The command that prints a refused file's report: a table leaving out a city.
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "core-cities.tsv"
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("load_published_table", str(path), stdout=out)
    last = out.getvalue().splitlines()[-1]
    assert re.fullmatch(
        r"Nothing was imported\. Not written until the file's problems are corrected: "
        r"0 new, 0 updated, \d+ unchanged, 1 deleted",
        last,
    )


def workbook_with(third_cell, shared_strings=None):
    """A workbook of one class link whose label is `third_cell`, as XML written as it is."""
    cells = crafted_files.cell("A2", HAKODATE) + crafted_files.cell("B2", "https://example.jp/a")
    rows = f'{crafted_files.header_row()}<row r="2">{cells}{third_cell}</row>'
    sheet = f'<worksheet xmlns="{crafted_files.MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    return crafted_files.workbook(sheet, shared_strings)


# What a program other than Excel may write: a control character as a reference (Excel writes
# _x0001_), in a shared text or in the cell itself.
CONTROL_CHARACTER_WORKBOOKS = {
    "shared-text": workbook_with(
        '<c r="C2" t="s"><v>0</v></c>',
        f'<sst xmlns="{crafted_files.MAIN}"><si><t>教室&#1;</t></si></sst>',
    ),
    "cell": workbook_with('<c r="C2" t="inlineStr"><is><t>教室&#x1;</t></is></c>'),
}
DAMAGED = "ブックが壊れています。"
CONTROL_CHARACTER_REFUSALS = {
    "shared-text": f"{DAMAGED}ブック内の文字列（xl/sharedStrings.xml）「教室<U+0001>」に、"
    "表計算ソフトのセルには入れられない文字（U+0001）があります。ファイルを作成したソフトで"
    "その文字列を直し、保存し直してからアップロードしてください。",
    "cell": f"{DAMAGED}シート（xl/worksheets/sheet1.xml）のセル C2 の「教室<U+0001>」に、"
    "表計算ソフトのセルには入れられない文字（U+0001）があります。ファイルを作成したソフトで"
    "そのセルを直し、保存し直してからアップロードしてください。",
}


@pytest.mark.parametrize("where", CONTROL_CHARACTER_WORKBOOKS)
def test_a_workbook_holding_a_character_no_spreadsheet_can_hold_is_refused_in_japanese(
    editor_client, where
):
    data = CONTROL_CHARACTER_WORKBOOKS[where]
    expected = CONTROL_CHARACTER_REFUSALS[where]
    before = list(ClassLink.objects.values_list("pk", "url", "label"))
    with translation.override("ja"):
        report = importing.run_import("class-links", data, "xlsx", dry_run=False)
    assert [str(error) for error in report.errors] == [expected]
    page = editor_client.post(
        LINK_IMPORT,
        {"import_file": SimpleUploadedFile("links.xlsx", data)},
        headers={"accept-language": "ja"},
    )
    assert [str(error) for error in page.context["report"].errors] == [expected]
    assert escape(expected) in page.text
    # Not the XML parser's words: "reference to invalid character number: line 1, column 80".
    assert "invalid" not in page.text
    assert list(ClassLink.objects.values_list("pk", "url", "label")) == before


def zip_of(*parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts:
            archive.writestr(name, text)
    return buffer.getvalue()


CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
# What staff may upload as .xlsx that is no workbook: every one was refused in Python's words.
NOT_WORKBOOKS = {
    "csv": f"city,url,label\n{HAKODATE},https://example.jp/a,教室\n".encode("cp932"),
    "web page": b"<html><body><table><tr><td>city</td></tr></table></body></html>",
    # Excel 97-2003's .xls starts so.
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024),
    "xls as Excel writes it": crafted_files.old_workbook()[1],
    "zip": zip_of(("word/document.xml", "<document/>")),
    "word": zip_of(
        ("[Content_Types].xml", f'<Types xmlns="{CONTENT_TYPES}"/>'),
        ("word/document.xml", "<document/>"),
    ),
}


@pytest.mark.parametrize("kind", NOT_WORKBOOKS)
def test_a_file_named_xlsx_that_is_no_workbook_is_refused_in_japanese_saying_how_to_save_it(
    editor_client, kind
):
    before = list(ClassLink.objects.values_list("pk", "url", "label"))
    page = editor_client.post(
        LINK_IMPORT,
        {"import_file": SimpleUploadedFile("教室.xlsx", NOT_WORKBOOKS[kind])},
        headers={"accept-language": "ja"},
    )
    assert page.status_code == 200
    assert [str(error) for error in page.context["report"].errors] == [
        "このファイルは Excel ブック（XLSX）ではありません。表計算ソフトで開き、"
        "「Excel ブック（*.xlsx）」または「CSV UTF-8（コンマ区切り）」で保存してから、"
        "そのファイルをアップロードしてください。"
    ]
    # Not Python's words: "File is not a zip file", "There is no item named ...".
    assert "File is not" not in page.text and "no item named" not in page.text
    assert list(ClassLink.objects.values_list("pk", "url", "label")) == before


def test_a_workbook_encrypted_with_a_password_is_refused_in_japanese_saying_how_to_remove_it(
    editor_client,
):
    before = list(ClassLink.objects.values_list("pk", "url", "label"))
    name, data = crafted_files.encrypted_workbook()
    page = editor_client.post(
        LINK_IMPORT,
        {"import_file": SimpleUploadedFile(name, data)},
        headers={"accept-language": "ja"},
    )
    expected = (
        "このブックはパスワードで保護されているため、読み込めません。Excel でブックを開き、"
        "「ファイル」＞「情報」＞「ブックの保護」＞「パスワードを使用して暗号化」で"
        "パスワードを消して「OK」を押し、ブックを保存してから、もう一度アップロードしてください。"
    )
    assert page.status_code == 200
    assert [str(error) for error in page.context["report"].errors] == [expected]
    assert escape(expected) in page.text
    assert list(ClassLink.objects.values_list("pk", "url", "label")) == before


LINK = f'{{"city": "{HAKODATE}", "url": "https://example.jp/json", "label": "教室"}}'
UNQUOTED = LINK.replace('"label": "', '"label": ')  # its label's opening quote deleted
CANNOT_READ_JSON = "に誤りがあるため、読み込めませんでした。"
CHECK_THERE = 'その付近でコンマ（,）、引用符（"）、かっこが抜けていないか確認してください。'
# JSON that staff edited by hand, and what the admin says of it: where it went wrong (a comma
# missing at a line's end is named there), the text around that place, and Python's words.
INVALID_JSON = {
    "missing comma": (
        f'[\n  {{\n    "city": "{HAKODATE}"\n    "url": "https://example.jp/json"\n  }}\n]\n',
        f'3 行目、21 文字目（「"city": "{HAKODATE}"」）{CANNOT_READ_JSON}{CHECK_THERE}'
        "（Expecting ',' delimiter）",
    ),
    # An export is one line: its text is quoted, cut, on both sides of the place.
    "export with a quote deleted": (
        f"[{LINK}, {UNQUOTED}, {LINK}]",
        '1 行目、132 文字目（「…e.jp/json", "label": 教室"}, {"city": "012…」）'
        f"{CANNOT_READ_JSON}{CHECK_THERE}（Expecting value）",
    ),
    "cut short after a comma": (
        f"[{LINK},\n",
        f'1 行目、70 文字目（「…on", "label": "教室"}},」）{CANNOT_READ_JSON}{CHECK_THERE}'
        "（Expecting value）",
    ),
}


@pytest.mark.parametrize("mistake", INVALID_JSON)
def test_invalid_json_is_refused_in_japanese_naming_its_line_column_and_text(
    editor_client, mistake
):
    before = list(ClassLink.objects.values_list("pk", "url", "label"))
    text, message = INVALID_JSON[mistake]
    page = editor_client.post(
        LINK_IMPORT,
        {"import_file": SimpleUploadedFile("教室.json", text.encode())},
        headers={"accept-language": "ja"},
    )
    assert page.status_code == 200
    assert [str(error) for error in page.context["report"].errors] == [f"JSON ファイルの {message}"]
    assert escape(message) in page.text
    assert list(ClassLink.objects.values_list("pk", "url", "label")) == before


def test_a_json_file_of_spaces_is_refused_as_holding_no_rows_not_as_invalid_json(editor_client):
    page = editor_client.post(
        LINK_IMPORT,
        {"import_file": SimpleUploadedFile("教室.json", b" \r\n\r\n")},
        headers={"accept-language": "ja"},
    )
    assert [str(error) for error in page.context["report"].errors] == [
        "見出し行の下にデータの行がありません。"
    ]
