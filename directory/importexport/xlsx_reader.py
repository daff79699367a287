"""Read an XLSX file's active sheet at a cost bounded by the file's real content, not its claims.

openpyxl trusts a workbook: it pads rows to the sheet's declared dimension, loads every shared
string, and builds each XML element it parses in memory. Before openpyxl opens anything, this
module checks the zip (members, unpacked size, compression ratio) and measures every XML part's
bytes (rows, cells, shared strings, elements openpyxl would hold, no DTD), then reads only the
header's columns up to the row limit. No Django here: a refusal carries a reason and figures that
the caller words for the user.
"""

import io
import re
import zipfile
from collections import deque
from datetime import date, time, timedelta
from xml.etree.ElementTree import ParseError

import olefile
import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import column_index_from_string, get_column_letter

MAX_MEMBERS = 1_000
MAX_UNPACKED = 64 * 2**20  # well above what a sheet at the row limit unpacks to
MAX_RATIO = 100  # well above how much Excel's parts deflate, far below a zip bomb's ratio
RATIO_FROM = 2**20  # smaller members may compress as they like: they cannot add up to much
MAX_CELLS = 1_000_000  # cells openpyxl parses one by one: ten columns at the row limit
MAX_STRINGS = 300_000  # shared strings openpyxl keeps in a list: three a row at the limit
MAX_UNIT_BYTES = 2**20  # one row or shared string, parsed by openpyxl as a whole
MAX_TREE_ELEMENTS = 200_000  # elements outside rows and strings, which openpyxl may keep
MAX_TAG_BYTES = 2**16  # one start tag: its attributes are held at once
MAX_COLUMNS = 100  # of the header; every row is read this wide

# Byte patterns: an element's start tag with any namespace prefix. XML has no unescaped "<" in
# text or attributes, so these find every element (and maybe a few in comments: counted too).
_NAME = rb"(?:[^\s<>/:=\"']+:)?"
ROW = re.compile(rb"<" + _NAME + rb"row(?=[\s/>])()")
ROW_END = re.compile(rb"</" + _NAME + rb"row\s*>")
CELL = re.compile(rb"<" + _NAME + rb"c(?=[\s/>])()")
STRING = re.compile(rb"<" + _NAME + rb"si(?=[\s/>])()")
STRING_END = re.compile(rb"</" + _NAME + rb"si\s*>")
ROOT = re.compile(rb"<(?![?!/])" + _NAME + rb"([^\s<>/:=\"']+)")
LONG_TAG = re.compile(rb"<[^<>]{%d}" % MAX_TAG_BYTES)
ROW_NUMBER = re.compile(rb"\sr\s*=\s*([\"'])([^\"']*)\1")
CELL_END = re.compile(rb"</" + _NAME + rb"c\s*>")
# What no XML, so no workbook, can hold: a control character (but tab and line breaks), as itself
# or as a reference (&#1;, &#x1;), which a program other than Excel may write into a cell (Excel
# writes _x0001_). Other characters XML cannot hold are far rarer: refused as damage in general.
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_REFERENCE = re.compile(
    rb"&#(?:0*([0-8]|1[124-9]|2[0-9]|3[01])|x0*([0-8bcefBCEF]|1[0-9a-fA-F]));"
)
# A formula with no result saved after it (no <v>, or an empty one) and the cell's start tag
# before it: what a program that does not calculate (openpyxl, some exports) writes. Group 1 is
# the empty <v> when there is one, which is a saved result only of a formula giving text ("").
_EMPTY_VALUE = rb"<" + _NAME + rb"v\s*(?:/>|>\s*</" + _NAME + rb"v\s*>)"
UNCACHED = re.compile(
    rb"<" + _NAME + rb"f(?=[\s/>])[^>]*?(?:/>|>[^<]*</" + _NAME + rb"f\s*>)\s*"
    rb"(?:(" + _EMPTY_VALUE + rb")|</" + _NAME + rb"c\s*>)"
)


def _columns_after(last):
    """A pattern of the column letters after `last` (two letters, as CV): the same first letter
    and a later second, a later first letter, or three letters."""
    first, second = last
    return "|".join(
        [f"{first}[{chr(ord(second) + 1)}-Z]"] * (second < "Z")
        + [f"[{chr(ord(first) + 1)}-Z][A-Z]"] * (first < "Z")
        + ["[A-Z]{3}"]
    ).encode()


# A cell's start tag in a column past the MAX_COLUMNS an import reads, and its row.
PAST_COLUMNS = re.compile(
    rb"<"
    + _NAME
    + rb"c\s(?:[^>]*?\s)?r\s*=\s*[\"']("
    + _columns_after(get_column_letter(MAX_COLUMNS))
    + rb")([0-9]+)[\"'][^>]*>"
)
VALUE = re.compile(rb"<" + _NAME + rb"v(?:\s[^>]*)?>([^<]*)<")
INLINE = re.compile(rb"<" + _NAME + rb"is[\s>].*?</" + _NAME + rb"is\s*>", re.DOTALL)
CELL_TYPE = re.compile(rb"\st\s*=\s*([\"'])([^\"']*)\1")
PHONETIC = re.compile(rb"<" + _NAME + rb"rPh[\s>].*?</" + _NAME + rb"rPh\s*>", re.DOTALL)
TAG = re.compile(rb"<[^>]*>")
REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));")
NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
DECLARED_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*[\"']([^\"']*)")
UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
# The streams of a workbook Excel encrypted with a password ([MS-OFFCRYPTO]).
ENCRYPTED = ("EncryptionInfo", "EncryptedPackage")


class XlsxRefused(ValueError):
    """A workbook refused before it could cost more than its size: `reason` and its figures."""

    def __init__(self, reason, **details):
        super().__init__(reason, details)
        self.reason = reason
        self.details = details


def encrypted(data):
    """Whether the bytes are a workbook Excel saved with a password: not a zip but an OLE
    compound file holding the encrypted one, where an old .xls holds a "Workbook" stream."""
    if not data.startswith(olefile.MAGIC):
        return False
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as compound:
            return all(compound.exists(name) for name in ENCRYPTED)
    except Exception:  # noqa: BLE001 - a compound file olefile cannot follow is no workbook either
        return False


def read_xlsx(data, max_rows, wanted=None):
    """The active sheet's header and data rows (values, trailing blank rows dropped); or, when
    `wanted(header)` says the active sheet's first row is no header of the import and exactly one
    other sheet's is, that sheet's (a workbook saved with its explanation sheet selected).

    Refuses, with `XlsxRefused`, a workbook over any bound above or with more than `max_rows`
    rows under the header.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        if data.startswith(b"PK\x03\x04"):
            # A zip's first part with no directory at its end: a workbook cut short.
            raise XlsxRefused("cut-short") from None
        if encrypted(data):
            raise XlsxRefused("password") from None
        # Every workbook is a zip: this is a CSV, a web page or an old .xls named .xlsx.
        raise XlsxRefused("not-xlsx") from None
    except (ValueError, OSError, EOFError) as error:
        raise XlsxRefused("unreadable", error=str(error)) from None
    with archive:
        _check_members(archive.infolist())
        kept = 0
        for info in archive.infolist():
            try:
                xml = archive.read(info)
            except Exception as error:  # noqa: BLE001 - a damaged member: the zip's own words
                raise XlsxRefused("unreadable", error=f"{info.filename}: {error}") from None
            kept += _survey(info.filename, xml, max_rows + 1)
            if kept > MAX_TREE_ELEMENTS:
                raise XlsxRefused("elements", part=info.filename, limit=MAX_TREE_ELEMENTS)
            del xml
    return _read_sheet(data, max_rows + 1, wanted)


def _check_members(members):
    if len(members) > MAX_MEMBERS:
        raise XlsxRefused("members", count=len(members), limit=MAX_MEMBERS)
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_UNPACKED:
        raise XlsxRefused("unpacked", size=unpacked, limit=MAX_UNPACKED)
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise XlsxRefused("ratio", part=info.filename, ratio=round(ratio), limit=MAX_RATIO)


def _elements(xml, start, end):
    """At most how many elements start between two offsets (every "<" but end tags)."""
    return xml.count(b"<", start, end) - xml.count(b"</", start, end)


def _survey(part, xml, max_lines):
    """Refuse a part that would make openpyxl hold or parse more than the bounds allow; return
    how many of its elements lie outside rows and shared strings, which openpyxl may keep."""
    if xml.startswith(UTF16_STARTS):
        # The byte patterns below read UTF-8; Excel writes nothing else.
        raise XlsxRefused("encoding", part=part)
    declared = DECLARED_ENCODING.match(xml)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        raise XlsxRefused("encoding", part=part)
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise XlsxRefused("dtd", part=part)
    if LONG_TAG.search(xml):
        raise XlsxRefused("tag", part=part, limit=MAX_TAG_BYTES)
    root = ROOT.search(xml)
    kind = root.group(1) if root else b""
    kept = _elements(xml, 0, len(xml))
    if kind == b"worksheet":
        rows = len(ROW.findall(xml))
        if rows > max_lines:
            raise XlsxRefused("rows", part=part, limit=max_lines - 1)
        cells = len(CELL.findall(xml))
        if cells > MAX_CELLS:
            raise XlsxRefused("cells", part=part, count=cells, limit=MAX_CELLS)
        line = 0
        for tag, start, end in _units(part, xml, ROW, ROW_END):
            kept -= _elements(xml, start, end)
            number = ROW_NUMBER.search(tag)
            line = _row_number(part, number.group(2)) if number else line + 1
            if line > max_lines:
                raise XlsxRefused("rows", part=part, limit=max_lines - 1)
    elif kind == b"sst":
        strings = len(STRING.findall(xml))
        if strings > MAX_STRINGS:
            raise XlsxRefused("strings", count=strings, limit=MAX_STRINGS)
        for _tag, start, end in _units(part, xml, STRING, STRING_END):
            kept -= _elements(xml, start, end)
    return kept


def _units(part, xml, start_pattern, end_pattern):
    """Each row (or shared string) as (start tag, start, end), no longer than MAX_UNIT_BYTES.

    The units never overlap: whatever lies outside them, where a unit's end is misjudged too, is
    counted among the elements openpyxl may keep, never missed.
    """
    position = 0
    for match in start_pattern.finditer(xml):
        start = match.start()
        if start < position:
            continue  # nested in the unit before, which was measured whole
        tag_end = xml.find(b">", start)
        tag = xml[start : tag_end + 1]
        if tag.endswith(b"/>"):
            end = tag_end + 1
        else:
            close = end_pattern.search(xml, tag_end)
            end = close.end() if close else len(xml)
        if end - start > MAX_UNIT_BYTES:
            raise XlsxRefused("unit", part=part, size=end - start, limit=MAX_UNIT_BYTES)
        yield tag, start, end
        position = end


def _row_number(part, text):
    """A row's r attribute as openpyxl reads it (a whole number, perhaps written as a float)."""
    try:
        number = float(text)
    except ValueError:
        raise XlsxRefused("unreadable", error=f"{part}: row number {text!r}") from None
    if not number.is_integer() or number < 1:
        raise XlsxRefused("unreadable", error=f"{part}: row number {text!r}")
    return int(number)


def _chosen_sheet(workbook, wanted):
    active = workbook.active
    if wanted is None or not hasattr(active, "reset_dimensions") or wanted(_first_row(active)):
        return active
    fitting = [s for s in workbook.worksheets if s is not active and wanted(_first_row(s))]
    return fitting[0] if len(fitting) == 1 else active


def _first_row(sheet):
    # The declared dimension is the attacker's to choose: read what is there instead.
    sheet.reset_dimensions()
    return next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())


def _read_sheet(data, max_lines, wanted):
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except (KeyError, OSError):
        # A zip without a workbook's parts (a Word file, an archive): openpyxl names a part.
        raise XlsxRefused("not-xlsx") from None
    except Exception as error:  # noqa: BLE001 - openpyxl's complaint is the user's message
        raise _unreadable(error, data) from None
    try:
        sheet = _chosen_sheet(workbook, wanted)
        if sheet is None or not hasattr(sheet, "reset_dimensions"):
            raise XlsxRefused("no-sheet")
        first = _first_row(sheet)
        width = max((i + 1 for i, value in enumerate(first) if not _blank(value)), default=0)
        if width > MAX_COLUMNS:
            raise XlsxRefused("columns", column=get_column_letter(width), limit=MAX_COLUMNS)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # The part openpyxl reads the sheet from (read-only mode keeps its path).
            xml = archive.read(sheet._worksheet_path)
        _refuse_uncached(xml, sheet)
        # openpyxl reads rows MAX_COLUMNS wide: a value past them would be lost without a word.
        _refuse_past_columns(xml, sheet)
        del xml
        if not width:
            return [], []
        rows, blanks = [], 0
        # Past the header's last column too: a note typed beside the table is data the import
        # must name (a column with no header), never drop.
        rows_read = sheet.iter_rows(
            min_row=2, max_row=max_lines, max_col=MAX_COLUMNS, values_only=True
        )
        for row in rows_read:
            filled = max((i + 1 for i, value in enumerate(row) if not _blank(value)), default=0)
            if not filled:
                blanks += 1  # kept only if a row follows, so that line numbers stay right
                continue
            rows.extend([()] * blanks)
            blanks = 0
            rows.append(row[: max(filled, width)])
            width = max(width, filled)
        return list(_padded(first[:width], width)), [_padded(row, width) for row in rows]
    except XlsxRefused:
        raise
    except Exception as error:  # noqa: BLE001 - as above
        raise _unreadable(error, data) from None
    finally:
        workbook.close()


def _refuse_uncached(xml, sheet):
    """Refuse a sheet with a formula whose result the file does not keep: read (data_only), the
    cell is empty, and what staff see in it would be lost without a word."""
    for match in UNCACHED.finditer(xml):
        # The formula is a cell's first element: the tag before it is the cell's.
        tag = xml[xml.rfind(b"<", 0, match.start()) : match.start()]
        kind = CELL_TYPE.search(tag)
        if match[1] and kind and kind[2] == b"str":
            continue  # a formula giving "", saved as such
        reference = ROW_NUMBER.search(tag)
        cell = reference[2].decode("ascii", "replace") if reference else "?"
        raise XlsxRefused("formula", cell=cell, sheet=sheet.title)


def _refuse_past_columns(xml, sheet):
    """Refuse a sheet with a value in a cell past column MAX_COLUMNS, naming the first."""
    for match in PAST_COLUMNS.finditer(xml):
        letters, row = match[1].decode(), int(match[2])
        if match[0].endswith(b"/>"):
            continue  # a cell with only formatting
        end = CELL_END.search(xml, match.end())
        value = _value(match[0], xml[match.end() : end.start() if end else len(xml)], sheet)
        if not _blank(value):
            # A number formatted as a date (or time) is quoted as openpyxl reads it, as a note
            # inside the columns is: the date staff see, not the serial number the XML holds.
            column = column_index_from_string(letters)
            read = next(
                sheet.iter_rows(
                    min_row=row, max_row=row, min_col=column, max_col=column, values_only=True
                )
            )[0]
            value = read if isinstance(read, (date, time, timedelta)) else value
            raise XlsxRefused(
                "past-columns",
                cell=f"{letters}{row}",
                line=row,
                column=letters,
                value=value,
                sheet=sheet.title,
                last=get_column_letter(MAX_COLUMNS),
            )


def _value(tag, content, sheet):
    """A cell's value as text, from its XML: its own text, its shared text or what <v> holds."""
    kind = CELL_TYPE.search(tag)
    kind = kind[2] if kind else b"n"
    if kind == b"inlineStr":
        inline = INLINE.search(content)
        return _text(inline[0]) if inline else None
    value = VALUE.search(content)
    if value is None:
        return None
    text = _text(value[1])
    if kind == b"s":
        try:
            # The texts openpyxl read for the sheet (read-only mode keeps them there).
            return str(sheet._shared_strings[int(text)])
        except (ValueError, IndexError):
            return text
    return text


def _unreadable(error, data):
    # openpyxl rewords a parser's error as its own ValueError; defusedxml's refusal is the cause.
    if isinstance(error, DefusedXmlException) or isinstance(error.__cause__, DefusedXmlException):
        return XlsxRefused("dtd")
    if isinstance(error, ParseError) or isinstance(error.__cause__, ParseError):
        # The parser's words (in English, by line and column of a part) tell staff nothing.
        return _damaged(data)
    return XlsxRefused("unreadable", error=str(error) or type(error).__name__)


def _damaged(data):
    """The refusal of a workbook whose XML openpyxl could not parse: where it holds a control
    character, if it does (the cell, or the text, holding it), else as damaged."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            xml = archive.read(info)
            found = [m for m in (CONTROL.search(xml), CONTROL_REFERENCE.search(xml)) if m]
            if not found:
                continue
            match = min(found, key=lambda m: m.start())
            if match.re is CONTROL:
                code = ord(match[0])
            else:
                code = int(match[1]) if match[1] else int(match[2], 16)
            details = {"part": info.filename, "character": f"U+{code:04X}"}
            root = ROOT.search(xml)
            kind = root.group(1) if root else b""
            held = None
            if kind == b"worksheet":
                held = _holding(xml, match.start(), CELL, CELL_END)
            elif kind == b"sst":
                held = _holding(xml, match.start(), STRING, STRING_END)
            if held is None:
                return XlsxRefused("character", **details)
            tag, content = held
            details["value"] = _text(content)
            if kind == b"sst":
                return XlsxRefused("character-text", **details)
            reference = ROW_NUMBER.search(tag)  # a cell's r attribute, as a row's
            if reference is None:
                return XlsxRefused("character-text", **details)
            cell = reference.group(2).decode("ascii", "replace")
            return XlsxRefused("character-cell", cell=cell, **details)
    return XlsxRefused("damaged")


def _holding(xml, position, start_pattern, end_pattern):
    """(start tag, content) of the element of `start_pattern` around `position`, or None."""
    last = deque(start_pattern.finditer(xml, 0, position), maxlen=1)
    if not last:
        return None
    start = last[0].start()
    tag_end = xml.find(b">", start)
    if tag_end < 0 or tag_end > position or xml[tag_end - 1 : tag_end] == b"/":
        return None
    end = end_pattern.search(xml, tag_end)
    if end is None or end.start() < position:
        return None
    return xml[start : tag_end + 1], xml[tag_end + 1 : end.start()]


def _text(content):
    """The text of a cell's or shared string's XML, its control characters as themselves; a
    shared string's reading (furigana) left out."""
    text = TAG.sub(b"", PHONETIC.sub(b"", content)).decode("utf-8", "replace")
    return REFERENCE.sub(_character, text)


def _character(match):
    hexadecimal, decimal, name = match.groups()
    if name:
        return NAMED[name]
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    # A reference to no character, or to half of one, kept as written: it could not be shown.
    return match[0] if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)


def _padded(cells, width):
    return tuple(cells) + (None,) * (width - len(cells))


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())
