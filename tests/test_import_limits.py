"""Imports within bounds: hostile files refused in seconds, the directory unchanged, through
`run_import`, the admin's upload and the commands; encodings read exactly or refused by name."""

import functools
import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from directory.importexport import importing
from directory.models import ClassLink
from directory.roles import DIRECTORY_EDITORS
from tests import crafted_files
from tests.builders import make_staff, published_table_as_csv, sign_in

pytestmark = pytest.mark.django_db

# What each hostile file is refused with; the dimension bomb is not refused but read (below).
REFUSALS = {
    "wide-header": "a value in column XFD",
    "million-rows": "rows past line 100,001",
    "many-shared-strings": "1,000,000 different texts",
    "huge-shared-string": "unpacks to 200.0 MB",
    "entity-bomb": "document type declaration",
    "50MB-csv": "The file is 50.0 MB; an import takes files of up to 5.0 MB",
}
# Minutes before; seconds now (the bench measures each). Generous: the test machine is shared.
SECONDS = 15
HAKODATE = crafted_files.HAKODATE


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@functools.cache
def hostile(name):
    return crafted_files.HOSTILE[name]()


def plain(text):
    """Sizes are written with a no-break space between number and unit."""
    return text.replace("\xa0", " ")


def directory_state():
    return sorted(ClassLink.objects.values_list("pk", "url", "label", "city_id"))


@pytest.fixture
def editor_client(client, seed):
    sign_in(client, make_staff("editor", DIRECTORY_EDITORS))
    return client


@pytest.mark.parametrize("name", REFUSALS)
def test_run_import_refuses_a_hostile_file_in_seconds_and_changes_nothing(seed, name):
    file_name, data = hostile(name)
    before = directory_state()
    started = time.perf_counter()
    fmt = "csv" if file_name.endswith(".csv") else "xlsx"
    report = importing.run_import("class-links", data, fmt, dry_run=False, file_name=file_name)
    seconds = time.perf_counter() - started
    assert not report.ok and not report.applied
    assert REFUSALS[name] in plain(str(report.errors[0])), report.errors
    assert seconds < SECONDS
    assert directory_state() == before


@pytest.mark.parametrize("name", REFUSALS)
def test_the_admin_upload_refuses_a_hostile_file_with_its_message(editor_client, name):
    file_name, data = hostile(name)
    before = directory_state()
    started = time.perf_counter()
    response = editor_client.post(
        reverse("admin:directory_classlink_import"),
        {"import_file": SimpleUploadedFile(file_name, data)},
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert REFUSALS[name] in plain(response.content.decode())
    assert seconds < SECONDS
    assert directory_state() == before


def test_the_admin_upload_reads_a_dimension_bomb_as_the_two_rows_it_holds(editor_client):
    file_name, data = crafted_files.dimension_bomb()
    before = directory_state()
    started = time.perf_counter()
    preview = editor_client.post(
        reverse("admin:directory_classlink_import"),
        {"import_file": SimpleUploadedFile(file_name, data)},
        follow=True,
    )
    assert time.perf_counter() - started < SECONDS
    assert preview.context["report"].summary() == "2 new, 0 updated, 0 unchanged, 0 deleted"
    assert directory_state() == before


def test_a_file_over_the_size_limit_is_refused_by_its_size_before_it_is_read(seed, monkeypatch):
    read = []
    monkeypatch.setattr(importing, "decode", lambda data: read.append(data))
    with override_settings(IMPORT_MAX_BYTES=100):
        report = importing.run_import("class-links", b"x" * 101, "csv", dry_run=False)
    assert plain(str(report.errors[0])).startswith(
        "The file is 101 bytes; an import takes files of up to 100 bytes."
    )
    assert read == []


def test_the_import_command_refuses_a_file_over_the_limit_naming_both_sizes(seed, tmp_path):
    path = tmp_path / "links.csv"
    path.write_bytes(b"city,url\n" + b"012025,https://example.jp/x\n" * 400)
    with override_settings(IMPORT_MAX_BYTES=2048), pytest.raises(CommandError) as caught:
        call_command("import_directory", "class-links", str(path))
    size = plain(filesizeformat(path.stat().st_size))
    assert f"The file is {size}; an import takes files of up to 2.0 KB" in plain(str(caught.value))
    assert not ClassLink.objects.filter(url="https://example.jp/x").exists()


def test_load_published_table_refuses_a_file_over_the_limit(seed, tmp_path):
    from directory.importexport.published_table import DEFAULT_PATH

    with override_settings(IMPORT_MAX_BYTES=1024), pytest.raises(CommandError) as caught:
        call_command("load_published_table", str(DEFAULT_PATH))
    assert "an import takes files of up to 1.0 KB" in plain(str(caught.value))


def test_the_admin_form_names_the_limits_and_refuses_by_the_uploads_size(editor_client):
    url = reverse("admin:directory_classlink_import")
    assert "Up to 5.0 MB and 100,000 rows" in plain(editor_client.get(url).content.decode())
    with override_settings(IMPORT_MAX_BYTES=10):
        upload = SimpleUploadedFile("links.csv", b"city,url,label\n")
        response = editor_client.post(url, {"import_file": upload})
    assert "The file is 15 bytes; an import takes files of up to 10 bytes" in plain(
        response.content.decode()
    )


def test_the_limits_come_from_the_environment():
    environment = {**os.environ, "IMPORT_MAX_BYTES": "1234", "IMPORT_MAX_ROWS": "56"}
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.IMPORT_MAX_BYTES, s.IMPORT_MAX_ROWS)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stdout.split() == ["1234", "56"]
    assert (settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_ROWS) == (5 * 2**20, 100_000)


def links_csv(count, encoding="utf-8", trailing=""):
    lines = ["city,url,label"] + [
        f"{HAKODATE},https://example.jp/limit/{n},教室{n}" for n in range(count)
    ]
    return ("\n".join(lines) + "\n" + trailing).encode(encoding)


@override_settings(IMPORT_MAX_ROWS=3)
def test_a_csv_with_more_rows_than_the_limit_is_refused_naming_the_first_line_past_it(seed):
    report = importing.run_import("class-links", links_csv(4), "csv", dry_run=False)
    assert str(report.errors[0]).startswith("line 5: The file has more than 3 rows under the")
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/limit/").exists()
    # Empty lines after the last row are not rows.
    report = importing.run_import("class-links", links_csv(3, trailing="\n,,\n" * 10), "csv")
    assert report.ok and report.counts["new"] == 3


@override_settings(IMPORT_MAX_ROWS=3)
def test_an_xlsx_or_json_file_with_more_rows_than_the_limit_is_refused(seed):
    rows = [crafted_files.HEADER, *crafted_files.class_link_rows(4)]
    data = crafted_files.workbook(crafted_files.sheet_xml(rows))
    report = importing.run_import("class-links", data, "xlsx", dry_run=False)
    assert "an import takes at most 3 rows under the header" in str(report.errors[0])
    records = [dict(zip(crafted_files.HEADER, row, strict=True)) for row in rows[1:]]
    report = importing.run_import("class-links", json.dumps(records).encode(), "json")
    assert "more than 3 rows under the header" in str(report.errors[0])
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/crafted/").exists()


def test_an_excel_saved_workbook_still_imports(seed):
    rows = [
        (*crafted_files.HEADER, "position"),
        (HAKODATE, "https://example.jp/excel", "函館の教室①", 2),
    ]
    _name, data = crafted_files.excel_like(rows)
    report = importing.run_import("class-links", data, "xlsx", dry_run=False)
    assert report.ok, report.errors
    link = ClassLink.objects.get(url="https://example.jp/excel")
    assert (link.city.code, link.label, link.position) == (HAKODATE, "函館の教室①", 2)


def test_a_cp932_csv_uploaded_in_the_admin_is_previewed_as_written(editor_client):
    data = links_csv(1, encoding="cp932").replace(
        "教室0".encode("cp932"), "髙﨑教室①".encode("cp932")
    )
    preview = editor_client.post(
        reverse("admin:directory_classlink_import"),
        {"import_file": SimpleUploadedFile("links.csv", data)},
        follow=True,
    )
    [change] = preview.context["report"].changes
    assert ("label", "", "髙﨑教室①") in change.fields


def test_an_euc_jp_file_is_refused_by_name_not_stored_as_mojibake(seed):
    data = links_csv(2, encoding="euc_jp")
    # The bytes decode as CP932 too, into half-width kana: what used to be stored.
    assert "教室" not in data.decode("cp932")
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert str(report.errors[0]).startswith("The file is in EUC-JP, which an import does not read.")
    assert "CSV UTF-8" in str(report.errors[0])
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/limit/").exists()


def test_the_admin_names_euc_jp_when_it_guesses_the_format(editor_client):
    data = links_csv(1, encoding="euc_jp")
    response = editor_client.post(
        reverse("admin:directory_classlink_import"),
        {"import_file": SimpleUploadedFile("links.csv", data)},
    )
    assert "The file is in EUC-JP" in response.content.decode()


def test_an_iso_2022_jp_file_is_read_as_the_text_it_holds(seed):
    data = links_csv(2, encoding="iso2022_jp")
    assert b"\x1b$B" in data  # the escapes that used to be stored in the labels
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert report.ok, report.errors
    labels = ClassLink.objects.filter(url__startswith="https://example.jp/limit/")
    assert sorted(labels.values_list("label", flat=True)) == ["教室0", "教室1"]


def test_an_iso_2022_jp_file_with_windows_characters_is_refused_by_name(seed):
    # Windows writes ① in JIS row 13, which no ISO-2022-JP decoder here carries.
    data = links_csv(1, encoding="iso2022_jp").replace(b"\x1b(B0", b"\x1b$B-!\x1b(B")
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert str(report.errors[0]).startswith("The file is in ISO-2022-JP (JIS) but holds")
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/limit/").exists()


def test_a_utf8_file_with_a_bom_is_read_with_a_clean_first_header(seed):
    dataset = importing.read_dataset(links_csv(1, encoding="utf-8-sig"), "csv")
    assert dataset.headers == ["city", "url", "label"] and dataset["label"] == ["教室0"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_a_file_with_more_columns_than_an_import_reads_is_refused_naming_both(seed, fmt):
    # A workbook is read no wider than this; a text file's header was read however wide, and
    # every unknown one listed back: a page of megabytes, a worker held for half a minute.
    names = [f"x{number}" for number in range(101)]
    if fmt == "json":
        data = json.dumps([dict.fromkeys(names, "1")]).encode()
    else:
        delimiter = "," if fmt == "csv" else "\t"
        data = (delimiter.join(names) + "\n" + delimiter.join("1" * 101) + "\n").encode()
    before = directory_state()
    report = importing.run_import("class-links", data, fmt, dry_run=False)
    assert not report.ok
    assert "The header names 101 columns, but an import reads at most 100." in str(report.errors[0])
    assert directory_state() == before


def test_a_first_line_longer_than_a_csv_cell_is_refused_with_a_message_not_a_server_error(
    editor_client,
):
    # With its format told from its name, the file's first line is read for the published
    # table's header, which csv refused past 128 KB with an error of its own.
    data = ("x," * 200_000 + "\n1\n").encode()
    response = editor_client.post(
        reverse("admin:directory_classlink_import"),
        {"import_file": SimpleUploadedFile("wide.csv", data)},
    )
    assert response.status_code == 200
    assert "but an import reads at most 100" in response.content.decode()


# A quote left open: the cell runs on over every row below it, past what csv reads.
OPEN_QUOTE = 'city,url,label\n{hakodate},https://example.jp/a,教室\n{hakodate},https://example.jp/b,"{long}\n'


# A URL of 140,000 characters, no quote: the cell is cut at csv's limit, in the middle of a row.
LONG_URL = "city,url,label\n{hakodate},https://example.jp/{long},教室\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            OPEN_QUOTE.format(hakodate=HAKODATE, long="教室\n" * 70_000),
            "3 行目, 列「label」, 値「" + ("教室<U+000A>" * 10)[:99],
        ),
        (
            LONG_URL.format(hakodate=HAKODATE, long="x" * 140_000),
            "2 行目, 列「url」, 値「https://example.jp/" + "x" * 80,
        ),
    ],
    ids=["open-quote", "long-url"],
)
def test_a_cell_longer_than_csv_reads_is_refused_in_japanese_naming_its_line_column_and_start(
    editor_client, fmt, text, where
):
    data = text.replace(",", "\t" if fmt == "tsv" else ",").encode()
    expected = (
        f"{where}…」: セルが 131,072 文字を超えていて、インポートでは読み込めません。各セルの"
        '開きの引用符（"）が閉じているか確かめるか、セルを短くしてください。'
    )
    before = directory_state()
    with translation.override("ja"):
        report = importing.run_import("class-links", data, fmt, dry_run=False)
    assert [str(error) for error in report.errors] == [expected]
    page = editor_client.post(
        reverse("admin:directory_classlink_import"),
        {"import_file": SimpleUploadedFile(f"links.{fmt}", data)},
        headers={"accept-language": "ja"},
    )
    assert [str(error) for error in page.context["report"].errors] == [expected]
    assert escape(expected) in page.text
    assert directory_state() == before


def test_a_published_table_with_a_cell_longer_than_csv_reads_is_refused_not_a_server_error(
    editor_client,
):
    lines = published_table_as_csv().split("\r\n")
    # Hakodate's row, line 4 under two blank lines and the header.
    lines[3] = lines[3].replace(",", ',"' + "x" * 140_000 + '",', 1)
    data = "\r\n".join(lines).encode()
    with translation.override("ja"):
        report = importing.run_import("cities", data, "published", dry_run=True)
    [error] = report.errors
    assert error.line == 4 and "131,072 文字を超えていて" in error.message
    upload = SimpleUploadedFile("core-cities.csv", data)
    response = editor_client.post(
        reverse("admin:directory_city_import"), {"import_file": upload}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 200
    assert "131,072 文字を超えていて" in response.text
