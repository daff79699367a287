"""The XLSX reader: what a workbook may cost is told from its bytes before openpyxl opens it."""

import io
import struct
import tracemalloc
import zipfile

import olefile
import openpyxl
import openpyxl.xml
import pytest
from defusedxml import DefusedXmlException

from directory.importexport.xlsx_reader import MAX_UNIT_BYTES, XlsxRefused, read_xlsx
from tests import crafted_files
from tests.crafted_files import HEADER, MAIN, header_row, sheet_xml, workbook


def refusal(data, max_rows=100_000):
    with pytest.raises(XlsxRefused) as caught:
        read_xlsx(data, max_rows)
    return caught.value


def raw_sheet(rows_xml):
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'


def test_a_declared_dimension_of_every_cell_is_read_as_the_cells_it_holds():
    _name, data = crafted_files.dimension_bomb()
    tracemalloc.start()
    try:
        header, rows = read_xlsx(data, 100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert header == list(HEADER)
    assert [row[0] for row in rows] == ["012025", "012025"]
    assert {len(row) for row in rows} == {3}
    # Padded to A1:XFD1048576, as openpyxl alone does, the rows would need gigabytes.
    assert peak < 20 * 2**20


def test_a_header_value_in_the_last_column_is_refused_naming_the_column():
    _name, data = crafted_files.wide_header()
    refused = refusal(data)
    assert (refused.reason, refused.details["column"]) == ("columns", "XFD")


def test_rows_past_the_limit_are_refused_before_openpyxl_reads_them():
    rows = [HEADER, *crafted_files.class_link_rows(4)]
    data = workbook(sheet_xml(rows))
    assert len(read_xlsx(data, 4)[1]) == 4
    assert refusal(data, max_rows=3).reason == "rows"


def test_an_empty_row_numbered_far_down_counts_as_a_row_past_the_limit():
    # openpyxl would yield every missing row up to it: a million empty rows from one element.
    data = workbook(raw_sheet(f'{header_row()}<row r="1048576"/>'))
    assert refusal(data).reason == "rows"


def test_trailing_empty_rows_are_dropped_and_empty_rows_between_kept():
    rows = [HEADER, ("012025", "https://example.jp/a", "a"), ("", "", ""), ("012025", "x", "b")]
    rows += [("", " ", "")] * 3
    header, read = read_xlsx(workbook(sheet_xml(rows)), 100_000)
    assert [row[2] for row in read] == ["a", None, "b"]


def test_a_member_packed_more_tightly_than_a_spreadsheet_is_refused():
    strings = f'<sst xmlns="{MAIN}"><si><t>{"a" * 2 * 2**20}</t></si></sst>'
    refused = refusal(workbook(sheet_xml([HEADER]), shared_strings=strings))
    assert refused.reason == "ratio" and refused.details["part"] == "xl/sharedStrings.xml"


def test_one_row_wider_than_a_row_may_be_is_refused():
    # 300,000 empty cells in a row: openpyxl would hold each as an element and a dict.
    cells = "".join(f"<c><v>{n % 10}</v></c>" for n in range(MAX_UNIT_BYTES // 10))
    refused = refusal(workbook(raw_sheet(f'<row r="1">{cells}</row>'), level=1))
    assert refused.reason == "unit"


def test_elements_between_rows_count_against_what_openpyxl_may_keep():
    # openpyxl never clears elements that are not rows: these would stay in memory.
    junk = "".join(f'<x n="{n}"/>' for n in range(300_000))
    refused = refusal(workbook(raw_sheet(f"{header_row()}{junk}")))
    assert refused.reason == "elements"


def test_a_part_in_utf16_is_refused_because_its_bytes_cannot_be_measured():
    sheet = sheet_xml([HEADER]).encode("utf-16")
    assert refusal(workbook(sheet)).reason == "encoding"


def test_an_entity_bomb_is_refused_before_any_parser_sees_it():
    _name, data = crafted_files.entity_bomb()
    assert refusal(data).reason == "dtd"


def test_openpyxl_parses_with_defusedxml_so_an_entity_bomb_cannot_expand_there_either():
    assert openpyxl.xml.DEFUSEDXML is True
    _name, data = crafted_files.entity_bomb()
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    # openpyxl words the error its own way; defusedxml's refusal is the cause.
    assert isinstance(caught.value.__cause__, DefusedXmlException)


def test_a_file_that_is_not_a_zip_is_refused_as_no_workbook():
    refused = refusal(b"city,url\n012025,https://example.jp/\n")
    assert refused.reason == "not-xlsx"


@pytest.mark.parametrize("package_size", [8_384, 400_000])
def test_a_workbook_encrypted_with_a_password_is_refused_as_such_not_as_no_workbook(package_size):
    # The names are in the directory's last sector, after 400 KB of encrypted workbook.
    _name, data = crafted_files.encrypted_workbook(package_size)
    assert refusal(data).reason == "password"


def test_an_old_xls_workbook_is_still_refused_as_no_workbook():
    _name, data = crafted_files.old_workbook()
    assert refusal(data).reason == "not-xlsx"


def test_a_compound_file_whose_directory_loops_or_is_cut_short_is_refused_as_no_workbook():
    _name, data = crafted_files.encrypted_workbook()
    directory = struct.unpack_from("<I", data, 48)[0]
    # The FAT (sector 0, just after the header) says the directory's first sector follows
    # itself: followed without care, it would be read for ever.
    looping = bytearray(data)
    struct.pack_into("<I", looping, 512 + directory * 4, directory)
    for damaged in (bytes(looping), data[:600], data[:2048], olefile.MAGIC + bytes(2048)):
        assert refusal(damaged).reason == "not-xlsx"


def test_a_workbook_made_of_too_many_files_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(1_001):
            archive.writestr(f"junk/{n}.xml", "<a/>")
    assert refusal(buffer.getvalue()).reason == "members"


def test_a_workbook_shaped_as_excel_saves_it_is_read_with_its_shared_strings():
    rows = [(*HEADER, "position"), ("012025", "https://example.jp/e", "函館の教室①", 3)]
    _name, data = crafted_files.excel_like(rows)
    header, read = read_xlsx(data, 100_000)
    assert header == ["city", "url", "label", "position"]
    assert read == [("012025", "https://example.jp/e", "函館の教室①", 3)]


def inline_row(number, *texts):
    """A row of texts kept in its cells, written as they are (references and all)."""
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


@pytest.mark.parametrize("written", ["&#1;", "&#x1;", "&#x01;", "&#31;", "\x01", "\x1f"])
def test_a_cell_holding_a_control_character_is_refused_naming_the_cell_and_its_text(written):
    # Line breaks and tabs written as references are text: the cell after them is named.
    row = inline_row(2, "012025", "改行&#10;&#xD;&#9;あり", f"教室{written}")
    refused = refusal(workbook(raw_sheet(header_row() + row)))
    assert refused.reason == "character-cell"
    character = "\x01" if written in ("&#1;", "&#x1;", "&#x01;", "\x01") else "\x1f"
    assert refused.details == {
        "part": "xl/worksheets/sheet1.xml",
        "cell": "C2",
        "character": f"U+{ord(character):04X}",
        "value": f"教室{character}",
    }


def test_a_shared_text_holding_a_control_character_is_refused_naming_the_text():
    texts = "<si><t>日本語</t></si><si><r><t>教室</t></r><r><t>&#1;&amp;</t></r></si>"
    strings = f'<sst xmlns="{MAIN}">{texts}</sst>'
    sheet = raw_sheet(f'{header_row()}<row r="2"><c r="C2" t="s"><v>1</v></c></row>')
    refused = refusal(workbook(sheet, shared_strings=strings))
    assert (refused.reason, refused.details) == (
        "character-text",
        {"part": "xl/sharedStrings.xml", "character": "U+0001", "value": "教室\x01&"},
    )


def test_a_workbook_whose_xml_cannot_be_parsed_is_refused_as_damaged_not_in_the_parsers_words():
    # A tag left open; a reference to half a character, which XML cannot hold either.
    for rows in (f"{header_row()}<row r='2'>", header_row() + inline_row(2, "&#xD800;")):
        refused = refusal(workbook(raw_sheet(rows)))
        assert (refused.reason, refused.details) == ("damaged", {})


def sheet_with_label(label_cell):
    """A class-links sheet whose one data row's label (C2) is the cell written as it is."""
    cells = crafted_files.cell("A2", "012025") + crafted_files.cell("B2", "https://example.jp/")
    return workbook(raw_sheet(f'{header_row()}<row r="2">{cells}{label_cell}</row>'))


@pytest.mark.parametrize(
    "written",
    [
        '<c r="C2"><f>A1</f><v /></c>',  # openpyxl
        '<c r="C2"><f>A1</f></c>',
        '<c r="C2"><f>A1</f><v></v></c>',
        '<c r="C2" t="str"><f t="shared" si="0"/></c>',
        '<x:c r="C2"><x:f>A1</x:f></x:c>',
    ],
)
def test_a_formula_saved_without_its_result_is_refused_naming_its_cell_not_read_as_empty(
    written,
):
    if "x:" in written:
        written = written.replace("<x:c", f'<x:c xmlns:x="{MAIN}"')
    refused = refusal(sheet_with_label(written))
    assert (refused.reason, refused.details) == ("formula", {"cell": "C2", "sheet": "Sheet1"})


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('<c r="C2" t="str"><f>B2&amp;"教室"</f><v>函館教室</v></c>', "函館教室"),
        ('<c r="C2"><f>1+2</f><v>3</v></c>', 3),
        # A formula giving empty text, as Excel saves it: its result is "".
        ('<c r="C2" t="str"><f>""</f><v></v></c>', None),
    ],
)
def test_a_formula_saved_with_its_result_as_excel_saves_it_is_read_as_that_result(written, read):
    _header, rows = read_xlsx(sheet_with_label(written), 100_000)
    assert rows == [("012025", "https://example.jp/", read)]


@pytest.mark.parametrize(
    ("written", "strings", "value"),
    [
        ('<c r="CW3" t="inlineStr"><is><t>電話で確認済み</t></is></c>', None, "電話で確認済み"),
        ('<c r="XFD3" t="s"><v>1</v></c>', "<si><t> </t></si><si><t>要確認</t></si>", "要確認"),
        ('<c r="DB3"><v>42</v></c>', None, "42"),
    ],
)
def test_a_value_past_the_last_column_read_is_refused_naming_its_cell_not_dropped(
    written, strings, value
):
    rows = header_row() + inline_row(2, "012025") + f'<row r="3">{written}</row>'
    sst = None if strings is None else f'<sst xmlns="{MAIN}">{strings}</sst>'
    refused = refusal(workbook(raw_sheet(rows), shared_strings=sst))
    cell = written.split('"')[1]
    assert (refused.reason, refused.details) == (
        "past-columns",
        {
            "cell": cell,
            "line": 3,
            "column": cell[:-1],
            "value": value,
            "sheet": "Sheet1",
            "last": "CV",
        },
    )


def test_cells_past_the_last_column_read_holding_nothing_are_let_by():
    # Formatting only, an empty text, a text of spaces: what Excel leaves where a note was deleted.
    past = (
        '<c r="CW2" s="1"/><c r="CX2" t="inlineStr"><is><t></t></is></c>'
        '<c r="DA2" t="s"><v>0</v></c>'
    )
    cells = crafted_files.cell("A2", "012025") + crafted_files.cell("B2", "https://example.jp/")
    sheet = raw_sheet(f'{header_row()}<row r="2">{cells}{past}</row>')
    strings = f'<sst xmlns="{MAIN}"><si><t> </t></si></sst>'
    _header, rows = read_xlsx(workbook(sheet, shared_strings=strings), 100_000)
    assert rows == [("012025", "https://example.jp/", None)]
