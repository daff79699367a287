"""Import and export through the resources: encodings, formats, round trip, refusals."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from directory.importexport import exporting, importing, importlog
from directory.models import City, ClassLink, Department, ImportLog
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import (
    make_city,
    make_class_link,
    make_department,
    make_full_department,
    make_staff,
    published_table_as_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


HAKODATE = "012025"
ASAHIKAWA = "012041"


def csv_of(*rows, encoding="utf-8"):
    return "\n".join(",".join(row) for row in rows).encode(encoding)


def hakodate_department():
    return Department.objects.get(city__code=HAKODATE)


def test_it_reads_utf8_bom_and_cp932_files_alike(seed):
    name = hakodate_department().name
    for encoding in ("utf-8", "utf-8-sig", "cp932"):
        data = csv_of(
            ("city", "name", "email"),
            (HAKODATE, f'"{name}"', "国際課①@example.jp"),
            encoding=encoding,
        )
        report = importing.run_import("departments", data, "csv", dry_run=True)
        # The e-mail is not an address, so the row is refused, naming what it read: no mojibake.
        assert [str(e) for e in report.errors] == [
            "line 2, column email, value “国際課①@example.jp”: Enter a valid email address."
        ], encoding
        data = csv_of(
            ("city", "url", "label"),
            (HAKODATE, "https://example.jp/n", "髙﨑教室①"),
            encoding=encoding,
        )
        report = importing.run_import("class-links", data, "csv", dry_run=False)
        assert report.ok, report.errors
        assert ClassLink.objects.get(url="https://example.jp/n").label == "髙﨑教室①"
        ClassLink.objects.filter(url="https://example.jp/n").delete()


def test_it_refuses_a_file_in_another_encoding_with_a_clear_error(seed):
    data = "city,url,label\n012025,https://example.jp/x,教室\n".encode("utf-32")
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert not report.ok
    assert "not UTF-8, Shift_JIS (CP932) or Excel's" in str(report.errors[0])
    assert not ClassLink.objects.filter(url="https://example.jp/x").exists()


NUL_IN_A_CELL = 'city,name,email,phones,hours,url\r\n072036,"窓口",a\x00@example.jp,,,\r\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_nul_in_one_cell_is_named_by_its_line_and_column_not_taken_for_an_encoding(
    seed, tmp_path, encoding
):
    before = directory_state()
    path = tmp_path / "desks.csv"
    path.write_bytes(NUL_IN_A_CELL.encode(encoding))
    # The format told from the name, as the command and the admin do when none is chosen.
    report = importing.import_path("departments", path, dry_run=False)
    assert [str(error) for error in report.errors] == [
        "line 2, column email: “a<U+0000>@example.jp” contains a control character (U+0000)."
    ]
    assert not report.applied and directory_state() == before


def test_utf16_and_utf32_files_full_of_nul_are_still_named_by_their_encoding(seed):
    before = directory_state()
    japanese = "団体コード,部署名,メールアドレス\r\n012025,国際課,kokusai@city.jp\r\n"
    for text in (NUL_IN_A_CELL.replace("\x00", ""), japanese):
        # UTF-32 with its byte-order mark, and both without (UTF-16 with its mark is read).
        for encoding in ("utf-16-le", "utf-16-be", "utf-32", "utf-32-le"):
            report = importing.run_import("departments", text.encode(encoding), "csv")
            [shown] = [str(error) for error in report.errors]
            assert shown.startswith("The file is not UTF-8, Shift_JIS (CP932) or Excel's"), encoding
            assert f"(it looks like {encoding[:6].replace('-', '_')}" in shown, encoding
    assert directory_state() == before


@pytest.mark.parametrize("kind", ["cities", "departments", "class-links"])
@pytest.mark.parametrize("fmt", exporting.EXPORT_FORMATS)
def test_export_then_import_changes_nothing(seed, kind, fmt):
    Department.objects.filter(city__code=HAKODATE).update(name="=Intl desk, “国際課”\tA")
    data = exporting.export(kind, fmt)
    report = importing.run_import(kind, data, fmt, dry_run=False)
    assert report.ok, report.errors
    assert report.counts["new"] == report.counts["updated"] == report.counts["deleted"] == 0
    assert report.counts["unchanged"] > 50


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_export_neutralises_cells_a_spreadsheet_would_run(seed, fmt):
    starts = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
    for index, start in enumerate(starts):
        ClassLink.objects.filter(pk=ClassLink.objects.order_by("pk")[index].pk).update(label=start)
    data = exporting.export("class-links", fmt)
    if fmt == "xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    else:
        text = io.StringIO(data.decode("utf-8-sig"), newline="")
        rows = list(csv.reader(text, delimiter="," if fmt == "csv" else "\t"))
    labels = [row[rows[0].index("label")] for row in rows[1:]]
    for start in starts:
        # XML turns a lone carriage return into a line feed; the ' is what matters here.
        expected = "'" + (start.replace("\r", "\n") if fmt == "xlsx" else start)
        assert expected in labels, repr(start)
    assert not [label for label in labels if label and label[0] in "=+-@\t\r"]


def test_json_export_keeps_values_as_they_are(seed):
    ClassLink.objects.filter(pk=ClassLink.objects.first().pk).update(label="=1+1")
    records = json.loads(exporting.export("class-links", "json"))
    assert "=1+1" in [r["label"] for r in records]


def test_it_refuses_a_javascript_or_data_url_and_writes_no_row(seed):
    before = ClassLink.objects.count()
    data = csv_of(
        ("city", "url", "label"),
        (HAKODATE, "https://example.jp/good", "fine"),
        (HAKODATE, "javascript:alert(1)", "bad"),
        (ASAHIKAWA, '"data:text/html,hi"', "bad"),
    )
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert [(e.line, e.column) for e in report.errors] == [(3, "url"), (4, "url")]
    assert ClassLink.objects.count() == before


def test_it_stores_a_published_at_address_as_an_email_address(seed):
    department = hakodate_department()
    data = csv_of(("city", "name", "email"), (HAKODATE, f'"{department.name}"', "desk[at]city.jp"))
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.counts["updated"] == 1
    assert report.changes[0].fields == [("email", department.email, "desk@city.jp")]
    department.refresh_from_db()
    assert department.email == "desk@city.jp"


def test_it_names_every_bad_row_and_changes_nothing(seed):
    department = hakodate_department()
    data = csv_of(
        ("city", "name", "email", "url"),
        (HAKODATE, f'"{department.name}"', "new@city.jp", "https://example.jp"),
        (HAKODATE, "", "x@city.jp", ""),
        ("000000", "Desk", "", ""),
        (ASAHIKAWA, "Desk", "not an address", ""),
        (ASAHIKAWA, "Desk", "", ""),
    )
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert [str(e) for e in report.errors] == [
        "line 3, column name: This field cannot be blank.",
        "line 4, column city: no city has the local government code 000000: expected the "
        "six-digit code of a city in the directory, e.g. 012025",
        "line 5, column email, value “not an address”: Enter a valid email address.",
        f"line 6, column name: {ASAHIKAWA} / Desk is listed on line 5 too",
    ]
    department.refresh_from_db()
    assert department.email != "new@city.jp"


def test_it_refuses_a_file_without_the_key_columns(seed):
    report = importing.run_import("class-links", csv_of(("url",), ("https://a.jp",)), "csv")
    assert "no column city" in str(report.errors[0])


def test_a_city_editor_may_not_import_another_citys_rows(seed):
    editor = make_staff("hakodate", CITY_EDITORS, [City.objects.get(code=HAKODATE)])
    data = csv_of(
        ("city", "url", "label"),
        (HAKODATE, "https://example.jp/mine", ""),
        (ASAHIKAWA, "https://example.jp/theirs", ""),
    )
    report = importing.run_import("class-links", data, "csv", user=editor, dry_run=False)
    assert [str(e) for e in report.errors] == [
        f"line 3, column city: you may not edit the city with code {ASAHIKAWA}"
    ]
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/").exists()
    exported = exporting.export("class-links", "csv", user=editor).decode("utf-8-sig")
    assert HAKODATE in exported and ASAHIKAWA not in exported


def test_a_city_editor_may_not_add_or_change_other_cities(seed):
    editor = make_staff("hakodate", CITY_EDITORS, [City.objects.get(code=HAKODATE)])
    data = exporting.export("cities", "csv").decode("utf-8-sig").replace("Asahikawa", "Asahi")
    report = importing.run_import("cities", data.encode(), "csv", user=editor, dry_run=False)
    assert any(e.column == "code" and ASAHIKAWA in e.message for e in report.errors)
    assert City.objects.filter(name="Asahikawa").exists()


def test_an_import_is_kept_in_each_records_history(seed):
    editor = make_staff("editor", DIRECTORY_EDITORS)
    department = hakodate_department()
    data = csv_of(("city", "name", "email"), (HAKODATE, f'"{department.name}"', "new@city.jp"))
    report = importing.run_import(
        "departments", data, "csv", user=editor, dry_run=False, file_name="d.csv"
    )
    latest = department.history.latest()
    assert (latest.email, latest.history_user, latest.history_change_reason) == (
        "new@city.jp",
        editor,
        f"Import #{report.log_id}: d.csv",
    )


def test_records_an_import_adds_are_kept_in_history_with_who_and_why(seed):
    editor = make_staff("editor", DIRECTORY_EDITORS)
    data = csv_of(("city", "url", "label"), (HAKODATE, "https://example.jp/new", "にほんご"))
    report = importing.run_import(
        "class-links", data, "csv", user=editor, dry_run=False, file_name="n.csv"
    )
    link = ClassLink.objects.get(url="https://example.jp/new")
    [record] = link.history.all()
    assert (record.history_type, record.label, record.history_user) == ("+", "にほんご", editor)
    assert record.history_change_reason == f"Import #{report.log_id}: n.csv"
    assert record.city_id == link.city_id and record.history_date is not None


def test_a_position_must_be_a_whole_number(seed):
    data = csv_of(
        ("city", "url", "position"),
        (HAKODATE, "https://example.jp/a", "3"),
        (HAKODATE, "https://example.jp/b", "first"),
        (HAKODATE, "https://example.jp/c", "-1"),
    )
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert [(e.line, e.column) for e in report.errors] == [(3, "position"), (4, "position")]
    assert "“first” is not a whole number" in report.errors[0].message
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/").exists()
    good = csv_of(("city", "url", "position"), (HAKODATE, "https://example.jp/a", "3"))
    report = importing.run_import("class-links", good, "csv", dry_run=False)
    assert report.ok and ClassLink.objects.get(url="https://example.jp/a").position == 3


def test_a_delete_column_removes_the_record_once_the_removal_is_confirmed(seed):
    link = ClassLink.objects.select_related("city").first()
    data = csv_of(("city", "url", "delete"), (link.city.code, link.url, "yes"))
    report = importing.run_import("class-links", data, "csv", dry_run=False, confirmed_removals=1)
    assert report.ok and report.counts["deleted"] == 1
    assert not ClassLink.objects.filter(pk=link.pk).exists()


def links_marked_delete():
    """A file that adds a class link and marks two others to delete."""
    links = list(ClassLink.objects.select_related("city")[:2])
    rows = [(link.city.code, link.url, "yes") for link in links]
    return links, csv_of(("city", "url", "delete"), (HAKODATE, "https://example.jp/new", ""), *rows)


def test_a_file_that_removes_records_nobody_confirmed_writes_nothing(seed):
    links, data = links_marked_delete()
    for confirmed in (0, 1):  # none, or fewer than the file removes
        report = importing.run_import(
            "class-links", data, "csv", dry_run=False, confirmed_removals=confirmed
        )
        assert report.removals_refused and not report.applied
        assert [str(e) for e in report.errors] == [
            "Nothing was imported: this file removes 2 records."
        ]
        assert ClassLink.objects.filter(pk__in=[link.pk for link in links]).count() == 2
        assert not ClassLink.objects.filter(url="https://example.jp/new").exists()
    # A preview never writes, so it needs no confirmation to say what would go.
    assert importing.run_import("class-links", data, "csv", dry_run=True).removals == 2


def test_the_import_command_removes_records_only_with_allow_removals(seed, tmp_path):
    links, data = links_marked_delete()
    path = tmp_path / "links.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="removes 2 records.*--allow-removals"):
        call_command("import_directory", "class-links", str(path), stderr=err)
    assert f"deleted {links[0].city.code} / {links[0].url}" in err.getvalue()
    assert ClassLink.objects.filter(pk__in=[link.pk for link in links]).count() == 2
    assert not ClassLink.objects.filter(url="https://example.jp/new").exists()

    out = io.StringIO()
    call_command("import_directory", "class-links", str(path), "--allow-removals", stdout=out)
    assert "1 new, 0 updated, 0 unchanged, 2 deleted" in out.getvalue()
    assert not ClassLink.objects.filter(pk__in=[link.pk for link in links]).exists()


def test_a_newer_published_table_goes_through_the_same_report(seed, tmp_path):
    from directory.importexport.published_table import DEFAULT_PATH

    text = DEFAULT_PATH.read_text(encoding="utf-8").replace("hkd-intl[at]", "intl[at]")
    data = text.encode("utf-8")
    assert importing.guess_format("core-cities.tsv", data) == "published"
    report = importing.run_import("cities", data, "published", dry_run=True)
    assert report.counts["updated"] == 1
    assert report.changes[0].fields[0][0] == "E-mail"
    bad = text.replace("https://www.city.hakodate.hokkaido.jp\t", "javascript:x\t").encode()
    report = importing.run_import("cities", bad, "published", dry_run=False)
    assert report.errors[0].line is not None and report.errors[0].column == "URL"


HAKODATE_CLASSES = "https://www.city.hakodate.hokkaido.jp/docs/2014013100501/"


def edited_table_as_csv():
    """The seed table saved by Japanese Excel after staff changed an address and added a class."""
    text = published_table_as_csv()
    text = text.replace("hkd-intl[at]", "kokusai[at]")
    text = text.replace(HAKODATE_CLASSES, HAKODATE_CLASSES + " https://example.jp/n (髙﨑教室①)")
    return text.encode("cp932")


def test_the_published_table_saved_as_a_shift_jis_csv_changes_departments_and_classes_at_once(
    seed,
):
    editor = make_staff("editor", DIRECTORY_EDITORS)
    data = edited_table_as_csv()
    assert importing.guess_format("窓口.csv", data) == "published"
    report = importing.run_import(
        "cities", data, "published", user=editor, dry_run=False, file_name="窓口.csv"
    )
    assert report.ok, report.errors
    assert (report.counts["new"], report.counts["updated"], report.counts["deleted"]) == (1, 1, 0)
    department = hakodate_department()
    assert department.email == "kokusai@city.hakodate.hokkaido.jp"
    link = ClassLink.objects.get(url="https://example.jp/n")
    assert (link.label, link.department) == ("髙﨑教室①", department)
    for record in (department.history.latest(), link.history.latest()):
        assert (record.history_user, record.history_change_reason) == (
            editor,
            f"Import #{report.log_id}: 窓口.csv",
        )


def test_the_published_table_is_only_for_the_cities_import(seed):
    data = edited_table_as_csv()
    report = importing.run_import("departments", data, importing.guess_format("t.csv", data))
    assert [str(e) for e in report.errors] == [
        "This file is the association's published table: it belongs to the import of cities. "
        "Nothing was imported; upload it there."
    ]
    assert hakodate_department().email == "hkd-intl@city.hakodate.hokkaido.jp"


def test_the_import_command_prints_the_summary_and_fails_with_every_error(seed, tmp_path):
    good = tmp_path / "links.csv"
    good.write_bytes(csv_of(("city", "url"), (HAKODATE, "https://example.jp/c"), encoding="cp932"))
    out = io.StringIO()
    call_command("import_directory", "class-links", str(good), "--dry-run", stdout=out)
    assert "1 new, 0 updated, 0 unchanged, 0 deleted" in out.getvalue()
    assert not ClassLink.objects.filter(url="https://example.jp/c").exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_of(("city", "url"), (HAKODATE, "ftp://x"), ("1", "https://x.jp")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_directory", "class-links", str(bad), stderr=err)
    assert "line 2, column url" in err.getvalue() and "line 3, column city" in err.getvalue()


def test_the_export_command_writes_the_chosen_format(seed, tmp_path):
    target = tmp_path / "cities.xlsx"
    call_command("export_directory", "cities", "--format", "xlsx", "-o", str(target))
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "code" and sheet["A2"].value == HAKODATE


# A record named by its own number (the id column exports write): renamed, not doubled


KORIYAMA = "072036"


def exported_rows(kind, header_language=None, user=None):
    """An export's rows as dicts by header, as a spreadsheet opens the CSV."""
    data = exporting.export(kind, "csv", user=user, header_language=header_language)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def csv_of_rows(rows, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def directory_state():
    """Every desk and class link as it stands, with its phones and hours."""
    desks = {
        d.pk: (d.city_id, d.name, d.email, d.phones.count(), d.hours.count())
        for d in Department.objects.all()
    }
    links = {link.pk: (link.city_id, link.url, link.label) for link in ClassLink.objects.all()}
    return desks, links


def test_a_desk_renamed_in_its_exported_file_is_renamed_with_its_phones_hours_and_history(seed):
    editor = make_staff("editor", DIRECTORY_EDITORS)
    desk = make_full_department(City.objects.get(code=KORIYAMA), "Koriyama Desk")
    desks_before = Department.objects.count()
    rows = exported_rows("departments")
    [row] = [row for row in rows if row["id"] == str(desk.pk)]
    row["name"] = "国際政策課"
    data = csv_of_rows(rows)

    preview = importing.run_import("departments", data, "csv", user=editor, dry_run=True)
    assert preview.ok, preview.errors
    assert (preview.counts["new"], preview.counts["updated"]) == (0, 1)
    [change] = preview.changes
    assert (change.action, change.fields) == ("updated", [("name", "Koriyama Desk", "国際政策課")])
    assert Department.objects.get(pk=desk.pk).name == "Koriyama Desk"

    report = importing.run_import(
        "departments", data, "csv", user=editor, dry_run=False, file_name="desks.csv"
    )
    assert report.ok and report.counts["new"] == 0 and report.counts["updated"] == 1
    assert Department.objects.count() == desks_before
    desk.refresh_from_db()
    assert desk.name == "国際政策課"
    assert (desk.phones.count(), desk.hours.count()) == (2, 11)
    assert not Department.objects.filter(name="Koriyama Desk").exists()
    latest, earlier = desk.history.all()[:2]
    assert (latest.history_type, latest.name, earlier.name) == ("~", "国際政策課", "Koriyama Desk")
    assert latest.history_change_reason == f"Import #{report.log_id}: desks.csv"
    # Undoing the import gives the desk its name back.
    importlog.undo(ImportLog.objects.get(pk=report.log_id), editor)
    assert Department.objects.get(pk=desk.pk).name == "Koriyama Desk"


def test_a_class_links_url_changed_in_its_exported_file_changes_the_same_link(seed):
    link = ClassLink.objects.select_related("city").first()
    links_before = ClassLink.objects.count()
    rows = exported_rows("class-links", header_language="ja")
    [row] = [row for row in rows if row["管理番号"] == str(link.pk)]
    row["URL"] = "https://example.jp/nihongo/new/"
    report = importing.run_import("class-links", csv_of_rows(rows), "csv", dry_run=False)
    assert report.ok, report.errors
    assert (report.counts["new"], report.counts["updated"]) == (0, 1)
    assert report.changes[0].fields == [("URL", link.url, "https://example.jp/nihongo/new/")]
    assert ClassLink.objects.count() == links_before
    old_url = link.url
    link.refresh_from_db()
    assert link.url == "https://example.jp/nihongo/new/"
    assert not ClassLink.objects.filter(url=old_url, city=link.city).exists()
    assert link.history.latest().url == link.url


def test_a_shift_jis_file_from_excel_with_a_full_width_number_renames_the_desk(seed):
    desk = hakodate_department()
    data = "団体コード,部署名,管理番号\r\n12025,国際課,\u3000{}\u3000\r\n".format(
        str(desk.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ).encode("cp932")
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.ok, report.errors
    assert report.changes[0].fields == [("部署名", desk.name, "国際課")]
    assert Department.objects.get(pk=desk.pk).name == "国際課"
    assert Department.objects.filter(city__code=HAKODATE).count() == 1


def test_a_file_without_the_number_column_still_names_desks_by_city_and_name(seed):
    desk = hakodate_department()
    data = csv_of(("city", "name", "email"), (HAKODATE, "国際課", "kokusai@city.jp"))
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.ok and report.counts["new"] == 1
    # Without the number, another name is another desk, as before.
    assert Department.objects.get(pk=desk.pk).name == desk.name
    assert Department.objects.filter(city__code=HAKODATE).count() == 2


def numbered_rows_refused(rows, *expected):
    """Import `rows` (a header and rows of cells); every message is `expected`, nothing written."""
    before = directory_state()
    report = importing.run_import("departments", csv_of(*rows), "csv", dry_run=False)
    assert [str(error) for error in report.errors] == list(expected)
    assert not report.applied and directory_state() == before


def test_a_number_that_is_not_a_whole_number_is_refused(seed):
    numbered_rows_refused(
        (("city", "name", "id"), (HAKODATE, "国際課", "12a")),
        "line 2, column id, value “12a”: not a record number: keep the number an export wrote, "
        "or leave the cell empty for a new record",
    )


def test_a_number_of_no_record_is_refused(seed):
    numbered_rows_refused(
        (("city", "name", "id"), (HAKODATE, "国際課", "999999")),
        "line 2, column id: no department has the number 999999: keep the number an export "
        "wrote, or leave the cell empty for a new record",
    )


def test_a_number_of_a_record_of_another_city_than_the_rows_is_refused(seed):
    desk = hakodate_department()
    numbered_rows_refused(
        (("city", "name", "id"), (ASAHIKAWA, "国際課", str(desk.pk))),
        f"line 2, column id: department number {desk.pk} is a record of city {HAKODATE}, not of "
        f"“{ASAHIKAWA}”: a record cannot move to another city",
    )


def test_the_same_number_on_two_rows_is_refused(seed):
    desk = hakodate_department()
    numbered_rows_refused(
        (
            ("city", "name", "id"),
            (HAKODATE, "国際課", str(desk.pk)),
            (HAKODATE, "国際交流課", str(desk.pk)),
        ),
        f"line 3, column id: number {desk.pk} is listed on line 2 too",
    )


def test_a_number_of_the_record_another_rows_name_names_is_refused_in_either_order(seed):
    desk = make_department(City.objects.get(code=HAKODATE), "窓口")
    by_number = (HAKODATE, "国際課", str(desk.pk))
    by_name = (HAKODATE, "窓口", "")
    numbered_rows_refused(
        (("city", "name", "id"), by_number, by_name),
        f"line 3, column name, value “窓口”: line 2 names this department too (number "
        f"{desk.pk}): give each record one row",
    )
    numbered_rows_refused(
        (("city", "name", "id"), by_name, by_number),
        f"line 3, column id: line 2 names this department too (number {desk.pk}): give each "
        "record one row",
    )


def test_a_desk_may_not_be_renamed_to_another_desks_name(seed):
    desk = hakodate_department()
    other = make_department(desk.city, "国際課")
    numbered_rows_refused(
        (("city", "name", "id"), (HAKODATE, "国際課", str(desk.pk))),
        f"line 2, column name: {HAKODATE} / 国際課 already names another department (number "
        f"{other.pk}): two of a city's records cannot share it",
    )


def test_a_japanese_export_names_a_class_s_desk_as_the_japanese_admin_does_and_reads_back_unchanged(
    db,
):
    city = make_city()
    desk = make_department(city, "International Division", name_ja="国際課")
    make_class_link(city, department=desk)
    japanese = exporting.export("class-links", "csv", header_language="ja").decode("utf-8-sig")
    assert "国際課" in japanese and "International Division" not in japanese
    english = exporting.export("class-links", "csv").decode("utf-8-sig")
    assert "International Division" in english
    report = importing.run_import("class-links", japanese.encode(), "csv", dry_run=True)
    assert report.ok and report.counts["unchanged"] == 1
