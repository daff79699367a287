"""Every detail of a desk and a class through import and export (issue 16): phones, hours,
address, languages, yes/no and choices as staff type them, in English or Japanese; an export
imported back changes nothing; a bad cell is named and nothing is imported."""

import csv
import io
import json
import zipfile
from datetime import date, time

import openpyxl
import pytest
from django.utils import translation
from openpyxl.styles.cell_style import StyleArray

from directory import classes, phones
from directory.importexport import exporting, importing
from directory.importexport.columns import columns
from directory.models import ClassLink, Department, DepartmentPhone, OpeningHours, Weekday
from tests.builders import make_city, make_department, make_full_class_link, make_full_department

pytestmark = pytest.mark.django_db

# Test data, not the seed: a city with Koriyama's local government code, so that Japan Post's
# postal codes for Koriyama belong to it.
KORIYAMA_CODE = "072036"

DESK_FIELDS = [
    "name",
    "name_ja",
    "url",
    "email",
    "postal_code",
    "address_ja",
    "address_romaji",
    "floor",
    "hours_note",
    "languages",
    "remote_interpretation",
    "appointment_needed",
    "position",
]
CLASS_FIELDS = [
    "url",
    "label",
    "department_id",
    "name",
    "venue",
    "attendance",
    "weekdays",
    "starts_at",
    "ends_at",
    "schedule_note",
    "fee",
    "level",
    "audience",
    "childcare",
    "languages",
    "sign_up",
    "status",
    "status_date",
    "link_kind",
    "position",
]


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English unless a test says otherwise."""
    with translation.override("en"):
        yield


@pytest.fixture
def city():
    return make_city("07", name="Testyama", name_ja="試験山市", code=KORIYAMA_CODE, slug="testyama")


def desk_state(desk):
    desk = Department.objects.get(pk=desk.pk)
    return (
        {name: getattr(desk, name) for name in DESK_FIELDS},
        [(str(p.number), p.label, p.extension) for p in desk.phones.all()],
        [(o.weekday, o.opens, o.closes) for o in desk.hours.all()],
    )


def class_state(link):
    link = ClassLink.objects.get(pk=link.pk)
    return {name: getattr(link, name) for name in CLASS_FIELDS}


def csv_of(*rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def rows_of(data, fmt):
    """The export's rows as dicts by header."""
    if fmt == "xlsx":
        values = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    if fmt == "json":
        return json.loads(data)
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))


def run(kind, data, fmt="csv", **kwargs):
    return importing.run_import(kind, data, fmt, dry_run=False, **kwargs)


def without_numbers(data, fmt):
    """A Japanese export (CSV or XLSX) with its 管理番号 cells emptied, as for new records."""
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        sheet = workbook.active
        column = [cell.value for cell in sheet[1]].index("管理番号") + 1
        for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            row[0].value = None
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    column = rows[0].index("管理番号")
    for row in rows[1:]:
        row[column] = ""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


# An export imported back changes nothing


@pytest.mark.parametrize("language", [None, "ja"])
@pytest.mark.parametrize("fmt", exporting.EXPORT_FORMATS)
def test_a_full_desk_exported_and_imported_back_changes_nothing(city, fmt, language):
    desk = make_full_department(city)
    before = desk_state(desk)
    data = exporting.export("departments", fmt, header_language=language)
    report = run("departments", data, fmt)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1, "deleted": 0}
    assert desk_state(desk) == before
    assert DepartmentPhone.objects.count() == 2 and OpeningHours.objects.count() == 11


@pytest.mark.parametrize("language", [None, "ja"])
@pytest.mark.parametrize("fmt", exporting.EXPORT_FORMATS)
def test_a_full_class_exported_and_imported_back_changes_nothing(city, fmt, language):
    desk = make_full_department(city)
    link = make_full_class_link(city, department=desk, link_kind="image")
    before = class_state(link)
    data = exporting.export("class-links", fmt, header_language=language)
    report = run("class-links", data, fmt)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1, "deleted": 0}
    assert class_state(link) == before


def test_a_japanese_export_saved_by_excel_as_shift_jis_imports_back_unchanged(city):
    # The Japanese file's ～ and 、 between days, times and languages are characters CP932 has.
    desk = make_full_department(city)
    link = make_full_class_link(city, department=desk)
    before = desk_state(desk), class_state(link)
    for kind in ("departments", "class-links"):
        data = exporting.export(kind, "csv", header_language="ja")
        report = run(kind, data.decode("utf-8-sig").encode("cp932"), "csv")
        assert report.ok, report.errors
        assert report.counts == {"new": 0, "updated": 0, "unchanged": 1, "deleted": 0}
    assert (desk_state(desk), class_state(link)) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_an_empty_directory_makes_the_same_desk_and_class(city, fmt):
    desk = make_full_department(city)
    link = make_full_class_link(city, department=desk)
    desk_before, class_before = desk_state(desk), class_state(link)
    # The numbers of records no longer there are emptied, as the column's help says for new ones.
    desks = without_numbers(exporting.export("departments", fmt, header_language="ja"), fmt)
    links = without_numbers(exporting.export("class-links", fmt, header_language="ja"), fmt)
    Department.objects.all().delete()
    ClassLink.objects.all().delete()
    assert run("departments", desks, fmt).counts["new"] == 1
    assert run("class-links", links, fmt).counts["new"] == 1
    desk, link = Department.objects.get(), ClassLink.objects.get()
    assert desk_state(desk) == desk_before
    assert class_state(link) | {"department_id": None} == class_before | {"department_id": None}
    assert link.department == desk


# What the cells say, in English and in Japanese


def test_a_desk_exports_each_detail_in_a_cell_staff_can_read_and_type(city):
    make_full_department(city)
    (english,) = rows_of(exporting.export("departments", "csv"), "csv")
    assert english["phones"] == "代表: 024-924-0000; 相談: 024-924-0001 ext. 123"
    assert english["hours"] == "Mon-Fri 08:30-12:00,13:00-17:15; Sat 09:00-12:00"
    assert english["languages"] == "en, vi, zh"
    assert (english["remote_interpretation"], english["appointment_needed"]) == ("yes", "no")
    assert (english["postal_code"], english["name_ja"]) == ("963-8024", "国際交流窓口")
    (japanese,) = rows_of(exporting.export("departments", "xlsx", header_language="ja"), "xlsx")
    assert japanese["電話番号"] == "代表: 024-924-0000; 相談: 024-924-0001 内線 123"
    # Days, dashes and commas as Japanese staff write them (and Shift_JIS has), read back alike.
    assert japanese["受付時間"] == "月～金 08:30～12:00、13:00～17:15; 土 09:00～12:00"
    assert japanese["対応言語"] == "英語、ベトナム語、中国語"
    assert (japanese["電話・ビデオ通訳"], japanese["予約が必要"]) == ("はい", "いいえ")
    assert japanese["住所（日本語）"] == "福島県試験山市朝日1-1-1"


def test_a_class_exports_its_choices_in_words_of_the_headers_language(city):
    make_full_class_link(city)
    (english,) = rows_of(exporting.export("class-links", "csv"), "csv")
    assert english["attendance"] == "In person and online"
    assert (english["weekdays"], english["starts_at"], english["ends_at"]) == (
        "Tue, Fri",
        "18:30",
        "20:30",
    )
    assert (english["fee"], english["level"], english["audience"]) == ("500", "Beginner", "Adults")
    assert (english["childcare"], english["languages"]) == ("yes", "vi, en, zh")
    assert (english["status"], english["status_date"]) == ("Running", "2026-04-01")
    (japanese,) = rows_of(exporting.export("class-links", "csv", header_language="ja"), "csv")
    with translation.override("ja"):
        assert japanese["レベル"] == str(ClassLink(level="beginner").get_level_display())
    assert japanese["託児"] == "はい"
    assert (japanese["曜日"], japanese["対応言語"]) == ("火、金", "ベトナム語、英語、中国語")


def test_a_desk_typed_in_japanese_is_read_as_meant(city):
    data = csv_of(
        ("団体コード", "部署名", "部署名（日本語）", "電話番号", "郵便番号", "受付時間")
        + ("対応言語", "電話・ビデオ通訳", "予約が必要", "住所（日本語）"),
        (
            KORIYAMA_CODE,
            "Desk",
            "窓口",
            "代表：０２４−９２４−００００；相談：024-924-0001 内線123",
            "〒９６３８０２４",
            "月〜金 8:30〜17:15；土 9:00-12:00",
            "EN、ZH，vi",
            "はい",
            "いいえ",
            "福島県試験山市朝日1-1-1",
        ),
    )
    report = run("departments", data)
    assert report.ok, report.errors
    desk = Department.objects.get(name="Desk")
    assert (desk.postal_code, desk.languages) == ("963-8024", ["en", "zh", "vi"])
    assert (desk.remote_interpretation, desk.appointment_needed) == (True, False)
    assert [(p.label, str(p.number), p.extension) for p in desk.phones.all()] == [
        ("代表", "+81249240000", ""),
        ("相談", "+81249240001", "123"),
    ]
    periods = [(o.weekday, o.opens, o.closes) for o in desk.hours.all()]
    assert periods[0] == (0, time(8, 30), time(17, 15)) and len(periods) == 6
    assert periods[-1] == (5, time(9), time(12))


def test_a_class_typed_in_japanese_words_is_read_as_meant(city):
    with translation.override("ja"):
        words = [
            str(label)
            for label in (
                ClassLink(attendance="online").get_attendance_display(),
                ClassLink(level="advanced").get_level_display(),
                ClassLink(audience="children").get_audience_display(),
                ClassLink(status="paused").get_status_display(),
                ClassLink(link_kind="pdf").get_link_kind_display(),
            )
        ]
    data = csv_of(
        ("団体コード", "URL", "対面・オンライン", "レベル", "対象", "状態", "リンクの種類")
        + ("曜日", "開始時刻", "終了時刻", "参加費（円）", "託児", "対応言語", "状態の日付"),
        (KORIYAMA_CODE, "https://example.jp/c", *words)
        + ("火、金", "１８：３０", "20:30", "無料", "いいえ", "pt, ne", "2026/4/1"),
    )
    report = run("class-links", data)
    assert report.ok, report.errors
    link = ClassLink.objects.get(url="https://example.jp/c")
    assert (link.attendance, link.level, link.audience, link.status, link.link_kind) == (
        "online",
        "advanced",
        "children",
        "paused",
        "pdf",
    )
    assert (link.weekdays, link.starts_at, link.ends_at) == (
        ["TU", "FR"],
        time(18, 30),
        time(20, 30),
    )
    assert (link.fee, link.childcare, link.languages) == (0, False, ["pt", "ne"])
    assert link.status_date == date(2026, 4, 1)


def test_languages_written_by_their_japanese_or_english_names_import_as_their_codes(city):
    desks = csv_of(
        ("団体コード", "部署名", "対応言語"), (KORIYAMA_CODE, "Desk", "英語、中国語・ベトナム語")
    )
    classes = csv_of(
        ("団体コード", "URL", "対応言語"),
        (KORIYAMA_CODE, "https://example.jp/c", "ポルトガル語, Nepali, やさしいにほんご"),
    )
    assert run("departments", desks).ok
    assert Department.objects.get(name="Desk").languages == ["en", "zh", "vi"]
    report = run("class-links", classes)
    (error,) = report.errors
    assert (error.line, error.column) == (2, "対応言語")
    assert "“やさしいにほんご” is not a language" in str(error)
    assert not ClassLink.objects.exists()
    classes = classes.replace(", やさしいにほんご".encode(), b"")
    assert run("class-links", classes).ok
    assert ClassLink.objects.get().languages == ["pt", "ne"]


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ([1], "“1” is not a language: write its name or its code"),
        (["en", None, {"x": "y"}], "“{'x':” is not a language"),
    ],
)
def test_a_json_list_of_languages_holding_no_text_is_refused_naming_the_item(
    city, languages, message
):
    # A script's JSON, not only a spreadsheet's text: each item is named as a cell would be,
    # not told "sequence item 0: expected str instance, int found".
    data = [{"city": KORIYAMA_CODE, "url": "https://example.jp/c", "languages": languages}]
    report = run("class-links", json.dumps(data).encode(), "json")
    (error,) = report.errors
    assert error.column == "languages" and message in str(error), str(error)
    assert not ClassLink.objects.exists()


@pytest.mark.parametrize(
    "days", ["火・金", "火金", "火 金", "火･金", "火曜日・金曜日", "火曜、金曜"]
)
def test_days_times_and_dates_as_a_japanese_hand_writes_them_are_read_as_meant(city, days):
    data = csv_of(
        ("団体コード", "URL", "曜日", "開始時刻", "終了時刻", "状態", "状態の日付"),
        (
            KORIYAMA_CODE,
            "https://example.jp/c",
            days,
            "18:30:00",
            "20:30",
            "開講中",
            "2026年4月1日",
        ),
    )
    report = run("class-links", data)
    assert report.ok, [str(error) for error in report.errors]
    link = ClassLink.objects.get(url="https://example.jp/c")
    assert (link.weekdays, link.starts_at, link.status_date) == (
        ["TU", "FR"],
        time(18, 30),
        date(2026, 4, 1),
    )


def test_days_named_as_the_admin_s_japanese_day_choices_name_them_are_read_as_meant(city):
    with translation.override("ja"):
        class_days = "、".join(str(classes.weekday_names()[day]) for day in (1, 4))
        desk_days = "-".join(str(Weekday(day).label) for day in (0, 4))
    assert (class_days, desk_days) == ("火曜日、金曜日", "月曜日-金曜日")
    links = csv_of(
        ("団体コード", "URL", "曜日"), (KORIYAMA_CODE, "https://example.jp/c", class_days)
    )
    desks = csv_of(
        ("団体コード", "部署名", "受付時間"), (KORIYAMA_CODE, "Desk", f"{desk_days} 9:00-17:00")
    )
    assert run("class-links", links).ok and run("departments", desks).ok
    assert ClassLink.objects.get().weekdays == ["TU", "FR"]
    assert [period.weekday for period in Department.objects.get().hours.all()] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("mark", "meant", "encoding"),
    [
        ("○", True, "cp932"),
        ("〇", True, "cp932"),
        ("◯", True, "cp932"),
        ("⭕", True, "utf-8"),
        ("×", False, "cp932"),
        ("✕", False, "utf-8"),
        ("✗", False, "utf-8"),
        ("❌", False, "utf-8"),
    ],
)
def test_a_desk_and_a_class_marked_with_a_circle_or_a_cross_import_as_yes_or_no(
    city, mark, meant, encoding
):
    # As Japanese Excel saves a CSV: Shift_JIS (CP932), whose ○ and × are a form's yes and no.
    desks = csv_of(
        ("団体コード", "部署名", "電話・ビデオ通訳", "予約が必要"),
        (KORIYAMA_CODE, "Desk", mark, mark),
    )
    links = csv_of(("団体コード", "URL", "託児"), (KORIYAMA_CODE, "https://example.jp/c", mark))
    for kind, data in (("departments", desks), ("class-links", links)):
        data = data.decode().encode(encoding)
        report = run(kind, data)
        assert report.ok, [str(error) for error in report.errors]
    desk, link = Department.objects.get(), ClassLink.objects.get()
    assert (desk.remote_interpretation, desk.appointment_needed, link.childcare) == (meant,) * 3


@pytest.mark.parametrize("mark", ["△", "x", "○×"])
def test_a_yes_or_no_cell_with_another_mark_is_still_refused_by_line_column_and_value(city, mark):
    data = csv_of(("団体コード", "URL", "託児"), (KORIYAMA_CODE, "https://example.jp/c", mark))
    report = run("class-links", data.decode().encode("cp932"))
    (error,) = report.errors
    assert (error.line, error.column, error.value) == (2, "託児", mark)
    assert f"“{mark}” is not yes or no" in str(error)
    assert not ClassLink.objects.exists()


# A class's desk


def test_a_class_names_its_desk_by_the_desk_s_japanese_name_as_the_admin_shows_it(city):
    desk = make_department(
        city, name="International Exchange Division", name_ja="企画部国際・地域交流課"
    )
    # Another city's desk of the same Japanese name is not this city's.
    make_department(make_city("01", code="012025"), name="Desk", name_ja="企画部国際・地域交流課")
    data = csv_of(
        ("団体コード", "URL", "担当部署"),
        (KORIYAMA_CODE, "https://example.jp/ja", "企画部国際・地域交流課"),
        (KORIYAMA_CODE, "https://example.jp/en", "International Exchange Division"),
    )
    report = run("class-links", data)
    assert report.ok, [str(error) for error in report.errors]
    assert [link.department for link in ClassLink.objects.order_by("url")] == [desk, desk]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            f"city {KORIYAMA_CODE} has more than one department named “国際課”: “国際課”, "
            "“International Division” (国際課);",
        ),
        (
            "ja",
            f"市 {KORIYAMA_CODE} には「国際課」という名前の部署が複数あります："
            "「国際課」、「International Division」（国際課）。",
        ),
    ],
)
def test_a_desk_name_two_desks_of_the_city_answer_to_is_refused_naming_both(
    city, language, message
):
    make_department(city, name="国際課")
    make_department(city, name="International Division", name_ja="国際課")
    data = csv_of(
        ("団体コード", "URL", "担当部署"), (KORIYAMA_CODE, "https://example.jp/c", "国際課")
    )
    with translation.override(language):
        report = run("class-links", data)
        (error,) = report.errors
        assert (error.line, error.column, error.value) == (2, "担当部署", "国際課")
        assert message in str(error), str(error)
    assert not ClassLink.objects.exists()


def test_a_fee_with_a_yen_sign_from_excel_or_the_input_method_is_read_as_yen(city):
    # Excel's CP932 CSV writes ¥ as the byte of a backslash; the input method types ￥.
    text = csv_of(
        ("団体コード", "URL", "参加費（円）"),
        (KORIYAMA_CODE, "https://example.jp/a", "\\1,000"),
        (KORIYAMA_CODE, "https://example.jp/b", "￥1,500"),
        (KORIYAMA_CODE, "https://example.jp/c", "2,000円"),
    ).decode()
    report = run("class-links", text.encode("cp932"))
    assert report.ok, report.errors
    fees = ClassLink.objects.filter(city=city).order_by("url").values_list("fee", flat=True)
    assert list(fees) == [1000, 1500, 2000]


def test_a_workbook_s_own_time_and_date_cells_are_read_as_meant(city):
    workbook = openpyxl.Workbook()
    workbook.active.append(["city", "url", "starts_at", "ends_at", "status", "status_date"])
    workbook.active.append(
        [KORIYAMA_CODE, "https://example.jp/c", time(18, 30), time(20), "ended", date(2026, 3, 31)]
    )
    out = io.BytesIO()
    workbook.save(out)
    report = run("class-links", out.getvalue(), "xlsx")
    assert report.ok, report.errors
    link = ClassLink.objects.get()
    assert (link.starts_at, link.ends_at, link.status_date) == (
        time(18, 30),
        time(20),
        date(2026, 3, 31),
    )


def japanese_excel_workbook(*rows, formats):
    """A workbook as Japanese Excel saves one: cells in its own date and time formats (ids 31,
    2026年4月1日, and 32, 9時00分) named by number only, with no format code beside them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, format_id in formats.items():
        sheet[cell]._style = StyleArray()  # openpyxl itself would write the format's code
        sheet[cell]._style.numFmtId = format_id
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(out) as archive:
        styles = archive.read("xl/styles.xml")
    assert b'numFmtId="31"' in styles and b"<numFmt " not in styles, "as Excel writes them"
    return out.getvalue()


def test_a_date_and_a_time_in_japanese_excel_s_own_formats_import_as_that_date_and_time(city):
    data = japanese_excel_workbook(
        ["city", "url", "starts_at", "status", "status_date"],
        [KORIYAMA_CODE, "https://example.jp/c", 0.375, "ended", 46113],
        formats={"C2": 32, "E2": 31},
    )
    report = run("class-links", data, "xlsx")
    assert report.ok, report.errors
    link = ClassLink.objects.get()
    assert (link.starts_at, link.status_date) == (time(9), date(2026, 4, 1))


def test_a_number_that_cannot_be_a_class_s_date_is_refused_not_read_as_one(city):
    workbook = openpyxl.Workbook()
    workbook.active.append(["city", "url", "status", "status_date", "starts_at"])
    workbook.active.append([KORIYAMA_CODE, "https://example.jp/c", "ended", 2026, 9])
    out = io.BytesIO()
    workbook.save(out)
    report = run("class-links", out.getvalue(), "xlsx")
    messages = sorted((error.column, str(error)) for error in report.errors)
    assert [column for column, _message in messages] == ["starts_at", "status_date"]
    assert "“2026” is not a date" in messages[1][1]
    assert not ClassLink.objects.exists()


def test_an_import_replaces_a_desk_s_phones_and_hours_and_an_empty_cell_removes_them(city):
    desk = make_full_department(city)
    data = csv_of(
        ("city", "name", "phones", "hours"),
        (KORIYAMA_CODE, desk.name, "024-924-0002 ext. 9", "Sat 10:00-12:00"),
    )
    report = run("departments", data)
    assert report.counts["updated"] == 1
    (change,) = report.changes
    assert ("phones", "代表: 024-924-0000; 相談: 024-924-0001 ext. 123", "024-924-0002 ext. 9") in (
        change.fields
    )
    assert [(str(p.number), p.extension) for p in desk.phones.all()] == [("+81249240002", "9")]
    assert [str(o) for o in desk.hours.all()] == ["Saturday 10:00-12:00"]
    report = run(
        "departments",
        csv_of(("city", "name", "phones", "hours"), (KORIYAMA_CODE, desk.name, "", "")),
    )
    assert report.counts["updated"] == 1
    assert not desk.phones.exists() and not desk.hours.exists()
    assert Department.objects.get(pk=desk.pk).address_ja, "columns the file leaves out stay"


def test_a_file_without_the_new_columns_leaves_the_details_as_they_are(city):
    desk = make_full_department(city)
    before = desk_state(desk)
    report = run(
        "departments",
        csv_of(("city", "name", "email"), (KORIYAMA_CODE, desk.name, "new@example.jp")),
    )
    assert report.counts["updated"] == 1
    after = desk_state(desk)
    assert after[0]["email"] == "new@example.jp"
    assert after[1:] == before[1:]


# A bad cell is named, and nothing is imported


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("phones", "代表: 12-34", "“12-34” is not a phone number in Japan"),
        ("phones", "+1 202 555 0100", "“+1 202 555 0100” is not a phone number in Japan"),
        ("phones", "024-924-0000 ext. 12345678901", "Ensure this value has at most 10"),
        (
            "phones",
            "024-924-0000 内線 ١٢٣",
            "“١٢٣” is not an extension: write its digits 0–9, alone or after 内線 or ext. (123, "
            "内線123 or ext. 123).",
        ),
        ("hours", "Mon-Fry 08:30-17:15", "“Mon-Fry” in “Mon-Fry 08:30-17:15” is not a day"),
        ("hours", "Mon 08:30-25:00", "“25:00” in “Mon 08:30-25:00” is not a time"),
        ("hours", "Mon 17:15-08:30", "closes before it opens"),
        ("languages", "en, engrish", "“engrish” is not a language: write its name or its code"),
        ("remote_interpretation", "maybe", "“maybe” is not yes or no"),
        ("postal_code", "100-0001", "Postal code 100-0001 is not in Testyama."),
        ("postal_code", "12345", "“12345” is not a postal code"),
    ],
)
def test_a_bad_desk_cell_names_line_column_and_value_and_nothing_is_imported(
    city, column, value, message
):
    desk = make_full_department(city)
    before = desk_state(desk)
    data = csv_of(
        ("city", "name", "floor", column),
        (KORIYAMA_CODE, desk.name, "3階", ""),
        (KORIYAMA_CODE, "Another desk", "", value),
    )
    report = run("departments", data)
    (error,) = report.errors
    assert (error.line, error.column, error.value) == (3, column, value)
    assert message in str(error), str(error)
    assert desk_state(desk) == before, "the good row is not imported either"
    assert Department.objects.count() == 1


def test_an_export_of_a_number_outside_japan_saved_before_they_were_refused_is_named_not_changed(
    city,
):
    desk = make_full_department(city)
    DepartmentPhone.objects.create(department=desk, number="+12025550100", position=2)
    before = desk_state(desk)
    data = exporting.export("departments", "csv")
    assert rows_of(data, "csv")[0]["phones"].endswith("; +1 202-555-0100")
    report = run("departments", data)
    (error,) = report.errors
    assert (error.line, error.column) == (2, "phones")
    assert "“+1 202-555-0100” is not a phone number in Japan" in str(error)
    assert desk_state(desk) == before


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("attendance", "somewhere", "is not one of: In person, Online, In person and online"),
        ("weekdays", "Tue, Funday", "“Funday” in “Tue, Funday” is not a day"),
        ("weekdays", "Fri-Mon", "“Fri-Mon” runs backwards"),
        ("starts_at", "6pm", "“6pm” is not a time: write it as 18:30"),
        ("fee", "five hundred", "“five hundred” is not a fee"),
        ("level", "expert", "“expert” is not one of"),
        ("childcare", "sometimes", "is not yes or no"),
        ("languages", "vietnamse", "“vietnamse” is not a language"),
        ("status_date", "2026-13-01", "“2026-13-01” is not a date: write it as 2026-04-01"),
    ],
)
def test_a_bad_class_cell_names_line_column_and_value_and_nothing_is_imported(
    city, column, value, message
):
    data = csv_of(
        ("city", "url", "status", column),
        (KORIYAMA_CODE, "https://example.jp/good", "running", ""),
        (KORIYAMA_CODE, "https://example.jp/bad", "running", value),
    )
    report = run("class-links", data)
    (error,) = report.errors
    assert (error.line, error.column, error.value) == (3, column, value)
    assert message in str(error), str(error)
    assert not ClassLink.objects.exists()


def test_bad_hours_and_phones_are_named_in_japanese_for_a_japanese_user(city):
    data = csv_of(
        ("団体コード", "部署名", "受付時間", "電話番号", "電話・ビデオ通訳"),
        (KORIYAMA_CODE, "Desk", "月-金 8:30", "12-34", "たぶん"),
    )
    with translation.override("ja"):
        report = run("departments", data)
        messages = [str(error) for error in report.errors]
    assert [error.column for error in report.errors] == ["受付時間", "電話番号", "電話・ビデオ通訳"]
    assert messages[0].startswith("2 行目, 列「受付時間」")
    assert "「8:30」" in messages[0] and "開く時刻と閉まる時刻" in messages[0]
    assert "「12-34」は日本の電話番号ではありません" in messages[1]
    assert "はい" in messages[2] and "いいえ" in messages[2] and "○ か ×" in messages[2]
    assert not Department.objects.exists()


def test_two_phone_numbers_separated_by_a_japanese_comma_are_named_in_japanese_not_half_kept(city):
    data = csv_of(
        ("団体コード", "部署名", "電話番号"),
        (KORIYAMA_CODE, "Desk", "代表: 024-924-0000、相談: 024-924-0001"),
    )
    with translation.override("ja"):
        report = run("departments", data)
        messages = [str(error) for error in report.errors]
    assert messages == [
        "2 行目, 列「電話番号」: 「代表: 024-924-0000、相談: 024-924-0001」には電話番号が 2 つ"
        "あります。番号の間に「;」を入れてください"
    ]
    assert not DepartmentPhone.objects.exists()


@pytest.mark.parametrize(
    ("language", "headers", "value", "message"),
    [
        (
            "en",
            ("city", "name", "hours"),
            "Mon 08:00-12:00,11:00-13:00",
            "Monday has overlapping times: 08:00-12:00 and 11:00-13:00",
        ),
        (
            "ja",
            ("団体コード", "部署名", "受付時間"),
            "月 08:00-12:00,11:00-13:00",
            "月曜日の時間帯 08:00-12:00 と 11:00-13:00 が重なっています",
        ),
    ],
)
def test_overlapping_hours_name_their_day_in_the_user_s_language(
    city, language, headers, value, message
):
    data = csv_of(headers, (KORIYAMA_CODE, "Desk", value))
    with translation.override(language):
        report = run("departments", data)
        (error,) = report.errors
        assert (error.line, error.column, error.value) == (2, headers[2], value)
        assert message in str(error), str(error)
    assert not Department.objects.exists()


def test_a_class_ending_before_it_starts_is_refused_by_the_model_s_own_check(city):
    data = csv_of(
        ("city", "url", "starts_at", "ends_at"),
        (KORIYAMA_CODE, "https://example.jp/c", "20:30", "18:30"),
    )
    (error,) = run("class-links", data).errors
    assert (error.line, error.column) == (2, "ends_at")
    assert "must end after it starts" in str(error)


# The template, the open data


def test_the_template_explains_every_new_column_in_both_languages(client):
    from directory.importexport.exporting import template

    for kind in ("departments", "class-links"):
        workbook = openpyxl.load_workbook(io.BytesIO(template(kind, "ja")))
        headers = [cell.value for cell in workbook.worksheets[0][1]]
        explained = {row[0]: row for row in workbook.worksheets[1].values if row and row[0]}
        for column in columns(kind, readable=False):
            assert column.ja in headers
            assert explained[column.ja][1] == column.key
            assert explained[column.ja][3], column.key
    workbook = openpyxl.load_workbook(io.BytesIO(template("departments", "en")))
    explained = {row[0]: row for row in workbook.worksheets[1].values if row and row[0]}
    assert "“;”" in explained["phones"][3] and "ext. 123" in explained["phones"][3]
    assert "Mon-Fri" in explained["hours"][4]
    assert explained["remote_interpretation"][3].endswith("the headers' language.")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_template_names_the_japanese_days_and_times_an_import_reads(language):
    from directory import hours
    from directory.importexport.exporting import template

    def explained(kind):
        """Each column's explanation in the template, by the column's key."""
        with translation.override(language):
            workbook = openpyxl.load_workbook(io.BytesIO(template(kind, language)))
        rows = {row[0]: row[3] for row in workbook.worksheets[1].values if row and row[0]}
        return {column.key: rows[column.header(language)] for column in columns(kind, False)}

    desks, classes_ = explained("departments"), explained("class-links")
    for form in ("月～金 8:30～17:15", "平日", "土日"):
        assert form in desks["hours"], form
    assert ("祝日" if language == "ja" else "holidays") in desks["hours_note"]
    for form in ("月水金", "土日", "平日", "月～金"):
        assert form in classes_["weekdays"], form
    assert ("日時（自由記述）" if language == "ja" else "schedule_note") in classes_["weekdays"]
    assert "2000-01-01" in classes_["status_date"] and "2099-12-31" in classes_["status_date"]
    # Each form named is one the import reads.
    assert hours.format_hours(hours.parse("月～金 8:30～17:15; 土日 10:00～12:00")) == (
        "Mon-Fri 08:30-17:15; Sat-Sun 10:00-12:00"
    )
    assert hours.parse_days("月水金") == [0, 2, 4] and hours.parse_days("平日") == [0, 1, 2, 3, 4]


def test_the_template_s_example_phones_and_hours_are_in_the_form_an_import_reads():
    desk = {column.key: column.example for column in columns("departments")}
    assert len(phones.parse_phones(desk["phones"])) == 2
    from directory import hours

    assert len(hours.parse(desk["hours"])) == 11


def test_the_open_data_has_every_new_desk_and_class_field(city, client):
    desk = make_full_department(city)
    make_full_class_link(city, department=desk)
    response = client.get("/en/data/departments.csv", HTTP_HOST="localhost")
    (row,) = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row["phones"] == "代表: 024-924-0000; 相談: 024-924-0001 ext. 123"
    assert row["hours"].startswith("Mon-Fri 08:30-12:00,13:00-17:15")
    assert (row["address_romaji"], row["languages"]) == (
        "1-1-1 Asahi, Testyama, Fukushima",
        "en, vi, zh",
    )
    response = client.get("/en/data/class-links.json", HTTP_HOST="localhost")
    (record,) = json.loads(response.content)
    assert record["department"] == desk.name
    assert (record["weekdays"], record["fee"], record["status_date"]) == (
        "Tue, Fri",
        "500",
        "2026-04-01",
    )
    assert {column.key for column in columns("class-links")} <= set(record)
