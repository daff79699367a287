"""Builders of hostile and ordinary import files, byte by byte: for tests/test_import_limits.py and
bench/import_limits.py. Each returns (file name, bytes); the workbooks are zips written here.
"""

import io
import random
import struct
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


# An OLE compound file ([MS-CFB], version 3): what Excel saves instead of a zip for a workbook
# encrypted with a password, and for an old .xls.
CFB_SECTOR = 512
CFB_MINI_SECTOR = 64
CFB_MINI_CUTOFF = 4096  # streams smaller than this are kept in the mini stream
NO_ENTRY = FREE_SECTOR = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE
FAT_SECTOR = 0xFFFFFFFD
ROOT, STORAGE, STREAM = 5, 1, 2


def _chain(fat, start, count):
    """Link `count` sectors from `start` in a FAT (or mini FAT) list; return `start`."""
    for number in range(start, start + count):
        fat[number] = number + 1 if number + 1 < start + count else END_OF_CHAIN
    return start if count else END_OF_CHAIN


def _sectors(size, sector=CFB_SECTOR):
    return -(-size // sector)


def compound_file(entries, directory_last=True):
    """A compound file of directory `entries`, each (name, type, left, right, child, content):
    siblings and child by their index, content the stream's bytes (None for a storage). The first
    directory sector comes after the FAT; with `directory_last`, the others after the streams, so
    a reader must follow the directory's chain through the FAT to see every name."""
    mini_fat, mini_stream, starts = [], b"", {}
    for index, (_name, kind, *_links, content) in enumerate(entries):
        if kind == STREAM and len(content) < CFB_MINI_CUTOFF:
            count = _sectors(len(content), CFB_MINI_SECTOR)
            mini_fat += [FREE_SECTOR] * count
            starts[index] = _chain(mini_fat, len(mini_stream) // CFB_MINI_SECTOR, count)
            mini_stream += content.ljust(count * CFB_MINI_SECTOR, b"\0")
    big = [i for i, entry in enumerate(entries) if entry[1] == STREAM and i not in starts]
    directory = [_sectors(len(entries) * 128)]
    regions = {  # in the order of the file, after the FAT
        "directory": 1,
        "mini FAT": _sectors(len(mini_fat) * 4),
        "mini stream": _sectors(len(mini_stream)),
        **{i: _sectors(len(entries[i][-1])) for i in big},
        "directory, the rest": directory[0] - 1,
    }
    if not directory_last:
        regions["directory"], regions["directory, the rest"] = directory[0], 0
    fat_sectors = 1
    while fat_sectors * CFB_SECTOR // 4 < fat_sectors + sum(regions.values()):
        fat_sectors += 1
    fat = [FAT_SECTOR] * fat_sectors
    begins = {}
    for region, count in regions.items():
        fat += [FREE_SECTOR] * count
        begins[region] = _chain(fat, len(fat) - count, count)
    if regions["directory, the rest"]:
        fat[begins["directory"]] = begins["directory, the rest"]
    fat += [FREE_SECTOR] * (-len(fat) % (CFB_SECTOR // 4))

    def entry(index, name, kind, left, right, child, content):
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        if kind == ROOT:
            start, size = begins["mini stream"], len(mini_stream)
        elif kind == STREAM:
            start, size = starts.get(index, begins.get(index)), len(content)
        else:
            start, size = 0, 0
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, left, right, child)
            + bytes(36)  # class, state and times: none
            + struct.pack("<IQ", start, size)
        )

    listed = [entry(i, *e) for i, e in enumerate(entries)]
    listed += [b"\0" * 64 + struct.pack("<HBB3I", 0, 0, 0, *[NO_ENTRY] * 3) + bytes(52)] * (
        -len(listed) % (CFB_SECTOR // 128)
    )
    table = b"".join(listed)
    first_fat = list(range(fat_sectors)) + [FREE_SECTOR] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<5H6x", 0x3E, 3, 0xFFFE, 9, 6)
        + struct.pack("<3I", 0, fat_sectors, begins["directory"])
        + struct.pack("<4I", 0, CFB_MINI_CUTOFF, begins["mini FAT"], regions["mini FAT"])
        + struct.pack("<2I", END_OF_CHAIN, 0)
        + struct.pack("<109I", *first_fat)
    )
    body = {
        "directory": table[:CFB_SECTOR] if directory_last else table,
        "mini FAT": b"".join(struct.pack("<I", n) for n in mini_fat),
        "mini stream": mini_stream,
        **{i: entries[i][-1] for i in big},
        "directory, the rest": table[CFB_SECTOR:] if directory_last else b"",
    }
    parts = [struct.pack(f"<{len(fat)}I", *fat)]
    parts += [body[region].ljust(count * CFB_SECTOR, b"\0") for region, count in regions.items()]
    return header + b"".join(parts)


def _data_spaces_version():
    """The \\x06DataSpaces storage's Version stream ([MS-OFFCRYPTO] 2.1.5)."""
    feature = "Microsoft.Container.DataSpaces".encode("utf-16-le")
    return struct.pack("<I", len(feature)) + feature + struct.pack("<6H", 0, 1, 0, 1, 0, 1)


def encrypted_workbook(package_size=8_384):
    """A workbook Excel encrypted with a password (ファイル > 情報 > ブックの保護 > パスワードを
    使用して暗号化): its directory as Excel writes it, the encrypted zip `package_size` bytes of
    noise. The names EncryptionInfo and EncryptedPackage are in its directory's third sector."""
    noise = random.Random(package_size).randbytes(package_size)
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns='
        b'"http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" '
        b'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining='
        b'"ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>'
    )
    # Excel's entries and tree, in Excel's order (the other streams' contents are left empty).
    entries = [
        ("Root Entry", ROOT, NO_ENTRY, NO_ENTRY, 10, None),
        (
            "EncryptedPackage",
            STREAM,
            NO_ENTRY,
            NO_ENTRY,
            NO_ENTRY,
            struct.pack("<Q", package_size) + noise,
        ),
        ("\x06DataSpaces", STORAGE, NO_ENTRY, NO_ENTRY, 4, None),
        ("Version", STREAM, NO_ENTRY, NO_ENTRY, NO_ENTRY, _data_spaces_version()),
        ("DataSpaceMap", STREAM, 3, 5, NO_ENTRY, bytes(112)),
        ("DataSpaceInfo", STORAGE, NO_ENTRY, 7, 6, None),
        ("StrongEncryptionDataSpace", STREAM, NO_ENTRY, NO_ENTRY, NO_ENTRY, bytes(64)),
        ("TransformInfo", STORAGE, NO_ENTRY, NO_ENTRY, 8, None),
        ("StrongEncryptionTransform", STORAGE, NO_ENTRY, NO_ENTRY, 9, None),
        ("\x06Primary", STREAM, NO_ENTRY, NO_ENTRY, NO_ENTRY, bytes(200)),
        ("EncryptionInfo", STREAM, 2, 1, NO_ENTRY, info),
    ]
    return "暗号化.xlsx", compound_file(entries)


def old_workbook():
    """An Excel 97-2003 workbook (.xls): a compound file with a Workbook stream (its records
    left empty), as Excel writes one."""
    entries = [
        ("Root Entry", ROOT, NO_ENTRY, NO_ENTRY, 1, None),
        ("Workbook", STREAM, NO_ENTRY, 2, NO_ENTRY, bytes(15_625)),
        ("\x05SummaryInformation", STREAM, NO_ENTRY, 3, NO_ENTRY, bytes(4_096)),
        ("\x05DocumentSummaryInformation", STREAM, NO_ENTRY, NO_ENTRY, NO_ENTRY, bytes(4_096)),
    ]
    return "古い形式.xls", compound_file(entries, directory_last=False)


HOSTILE = {
    "dimension-bomb": dimension_bomb,
    "wide-header": wide_header,
    "million-rows": million_rows,
    "many-shared-strings": many_shared_strings,
    "huge-shared-string": huge_shared_string,
    "entity-bomb": entity_bomb,
    "50MB-csv": big_csv,
}
