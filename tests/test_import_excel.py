"""An Excel-safe round trip: what Excel and Japanese input methods do to a file is read as meant,
and every error says where it is, what the cell holds and what is expected, in the user's language.
"""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, time
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl.utils import get_column_letter

from directory.importexport import exporting, importing
from directory.importexport.cells import (
    restore_city_code,
    restore_postal_code,
    restore_prefecture_code,
)
from directory.importexport.columns import COLUMNS, belongs_to, canonical_headers
from directory.importexport.plain import plain_width
from directory.importexport.published_table import (
    DEFAULT_PATH,
    PublishedTableError,
    parse,
)
from directory.models import City, ClassLink, Department, ImportLog, OpeningHours
from directory.roles import DIRECTORY_EDITORS
from tests.builders import make_staff, published_table_as_csv, sign_in

HAKODATE = "012025"
ASAHIKAWA = "012041"
KORIYAMA = "072036"
PREFECTURE_CODES = {f"{number:02d}" for number in range(1, 48)}


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English unless a test asks for Japanese."""
    with translation.override("en"):
        yield


def csv_of(*rows, encoding="utf-8"):
    return "\n".join(",".join(row) for row in rows).encode(encoding)


def test_it_reads_full_width_letters_digits_signs_and_spaces_as_the_plain_ones():
    assert plain_width("ｋｏｋｕｓａｉ＠ｃｉｔｙ．ｊｐ") == "kokusai@city.jp"
    assert plain_width("１２") == "12"
    assert plain_width("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／") == "https://example.jp/"
    assert plain_width("\u3000012025\u3000") == " 012025 "


def test_it_leaves_japanese_text_circled_numbers_and_half_width_kana_as_they_are():
    for text in ("函館市", "にほんご教室①", "ﾆﾎﾝｺﾞ", "（髙﨑）"[1:-1]):
        assert plain_width(text) == text
    assert plain_width(12025) == 12025


def test_a_workbook_saved_with_its_explanation_sheet_selected_is_read_from_its_data_sheet(seed):
    workbook = openpyxl.Workbook()
    data_sheet = workbook.active
    data_sheet.title = "入力"
    data_sheet.append(["団体コード", "部署名", "メールアドレス"])
    data_sheet.append([KORIYAMA, "Help desk", "help@example.jp"])
    notes = workbook.create_sheet("列の説明")
    notes.append(["列", "内容"])
    notes.append(["団体コード", "6桁"])
    workbook.active = notes
    out = io.BytesIO()
    workbook.save(out)
    report = importing.run_import("departments", out.getvalue(), "xlsx", dry_run=False)
    assert report.ok, report.errors
    assert Department.objects.filter(city__code=KORIYAMA, email="help@example.jp").exists()


def test_it_restores_a_postal_code_excel_cut_to_six_digits():
    assert restore_postal_code("408666") == restore_postal_code(408666.0) == "0408666"
    # Five digits is a typo as often as a cut: left to be refused as it is.
    for as_typed in ("040-8666", "0408666", "〒040-8666", "12345", "1234"):
        assert restore_postal_code(as_typed) == as_typed


def test_a_hokkaido_desk_exported_and_saved_by_excel_keeps_its_postal_code(seed):
    desk = Department.objects.filter(city__code=HAKODATE).first()
    desk.postal_code = "040-8666"
    desk.save()
    # Excel read 0408666 and 012025 as numbers and wrote them back without their zeros.
    data = csv_of(("団体コード", "部署名", "郵便番号"), ("12025", f'"{desk.name}"', "408666"))
    report = importing.run_import(
        "departments", data.decode().encode("cp932"), "csv", dry_run=False
    )
    assert report.ok, report.errors
    desk.refresh_from_db()
    assert desk.postal_code == "040-8666"


def test_it_restores_a_local_government_code_excel_cut_to_five_digits_by_its_check_digit():
    assert restore_city_code("12025") == HAKODATE
    assert restore_city_code(12025) == HAKODATE
    assert restore_city_code(12025.0) == HAKODATE
    assert restore_city_code("１２０２５") == HAKODATE
    assert restore_city_code(HAKODATE) == HAKODATE
    # 012026 would have a wrong check digit: the value stays, to be refused naming the cell.
    assert restore_city_code("12026") == "12026"
    assert restore_city_code("1202") == "1202"


def test_it_restores_a_prefecture_code_excel_cut_to_one_digit_from_the_prefecture_list():
    assert restore_prefecture_code("7", PREFECTURE_CODES) == "07"
    assert restore_prefecture_code(7, PREFECTURE_CODES) == "07"
    assert restore_prefecture_code("４", PREFECTURE_CODES) == "04"
    assert restore_prefecture_code("0", PREFECTURE_CODES) == "0"
    assert restore_prefecture_code("47", PREFECTURE_CODES) == "47"


def test_headers_in_japanese_or_english_name_the_same_columns():
    keys, used = canonical_headers(
        "departments", ["団体コード", "部署名", "URL", "Email", "表示順"]
    )
    assert keys == ["city", "name", "url", "email", "position"]
    assert used["city"] == "団体コード" and used["email"] == "Email"
    for kind, columns in COLUMNS.items():
        for column in columns:
            assert canonical_headers(kind, [column.ja])[0] == [column.key]


def test_it_tells_from_the_headers_which_import_a_file_belongs_to():
    links = ["city", "url", "label", "department", "position"]
    assert belongs_to("departments", links) == "class-links"
    assert belongs_to("class-links", links) is None
    assert (
        belongs_to("class-links", ["団体コード", "部署名", "URL", "メールアドレス"])
        == "departments"
    )
    assert belongs_to("departments", ["city", "name"]) is None


def test_a_departments_file_saved_by_japanese_excel_imports_as_meant(seed):
    department = Department.objects.get(city__code=HAKODATE)
    data = csv_of(
        ("団体コード", "部署名", "URL", "メールアドレス", "表示順"),
        ("12025", f'"{department.name}"', department.url, "ｋｏｋｕｓａｉ＠ｃｉｔｙ．ｊｐ", "１２"),
        ("12041", "国際交流課", "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／ｋｏｋｕｓａｉ", "", ""),
        encoding="cp932",
    )
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.ok, report.errors
    assert (report.counts["new"], report.counts["updated"]) == (1, 1)
    department.refresh_from_db()
    assert (department.email, department.position) == ("kokusai@city.jp", 12)
    added = Department.objects.get(city__code=ASAHIKAWA, name="国際交流課")
    assert added.url == "https://example.jp/kokusai"
    # The preview names the changed columns as the file did.
    updated = next(change for change in report.changes if change.action == "updated")
    assert {column for column, _old, _new in updated.fields} == {"メールアドレス", "表示順"}


def test_an_export_with_its_zeros_stripped_by_excel_imports_unchanged(seed):
    text = exporting.export("cities", "csv").decode("utf-8-sig")
    stripped = text.replace(f"{HAKODATE},01,", "12025,1,")
    assert stripped != text
    report = importing.run_import("cities", stripped.encode("cp932"), "csv", dry_run=True)
    assert report.ok, report.errors
    assert report.counts["updated"] == 0 and report.counts["new"] == 0


def test_a_code_that_cannot_be_restored_is_an_error_naming_line_column_and_value(seed):
    data = csv_of(
        ("団体コード", "URL", "表示順"),
        ("12026", "https://example.jp/a", "1"),
        ("012025", "https://example.jp/b", "first"),
    )
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert [(e.line, e.column, e.value) for e in report.errors] == [
        (2, "団体コード", "12026"),
        (3, "表示順", "first"),
    ]
    assert "expected the six-digit code" in report.errors[0].message
    assert "expected digits" in report.errors[1].message
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/").exists()


def test_import_errors_are_in_japanese_for_a_japanese_user(seed):
    data = csv_of(
        ("団体コード", "部署名", "メールアドレス", "表示順"),
        ("999999", "窓口", "", ""),
        (HAKODATE, "窓口", "国際課＠函館", "一"),
    )
    with translation.override("ja"):
        report = importing.run_import("departments", data, "csv", dry_run=False)
        shown = [str(error) for error in report.errors]
    assert shown == [
        "2 行目, 列「団体コード」: 地方公共団体コード 999999 の市はありません。ディレクトリにある"
        "市の6桁のコードを入力してください（例：012025）",
        "3 行目, 列「メールアドレス」, 値「国際課@函館」: 有効なメールアドレスを入力してください。",
        # The message names the value already: it is not said twice.
        "3 行目, 列「表示順」: 「一」は整数ではありません。数字を入力してください（例：3）",
    ]
    assert not Department.objects.filter(name="窓口").exists()


def test_a_file_for_another_import_is_told_first_which_import_it_belongs_to(seed):
    links = exporting.export("class-links", "csv")
    report = importing.run_import("departments", links, "csv", dry_run=False)
    assert [str(error) for error in report.errors] == [
        "This file's columns are those of the import of Japanese class links: upload it there. "
        "Nothing was imported."
    ]
    cities = exporting.export("cities", "xlsx", header_language="ja")
    with translation.override("ja"):
        report = importing.run_import("class-links", cities, "xlsx", dry_run=False)
    assert "「市」のインポート用です" in report.errors[0].message


def test_a_published_table_with_several_errors_lists_every_one(seed):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    bad = text.replace("https://www.city.hakodate.hokkaido.jp\t", "javascript:x\t", 1)
    bad = bad.replace("\tHokkaido\tAsahikawa\t", "\tHokaido\tAsahikawa\t", 1)
    bad = bad.replace("hkd-intl[at]", "hkd intl[at]", 1)
    with pytest.raises(PublishedTableError) as refused:
        parse(bad)
    found = [(error.line, error.column, error.value) for error in refused.value.errors]
    assert len(found) == 3, found
    assert {column for _line, column, _value in found} == {1, 4, 5}
    assert ("javascript:x" in str(refused.value)) and ("Hokaido" in str(refused.value))
    report = importing.run_import("cities", bad.encode(), "published", dry_run=False)
    assert [(e.column, e.value) for e in report.errors] == [
        ("URL", "javascript:x"),
        ("E-mail", "hkd intl[at]city.hakodate.hokkaido.jp"),
        ("Prefecture", "Hokaido"),
    ]
    assert Department.objects.filter(email="hkd-intl@city.hakodate.hokkaido.jp").exists()


def test_a_published_table_reads_full_width_numbers_and_addresses_as_meant(seed):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    wide = text.replace("hkd-intl[at]", "ｋｏｋｕｓａｉ＠", 1)
    report = importing.run_import("cities", wide.encode(), "published", dry_run=True)
    assert report.ok, report.errors
    [change] = report.changes
    assert change.fields == [
        ("E-mail", "hkd-intl@city.hakodate.hokkaido.jp", "kokusai@city.hakodate.hokkaido.jp")
    ]


def test_exports_carry_the_city_and_prefecture_names_beside_the_codes(seed):
    rows = exporting.export("departments", "csv").decode("utf-8-sig").splitlines()
    assert rows[0].split(",")[:5] == ["city", "name", "name_ja", "url", "email"]
    assert rows[0].split(",")[-6:] == [
        "position",
        "id",
        "city_name",
        "city_name_ja",
        "prefecture_name",
        "prefecture_name_ja",
    ]
    hakodate = next(row for row in rows if row.startswith(HAKODATE))
    assert hakodate.endswith(",Hakodate,函館市,Hokkaido,北海道")
    cities = exporting.export("cities", "csv").decode("utf-8-sig")
    assert "prefecture_name,prefecture_name_ja" in cities.splitlines()[0]
    assert ",Hokkaido,北海道" in next(r for r in cities.splitlines() if r.startswith(HAKODATE))


def test_an_export_with_japanese_headers_imports_back_unchanged_names_and_all(seed):
    for kind in ("cities", "departments", "class-links"):
        data = exporting.export(kind, "xlsx", header_language="ja")
        headers = xlsx_headers(data)
        assert headers[0] == "団体コード"
        assert "都道府県名" in headers
        report = importing.run_import(kind, data, "xlsx", dry_run=True)
        assert report.ok, (kind, report.errors)
        assert report.counts["new"] == report.counts["updated"] == 0, kind


def test_the_readable_columns_are_ignored_on_import(seed):
    department = Department.objects.get(city__code=HAKODATE)
    data = csv_of(
        ("city", "name", "city_name", "city_name_ja", "prefecture_name_ja"),
        (HAKODATE, f'"{department.name}"', "Elsewhere", "どこか", "どこか県"),
    )
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.ok and report.counts["unchanged"] == 1
    assert City.objects.get(code=HAKODATE).name_ja == "函館市"


def departments():
    """Every desk as it stands, with the log of imports: what a refused file must leave alone."""
    desks = sorted(Department.objects.values_list("pk", "city__code", "name", "email"))
    return desks, ImportLog.objects.count()


@pytest.mark.parametrize("header", ["emial", "notes", "E-mail", "メール"])
def test_a_misspelt_or_unknown_header_is_refused_naming_it_and_the_columns_the_import_reads(
    seed, header
):
    before = departments()
    data = f"city,name,{header}\r\n{KORIYAMA},NEWX,new@example.jp\r\n".encode()
    for dry_run in (True, False):
        report = importing.run_import("departments", data, "csv", dry_run=dry_run)
        [shown] = [str(error) for error in report.errors]
        assert shown.startswith(
            f"line 1: the import of departments has no column “{header}”: correct the header, "
            "or delete the column. The columns it reads are: city (団体コード), name (部署名), "
        )
        assert "url, email (メールアドレス), phones (電話番号)" in shown
        assert shown.endswith("position (表示順), id (管理番号), delete (削除).")
        assert report.summary() == "Nothing was imported."
        assert not report.applied
    assert departments() == before


def test_a_japanese_user_is_told_every_unknown_header_of_a_file_in_japanese(seed, tmp_path):
    before = departments()
    path = tmp_path / "窓口.csv"
    data = "団体コード,部署名,メール,備考\r\n72036,国際課,a@example.jp,メモ\r\n"
    path.write_bytes(data.encode("cp932"))
    with translation.override("ja"):
        report = importing.import_path("departments", path, dry_run=False)
        [shown] = [str(error) for error in report.errors]
    assert shown.startswith(
        "1 行目: 「担当課」のインポートには列「メール」、「備考」がありません。見出しを直すか、"
        "その列を削除してください。このインポートが読み込む列は次のとおりです：団体コード (city)、"
        "部署名 (name)、部署名（日本語） (name_ja)、URL、メールアドレス (email)、"
    )
    assert shown.endswith("表示順 (position)、管理番号 (id)、削除 (delete)。")
    assert departments() == before


def test_a_json_files_unknown_key_is_refused_the_same_way(seed):
    before = departments()
    records = [{"city": KORIYAMA, "name": "NEWX", "e_mail": "new@example.jp"}]
    report = importing.run_import("departments", json.dumps(records).encode(), "json")
    [error] = report.errors
    # JSON has no header line: the key is named, the line is not.
    assert error.line is None
    assert str(error).startswith("the import of departments has no column “e_mail”: ")
    assert departments() == before


def test_an_empty_last_header_the_number_and_the_readable_columns_are_still_read(seed):
    desk = Department.objects.get(city__code=HAKODATE)
    # Excel saves a column left empty but formatted as a last, empty header.
    data = (
        "city,name,email,id,city_name,\r\n"
        f'{HAKODATE},"{desk.name}",new@city.jp,{desk.pk},Hakodate,\r\n'
    ).encode()
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.ok, report.errors
    assert report.summary() == "0 new, 1 updated, 0 unchanged, 0 deleted"
    assert Department.objects.get(pk=desk.pk).email == "new@city.jp"


def directory():
    """Every city, desk and class link as it stands, with the log of imports."""
    return (
        list(City.objects.order_by("pk").values()),
        list(Department.objects.order_by("pk").values()),
        list(ClassLink.objects.order_by("pk").values()),
        ImportLog.objects.count(),
    )


def file_of(fmt, *rows):
    """Rows as a CSV, TSV or Excel file holds them (an empty cell left empty)."""
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append([cell or None for cell in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    out = io.StringIO()
    csv.writer(out, delimiter="," if fmt == "csv" else "\t").writerows(rows)
    return out.getvalue().encode()


def refusal(kind, data, fmt):
    """The messages of a file refused alike by a preview and an import, which writes nothing."""
    before = directory()
    shown = []
    for dry_run in (True, False):
        report = importing.run_import(kind, data, fmt, dry_run=dry_run)
        assert report.summary() == "Nothing was imported."
        assert not report.applied
        shown.append([str(error) for error in report.errors])
    assert directory() == before
    assert shown[0] == shown[1]
    return shown[0]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
@pytest.mark.parametrize("second", ["メールアドレス", "email", "ＥＭＡＩＬ"])
def test_a_column_given_twice_is_refused_naming_both_headers(seed, fmt, second):
    data = file_of(
        fmt,
        ("city", "name", "email", second),
        (KORIYAMA, "NEWX", "a@example.jp", "b@example.jp"),
    )
    assert refusal("departments", data, fmt) == [
        f"line 1: the column email is given twice (“email” and “{second}”): keep one."
    ]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_note_typed_beside_the_table_is_named_by_its_column_and_value_not_dropped(seed, fmt):
    data = file_of(
        fmt,
        ("city", "name", "email"),
        (KORIYAMA, "NEWX", "a@example.jp", ""),
        (KORIYAMA, "NEWY", "b@example.jp", "電話で確認済み"),
    )
    # A CSV row with more cells than the header, as a sheet's column with no header.
    assert refusal("departments", data, fmt) == [
        "line 1: column 4 (D) has no header but holds data (“電話で確認済み” on line 3): give it a "
        "header, or delete the column."
    ]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_note_past_the_last_column_an_import_reads_is_refused_asking_to_move_it_not_to_head_it(
    seed, fmt
):
    # A header in column 101 would be refused in its turn: an import reads 100 columns.
    note = (KORIYAMA, "NEWY", "b@example.jp", *[""] * 97, "電話で確認済み")
    data = file_of(fmt, ("city", "name", "email"), (KORIYAMA, "NEWX", "a@example.jp"), note)
    assert refusal("departments", data, fmt) == [
        "line 3: column 101 (CW) holds “電話で確認済み”, but an import reads no column after CV: "
        "move the value into the table, or delete it."
    ]
    with translation.override("ja"):
        report = importing.run_import("departments", data, fmt, dry_run=True)
        assert [str(error) for error in report.errors] == [
            "3 行目: 101 列目（CW 列）に「電話で確認済み」がありますが、インポートで読み込むのは "
            "CV 列までです。値を表の中に移すか、削除してください。"
        ]


NOTES_BESIDE_THE_TABLE = (
    ("city", "name", "email"),
    (KORIYAMA, "NEWX", "a@example.jp", "確認済み"),
    (KORIYAMA, "NEWY", "b@example.jp", "要確認"),
    (KORIYAMA, "NEWZ", "c@example.jp", "", "担当: 山田"),
    (KORIYAMA, "NEWW", "d@example.jp", "済"),
)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_notes_beside_the_table_on_several_rows_are_named_in_every_column_with_their_count(
    seed, fmt
):
    data = file_of(fmt, *NOTES_BESIDE_THE_TABLE)
    assert refusal("departments", data, fmt) == [
        "line 1: column 4 (D) has no header but holds data (“確認済み” on line 2, and on 2 more "
        "lines): give it a header, or delete the column.",
        "line 1: column 5 (E) has no header but holds data (“担当: 山田” on line 4): give it a "
        "header, or delete the column.",
    ]
    with translation.override("ja"):
        report = importing.run_import("departments", data, fmt, dry_run=True)
        assert str(report.errors[0]) == (
            "1 行目: 4 列目（D 列）には見出しがありませんが、データがあります"
            "（2 行目の「確認済み」ほか、2 行）。見出しを付けるか、その列を削除してください。"
        )


def test_a_json_key_with_no_name_holding_data_in_several_objects_is_named_with_their_count(seed):
    records = [{"city": KORIYAMA, "name": name, "": name} for name in ("NEWX", "NEWY", "NEWZ")]
    assert refusal("departments", json.dumps(records).encode(), "json") == [
        "a key with no name holds data (“NEWX” in object 1, and in 2 more objects): give it a "
        "name, or delete it."
    ]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_japanese_user_uploading_a_note_beside_the_table_is_told_its_column_and_value(
    editor_client, fmt
):
    before = directory()
    # Past an empty cell, and longer than a message quotes.
    note = "電話で確認済み。" * 20
    data = file_of(fmt, ("団体コード", "部署名"), (KORIYAMA, "国際課", "", note))
    upload = SimpleUploadedFile(f"窓口.{fmt}", data)
    page = editor_client.post(
        "/admin/directory/department/import/",
        {"import_file": upload},
        headers={"accept-language": "ja"},
    )
    assert page.status_code == 200
    [shown] = [str(error) for error in page.context["report"].errors]
    assert shown == (
        "1 行目: 4 列目（D 列）には見出しがありませんが、データがあります"
        f"（2 行目の「{note[:99]}…」）。見出しを付けるか、その列を削除してください。"
    )
    assert shown.split("「")[1] in page.text
    assert directory() == before


@pytest.mark.parametrize(
    ("kind", "header", "row", "message"),
    [
        (
            "cities",
            ("code", "name", "団体コード"),
            (HAKODATE, "Hakodate X", HAKODATE),
            "line 1: the column code is given twice (“code” and “団体コード”): keep one.",
        ),
        (
            "class-links",
            ("city", "url", "URL"),
            (HAKODATE, "https://example.jp/a", "https://example.jp/b"),
            "line 1: the column url is given twice (“url” and “URL”): keep one.",
        ),
    ],
    ids=["cities", "class-links"],
)
def test_every_import_refuses_a_column_given_twice(seed, kind, header, row, message):
    assert refusal(kind, file_of("csv", header, row), "csv") == [message]


def test_each_column_given_more_than_once_is_named_with_every_header_naming_it(seed):
    data = file_of(
        "csv",
        ("city", "name", "email", "Email", "メールアドレス", "delete", "削除"),
        (KORIYAMA, "NEWX", "a@example.jp", "b@example.jp", "c@example.jp", "", ""),
    )
    assert refusal("departments", data, "csv") == [
        "line 1: the column email is given 3 times (“email”, “Email”, “メールアドレス”): keep one.",
        "line 1: the column delete is given twice (“delete” and “削除”): keep one.",
    ]


def test_a_json_file_naming_a_column_by_two_keys_is_refused(seed):
    records = [
        {"city": KORIYAMA, "name": "NEWX", "email": "a@example.jp"},
        {"city": KORIYAMA, "name": "NEWY", "メールアドレス": "b@example.jp"},
    ]
    # JSON has no header line: the keys are named, the line is not.
    assert refusal("departments", json.dumps(records).encode(), "json") == [
        "the column email is given twice (“email” and “メールアドレス”): keep one."
    ]


def test_a_japanese_user_is_told_of_a_column_given_twice_in_japanese(seed, tmp_path):
    before = directory()
    path = tmp_path / "窓口.csv"
    data = "団体コード,部署名,メールアドレス,email\r\n72036,国際課,a@example.jp,b@example.jp\r\n"
    path.write_bytes(data.encode("cp932"))
    with translation.override("ja"):
        report = importing.import_path("departments", path, dry_run=False)
        shown = [str(error) for error in report.errors]
    assert shown == [
        "1 行目: 「メールアドレス」の列が2つあります（「メールアドレス」と「email」）。"
        "1つだけ残してください。"
    ]
    assert directory() == before


REPEATED_HEADER = (
    "this line repeats the header row (line 1): delete it. A table pasted under another, or two "
    "files joined into one, bring their header row along."
)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_header_row_pasted_again_among_the_rows_is_named_by_its_line_not_read_as_data(seed, fmt):
    header = ("団体コード", "部署名", "メールアドレス", "表示順")
    data = file_of(
        fmt,
        header,
        (KORIYAMA, "NEWX", "a@example.jp", "1"),
        ("city", "name", "email", "position"),
        (KORIYAMA, "NEWY", "b@example.jp", "2"),
        header,
    )
    # Not “the local government code is six digits” nor “表示順 is not a whole number”.
    assert refusal("departments", data, fmt) == [
        f"line 3: {REPEATED_HEADER}",
        f"line 5: {REPEATED_HEADER}",
    ]


def test_two_exports_joined_into_one_file_are_refused_in_japanese_at_the_second_header(seed):
    before = directory()
    export = exporting.export("class-links", "csv", header_language="ja")
    # `copy /b a.csv+b.csv`: the second file's byte-order mark starts its header line.
    data = export + export
    line = export.decode("utf-8-sig").count("\n") + 1
    with translation.override("ja"):
        report = importing.run_import("class-links", data, "csv", dry_run=False)
        shown = [str(error) for error in report.errors]
    assert shown == [
        f"{line} 行目: この行は見出し行（1 行目）の繰り返しです。この行を削除してください。"
        "表を別の表の下に貼り付けたり、2つのファイルを1つにつなげたりすると、見出し行も一緒に入ります。"
    ]
    assert directory() == before


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_column_with_no_header_but_data_is_refused_naming_its_position_and_first_value(seed, fmt):
    data = file_of(
        fmt,
        ("city", "", "name", "email"),
        (KORIYAMA, "", "NEWX", "a@example.jp"),
        (KORIYAMA, "窓口メモ", "NEWY", "b@example.jp"),
    )
    assert refusal("departments", data, fmt) == [
        "line 1: column 2 (B) has no header but holds data (“窓口メモ” on line 3): give it a "
        "header, or delete the column."
    ]


@pytest.mark.parametrize(
    ("kind", "header", "row", "message"),
    [
        (
            "cities",
            ("code", "name", ""),
            (HAKODATE, "Hakodate X", "12"),
            "line 1: column 3 (C) has no header but holds data (“12” on line 2): give it a "
            "header, or delete the column.",
        ),
        (
            "class-links",
            ("", "city", "url"),
            ("教室", HAKODATE, "https://example.jp/a"),
            "line 1: column 1 (A) has no header but holds data (“教室” on line 2): give it a "
            "header, or delete the column.",
        ),
    ],
    ids=["cities", "class-links"],
)
def test_every_import_refuses_a_column_with_no_header_but_data(seed, kind, header, row, message):
    assert refusal(kind, file_of("csv", header, row), "csv") == [message]


def test_a_json_key_with_no_name_but_data_is_refused_naming_the_object(seed):
    records = [
        {"city": KORIYAMA, "name": "NEWX", "": ""},
        {"city": KORIYAMA, "name": "NEWY", " ": "memo"},
    ]
    assert refusal("departments", json.dumps(records).encode(), "json") == [
        "a key with no name holds data (“memo” in object 2): give it a name, or delete it."
    ]


def test_a_japanese_user_is_told_of_a_column_with_no_header_in_japanese(seed, tmp_path):
    before = directory()
    path = tmp_path / "窓口.xlsx"
    path.write_bytes(
        file_of("xlsx", ("団体コード", "部署名", "", "メールアドレス"), (KORIYAMA, "国際課", 3, ""))
    )
    with translation.override("ja"):
        report = importing.import_path("departments", path, dry_run=False)
        shown = [str(error) for error in report.errors]
    assert shown == [
        "1 行目: 3 列目（C 列）には見出しがありませんが、データがあります（2 行目の「3」）。"
        "見出しを付けるか、その列を削除してください。"
    ]
    assert directory() == before


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_column_with_no_header_and_nothing_under_it_still_lets_the_file_be_read(seed, fmt):
    desk = Department.objects.get(city__code=HAKODATE)
    # Excel's empty last column; a space (even a full-width one) is no data.
    data = file_of(
        fmt,
        ("city", "", "name", "email", "id", ""),
        (HAKODATE, "\u3000", desk.name, "new@city.jp", str(desk.pk), " "),
    )
    report = importing.run_import("departments", data, fmt, dry_run=False)
    assert report.ok, report.errors
    assert report.summary() == "0 new, 1 updated, 0 unchanged, 0 deleted"
    assert Department.objects.get(pk=desk.pk).email == "new@city.jp"


def xlsx_headers(data, sheet=0):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell.value for cell in workbook.worksheets[sheet][1]]


@pytest.fixture
def editor_client(client, seed):
    return sign_in(client, make_staff("editor", DIRECTORY_EDITORS))


def test_a_japanese_user_exports_from_the_admin_with_japanese_headers(editor_client):
    response = editor_client.post(
        "/admin/directory/department/export/",
        {"format": "0", "resource": "0", "export_items": []},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 200, response.content[:500]
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("団体コード,部署名,部署名（日本語）,URL,メールアドレス,電話番号")
    assert header.endswith("表示順,管理番号,市名（英語）,市名,都道府県名（英語）,都道府県名")


def test_the_export_page_lists_the_columns_the_file_will_have_in_the_staff_members_language(
    editor_client,
):
    page = editor_client.get("/admin/directory/department/export/", HTTP_ACCEPT_LANGUAGE="ja")
    listed = page.content.decode().split("列：")[1].split("</code>")[0]
    assert "団体コード, 部署名, 部署名（日本語）" in listed and "都道府県名" in listed
    assert "city, name" not in page.content.decode()


def test_an_excel_export_is_named_for_the_day_in_japan_and_its_sheet_for_what_it_holds(
    editor_client,
):
    # 23:30 on the 30th in UTC is already the 1st in Japan.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=late):
        response = editor_client.post(
            "/admin/directory/department/export/",
            {"format": "2", "resource": "0", "export_items": []},
            HTTP_ACCEPT_LANGUAGE="ja",
        )
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert 'filename="madoguchi-departments-2026-12-01.xlsx"' in disposition
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["担当課"]


def test_the_import_page_recommends_xlsx_and_links_the_template(editor_client):
    page = editor_client.get("/admin/directory/classlink/import/", HTTP_ACCEPT_LANGUAGE="ja")
    text = page.content.decode()
    assert "Excel(XLSX)形式で保存してください" in text
    assert 'href="/admin/directory/classlink/import/template/"' in text
    assert "<code>団体コード, URL, 教室名, 担当部署, クラス名, 会場," in text
    english = editor_client.get("/admin/directory/classlink/import/").content.decode()
    assert "XLSX keeps codes such as 012025 intact" in english


def test_each_import_has_a_template_explaining_every_column_in_the_users_language(editor_client):
    response = editor_client.get(
        "/admin/directory/department/import/template/", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, explained = workbook.worksheets
    assert [cell.value for cell in sheet[1]] == [
        "団体コード",
        "部署名",
        "部署名（日本語）",
        "URL",
        "メールアドレス",
        "電話番号",
        "郵便番号",
        "住所（日本語）",
        "住所（ローマ字）",
        "階・窓口",
        "受付時間",
        "受付時間の注記",
        "対応言語",
        "電話・ビデオ通訳",
        "予約が必要",
        "表示順",
        "管理番号",
    ]
    # Codes typed into the template keep their leading zeros: the column is text.
    assert sheet.column_dimensions["A"].number_format == "@"
    rows = {row[0]: row for row in explained.iter_rows(values_only=True) if row and row[0]}
    assert rows["表示順"][1] == "position"
    assert rows["表示順"][3].startswith("表示順。")
    assert rows["団体コード"][2] == "はい"
    assert "削除" in rows
    english = editor_client.get("/admin/directory/department/import/template/")
    rows = list(openpyxl.load_workbook(io.BytesIO(english.content)).worksheets[1].values)
    position = next(row for row in rows if row[0] == "position")
    assert position[:3] == ("position", "表示順", "no")
    assert position[3].startswith("The display order")


def test_the_template_filled_in_imports_cleanly(editor_client):
    for model, kind, cells in (
        (
            "department",
            "departments",
            {"団体コード": HAKODATE, "部署名": "多文化共生課", "URL": "https://example.jp/t"}
            | {"メールアドレス": "t@example.jp", "表示順": 2},
        ),
        (
            "classlink",
            "class-links",
            {"団体コード": HAKODATE, "URL": "https://example.jp/class", "教室名": "教室"}
            | {"表示順": 1},
        ),
    ):
        template = editor_client.get(
            f"/admin/directory/{model}/import/template/", HTTP_ACCEPT_LANGUAGE="ja"
        ).content
        workbook = openpyxl.load_workbook(io.BytesIO(template))
        headers = [cell.value for cell in workbook.active[1]]
        workbook.active.append([cells.get(header) for header in headers])
        filled = io.BytesIO()
        workbook.save(filled)
        filled.name = f"{kind}.xlsx"
        filled.seek(0)
        url = f"/admin/directory/{model}/import/"
        response = editor_client.post(url, {"import_file": filled}, HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 302, response.content.decode()[-2000:]
        token = response["Location"].split("preview=")[1]
        confirmed = editor_client.post(
            f"/admin/directory/{model}/process_import/", {"token": token}
        )
        assert confirmed.status_code == 302
    assert Department.objects.get(name="多文化共生課").email == "t@example.jp"
    assert ClassLink.objects.get(url="https://example.jp/class").label == "教室"


def test_codes_excel_stored_as_numbers_in_a_workbook_import_as_codes(seed):
    workbook = openpyxl.Workbook()
    workbook.active.append(["団体コード", "URL", "表示順"])
    workbook.active.append([12025, "https://example.jp/xlsx", 2.0])
    workbook.active.append(["\u300012041\u3000", "https://example.jp/wide", "３"])
    out = io.BytesIO()
    workbook.save(out)
    report = importing.run_import("class-links", out.getvalue(), "xlsx", dry_run=False)
    assert report.ok, report.errors
    links = ClassLink.objects.filter(url__startswith="https://example.jp/")
    assert sorted(links.values_list("city__code", "position")) == [(HAKODATE, 2), (ASAHIKAWA, 3)]


def desks_workbook_refused_in_japanese(client, fill, damage=None):
    """The refusals the admin shows a Japanese user for a workbook of one desk, on a sheet named
    窓口, that `fill(sheet)` completes (and `damage(bytes)` then damages); nothing is written."""
    before = directory()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "窓口"
    sheet.append(["city", "name", "email"])
    sheet.append([KORIYAMA, "国際課", "a@example.jp"])
    fill(sheet)
    out = io.BytesIO()
    workbook.save(out)
    data = damage(out.getvalue()) if damage else out.getvalue()
    page = client.post(
        "/admin/directory/department/import/",
        {"import_file": SimpleUploadedFile("窓口.xlsx", data)},
        headers={"accept-language": "ja"},
    )
    assert page.status_code == 200
    assert directory() == before
    return [str(error) for error in page.context["report"].errors]


@pytest.mark.parametrize("column", [101, 16_384])
def test_a_note_typed_past_the_last_column_an_import_reads_is_refused_in_japanese_not_dropped(
    editor_client, column
):
    def fill(sheet):
        sheet.cell(row=2, column=column, value="電話で確認済み")

    letter = get_column_letter(column)
    assert desks_workbook_refused_in_japanese(editor_client, fill) == [
        f"シート「窓口」のセル {letter}2（2 行目、{letter} 列）に「電話で確認済み」がありますが、"
        "インポートで読み込むのは CV 列までです。値を表の中に移すか、削除してください。"
    ]


# A date cell, and one with a time of day (Excel keeps a fraction of a day, read to the
# microsecond): quoted as the date alone, or with its time to the second.
DATE_CELLS = {
    "date": (date(2023, 7, 14), "2023-07-14"),
    "date and time": (datetime(2023, 7, 14, 9, 30, 15, 250_000), "2023-07-14 09:30:15"),
}


@pytest.mark.parametrize("typed", DATE_CELLS)
def test_a_date_typed_past_the_last_column_an_import_reads_is_quoted_as_the_date_not_its_serial(
    editor_client, typed
):
    value, quoted = DATE_CELLS[typed]

    def fill(sheet):
        # Kept in the file as the number 45121 formatted as a date.
        sheet.cell(row=2, column=101, value=value)

    assert desks_workbook_refused_in_japanese(editor_client, fill) == [
        f"シート「窓口」のセル CW2（2 行目、CW 列）に「{quoted}」がありますが、"
        "インポートで読み込むのは CV 列までです。値を表の中に移すか、削除してください。"
    ]


@pytest.mark.parametrize("typed", DATE_CELLS)
def test_a_date_typed_where_an_import_reads_no_date_is_quoted_without_a_time_it_lacks(
    editor_client, typed
):
    value, quoted = DATE_CELLS[typed]

    def fill(sheet):
        sheet["C2"] = value  # the e-mail address
        sheet["D1"], sheet["D2"] = "表示順", value

    assert desks_workbook_refused_in_japanese(editor_client, fill) == [
        f"2 行目, 列「email」, 値「{quoted}」: 有効なメールアドレスを入力してください。",
        f"2 行目, 列「表示順」: 「{quoted}」は整数ではありません。数字を入力してください（例：3）",
    ]


@pytest.mark.parametrize("typed", DATE_CELLS)
def test_a_date_typed_as_a_header_is_quoted_without_a_time_it_lacks(editor_client, typed):
    value, quoted = DATE_CELLS[typed]

    def fill(sheet):
        sheet["D1"], sheet["D2"] = value, "電話で確認済み"

    [refusal] = desks_workbook_refused_in_japanese(editor_client, fill)
    assert refusal.startswith(f"1 行目: 「担当課」のインポートには列「{quoted}」がありません。")


def test_a_formula_a_program_other_than_excel_saved_without_its_result_is_refused_in_japanese(
    editor_client,
):
    def fill(sheet):
        # openpyxl, as LibreOffice and other programs that do not calculate, saves no result.
        sheet["C2"] = "=A1"

    assert desks_workbook_refused_in_japanese(editor_client, fill) == [
        "シート「窓口」のセル C2 に数式がありますが、その計算結果がファイルに保存されていません"
        "（Excel 以外のソフトで保存するとこうなります）。このままでは空のセルとして読み込まれます。"
        "ファイルを Excel で開いて保存し直してからアップロードするか、数式の代わりに値を入力して"
        "ください。"
    ]


def flip_a_byte_in_the_sheet(data):
    """The workbook with one byte of its sheet's packed data changed, as a bad disk or transfer
    changes it: the zip's checksum (CRC) of the sheet no longer matches."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # The packed data follows the part's local header (30 bytes, its name and its extra field).
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    damaged[start + info.compress_size - 3] ^= 0x55
    return bytes(damaged)


def fill_nothing(sheet):
    pass


def test_a_damaged_workbook_is_refused_in_japanese_asking_to_save_it_again_in_excel(
    editor_client,
):
    [message] = desks_workbook_refused_in_japanese(
        editor_client, fill_nothing, flip_a_byte_in_the_sheet
    )
    advice = (
        "ブックが壊れているため、読み込めませんでした。Excel で開き（修復するか尋ねられたら"
        "「はい」を選んでください）、保存し直してからアップロードしてください。"
    )
    # The zip's own English words, if any, only after the advice, in brackets.
    assert message.startswith(advice + "（")
    assert message.endswith("）")


def test_a_workbook_cut_short_is_refused_in_japanese_as_damaged_not_as_another_kind_of_file(
    editor_client,
):
    def cut_short(data):
        return data[: len(data) // 2]

    assert desks_workbook_refused_in_japanese(editor_client, fill_nothing, cut_short) == [
        "ブックが壊れています。ファイルの末尾が欠けています（ダウンロードやコピーが途中で止まった"
        "場合などに起こります）。元の場所からファイルを取り直すか、Excel で開いて保存し直してから"
        "アップロードしてください。"
    ]


def test_a_cell_holding_the_error_of_a_broken_formula_is_refused_by_line_column_and_error(seed):
    desk = Department.objects.filter(city__code=HAKODATE).first()
    workbook = openpyxl.Workbook()
    workbook.active.append(["団体コード", "部署名", "部署名（日本語）", "メールアドレス"])
    # openpyxl writes these as Excel's error cells, which a workbook and its CSV keep as text.
    workbook.active.append([HAKODATE, desk.name, "#REF!", "#N/A"])
    workbook.active.append([HAKODATE, "#NAME?", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    for data, fmt in (
        (out.getvalue(), "xlsx"),
        (csv_of(("city", "name"), (HAKODATE, "#REF!")), "csv"),
    ):
        with translation.override("ja"):
            report = importing.run_import("departments", data, fmt, dry_run=False)
            shown = [str(error) for error in report.errors]
        if fmt == "csv":
            assert shown == [
                "2 行目, 列「name」: セルに Excel のエラー値 #REF! が入っています（計算できなかった"
                "数式の結果です）。値そのものを入力してください"
            ]
            continue
        assert [(e.line, e.column, e.value) for e in report.errors] == [
            (2, "部署名（日本語）", "#REF!"),
            (2, "メールアドレス", "#N/A"),
            (3, "部署名", "#NAME?"),
        ]
    assert not Department.objects.filter(name="#NAME?").exists()
    desk.refresh_from_db()
    assert desk.name_ja != "#REF!"


@pytest.mark.parametrize(
    ("kind", "column", "cell"),
    [
        ("departments", "受付時間", "x" * 100_000),
        ("departments", "受付時間", "Mon-Fri " + "9" * 100_000),
        ("departments", "受付時間", "x" * 100_000 + " 08:30-17:15"),
        ("class-links", "状態の日付", "2026" * 25_000),
        ("class-links", "託児", "x" * 100_000),
        ("departments", "削除", "x" * 100_000),
    ],
)
def test_a_refused_long_cell_is_quoted_cut_short_naming_its_line_and_column(
    seed, kind, column, cell
):
    desk = Department.objects.filter(city__code=HAKODATE).first()
    key = ("部署名", desk.name) if kind == "departments" else ("URL", "https://example.jp/c")
    out = io.StringIO()
    csv.writer(out).writerows([("団体コード", key[0], column), (HAKODATE, key[1], cell)])
    data = out.getvalue().encode()
    with translation.override("ja"):
        report = importing.run_import(kind, data, "csv")
        shown = [str(error) for error in report.errors]
    assert len(shown) == 1
    assert shown[0].startswith(f"2 行目, 列「{column}」")
    # The cell quoted once, at most 100 characters of it, its cut marked.
    assert cell[:99] + "…" in shown[0]
    assert cell[:100] not in shown[0]
    assert len(shown[0]) < 400


def test_rows_going_on_a_refused_city_are_checked_and_reported_too():
    header = "\t".join(
        (
            "No.",
            "Prefecture",
            "City",
            "Department in Charge",
            "URL",
            "E-mail",
            "Japanese Class Information",
        )
    )
    text = "\n".join(
        [
            header,
            "1\tTokio\tAlpha\tDesk\thttps://a.example.jp\t\thttps://a.example.jp/class",
            "\t\t\t\t\t\tjavascript:alert(1)",
            "\t\t\tOther desk\tftp://b.example.jp\t\t",
            "2\tTokyo\tBeta\tDesk\thttps://b.example.jp\t\t",
        ]
    )
    with pytest.raises(PublishedTableError) as refused:
        parse(text)
    assert [(error.line, error.column) for error in refused.value.errors] == [
        (2, 1),
        (3, 6),
        (4, 4),
    ]


def test_a_json_export_keeps_its_english_keys_for_programs_in_every_language(seed):
    records = json.loads(exporting.export("departments", "json", header_language="ja"))
    assert {"city", "name", "city_name_ja"} <= set(records[0])


def test_a_japanese_delete_column_with_hai_removes_the_row_once_confirmed(seed):
    department = Department.objects.get(city__code=HAKODATE)
    data = csv_of(("団体コード", "部署名", "削除"), ("12025", f'"{department.name}"', "はい"))
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.removals_refused and Department.objects.filter(pk=department.pk).exists()
    report = importing.run_import("departments", data, "csv", dry_run=False, confirmed_removals=1)
    assert report.ok and report.counts["deleted"] == 1
    assert not Department.objects.filter(pk=department.pk).exists()


@pytest.mark.parametrize("typed", ["ＹＥＳ", "○", "削除"])
def test_a_delete_cell_typed_with_the_ime_or_a_tick_removes_the_row(seed, typed):
    department = Department.objects.get(city__code=HAKODATE)
    data = csv_of(("団体コード", "部署名", "削除"), ("12025", f'"{department.name}"', typed))
    report = importing.run_import("departments", data, "csv", dry_run=False, confirmed_removals=1)
    assert report.ok and report.counts["deleted"] == 1


@pytest.mark.parametrize("typed", ["削除する", "×", "maybe"])
def test_a_delete_cell_it_cannot_read_is_refused_by_row_column_and_value(seed, typed):
    department = Department.objects.get(city__code=HAKODATE)
    data = csv_of(("団体コード", "部署名", "削除"), ("12025", f'"{department.name}"', typed))
    report = importing.run_import("departments", data, "csv", dry_run=False, confirmed_removals=1)
    assert not report.ok and report.counts["deleted"] == 0
    [error] = report.errors
    assert (error.line, error.column, error.value) == (2, "削除", typed)
    assert error.message == f"“{typed}” is not yes: write yes (or はい) to remove the record, " + (
        "or leave the cell empty to keep it"
    )
    assert Department.objects.filter(pk=department.pk).exists()


def test_the_import_page_says_a_row_keeping_its_number_updates_that_record(editor_client):
    page = editor_client.get("/admin/directory/department/import/", HTTP_ACCEPT_LANGUAGE="ja")
    text = page.content.decode()
    assert "「管理番号」列にエクスポートで書き込まれた番号が残っている行は" in text
    assert "表示順, 管理番号</code>" in text
    # The delete column by the header a Japanese file has, as the template writes it.
    assert "「削除」列に「yes」とある行のレコードは削除されます" in text
    english = editor_client.get("/admin/directory/classlink/import/").content.decode()
    assert "keeps the number an export wrote in its id column" in english
    assert "a row with “yes” in a delete column removes its record" in english
    cities = editor_client.get("/admin/directory/city/import/")
    assert cities.status_code == 200 and b"number an export wrote" not in cities.content


# Each import's header and two rows with data, for a row emptied between them.
ROWS_AROUND_AN_EMPTIED_ONE = {
    "cities": (("団体コード", "備考"), (HAKODATE, "港の街"), (ASAHIKAWA, "川の街")),
    "departments": (
        ("団体コード", "部署名", "メールアドレス"),
        (HAKODATE, "窓口A", "a@example.jp"),
        (KORIYAMA, "窓口B", "b@example.jp"),
    ),
    "class-links": (
        ("団体コード", "URL", "教室名"),
        (HAKODATE, "https://example.jp/a", "教室A"),
        (KORIYAMA, "https://example.jp/b", "教室B"),
    ),
}


def as_japanese_excel_saves(data, fmt):
    """A CSV as Japanese Excel saves it, in Shift_JIS (CP932); a workbook as it is."""
    return data.decode().encode("cp932") if fmt == "csv" else data


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(ROWS_AROUND_AN_EMPTIED_ONE))
def test_a_row_emptied_in_the_middle_of_a_file_is_skipped_and_counted_as_nothing(seed, kind, fmt):
    header, first, last = ROWS_AROUND_AN_EMPTIED_ONE[kind]
    data = as_japanese_excel_saves(file_of(fmt, header, first, [""] * len(header), last), fmt)
    preview = importing.run_import(kind, data, fmt)
    assert preview.ok, [str(error) for error in preview.errors]
    report = importing.run_import(kind, data, fmt, dry_run=False)
    assert report.ok, [str(error) for error in report.errors]
    assert report.summary() == preview.summary()
    # Both rows with data are changes; the emptied one is none, not even an unchanged record.
    assert report.counts["new"] + report.counts["updated"] == 2
    assert (report.counts["unchanged"], report.counts["deleted"]) == (0, 0)
    assert [change.line for change in report.changes] == [2, 4]
    log = ImportLog.objects.get(pk=report.log_id)
    assert (log.created + log.updated, log.removed) == (2, 0)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_rows_after_emptied_ones_are_named_by_their_own_lines(seed, fmt):
    rows = (
        ("団体コード", "部署名", "メールアドレス"),
        ("", "", ""),
        (" ", "", "\u3000"),
        (KORIYAMA, "窓口B", "not an address"),
        ("", "", ""),
        (KORIYAMA, "窓口B", "b@example.jp"),
    )
    assert refusal("departments", as_japanese_excel_saves(file_of(fmt, *rows), fmt), fmt) == [
        "line 4, column メールアドレス, value “not an address”: Enter a valid email address.",
        f"line 6, column 部署名: {KORIYAMA} / 窓口B is listed on line 4 too",
    ]


@pytest.mark.parametrize("line_break", ["\r\n", "\r"])
def test_a_note_on_several_lines_is_unchanged_whether_it_comes_from_a_csv_or_a_workbook(
    seed, line_break
):
    header = ("団体コード", "部署名", "受付時間の注記")
    note = "祝日は休み\n年末年始も休み"
    # A workbook's cell has LF; a CSV cell may have CR LF (Windows) or CR (old Mac).
    workbook = file_of("xlsx", header, (KORIYAMA, "窓口", note))
    saved = file_of("csv", header, (KORIYAMA, "窓口", note.replace("\n", line_break)))
    saved = as_japanese_excel_saves(saved, "csv")
    unchanged = {"new": 0, "updated": 0, "unchanged": 1, "deleted": 0}
    for first, then in (((workbook, "xlsx"), (saved, "csv")), ((saved, "csv"), (workbook, "xlsx"))):
        Department.objects.filter(name="窓口").delete()
        assert importing.run_import("departments", *first, dry_run=False).counts["new"] == 1
        assert Department.objects.get(name="窓口").hours_note == note
        report = importing.run_import("departments", *then, dry_run=False)
        assert (report.counts, report.changes) == (unchanged, [])


# Excel for Mac's "CSV (Macintosh)" ends each line with a carriage return alone.
MAC_DESKS = (
    "city,name,email,phones,hours,url\r"
    f'{KORIYAMA},"Equality, desk",a@example.jp,,,\r'
    f"{KORIYAMA},Second desk,not an address,,,\r"
)


def test_a_csv_from_excel_for_mac_is_read_as_the_same_file_with_crlf_would_be(seed, tmp_path):
    before = departments()
    path = tmp_path / "窓口.csv"
    path.write_bytes(MAC_DESKS.encode())
    # The format is told from the name and first line, as when staff leave it to the import.
    assert importing.guess_format(path.name, path.read_bytes()) == "csv"
    report = importing.import_path("departments", path, dry_run=False)
    assert [str(error) for error in report.errors] == [
        "line 3, column email, value “not an address”: Enter a valid email address."
    ]
    assert departments() == before

    good = MAC_DESKS.replace(",not an address,", ",b@example.jp,")
    with_crlf = importing.run_import("departments", good.replace("\r", "\r\n").encode(), "csv")
    path.write_bytes(good.encode())
    report = importing.import_path("departments", path, dry_run=False)
    assert report.ok, report.errors
    assert report.summary() == with_crlf.summary() == "2 new, 0 updated, 0 unchanged, 0 deleted"
    assert [change.fields for change in report.changes] == [
        change.fields for change in with_crlf.changes
    ]
    desk = Department.objects.get(city__code=KORIYAMA, name="Equality, desk")
    assert desk.email == "a@example.jp"


def test_the_published_table_saved_with_carriage_returns_is_told_and_loaded_as_published(seed):
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("hkd-intl[at]", "intl[at]")
    for table in (text, published_table_as_csv(text)):
        data = table.replace("\r\n", "\n").replace("\n", "\r").encode()
        assert importing.guess_format("中核市一覧.csv", data) == "published"
        report = importing.run_import("cities", data, "published", dry_run=True)
        assert report.ok, report.errors
        assert report.summary() == "0 new, 1 updated, 194 unchanged, 0 deleted"
        [change] = report.changes
        assert (change.line, change.fields[0][0]) == (4, "E-mail")


def test_the_admin_previews_a_csv_from_excel_for_mac_with_the_format_left_to_it(editor_client):
    upload = io.BytesIO(MAC_DESKS.replace(",not an address,", ",b@example.jp,").encode())
    upload.name = "窓口.csv"
    url = "/admin/directory/department/import/"
    response = editor_client.post(url, {"import_file": upload, "format": ""})
    assert response.status_code == 302, response.content.decode()[-2000:]
    preview = editor_client.get(response["Location"])
    assert preview.status_code == 200
    assert "2 new, 0 updated, 0 unchanged, 0 deleted" in preview.content.decode()
    assert not Department.objects.filter(city__code=KORIYAMA, name="Equality, desk").exists()


# Rows holding what Shift_JIS (CP932) cannot: Vietnamese, simplified Chinese, 𠮷, an emoji; a
# cell with a comma, a quote and a line break, as Excel quotes it.
UNICODE_CLASSES = [
    ("団体コード", "URL", "教室名", "会場", "申し込み方法"),
    (KORIYAMA, "https://example.jp/viet", "Lớp tiếng Nhật", "市民会館 2階（语言角）", "Đăng ký 🙂"),
    (KORIYAMA, "https://example.jp/yoshi", "𠮷野教室", 'Hall "A", 1F', "電話\n或 LINE"),
]


def unicode_text(rows, encoding="utf-16-le"):
    """Rows as Japanese Excel's "Unicode テキスト (*.txt)" saves them: tab-separated, CR LF,
    UTF-16 after its byte-order mark."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode(encoding)


def class_links():
    return sorted(ClassLink.objects.values_list("pk", "url", "label", "venue", "sign_up"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excels_unicode_text_is_previewed_and_imported_as_the_same_rows_in_csv_utf8(
    editor_client, encoding
):
    data = unicode_text(UNICODE_CLASSES, encoding)
    assert data[:2] == ("\ufeff".encode(encoding))
    as_csv = importing.run_import("class-links", file_of("csv", *UNICODE_CLASSES), "csv")
    before = class_links()
    upload = io.BytesIO(data)
    upload.name = "教室一覧.txt"
    # The format left to the import, as staff leave it.
    response = editor_client.post(
        "/admin/directory/classlink/import/", {"import_file": upload, "format": ""}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    token = response["Location"].split("preview=")[1]
    preview = editor_client.get(response["Location"]).context["report"]
    assert preview.ok and as_csv.ok, (preview.errors, as_csv.errors)
    assert preview.summary() == as_csv.summary() == "2 new, 0 updated, 0 unchanged, 0 deleted"
    assert [c.fields for c in preview.changes] == [c.fields for c in as_csv.changes]
    assert class_links() == before
    confirmed = editor_client.post("/admin/directory/classlink/process_import/", {"token": token})
    assert confirmed.status_code == 302
    viet = ClassLink.objects.get(url="https://example.jp/viet")
    assert (viet.label, viet.venue, viet.sign_up) == UNICODE_CLASSES[1][2:]
    yoshi = ClassLink.objects.get(url="https://example.jp/yoshi")
    assert (yoshi.label, yoshi.venue, yoshi.sign_up) == UNICODE_CLASSES[2][2:]


def test_excels_unicode_text_imports_when_staff_choose_csv_or_a_csv_when_they_choose_tsv(
    editor_client,
):
    # The header line holds only tabs, or only commas: it says how the cells are separated.
    for data, fmt in [
        (unicode_text(UNICODE_CLASSES), "csv"),
        (file_of("csv", *UNICODE_CLASSES), "tsv"),
    ]:
        report = importing.run_import("class-links", data, fmt)
        assert report.ok, report.errors
        assert report.summary() == "2 new, 0 updated, 0 unchanged, 0 deleted"
    upload = io.BytesIO(unicode_text(UNICODE_CLASSES))
    upload.name = "教室一覧.txt"
    response = editor_client.post(
        "/admin/directory/classlink/import/", {"import_file": upload, "format": "csv"}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert editor_client.get(response["Location"]).context["report"].ok


# Dates and times as Japanese offices write them


def classes_file(fmt, column, values):
    """A class link of Hakodate's per value, each with the value in `column` (as typed: text)."""
    rows = [("団体コード", "URL", "状態", column)]
    rows += [
        (HAKODATE, f"https://example.jp/{n}", "開講中", value) for n, value in enumerate(values)
    ]
    if fmt == "csv":
        # As Japanese Excel saves a CSV: Shift_JIS (CP932).
        return file_of(fmt, *rows).decode().encode("cp932")
    return file_of(fmt, *rows)


def imported(kind, data, fmt):
    report = importing.run_import(kind, data, fmt, dry_run=False)
    assert report.ok, [str(error) for error in report.errors]
    return report


def japanese_refusal(kind, data):
    """The (line, column, value) and message of each error, for a Japanese user; nothing is
    written."""
    before = directory()
    with translation.override("ja"):
        report = importing.run_import(kind, data, "csv", dry_run=False)
        shown = [((e.line, e.column, e.value), str(e)) for e in report.errors]
    assert directory() == before
    return shown


JAPANESE_DATES = {
    "令和8年4月1日": date(2026, 4, 1),
    "令和元年5月1日": date(2019, 5, 1),
    "R8.4.1": date(2026, 4, 1),
    "R8/4/1": date(2026, 4, 1),
    "Ｒ８．４．１": date(2026, 4, 1),
    "平成31年4月30日": date(2019, 4, 30),
    "2026/4/1(水)": date(2026, 4, 1),
    "2026年4月1日（水）": date(2026, 4, 1),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dates_written_in_a_japanese_era_or_with_their_weekday_import_as_those_dates(seed, fmt):
    imported("class-links", classes_file(fmt, "状態の日付", JAPANESE_DATES), fmt)
    for n, meant in enumerate(JAPANESE_DATES.values()):
        assert ClassLink.objects.get(url=f"https://example.jp/{n}").status_date == meant


def test_a_date_its_era_never_had_or_with_the_wrong_weekday_is_refused_in_japanese(seed):
    values = ("平成32年1月1日", "令和1年4月30日", "2026/4/1(木)", "令和八年四月一日")
    assert japanese_refusal("class-links", classes_file("csv", "状態の日付", values)) == [
        (
            (2, "状態の日付", "平成32年1月1日"),
            "2 行目, 列「状態の日付」: 「平成32年1月1日」は平成の日付ではありません（平成は "
            "1989年1月8日 から 2019年4月30日 まで）。元号と年を確かめてください",
        ),
        (
            (3, "状態の日付", "令和1年4月30日"),
            "3 行目, 列「状態の日付」: 「令和1年4月30日」は令和の日付ではありません（令和は "
            "2019年5月1日 から）。元号と年を確かめてください",
        ),
        (
            (4, "状態の日付", "2026/4/1(木)"),
            "4 行目, 列「状態の日付」: 「2026/4/1(木)」の曜日は「木」ですが、2026年4月1日 は"
            "水曜日です。日付と曜日を確かめてください",
        ),
        (
            (5, "状態の日付", "令和八年四月一日"),
            "5 行目, 列「状態の日付」: 「令和八年四月一日」は日付ではありません。2026-04-01"
            "（または 2026/4/1、2026年4月1日、令和8年4月1日、R8.4.1）のように入力してください",
        ),
    ]


def test_a_date_before_2000_or_after_2099_is_refused_in_japanese_naming_the_range(seed):
    values = ("1999/12/31", "平成11年4月1日", "2100年1月1日", "2000/1/1", "2099-12-31")
    allowed = "範囲外です。2000年1月1日 から 2099年12月31日 までの日付を入力してください。"
    assert japanese_refusal("class-links", classes_file("csv", "状態の日付", values)) == [
        (
            (2, "状態の日付", "1999/12/31"),
            f"2 行目, 列「状態の日付」, 値「1999/12/31」: 1999年12月31日 は{allowed}",
        ),
        (
            (3, "状態の日付", "平成11年4月1日"),
            f"3 行目, 列「状態の日付」, 値「平成11年4月1日」: 1999年4月1日 は{allowed}",
        ),
        ((4, "状態の日付", "2100年1月1日"), f"4 行目, 列「状態の日付」: 2100年1月1日 は{allowed}"),
    ]


def test_a_workbook_s_numbers_count_the_dates_of_2000_to_2099_and_none_else(seed):
    # Excel's serial numbers of 2000-01-01 and 2099-12-31, in a date cell or typed.
    imported("class-links", classes_file("xlsx", "状態の日付", [36526, 73050.5]), "xlsx")
    dates = ClassLink.objects.filter(url__startswith="https://example.jp/")
    assert sorted(dates.values_list("status_date", flat=True)) == [
        date(2000, 1, 1),
        date(2099, 12, 31),
    ]
    ClassLink.objects.filter(url__startswith="https://example.jp/").delete()
    values = [36525, 73051, datetime(1999, 12, 31)]
    report = importing.run_import("class-links", classes_file("xlsx", "状態の日付", values), "xlsx")
    errors = [(error.line, error.column, str(error)) for error in report.errors]
    assert [(line, column) for line, column, _message in errors] == [
        (2, "状態の日付"),
        (3, "状態の日付"),
        (4, "状態の日付"),
    ]
    assert "“36525” is not a date" in errors[0][2] and "“73051” is not a date" in errors[1][2]
    assert errors[2][2].endswith(
        ": 31 December 1999 is out of range: enter a date from 1 January 2000 to 31 December 2099."
    )
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/").exists()


JAPANESE_TIMES = {
    "9時": time(9),
    "9時30分": time(9, 30),
    "17時半": time(17, 30),
    "午前9時": time(9),
    "午後5時30分": time(17, 30),
    "9：00": time(9),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_times_written_the_japanese_way_import_as_those_times(seed, fmt):
    imported("class-links", classes_file(fmt, "開始時刻", JAPANESE_TIMES), fmt)
    for n, meant in enumerate(JAPANESE_TIMES.values()):
        assert ClassLink.objects.get(url=f"https://example.jp/{n}").starts_at == meant


@pytest.mark.parametrize("value", ["午後12時", "午前0時", "午前12時半", "午後0時"])
def test_noon_or_midnight_written_with_gozen_or_gogo_is_refused_not_guessed(seed, value):
    ((where, message),) = japanese_refusal("class-links", classes_file("csv", "開始時刻", [value]))
    assert where == (2, "開始時刻", value)
    assert message == (
        f"2 行目, 列「開始時刻」: 「{value}」は正午とも真夜中とも読めます。正午なら 12:00、"
        "真夜中なら 0:00 と入力してください"
    )


def test_a_time_that_is_none_names_the_japanese_forms_it_may_take(seed):
    ((_where, message),) = japanese_refusal(
        "class-links", classes_file("csv", "開始時刻", ["午後13時"])
    )
    assert message == (
        "2 行目, 列「開始時刻」: 「午後13時」は時刻ではありません。18:30（または 18時30分、"
        "午後6時半）のように入力してください"
    )


@pytest.mark.parametrize(
    "hours",
    [
        "月～金 8:30～17:15",
        "平日 8時30分～17時15分",
        "月～金 午前8時30分～午後5時15分",
        "平日8:30～17:15",
        "月～金8時30分～17時15分",
    ],
)
def test_a_desk_s_hours_written_the_japanese_way_import_as_those_hours(seed, hours):
    data = csv_of(("団体コード", "部署名", "受付時間"), (HAKODATE, "窓口", hours), encoding="cp932")
    imported("departments", data, "csv")
    periods = OpeningHours.objects.filter(department__name="窓口")
    assert [(o.weekday, o.opens, o.closes) for o in periods] == [
        (day, time(8, 30), time(17, 15)) for day in range(5)
    ]


@pytest.mark.parametrize(
    ("days", "meant"),
    [("土日", ["SA", "SU"]), ("月水金", ["MO", "WE", "FR"]), ("月ー水", ["MO", "TU", "WE"])],
)
def test_a_class_s_days_run_together_or_with_any_dash_import_as_those_days(seed, days, meant):
    imported("class-links", classes_file("csv", "曜日", [days]), "csv")
    assert ClassLink.objects.get(url="https://example.jp/0").weekdays == meant


@pytest.mark.parametrize("hours", ["土日 10:00ー12:00", "土・日 10時‐12時", "土―日10:00－12:00"])
def test_a_desk_open_on_saturday_and_sunday_imports_as_those_days(seed, hours):
    data = csv_of(("団体コード", "部署名", "受付時間"), (HAKODATE, "窓口", hours), encoding="utf-8")
    imported("departments", data, "csv")
    periods = OpeningHours.objects.filter(department__name="窓口")
    assert [(o.weekday, o.opens, o.closes) for o in periods] == [
        (5, time(10), time(12)),
        (6, time(10), time(12)),
    ]


# What the refusal of holidays among the days asks, in Japanese.
WITHOUT_HOLIDAYS = (
    "は祝日についての記述です。祝日は曜日として書けません。曜日は祝日を除いて（平日、月～金 の"
    "ように）書き、祝日のことは「{note}」列に書いてください"
)


def test_holidays_in_a_desk_s_hours_are_refused_in_japanese_naming_the_note_column(seed):
    data = csv_of(
        ("団体コード", "部署名", "受付時間"),
        (HAKODATE, "窓口", "平日（祝日を除く）8:30～17:15"),
        (HAKODATE, "窓口2", "月～金 8:30～17:15；祝日"),
    )
    asked = WITHOUT_HOLIDAYS.format(note="受付時間の注記 (hours_note)")
    assert japanese_refusal("departments", data) == [
        (
            (2, "受付時間", "平日（祝日を除く）8:30～17:15"),
            # The value is quoted as typed, so not again before the message.
            f"2 行目, 列「受付時間」: 「平日（祝日を除く）8:30～17:15」の「祝日を除く」{asked}",
        ),
        (
            (3, "受付時間", "月～金 8:30～17:15；祝日"),
            f"3 行目, 列「受付時間」, 値「月～金 8:30～17:15；祝日」: 「祝日」{asked}",
        ),
    ]


def test_holidays_in_a_class_s_days_are_refused_in_japanese_naming_its_note_column(seed):
    ((where, message),) = japanese_refusal("class-links", classes_file("csv", "曜日", ["土日祝"]))
    assert where == (2, "曜日", "土日祝")
    asked = WITHOUT_HOLIDAYS.format(note="日時（自由記述） (schedule_note)")
    assert message == f"2 行目, 列「曜日」: 「土日祝」の「祝」{asked}"


# What the refusal of a day of the month among the days asks, in Japanese.
WITHOUT_MONTHLY_DAYS = (
    "は月ごとの日（第2土曜 など）です。月ごとの日は曜日として書けません。ここには毎週の曜日"
    "だけを書き、月ごとの日は「{note}」列に書いてください"
)


def test_a_day_of_the_month_in_a_desk_s_hours_is_refused_in_japanese_naming_the_note_column(
    seed,
):
    data = csv_of(
        ("団体コード", "部署名", "受付時間"),
        (HAKODATE, "窓口", "第2土曜 9:00-12:00"),
        (HAKODATE, "窓口2", "第1・第3日曜 10:00～12:00"),
        (HAKODATE, "窓口3", "月～金 ８:３０～１７:１５、第２土曜"),
    )
    asked = WITHOUT_MONTHLY_DAYS.format(note="受付時間の注記 (hours_note)")
    assert japanese_refusal("departments", data) == [
        (
            (2, "受付時間", "第2土曜 9:00-12:00"),
            f"2 行目, 列「受付時間」: 「第2土曜 9:00-12:00」の「第2土曜」{asked}",
        ),
        (
            (3, "受付時間", "第1・第3日曜 10:00～12:00"),
            f"3 行目, 列「受付時間」: 「第1・第3日曜 10:00～12:00」の「第1・第3日曜」{asked}",
        ),
        # Quoted as typed, full-width digits and all: what the clerk finds in the cell.
        (
            (4, "受付時間", "月～金 ８:３０～１７:１５、第２土曜"),
            f"4 行目, 列「受付時間」: 「月～金 ８:３０～１７:１５、第２土曜」の「第２土曜」{asked}",
        ),
    ]


def test_a_day_of_the_month_in_a_class_s_days_is_refused_in_japanese_naming_its_note_column(
    seed,
):
    data = classes_file("csv", "曜日", ["毎月第2土曜"])
    ((where, message),) = japanese_refusal("class-links", data)
    assert where == (2, "曜日", "毎月第2土曜")
    asked = WITHOUT_MONTHLY_DAYS.format(note="日時（自由記述） (schedule_note)")
    assert message == f"2 行目, 列「曜日」: 「毎月第2土曜」{asked}"


def test_a_day_that_is_none_names_heijitsu_among_the_forms_in_japanese(seed):
    ((_where, message),) = japanese_refusal("class-links", classes_file("csv", "曜日", ["毎週"]))
    assert message == (
        "2 行目, 列「曜日」: 「毎週」は曜日でも曜日の範囲でもありません。曜日は Mon, Tue, Wed, "
        "Thu, Fri, Sat, Sun(または 月 から 日、平日、土日)で、Mon-Fri や 月～金 のように入力"
        "してください"
    )


def test_a_desk_s_hours_closing_at_gogo_12_ji_are_refused_naming_the_part(seed):
    data = csv_of(("団体コード", "部署名", "受付時間"), (HAKODATE, "窓口", "平日 9時～午後12時"))
    ((where, message),) = japanese_refusal("departments", data)
    assert where == (2, "受付時間", "平日 9時～午後12時")
    assert message == (
        "2 行目, 列「受付時間」: 「平日 9時～午後12時」の「午後12時」は正午とも真夜中とも読めます。"
        "正午なら 12:00、真夜中なら 0:00 と入力してください"
    )
