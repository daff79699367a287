"""Builders of hostile and ordinary import files, byte by byte: for tests/test_import_limits.py and
bench/import_limits.py. Each returns (file name, bytes); the workbooks are zips written here.
"""

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER = ("city", "url", "label")
HAKODATE = "012025"


def _content_types(parts):
    overrides = "".join(
        f'<Override PartName="/xl/{name}" ContentType="{TYPE}.{kind}+xml"/>' for name, kind in parts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )


def workbook(sheet, shared_strings=None, styles=None, level=9):
    """An XLSX file of one sheet (XML text, or a function writing it to a stream)."""
    parts = [("workbook.xml", "sheet.main"), ("worksheets/sheet1.xml", "worksheet")]
    relations = [("worksheet", "worksheets/sheet1.xml")]
    if shared_strings is not None:
        parts.append(("sharedStrings.xml", "sharedStrings"))
        relations.append(("sharedStrings", "sharedStrings.xml"))
    if styles is not None:
        parts.append(("styles.xml", "styles"))
        relations.append(("styles", "styles.xml"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _content_types(parts))
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets><sheet name="Sheet1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        links = "".join(
            f'<Relationship Id="rId{n}" Type="{DOC_RELS}/{kind}" Target="{target}"/>'
            for n, (kind, target) in enumerate(relations, start=1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{RELS}">{links}</Relationships>'
        )
        for name, content in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared_strings),
            ("xl/styles.xml", styles),
        ):
            if content is None:
                continue
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as stream:
                    content(stream)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def cell(reference, value):
    """A cell as Excel writes it: a number, or text kept in the cell."""
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def header_row():
    """Row 1 of a class-links sheet: city, url, label."""
    cells = "".join(cell(f"{chr(65 + i)}1", name) for i, name in enumerate(HEADER))
    return f'<row r="1">{cells}</row>'


def sheet_xml(rows, dimension=None, extra_cells=""):
    """A worksheet of rows of values; `extra_cells` is added to the first row."""
    body = []
    for number, values in enumerate(rows, start=1):
        cells = "".join(cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values))
        if number == 1:
            cells += extra_cells
        body.append(f'<row r="{number}">{cells}</row>')
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{head}<sheetData>{"".join(body)}</sheetData></worksheet>'


def class_link_rows(count, start=0):
    return [(HAKODATE, f"https://example.jp/crafted/{n}", f"教室 {n}") for n in range(start, count)]


def dimension_bomb():
    """The attack's file: two rows, but a declared size of every cell Excel has (A1:XFD1048576)."""
    rows = [HEADER, *class_link_rows(2)]
    return "dimension-bomb.xlsx", workbook(sheet_xml(rows, dimension="A1:XFD1048576"))


def wide_header():
    """The declared size made real: a header value in the last column, XFD1."""
    rows = [HEADER, *class_link_rows(2)]
    sheet = sheet_xml(rows, "A1:XFD3", extra_cells=cell("XFD1", "note"))
    return "wide-header.xlsx", workbook(sheet)


def million_rows(count=1_000_000):
    """A header and a million rows of one number: 37 MB of sheet packed into 2.4 MB."""

    def write(stream):
        stream.write(f'<worksheet xmlns="{MAIN}"><sheetData>{header_row()}'.encode())
        for start in range(2, count + 2, 10_000):
            end = min(start + 10_000, count + 2)
            stream.write(
                "".join(f'<row r="{n}"><c><v>1</v></c></row>' for n in range(start, end)).encode()
            )
        stream.write(b"</sheetData></worksheet>")

    return "million-rows.xlsx", workbook(write, level=6)


def many_shared_strings(count=1_000_000):
    """A shared-strings table of a million different texts, which openpyxl would load whole."""

    def write(stream):
        stream.write(f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode())
        for start in range(0, count, 10_000):
            chunk = "".join(f"<si><t>{n}</t></si>" for n in range(start, start + 10_000))
            stream.write(chunk.encode())
        stream.write(b"</sst>")

    sheet = sheet_xml([HEADER])
    return "many-strings.xlsx", workbook(sheet, shared_strings=write)


def huge_shared_string(megabytes=200):
    """One shared string of 200 MB of one letter: a zip bomb in the shared-strings table."""

    def write(stream):
        stream.write(f'<sst xmlns="{MAIN}"><si><t>'.encode())
        block = b"a" * 2**20
        for _ in range(megabytes):
            stream.write(block)
        stream.write(b"</t></si></sst>")

    return "huge-string.xlsx", workbook(sheet_xml([HEADER]), shared_strings=write)


def entity_bomb(levels=10):
    """Billion laughs in the shared strings: ten levels of ten, 10^10 letters if expanded."""
    entities = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, levels)
    ]
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{"".join(entities)}]>'
        f'<sst xmlns="{MAIN}"><si><t>&a{levels - 1};</t></si></sst>'
    )
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    return "entity-bomb.xlsx", workbook(sheet, shared_strings=strings)


def big_csv(megabytes=50):
    """A 50 MB CSV of valid-looking class links."""
    line = f"{HAKODATE},https://example.jp/crafted/big,教室\n".encode()
    header = (",".join(HEADER) + "\n").encode()
    return "big.csv", header + line * (megabytes * 2**20 // len(line))


EXCEL_STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="游ゴシック"/>'
    '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf/><xf numFmtId="49" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def excel_like(rows):
    """A workbook shaped as Excel saves one: shared strings, styles, spans, a true dimension."""
    strings = []
    body = []
    for number, values in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(values):
            reference = f"{chr(65 + column)}{number}"
            if isinstance(value, int):
                cells.append(f'<c r="{reference}"><v>{value}</v></c>')
            else:
                strings.append(value)
                # Codes such as 012025 are kept as text by the cell's "@" format (style 1).
                cells.append(f'<c r="{reference}" s="1" t="s"><v>{len(strings) - 1}</v></c>')
        body.append(f'<row r="{number}" spans="1:{len(values)}">{"".join(cells)}</row>')
    last = f"{chr(64 + max(len(r) for r in rows))}{len(rows)}"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="{MAIN}">'
        f'<dimension ref="A1:{last}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/>'
        '</sheetViews><sheetFormatPr defaultRowHeight="18.75"/><cols><col min="1" max="3" '
        f'width="20" customWidth="1"/></cols><sheetData>{"".join(body)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    )
    shared = (
        f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    )
    return "excel.xlsx", workbook(sheet, shared_strings=shared, styles=EXCEL_STYLES)


HOSTILE = {
    "dimension-bomb": dimension_bomb,
    "wide-header": wide_header,
    "million-rows": million_rows,
    "many-shared-strings": many_shared_strings,
    "huge-shared-string": huge_shared_string,
    "entity-bomb": entity_bomb,
    "50MB-csv": big_csv,
}
