"""An export opened in Japanese Excel and saved with Ctrl+S is Shift_JIS (CP932): every character
CP932 lacks (Vietnamese, Korean, simplified Chinese, 𠮷, emoji) is written as "?" or a look-alike.
Imported, such a cell would overwrite the stored text; it is refused, naming what was lost."""

import csv
import html
import io
import json
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from directory.importexport import exporting, importing
from directory.importexport.lost_characters import garbled, lost_characters
from directory.importexport.resources import refuse_lost_characters
from directory.models import ClassLink, Department
from directory.roles import DIRECTORY_EDITORS
from tests.builders import make_staff, published_table_as_csv, sign_in

HAKODATE = "012025"
VIETNAMESE_CLASS = "Lớp tiếng Nhật"


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English unless a test asks for Japanese."""
    with translation.override("en"):
        yield


def saved_by_excel(data, encoding="cp932"):
    """An export (UTF-8 with BOM) as Japanese Excel saves it: each character CP932 lacks as "?"."""
    return data.decode("utf-8-sig").encode(encoding, errors="replace")


def best_fit(data):
    """An export as Windows' "best fit" saves it in CP932: a letter CP932 lacks as the same
    letter without its accents, ế as e."""

    def fitted(character):
        try:
            return character.encode("cp932")
        except UnicodeEncodeError:
            return unicodedata.normalize("NFD", character)[0].encode("cp932")

    return b"".join(map(fitted, data.decode("utf-8-sig")))


def state():
    """Every desk's and class's stored values."""
    return list(Department.objects.order_by("pk").values()), list(
        ClassLink.objects.order_by("pk").values()
    )


def vietnamese_class(**more):
    """Hakodate's first class, named in Vietnamese (and `more` values)."""
    link = ClassLink.objects.filter(city__code=HAKODATE).order_by("pk").first()
    for name, value in {"name": VIETNAMESE_CLASS, **more}.items():
        setattr(link, name, value)
    link.save()
    return link


def line_of(data, url):
    """The line of the row holding `url` in an export, as an import counts lines (by row)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return next(line for line, row in enumerate(rows, 1) if url in row)


def with_rows(exported, *rows):
    """An export with `rows` (cells by header) typed under its last row, as new records."""
    text = exported.decode("utf-8-sig")
    headers = next(csv.reader(io.StringIO(text)))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(
        [row.get(h, "") for h in headers] for row in rows
    )
    return (text + out.getvalue()).encode("utf-8-sig")


def refused_on_the_admins_page(client, data):
    """The cells of the one refusal the admin's class import page in Japanese lists for `data`,
    which it does not offer to import."""
    page = client.post(
        reverse("admin:directory_classlink_import"),
        {"import_file": SimpleUploadedFile("教室一覧.csv", data)},
        headers={"accept-language": "ja"},
    )
    text = html.unescape(page.content.decode())
    assert "ファイルに 1 件の問題があります。何もインポートしていません。" in text
    assert 'name="token"' not in text
    [row] = re.findall(r'<table class="import-errors">.*?<tbody>\s*(.*?)\s*</tbody>', text, re.S)
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


# What the file shows of a new or edited cell, and what it advises.
SAVED_AS_QUESTION_MARKS = (
    "the file shows “{}”: it was saved in Shift_JIS (CP932), which cannot hold some characters "
    "of the text, so ? was written in their place. Save the file as “CSV UTF-8 (comma "
    "delimited)” and upload it again, or import it without this text and correct the text in "
    "the admin"
)


def test_it_names_the_characters_cp932_lacks_when_only_they_were_replaced():
    assert lost_characters(VIETNAMESE_CLASS, "L?p ti?ng Nh?t", "cp932") == "ớếậ"
    assert lost_characters(VIETNAMESE_CLASS, "Lop tieng Nhat", "cp932") == "ớếậ"
    # Beyond the BMP, as two UTF-16 halves: "??".
    assert lost_characters("𠮷野家 🍣", "??野家 ??", "cp932") == "𠮷🍣"
    assert lost_characters("语言课", "?言?", "iso2022_jp") == "语课"


def test_the_same_value_an_edit_of_anything_else_or_nothing_cp932_lacks_is_no_loss():
    assert lost_characters(VIETNAMESE_CLASS, VIETNAMESE_CLASS, "cp932") == ""
    assert lost_characters(VIETNAMESE_CLASS, "L?p ti?ng Nh?t 2", "cp932") == ""
    assert lost_characters(VIETNAMESE_CLASS, "L?p ti?ng Nh?c", "cp932") == ""
    assert lost_characters(VIETNAMESE_CLASS, "日本語教室", "cp932") == ""
    assert lost_characters("日本語教室", "日本語教室（初級）", "cp932") == ""
    # Each lost character became one or two, no more.
    assert lost_characters("🍣", "???", "cp932") == ""


def test_a_long_korean_note_edited_at_its_end_is_told_apart_from_a_loss():
    note = "한국어 교실 " * 2000
    saved = note.encode("cp932", errors="replace").decode("cp932")
    assert lost_characters(note, saved, "cp932") == "한국어교실"
    assert lost_characters(note, saved + "!", "cp932") == ""


def test_an_accent_typed_apart_from_its_letter_is_named_on_a_dotted_circle():
    typed_apart = unicodedata.normalize("NFD", "Việt")
    with pytest.raises(ValueError, match="cannot hold “◌\u0323, ◌\u0302” of the stored value"):
        refuse_lost_characters(typed_apart, "Vie??t", "cp932")


def test_a_question_mark_between_letters_or_doubled_is_named_from_the_first_such_word_to_the_last():
    assert garbled("L?p h?c ti?ng Nh?t") == "L?p h?c ti?ng Nh?t"
    # Th? and c? end in ?, as a question does: read from phi?n on.
    assert garbled("Th? Ba: c? phi?n d?ch ti?ng Vi?t. 要予約") == "phi?n d?ch ti?ng Vi?t"
    assert garbled("한국어 교실".encode("cp932", errors="replace").decode("cp932")) == "??? ??"
    assert garbled("LINE ??で申し込み") == "??で申し込み"
    # Words the stored text had are kept text; a new one is not.
    assert garbled("L?p h?c 2", "L?p h?c") == ""
    assert garbled("L?p h?c ti?ng Nh?t", "L?p h?c") == "ti?ng Nh?t"


def test_a_question_a_full_width_question_mark_or_an_address_is_not_garbled():
    assert garbled("Do you speak English? Yes, and Portuguese.") == ""
    assert garbled("日本語は話せますか？はい") == ""
    assert garbled("https://x.jp/a?id=1 www.x.jp/lop?hoc=1 hoc?vien@x.jp") == ""
    assert garbled("申し込み: https://x.jp/form?lang=vi（先着順）") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["cp932", "iso2022_jp"])
def test_a_class_export_saved_by_excel_is_refused_naming_the_cell_and_the_characters_lost(
    seed, encoding
):
    link = vietnamese_class(venue="市民会館 2階（语言角）", sign_up="Đăng ký qua LINE 🙂\n电话报名")
    exported = exporting.export("class-links", "csv", header_language="ja")
    text = saved_by_excel(exported, encoding).decode(encoding)
    # A real edit of another class in the same file is not written either.
    other = ClassLink.objects.exclude(city__code=HAKODATE).order_by("pk").first()
    text = text.replace(other.url, "https://example.jp/renamed", 1)
    before = state()
    report = importing.run_import("class-links", text.encode(encoding), "csv", dry_run=False)
    name = "ISO-2022-JP" if encoding == "iso2022_jp" else "Shift_JIS (CP932)"
    saved = f"the file was saved in {name}, which cannot hold"
    advice = (
        "of the stored value: they became other characters, and importing the cell would "
        "overwrite them. Save the file as “CSV UTF-8 (comma delimited)” and upload it again"
    )
    line = line_of(exported, link.url)
    lost = "“Đ, ă, ý, 🙂, 电, 话, 报”"
    assert [(e.line, e.column, e.value, e.message) for e in report.errors] == [
        (line, "クラス名", "L?p ti?ng Nh?t", f"{saved} “ớ, ế, ậ” {advice}"),
        (line, "会場", "市民会館 2階（?言角）", f"{saved} “语” {advice}"),
        (line, "申し込み方法", "??ng k? qua LINE ?<U+000A>???名", f"{saved} {lost} {advice}"),
    ]
    assert report.summary().startswith("Nothing was imported.")
    assert not report.applied and state() == before


@pytest.mark.django_db
def test_a_desk_export_saved_by_excel_with_best_fit_letters_is_refused(seed):
    desk = Department.objects.filter(city__code=HAKODATE).order_by("pk").first()
    desk.hours_note = "Thứ Ba: có phiên dịch tiếng Việt"
    desk.save()
    exported = exporting.export("departments", "csv")
    before = state()
    report = importing.run_import("departments", best_fit(exported), "csv", dry_run=False)
    [error] = report.errors
    assert (error.line, error.column, error.value) == (
        line_of(exported, desk.url),
        "hours_note",
        "Thu Ba: co phien dich tieng Viet",
    )
    assert "cannot hold “ứ, ó, ê, ị, ế, ệ” of the stored value" in error.message
    assert not report.applied and state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "saved", "edited"),
    [
        (VIETNAMESE_CLASS, "L?p ti?ng Nh?t", "日本語教室（初級）"),
        # Typed so in a UTF-8 file once: what staff meant, kept, and edited around.
        ("L?p h?c", "L?p h?c", "L?p h?c (2)"),
    ],
)
def test_a_real_edit_of_such_a_cell_in_a_cp932_file_is_imported(seed, stored, saved, edited):
    link = vietnamese_class(name=stored)
    text = saved_by_excel(exporting.export("class-links", "csv")).decode("cp932")
    text = text.replace(saved, edited, 1)
    report = importing.run_import("class-links", text.encode("cp932"), "csv", dry_run=False)
    assert report.ok and report.counts["updated"] == 1, report.errors
    link.refresh_from_db()
    assert link.name == edited


@pytest.mark.django_db
def test_a_new_class_typed_in_vietnamese_in_a_cp932_file_is_refused_naming_what_the_file_shows(
    seed,
):
    url = "https://example.jp/lop-hoc?id=1&hl=vi"
    typed = with_rows(
        exporting.export("class-links", "csv", header_language="ja"),
        {"団体コード": HAKODATE, "URL": url, "クラス名": "Lớp học tiếng Nhật"},
    )
    before = state()
    report = importing.run_import("class-links", saved_by_excel(typed), "csv", dry_run=False)
    line = line_of(typed, url)
    assert [(e.line, e.column, e.value, e.message) for e in report.errors] == [
        (
            line,
            "クラス名",
            "L?p h?c ti?ng Nh?t",
            SAVED_AS_QUESTION_MARKS.format("L?p h?c ti?ng Nh?t"),
        )
    ]
    assert str(report.errors[0]).startswith(f"line {line}, column クラス名: the file shows “L?p")
    assert report.summary().startswith("Nothing was imported.")
    assert not report.applied and state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("separator", [",", "\t"])
def test_a_file_typed_in_excel_that_kept_no_japanese_is_still_checked_for_lost_characters(
    seed, separator
):
    # Excel's Shift_JIS CSV (or tab-separated text) of a sheet with no Japanese in it is ASCII
    # alone, as is a UTF-8 file without its BOM: the "?"s are all that is left of the Vietnamese.
    url = "https://example.jp/lop-hoc?id=1&hl=vi"
    typed = separator.join(["city", "url", "name"]) + "\r\n"
    typed += separator.join([HAKODATE, url, "Lớp học tiếng Nhật"]) + "\r\n"
    data = typed.encode("cp932", errors="replace")
    assert data.isascii()
    before = state()
    fmt = "csv" if separator == "," else "tsv"
    report = importing.run_import("class-links", data, fmt, dry_run=False)
    assert [(e.line, e.column, e.value, e.message) for e in report.errors] == [
        (2, "name", "L?p h?c ti?ng Nh?t", SAVED_AS_QUESTION_MARKS.format("L?p h?c ti?ng Nh?t"))
    ]
    assert not report.applied and state() == before
    # The same file saved as “CSV UTF-8” keeps the name, and is imported.
    report = importing.run_import("class-links", typed.encode("utf-8-sig"), fmt, dry_run=False)
    assert report.ok and report.counts["new"] == 1, report.errors
    assert ClassLink.objects.get(url=url).name == "Lớp học tiếng Nhật"


@pytest.mark.django_db
def test_a_json_file_of_ascii_alone_is_never_checked(seed):
    # JSON writes what ASCII lacks as \u escapes: a "?" in it is one typed so.
    url = "https://example.jp/lop-hoc?id=1&hl=vi"
    data = json.dumps([{"city": HAKODATE, "url": url, "name": "L?p h?c"}]).encode()
    report = importing.run_import("class-links", data, "json", dry_run=False)
    assert report.ok and report.counts["new"] == 1, report.errors
    assert ClassLink.objects.get(url=url).name == "L?p h?c"


@pytest.mark.django_db
def test_a_new_desk_whose_languages_and_note_lost_characters_is_refused_in_each_cell(seed):
    typed = with_rows(
        exporting.export("departments", "csv"),
        {
            "city": HAKODATE,
            "name": "Multilingual Desk",
            "url": "https://www.city.hakodate.hokkaido.jp/desk?lang=vi",
            "hours_note": "Thứ Ba: có phiên dịch tiếng Việt",
            "languages": "Tiếng Việt, 한국어",
        },
    )
    before = state()
    report = importing.run_import("departments", saved_by_excel(typed), "csv", dry_run=False)
    line = line_of(typed, "Multilingual Desk")
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (line, "hours_note", SAVED_AS_QUESTION_MARKS.format("phi?n d?ch ti?ng Vi?t")),
        # Told what happened, not that “ti?ng” is no language.
        (line, "languages", SAVED_AS_QUESTION_MARKS.format("Ti?ng Vi?t, ???")),
    ]
    assert not report.applied and state() == before


@pytest.mark.django_db
def test_a_cell_both_garbled_and_edited_is_refused_naming_what_the_file_shows(seed):
    link = vietnamese_class()
    exported = exporting.export("class-links", "csv")
    text = saved_by_excel(exported).decode("cp932")
    text = text.replace("L?p ti?ng Nh?t", "L?p ti?ng Nh?t (初級)", 1)
    before = state()
    report = importing.run_import("class-links", text.encode("cp932"), "csv", dry_run=False)
    assert [(e.line, e.column, e.value, e.message) for e in report.errors] == [
        (
            line_of(exported, link.url),
            "name",
            "L?p ti?ng Nh?t (初級)",
            SAVED_AS_QUESTION_MARKS.format("L?p ti?ng Nh?t"),
        )
    ]
    assert not report.applied and state() == before


@pytest.mark.django_db
def test_a_new_class_with_a_question_addresses_and_a_full_width_question_mark_is_imported(seed):
    url = "https://example.jp/nihongo?id=1&hl=vi"
    sign_up = (
        "Do you speak English? https://example.jp/form?lang=vi または hoc?vien@example.jp "
        "へ。質問は？"
    )
    typed = with_rows(
        exporting.export("class-links", "csv"),
        {"city": HAKODATE, "url": url, "name": "にほんご教室", "sign_up": sign_up},
    )
    report = importing.run_import("class-links", saved_by_excel(typed), "csv", dry_run=False)
    assert report.ok and report.counts["new"] == 1, report.errors
    assert ClassLink.objects.get(url=url).sign_up == sign_up


@pytest.mark.django_db
def test_a_published_table_saved_in_cp932_with_a_provider_that_lost_characters_is_refused(seed):
    # With Japanese in it: a table of ASCII alone reads the same in UTF-8, and is read so.
    provider = "Hội giao lưu quốc tế Toyonaka・とよなか国際交流協会"
    table = published_table_as_csv().replace(
        "(Toyonaka International Association)", f"({provider})"
    )
    before = state()
    data = table.encode("cp932", errors="replace")
    report = importing.run_import("cities", data, "published", dry_run=False)
    assert [(e.line, e.column, e.value, e.message) for e in report.errors] == [
        (
            line_of(table.encode(), "Toyonaka City"),
            "Japanese Class Information",
            "H?i giao l?u qu?c t? Toyonaka・とよなか国際交流協会",
            SAVED_AS_QUESTION_MARKS.format("H?i giao l?u qu?c"),
        )
    ]
    assert not report.applied and state() == before
    # In UTF-8 it is the provider's name, and loads.
    report = importing.run_import("cities", table.encode(), "published", dry_run=False)
    assert report.ok, report.errors
    link = ClassLink.objects.get(url="https://www.a-atoms.info/foreigners/?c=1")
    assert link.label == provider


@pytest.mark.django_db
def test_the_same_file_in_utf8_is_imported_and_never_checked(seed):
    link = vietnamese_class()
    exported = exporting.export("class-links", "csv")
    report = importing.run_import("class-links", exported, "csv", dry_run=False)
    assert report.ok and report.counts["updated"] == 0, report.errors
    # "?" typed in a UTF-8 file is what staff meant.
    typed = exported.replace(VIETNAMESE_CLASS.encode(), b"L?p ti?ng Nh?t")
    report = importing.run_import("class-links", typed, "csv", dry_run=False)
    assert report.ok and report.counts["updated"] == 1, report.errors
    link.refresh_from_db()
    assert link.name == "L?p ti?ng Nh?t"


@pytest.mark.django_db
def test_a_file_saved_as_excels_unicode_text_is_imported_and_never_checked(seed, monkeypatch):
    link = vietnamese_class()
    checked = []
    for checked_by in ("lost_characters", "garbled"):
        monkeypatch.setattr(
            f"directory.importexport.resources.{checked_by}",
            lambda *args: checked.append(args) or "",
        )
    exported = exporting.export("class-links", "tsv").decode("utf-8-sig")
    # UTF-16 holds every character: "?" typed in it is what staff meant, as in UTF-8.
    typed = exported.replace(VIETNAMESE_CLASS, "L?p ti?ng Nh?t", 1)
    data = ("\ufeff" + typed).encode("utf-16-le")
    report = importing.run_import("class-links", data, "tsv", dry_run=False)
    assert report.ok and report.counts["updated"] == 1, report.errors
    assert checked == []
    link.refresh_from_db()
    assert link.name == "L?p ti?ng Nh?t"


@pytest.mark.django_db
def test_the_admins_import_page_in_japanese_refuses_the_cell_naming_the_characters_lost(
    client, seed
):
    sign_in(client, make_staff("editor", DIRECTORY_EDITORS))
    link = vietnamese_class()
    exported = exporting.export("class-links", "csv", header_language="ja")
    before = state()
    assert refused_on_the_admins_page(client, saved_by_excel(exported)) == [
        str(line_of(exported, link.url)),
        "クラス名",
        "<code>L?p ti?ng Nh?t</code>",
        "ファイルが Shift_JIS (CP932) で保存されたため、登録済みの値のうち「ớ、ế、ậ」を保存できず、"
        "別の文字に置き換わっています。このままインポートすると元の文字が上書きされます。"
        "「CSV UTF-8（コンマ区切り）」で保存し直して、もう一度アップロードしてください",
    ]
    assert state() == before


@pytest.mark.django_db
def test_the_admins_import_page_in_japanese_refuses_a_new_class_naming_what_the_file_shows(
    client, seed
):
    sign_in(client, make_staff("editor", DIRECTORY_EDITORS))
    url = "https://example.jp/lop-hoc"
    typed = with_rows(
        exporting.export("class-links", "csv", header_language="ja"),
        {"団体コード": HAKODATE, "URL": url, "クラス名": "Lớp học tiếng Nhật"},
    )
    before = state()
    assert refused_on_the_admins_page(client, saved_by_excel(typed)) == [
        str(line_of(typed, url)),
        "クラス名",
        "<code>L?p h?c ti?ng Nh?t</code>",
        "ファイルでは「L?p h?c ti?ng Nh?t」となっています。ファイルが Shift_JIS (CP932) で保存"
        "されたため、その形式で保存できない文字が「?」に置き換わっています。「CSV UTF-8（コンマ"
        "区切り）」で保存し直してもう一度アップロードするか、この文字列を除いてインポートしてから"
        "管理画面で直してください",
    ]
    assert state() == before
