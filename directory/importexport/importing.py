"""Read an uploaded file and import it, all or nothing: the one code path of the admin and commands.

`read_dataset` turns bytes into rows whatever the encoding Japanese offices save in, within the
size and row limits (`check_size`, settings.IMPORT_MAX_BYTES and IMPORT_MAX_ROWS); `run_import`
runs the resources (or, for the association's published table, `directory.sync`) and returns an
`ImportReport` with the counts, every changed field and every bad row with its line and column;
an applied import is recorded in the import log (`importlog`).
`stage` keeps an upload and its preview in the database until its uploader confirms it; the
confirm writes only the changes the preview showed (`ImportReport.digest`).
"""

import codecs
import csv
import hashlib
import io
import json
import re
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from functools import cached_property, partial
from pathlib import Path
from uuid import UUID

import charset_normalizer
import tablib
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _
from import_export.results import RowResult
from openpyxl.utils import get_column_letter

from ..models import ImportLog, ImportPreview, Prefecture, ProblemReport
from ..roles import edits_every_city
from ..validators import visible
from . import importlog, sync, xlsx_reader
from .cells import (
    LongCell,
    as_text,
    blank_row,
    csv_rows,
    quoted,
    read_as_meant,
    too_long_for_csv,
)
from .columns import (
    belongs_to,
    canonical_headers,
    filled_unnamed,
    header_rows,
    holds_a_header_of,
    read_columns,
    repeated_columns,
    unknown_headers,
)
from .published_table import (
    CITY,
    CLASSES,
    DEPARTMENT,
    PublishedTableError,
    PublishedTableErrors,
    header_delimiter,
    parse,
)
from .published_table import COLUMNS as PUBLISHED_COLUMNS
from .resources import RESOURCES, refuse_lost_text

FORMAT_NAMES = {
    "csv": "CSV",
    "tsv": "TSV",
    "xlsx": gettext_lazy("Excel (XLSX)"),
    "json": "JSON",
    "published": gettext_lazy(
        "The association's published table (core-cities.tsv, or saved as CSV)"
    ),
}
FORMATS = tuple(FORMAT_NAMES)
# What a spreadsheet would run as a formula; exports put a ' before these (and before a ').
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ISO-2022-JP switches character sets with these escapes; a UTF-8 or CP932 file never holds them.
JIS_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$(D", b"\x1b$(O", b"\x1b$(Q")
# UTF-16 and UTF-32 (UTF-32LE's mark begins as UTF-16LE's does).
WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
# Excel's "Unicode text" (Unicode テキスト) is UTF-16 with this mark, little-endian.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# The encodings `decoded` reads that hold every character: nothing was lost saving in them.
EVERY_CHARACTER = ("utf-8-sig", "utf-16")
# Without a mark, text with a NUL in one byte of 20 or more is taken as UTF-16 or UTF-32: even
# a header row of Japanese names has one in ten, and a stray NUL in a cell is far rarer.
WIDE_NUL_SHARE = 20
REPEATED_HEADER = gettext_lazy(
    "this line repeats the header row (line 1): delete it. A table pasted under another, or two "
    "files joined into one, bring their header row along."
)
NOT_UTF8 = gettext_lazy(
    "this holds bytes that are not UTF-8 text (shown as �), as text pasted in from a file saved "
    "in another encoding does. Type the text again, then save the file as “CSV UTF-8 (comma "
    "delimited)” and upload that."
)
SAVE_AS_CSV = gettext_lazy(
    "Open it in your spreadsheet, save it as “CSV UTF-8 (comma delimited)” and upload that."
)
# How much of a JSON file's line a refusal quotes on each side of where the parser stopped.
JSON_QUOTED = 20
# What the user is told of a workbook `xlsx_reader` refused, by its reason.
XLSX_REFUSALS = {
    # Damage (a part failing its checksum, XML openpyxl rejects): openpyxl's and the zip's words
    # are English, so they only follow, for whoever helps staff.
    "unreadable": gettext_lazy(
        "The workbook is damaged and could not be read. Open it in Excel (if Excel offers to "
        "repair it, accept), save it again and upload it. (%(error)s)"
    ),
    "cut-short": gettext_lazy(
        "The workbook is damaged: its end is missing, as when a download or a copy stops part "
        "way. Take the file again from where it came, or open it in Excel and save it again, "
        "and upload it."
    ),
    "not-xlsx": gettext_lazy(
        "The file is not an Excel workbook (XLSX). Open it in your spreadsheet, save it as "
        "“Excel Workbook (*.xlsx)” or “CSV UTF-8 (comma delimited)” and upload that."
    ),
    # Excel's menu as it names it, so that staff find the password to remove.
    "password": gettext_lazy(
        "The workbook is protected by a password, so it cannot be read. Open it in Excel, choose "
        "File > Info > Protect Workbook > Encrypt with Password, delete the password, click OK "
        "and save the workbook, then upload it again."
    ),
    "members": gettext_lazy(
        "The workbook is made of %(count)s files, more than the %(limit)s an import reads."
    ),
    "unpacked": gettext_lazy(
        "The workbook unpacks to %(size)s, more than the %(limit)s an import reads."
    ),
    "ratio": gettext_lazy(
        "Part %(part)s of the workbook unpacks to %(ratio)s times its packed size (at most "
        "%(limit)s): a spreadsheet is never packed that tightly, so it was not opened."
    ),
    "encoding": gettext_lazy(
        "Part %(part)s of the workbook is not in UTF-8, the only encoding Excel writes."
    ),
    "dtd": gettext_lazy(
        "The workbook holds an XML document type declaration (DTD), which Excel never writes "
        "and which can hide an entity bomb; it was not read."
    ),
    "tag": gettext_lazy(
        "Part %(part)s of the workbook has an XML tag longer than %(limit)s, which Excel never "
        "writes."
    ),
    "rows": gettext_lazy(
        "The workbook has rows past line %(last_line)s (%(part)s): an import takes at most "
        "%(limit)s rows under the header. Split the file, or delete the rows (even empty ones "
        "left formatted) below the data."
    ),
    "cells": gettext_lazy(
        "A sheet of the workbook (%(part)s) has %(count)s cells, more than the %(limit)s an "
        "import reads. Delete the columns and rows that are not to be imported."
    ),
    "strings": gettext_lazy(
        "The workbook holds %(count)s different texts, more than the %(limit)s an import reads."
    ),
    "unit": gettext_lazy(
        "A row or text of the workbook (%(part)s) takes %(size)s, more than the %(limit)s an "
        "import reads in one row."
    ),
    "elements": gettext_lazy(
        "The workbook holds more than %(limit)s pieces of formatting and other content outside "
        "its rows (%(part)s), more than an import reads."
    ),
    "columns": gettext_lazy(
        "The header row has a value in column %(column)s, but an import reads at most %(limit)s "
        "columns. Delete the columns after the data."
    ),
    "no-sheet": gettext_lazy("The workbook has no sheet of cells to read."),
    "past-columns": gettext_lazy(
        "Cell %(cell)s of the sheet “%(sheet)s” (line %(line)s, column %(column)s) holds "
        "“%(value)s”, but an import reads no column after %(last)s: move the value into the "
        "table, or delete it."
    ),
    "formula": gettext_lazy(
        "Cell %(cell)s of the sheet “%(sheet)s” holds a formula whose result is not saved in "
        "the file (a program other than Excel may save it so): read, the cell would be empty. "
        "Open the file in Excel, save it and upload it again, or type the value in place of "
        "the formula."
    ),
    "character-cell": gettext_lazy(
        "The workbook is damaged: cell %(cell)s of a sheet (%(part)s) holds “%(value)s”, with a "
        "character no spreadsheet can hold (%(character)s). Correct the cell where the file was "
        "made, save it again and upload it."
    ),
    "character-text": gettext_lazy(
        "The workbook is damaged: a text in it (%(part)s), “%(value)s”, holds a character no "
        "spreadsheet can hold (%(character)s). Correct the text where the file was made, save "
        "it again and upload it."
    ),
    "character": gettext_lazy(
        "The workbook is damaged: part %(part)s holds a character no spreadsheet can hold "
        "(%(character)s). Save the file again where it was made and upload it."
    ),
    "damaged": gettext_lazy(
        "The workbook is damaged: it holds XML no spreadsheet writes, so it was not read. Save "
        "the file again where it was made and upload it."
    ),
}


class ImportFileError(ValueError):
    """A file that cannot be read at all: wrong encoding, wrong format, no rows."""


class RemovalsNotConfirmed(ImportFileError):
    """A file that would remove records nobody confirmed removing; nothing is written. The admin
    and the commands each add how to confirm them."""

    def __init__(self, count):
        super().__init__(
            ngettext(
                "Nothing was imported: this file removes %(count)d record.",
                "Nothing was imported: this file removes %(count)d records.",
                count,
            )
            % {"count": count}
        )


class PreviewOutdated(ImportFileError):
    """A confirm that would write other changes than its preview showed; nothing is written."""

    def __init__(self):
        super().__init__(_("Nothing was imported: the directory has changed since the preview."))


class DamagedUtf8(ImportFileError):
    """A UTF-8 file with a few bytes that are not UTF-8 in it (text pasted in from a file in
    another encoding): refused naming the first such place, not as a file in no encoding."""

    def __init__(self, text):
        # Each byte that is not UTF-8 kept as a lone surrogate (surrogateescape), which no
        # decoded text holds, so the cell holding it is found for certain.
        self.text = text
        line = text[: _first_undecoded(text)].count("\n") + 1
        super().__init__(RowError(line, None, str(NOT_UTF8)).__str__())

    def in_cells(self, delimiter):
        """The refusal naming the line, column and cell where the first such byte is."""
        header = []
        try:
            for line, row in enumerate(
                csv.reader(io.StringIO(self.text, newline=""), delimiter=delimiter), 1
            ):
                header = header or row
                for position, cell in enumerate(row):
                    if _UNDECODED.search(cell):
                        column = _marked(_column_name(header, position))
                        return str(RowError(line, column, str(NOT_UTF8), _marked(cell)))
        except csv.Error:
            pass  # a cell longer than csv reads: the line alone is named
        return str(self)


# The bytes `DamagedUtf8` keeps as lone surrogates.
_UNDECODED = re.compile("[\udc80-\udcff]")


def _first_undecoded(text):
    found = _UNDECODED.search(text)
    return found.start() if found else len(text)


def _marked(text):
    """Text with each byte that is not UTF-8 shown as �, as editors show it."""
    return _UNDECODED.sub("\ufffd", text)


def refuse_unconfirmed_removals(count, confirmed):
    """Raise `RemovalsNotConfirmed` unless each of `count` removals is confirmed.

    The one rule, for the admin and the commands alike: any removal at all is confirmed, by
    number (`confirmed`; None for any number). A threshold would let through the likeliest
    mistake, a table cut short by a few rows (4 of 62 cities go with their desks and classes).
    """
    if count and confirmed is not None and count > confirmed:
        raise RemovalsNotConfirmed(count)


@dataclass
class RowError:
    """What is wrong with a file: where (line, column as the file names it), the value found
    there and the message, which says what is expected."""

    line: int | None
    column: str | None
    message: str
    value: str | None = None

    def __post_init__(self):
        # Shown to staff and printed to terminals: control characters written out, long cut.
        if self.value is not None:
            self.value = quoted(self.value)

    def __str__(self):
        where = []
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        if self.value not in (None, "") and self.value not in self.message:
            where.append(_("value “%(value)s”") % {"value": self.value})
        return f"{', '.join(where)}: {self.message}" if where else self.message


# What each action is called where people read it; the report keeps the plain words.
ACTIONS = {
    "new": gettext_lazy("new"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "deleted": gettext_lazy("deleted"),
}
# The actions of import-export's rows, by the report's words.
RESOURCE_ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_DELETE: "deleted",
}


@dataclass
class RowChange:
    """One record an import creates, updates or deletes, with its changed fields; the one
    change report of spreadsheet imports and of the published table alike."""

    line: int | None
    action: str  # "new", "updated", "unchanged" (only when staff edits were kept) or "deleted"
    key: str
    fields: list = field(default_factory=list)  # (column, old, new)
    kind: str = ""  # a key of `sync.MODELS` when a file writes several kinds
    # Fields staff changed since the last load of the published table:
    # (column, staff's value, the table's value, ISO date, who, kept).
    staff_edits: list = field(default_factory=list)

    @property
    def action_label(self):
        return ACTIONS.get(self.action, self.action)

    @property
    def kind_label(self):
        return sync.MODELS[self.kind]._meta.verbose_name

    @property
    def record(self):
        """The record as listed: its key, after its kind when the report holds several."""
        return f"{self.kind}: {self.key}" if self.kind else self.key

    def to_json(self):
        return {
            **vars(self),
            "fields": [[column, _plain(old), _plain(new)] for column, old, new in self.fields],
            "staff_edits": [[_plain(value) for value in edit] for edit in self.staff_edits],
        }

    @classmethod
    def from_json(cls, data):
        fields = [tuple(change) for change in data["fields"]]
        edits = [tuple(edit) for edit in data.get("staff_edits", [])]
        return cls(**{**data, "fields": fields, "staff_edits": edits})

    def lines(self):
        """The change as the commands print it: the record, then each field."""
        lines = [f"{self.action} {self.record}"]
        lines.extend(
            f"    {column}: {_shown(old)} -> {_shown(new)}" for column, old, new in self.fields
        )
        for column, staff, table, date, _user, kept in self.staff_edits:
            note = (
                _("changed by staff on %(date)s, kept (the table has %(table)s)")
                if kept
                else _("changed by staff on %(date)s, overwritten with %(table)s")
            )
            lines.append(
                f"    {column}: {_shown(staff)} " + note % {"date": date, "table": _shown(table)}
            )
        return lines


def _as_listed(change):
    """A change as its preview listed it, whether or not the staff edits it names are overwritten
    (overwritten, they are changed fields too, and a record with only those is "updated")."""
    data = change.to_json()
    edited = {edit[0] for edit in data["staff_edits"]}
    data["fields"] = [column for column in data["fields"] if column[0] not in edited]
    data["staff_edits"] = [edit[:-1] for edit in data["staff_edits"]]  # all kept, or none
    if data["action"] == "unchanged":
        data["action"] = "updated"
    return data


def _shown(value):
    return repr(str(value)) if value is not None else "(none)"


def _plain(value):
    """A changed value as JSON keeps it: a record (a prefecture, a department) by its name."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _counted(counts):
    text = _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged, %(deleted)d deleted")
    return text % counts


@dataclass
class ImportReport:
    kind: str
    file_name: str = ""
    counts: dict = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    removals_refused: bool = False  # nothing written: the file removes what was not confirmed
    outdated: bool = False  # nothing written: it would not write what the preview showed
    # The counts of each kind of record, when the file writes several (the published table).
    counts_by_kind: dict = field(default_factory=dict)
    log_id: int | None = None  # the import log's entry of an applied import
    # Problem reports about the cities a previewed file removes: they go with them, for good.
    lost_reports: int = 0

    @property
    def ok(self):
        return not self.errors

    def refusal(self):
        """Why nothing was imported: the line above the admin's table of the file's problems,
        and after the commands' list of them."""
        count = len(self.errors)
        return ngettext(
            "The file has %(count)d problem. Nothing was imported: correct it and import the "
            "file again.",
            "The file has %(count)d problems. Nothing was imported: correct them and import the "
            "file again.",
            count,
        ) % {"count": count}

    @property
    def removals(self):
        """How many records the file removes (rows marked delete, or left out of the table)."""
        return self.counts["deleted"]

    @property
    def staff_edits(self):
        """How many fields staff changed since the last load the table would change."""
        return sum(len(change.staff_edits) for change in self.changes)

    @property
    def kept(self):
        """How many of those are kept rather than overwritten."""
        return sum(1 for c in self.changes for edit in c.staff_edits if edit[-1])

    def digest(self):
        """A fingerprint of every record, field and value the report changes: the same for a
        confirm as for its preview unless the directory changed in between."""
        listed = json.dumps([_as_listed(change) for change in self.changes], sort_keys=True)
        return hashlib.sha256(listed.encode()).hexdigest()

    def tally(self, action, kind):
        self.counts[action] += 1
        self.counts_by_kind.setdefault(kind, dict.fromkeys(ACTIONS, 0))[action] += 1

    def to_json(self):
        """The report as JSON keeps it, to be made again by `from_json` on any web worker."""
        return {
            **vars(self),
            "changes": [change.to_json() for change in self.changes],
            "errors": [asdict(error) for error in self.errors],
        }

    @classmethod
    def from_json(cls, data):
        changes = [RowChange.from_json(change) for change in data["changes"]]
        errors = [RowError(**error) for error in data["errors"]]
        return cls(**{**data, "changes": changes, "errors": errors})

    def summary(self):
        """One line, the same in the admin's preview and the command's output."""
        counts = self._counts()
        if self.ok:
            return counts
        # A refused file's counts are only its good rows': read alone, "1 new" says a row went in.
        if not any(self.counts.values()) and not self.staff_edits:
            return _("Nothing was imported.")
        return _(
            "Nothing was imported. Not written until the file's problems are corrected: %(counts)s"
        ) % {"counts": counts}

    def _counts(self):
        """The counts of each action, and of the staff edits the file overwrites or keeps."""
        counts = _counted(self.counts)
        overwritten = self.staff_edits - self.kept
        # The counts inside each message: a language joins the parts its own way (、in Japanese).
        if overwritten:
            return ngettext(
                "%(counts)s, %(count)d staff edit overwritten",
                "%(counts)s, %(count)d staff edits overwritten",
                overwritten,
            ) % {"counts": counts, "count": overwritten}
        if self.kept:
            return ngettext(
                "%(counts)s, %(count)d staff edit kept",
                "%(counts)s, %(count)d staff edits kept",
                self.kept,
            ) % {"counts": counts, "count": self.kept}
        return counts

    def lines(self):
        """Every change, field by field, the counts of each kind of record (when the file writes
        several), the summary, then whether it was written: what the commands print."""
        lines = [line for change in self.changes for line in change.lines()]
        for kind, counts in self.counts_by_kind.items():
            lines.append(f"{sync.MODELS[kind]._meta.verbose_name_plural}: {_counted(counts)}")
        lines.append(self.summary())
        if self.applied:
            lines.append(_("Recorded as import #%(id)s.") % {"id": self.log_id})
        elif self.ok:
            lines.append(_("Dry run: nothing was written."))
        return lines


def check_size(size):
    """Refuse a file of more than settings.IMPORT_MAX_BYTES, told by its size before it is read."""
    limit = settings.IMPORT_MAX_BYTES
    if size <= limit:
        return
    shown, most = filesizeformat(size), filesizeformat(limit)
    if shown == most:
        shown = _("%(count)s bytes") % {"count": f"{size:,}"}
        most = _("%(count)s bytes") % {"count": f"{limit:,}"}
    raise ImportFileError(
        _(
            "The file is %(size)s; an import takes files of up to %(limit)s. Split it into "
            "smaller files and import each."
        )
        % {"size": shown, "limit": most}
    )


def too_many_rows(line=None):
    """The refusal of a file with more than settings.IMPORT_MAX_ROWS rows under its header."""
    message = _(
        "The file has more than %(limit)s rows under the header, the most an import takes. "
        "Split it into smaller files and import each."
    ) % {"limit": f"{settings.IMPORT_MAX_ROWS:,}"}
    if line:
        return ImportFileError(
            _("line %(line)s: %(message)s") % {"line": f"{line:,}", "message": message}
        )
    return ImportFileError(message)


def decode(data):
    """Text of a file saved as UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
    "Unicode text"), CP932 or ISO-2022-JP.

    EUC-JP and other encodings are refused by name: never guessed into mojibake.
    """
    return decoded(data)[0]


def decoded(data):
    """`decode`'s text and the encoding it was read in (utf-8-sig, utf-16, cp932 or an
    ISO-2022-JP)."""
    if data.isascii() and any(escape in data for escape in JIS_ESCAPES):
        # The escapes say which character sets are used, so a strict decoding is the text itself.
        found = _decodes(data, "iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004")
        if found is None:
            raise ImportFileError(
                _(
                    "The file is in ISO-2022-JP (JIS) but holds characters that encoding cannot "
                    "carry, such as ① written by Windows. %(advice)s"
                )
                % {"advice": SAVE_AS_CSV}
            )
        return found
    if data.startswith(UTF16_BOMS) and not data.startswith(codecs.BOM_UTF32_LE):
        return _utf16(data), "utf-16"
    if _wide(data):
        raise _unreadable(data)
    # A NUL left in a cell is kept: the cell's check names its line and column.
    found = _decodes(data, "utf-8-sig")
    if found is not None:
        return found
    # EUC-JP text often decodes as CP932 too, into half-width kana: it must be caught first.
    # CP932 Japanese (kana, most kanji) never decodes as EUC-JP, whose bytes start at 0xA1.
    if _decodes(data, "euc_jp", "euc_jis_2004"):
        raise ImportFileError(
            _("The file is in EUC-JP, which an import does not read. %(advice)s")
            % {"advice": SAVE_AS_CSV}
        )
    found = _decodes(data, "cp932")
    if found is not None:
        return found
    text = data.decode("utf-8-sig", errors="surrogateescape")
    undecoded = len(_UNDECODED.findall(text))
    # UTF-8 but in a few places: as many of its other characters past ASCII decode as not.
    if undecoded <= max(3, sum(1 for c in text if c > "\x7f") - undecoded):
        raise DamagedUtf8(text)
    raise _unreadable(data)


def _utf16(data):
    """The text of a file marked as UTF-16, as Excel's "Unicode text" saves it; a file cut
    short, or not text behind its mark, is refused naming what is wrong."""
    if len(data) % 2:
        raise ImportFileError(
            _(
                "The file starts as UTF-16 text (Excel's “Unicode text”) does, but its size, "
                "%(size)s bytes, is an odd number: it was cut short, or is not text. %(advice)s"
            )
            % {"size": f"{len(data):,}", "advice": SAVE_AS_CSV}
        )
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        # A half of a character beyond the BMP without its other half.
        raise ImportFileError(
            _(
                "The file starts as UTF-16 text (Excel's “Unicode text”) does, but holds bytes "
                "that are not UTF-16: it is damaged, or is not text. %(advice)s"
            )
            % {"advice": SAVE_AS_CSV}
        ) from None
    nuls = text.count("\x00")
    # As in `_wide`: a stray NUL is left to the cell's check, which names its line and column.
    if nuls and nuls * WIDE_NUL_SHARE >= len(text):
        raise ImportFileError(
            _(
                "The file starts as UTF-16 text (Excel's “Unicode text”) does, but %(count)s of "
                "its %(total)s characters are NUL (U+0000), which text never holds: it is not "
                "a spreadsheet saved as text. %(advice)s"
            )
            % {"count": f"{nuls:,}", "total": f"{len(text):,}", "advice": SAVE_AS_CSV}
        )
    return text


def _wide(data):
    """Whether the bytes are UTF-16 or UTF-32 text: a byte-order mark, or a NUL beside each ASCII
    character (commas, line ends, codes), where UTF-8 or CP932 has at most a stray one."""
    nuls = data.count(b"\x00")
    return data.startswith(WIDE_BOMS) or (nuls > 0 and nuls * WIDE_NUL_SHARE >= len(data))


def _unreadable(data):
    """The refusal of a file in an encoding an import does not read, naming the likeliest one."""
    guess = charset_normalizer.from_bytes(data).best()
    seen = (
        _(" (it looks like %(encoding)s)") % {"encoding": guess.encoding}
        if guess is not None and guess.encoding
        else ""
    )
    return ImportFileError(
        _(
            "The file is not UTF-8, Shift_JIS (CP932) or Excel's “Unicode text” (UTF-16) "
            "text%(seen)s. %(advice)s"
        )
        % {"seen": seen, "advice": SAVE_AS_CSV}
    )


def _decodes(data, *encodings):
    """The text in the first of the encodings that decodes every byte, and that encoding; else
    None."""
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def guess_format(file_name, data):
    """The format a file's name and first line say it is in."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension in ("xlsx", "json"):
        return extension
    if extension in ("csv", "tsv", "txt", "tab"):
        # The published table as published, or as a spreadsheet saves it after staff corrected
        # a cell.
        try:
            text = decode(data)
        except DamagedUtf8 as damaged:
            # Refused once read in the format told here, naming the cell.
            text = damaged.text
        if header_delimiter(text):
            return "published"
        return "csv" if extension == "csv" else "tsv"
    raise ImportFileError(
        _("Cannot tell the format of %(name)s: choose CSV, TSV, XLSX or JSON.")
        % {"name": file_name or _("the file")}
    )


def unescape(value):
    """Undo the ' an export put before a cell a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in ("'", *FORMULA_STARTS):
        return value[1:]
    return value


def read_dataset(data, fmt, kind=None):
    """Rows of a CSV, TSV, XLSX or JSON file as a tablib Dataset with its header; a workbook's
    sheet holding the headers of `kind`'s import when it is not the active one.

    A file with more than settings.IMPORT_MAX_ROWS rows is refused, read no further than that.
    """
    return _read(data, fmt, kind)[0]


def _read(data, fmt, kind):
    """`read_dataset`'s rows and the encoding of their text (None for a workbook's)."""
    max_rows = settings.IMPORT_MAX_ROWS
    encoding = None
    try:
        if fmt == "xlsx":
            wanted = partial(holds_a_header_of, kind) if kind else None
            headers, rows = xlsx_reader.read_xlsx(data, max_rows, wanted)
            dataset = tablib.Dataset(*rows, headers=headers) if headers else tablib.Dataset()
        elif fmt == "json":
            text, encoding = decoded(data)
            try:
                records = json.loads(text, object_hook=_counting_objects(max_rows))
            except json.JSONDecodeError as error:
                if text.strip():
                    raise ImportFileError(invalid_json(error)) from None
                records = []  # an empty file, or one of spaces: no rows
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise ImportFileError(_("A JSON file must hold a list of objects."))
            headers = _within_columns(
                list(dict.fromkeys(key for record in records for key in record))
            )
            dataset = tablib.Dataset(headers=headers)
            for record in records:
                dataset.append([record.get(header) for header in headers])
        else:
            try:
                text, encoding = decoded(data)
            except DamagedUtf8 as damaged:
                raise ImportFileError(damaged.in_cells(delimiter(damaged.text, fmt))) from None
            if encoding == "utf-8-sig" and data.isascii():
                # Excel's Shift_JIS CSV of a sheet with no Japanese left is ASCII alone, "?"
                # standing for what it lacked; exports, and Excel's "CSV UTF-8", start with a BOM.
                encoding = "cp932"
            dataset = _read_delimited(text, delimiter(text, fmt), max_rows)
    except ImportFileError:
        raise
    except xlsx_reader.XlsxRefused as refusal:
        raise ImportFileError(_xlsx_message(refusal)) from None
    except Exception as error:  # noqa: BLE001 - a parser's complaint becomes the user's message
        raise ImportFileError(
            _("The file could not be read as %(format)s: %(error)s")
            % {"format": FORMAT_NAMES[fmt], "error": error}
        ) from None
    if dataset.headers:
        # Compared without case by `columns.canonical_headers`; kept as written to name columns.
        dataset.headers = [as_text(h).strip() for h in dataset.headers]
    if fmt != "json":
        for index, row in enumerate(dataset):
            if any(isinstance(cell, str) and cell[:1] == "'" for cell in row):
                dataset[index] = [unescape(cell) for cell in row]
    if not dataset.headers or not len(dataset):
        raise ImportFileError(_("The file has no rows under a header."))
    return dataset, encoding


def delimiter(text, fmt):
    """The cells' separator: a comma in CSV, a tab in TSV; but the other where the header line
    holds only it. Excel's "Unicode text" is tab-separated whatever format staff chose for it."""
    header = text.partition("\n")[0]
    if "\t" in header and "," not in header:
        return "\t"
    if "," in header and "\t" not in header:
        return ","
    return "," if fmt == "csv" else "\t"


def _delimited_rows(text, delimiter):
    """(line, cells) of each row; a cell longer than csv reads is refused naming its line,
    column and start."""
    header = []
    try:
        for line, _first, row in csv_rows(text, delimiter):
            header = header if line > 1 else row
            yield line, row
    except LongCell as long:
        column = _column_name(header, long.position)
        message = too_long_for_csv()
        raise ImportFileError(str(RowError(long.number, column, message, long.start))) from None


def _column_name(header, position):
    """A column as a message names it: by its header, or by its letter where it has none."""
    named = header[position].strip() if position < len(header) else ""
    return named or get_column_letter(position + 1)


def _read_delimited(text, delimiter, max_rows):
    rows = _delimited_rows(text, delimiter)
    _line, header = next(rows, (1, None))
    if header is None:
        return tablib.Dataset()
    width = len(_within_columns(header))
    # Only trailing blank rows go: dropping others would shift the line numbers in messages
    # (`_run_resource` skips them by line).
    # Blank rows are counted, not kept, until a row with data follows them.
    kept, blanks = [], 0
    for line, row in rows:
        filled = max((i + 1 for i, cell in enumerate(row) if cell.strip()), default=0)
        if not filled:
            blanks += 1
            continue
        if line - 1 > max_rows:
            raise too_many_rows(line)
        if filled > xlsx_reader.MAX_COLUMNS:
            # Past any column an import reads: named at once, by column and value.
            raise ImportFileError(str(RowError(line, None, past_last_column(filled, row))))
        kept.extend([[]] * blanks)
        blanks = 0
        # A note typed beside the table is kept as a workbook's is: a column with no header,
        # which `header_errors` names with every row it fills.
        kept.append(row[: max(filled, width)])
        width = max(width, filled)
    if not kept and not any(cell.strip() for cell in header):
        return tablib.Dataset()
    dataset = tablib.Dataset(headers=header + [""] * (width - len(header)))
    for row in kept:
        dataset.append(row + [""] * (width - len(row)))
    return dataset


def _within_columns(headers):
    """The headers, refused when there are more than an import reads (as a workbook's are):
    each is compared, checked and may be named in a message."""
    if len(headers) > xlsx_reader.MAX_COLUMNS:
        raise ImportFileError(
            _(
                "The header names %(count)s columns, but an import reads at most %(limit)s. "
                "Delete the columns that are not to be imported."
            )
            % {"count": len(headers), "limit": xlsx_reader.MAX_COLUMNS}
        )
    return headers


def _counting_objects(max_rows):
    """A json object_hook that stops a file with more objects than rows allowed, as it parses."""
    count = 0

    def hook(record):
        nonlocal count
        count += 1
        if count > max_rows:
            raise too_many_rows()
        return record

    return hook


def _xlsx_message(refusal):
    details = dict(refusal.details)
    for name in ("size", "limit"):
        if refusal.reason in ("unpacked", "unit", "tag") and name in details:
            details[name] = filesizeformat(details[name])
    for name, value in details.items():
        if isinstance(value, int):
            details[name] = f"{value:,}"
    if refusal.reason == "rows":
        details["last_line"] = f"{refusal.details['limit'] + 1:,}"
    if "value" in details:
        # Its control characters written out, as every refusal quotes a value.
        details["value"] = quoted(details["value"])
    return str(XLSX_REFUSALS[refusal.reason] % details)


def run_import(
    kind,
    data,
    fmt,
    user=None,
    dry_run=True,
    file_name="",
    confirmed_removals=0,
    overwrite_staff_edits=False,
    via=ImportLog.Via.ADMIN,
    previewed=None,
):
    """Import a file's bytes all or nothing, or (dry_run) only say what would change.

    A file that removes more records than `confirmed_removals` (None: any number) writes nothing,
    as does one whose changes' digest is not `previewed` (the admin's preview), when given.
    An applied import is recorded in the import log, in the same transaction.
    """
    report = ImportReport(kind, file_name)
    try:
        check_size(len(data))
        # The import log's entry of an import that writes (none for a preview).
        log_kind = ImportLog.Kind.PUBLISHED if fmt == "published" else kind
        logged = nullcontext() if dry_run else importlog.recording(log_kind, user, file_name, via)
        # Rows marked delete are counted only as they go: the whole import is undone if too many.
        with transaction.atomic(), logged as log:
            # What the history of each record the import changes says of it: its log entry.
            reason = log.reason if log is not None else ""
            if fmt == "published":
                if kind != "cities":
                    raise ImportFileError(wrong_import("cities", published=True))
                _run_published(report, data, user, dry_run, reason, overwrite_staff_edits)
            else:
                dataset, encoding = _read(data, fmt, kind)
                _run_resource(report, kind, dataset, fmt, user, dry_run, reason, encoding)
            if not dry_run and report.ok:
                if previewed is not None and report.digest() != previewed:
                    raise PreviewOutdated
                refuse_unconfirmed_removals(report.removals, confirmed_removals)
            if log is not None:
                if report.ok:
                    counts = report.counts
                    importlog.finish(
                        log, counts["new"], counts["updated"], counts["deleted"], report.kept
                    )
                    report.log_id = log.pk
                else:
                    # Nothing was written; neither is the entry.
                    transaction.set_rollback(True)
    except ImportFileError as error:
        report.errors.append(RowError(None, None, str(error)))
        report.removals_refused = isinstance(error, RemovalsNotConfirmed)
        report.outdated = isinstance(error, PreviewOutdated)
    report.applied = not dry_run and report.ok
    return report


def import_path(kind, path, fmt=None, **options):
    """`run_import` of the file at `path` for the commands, refused by its size before it is read
    (as an upload is); a file that cannot be read raises `ImportFileError`."""
    path = Path(path)
    try:
        check_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{error.strerror}.") from None
    fmt = fmt or guess_format(path.name, data)
    return run_import(kind, data, fmt, file_name=path.name, via=ImportLog.Via.COMMAND, **options)


def wrong_import(kind, published=False):
    """The message for a file that belongs to the import of `kind`, not to the one it was given."""
    name = RESOURCES[kind]._meta.model._meta.verbose_name_plural
    if published:
        return _(
            "This file is the association's published table: it belongs to the import of "
            "%(name)s. Nothing was imported; upload it there."
        ) % {"name": name}
    return _(
        "This file's columns are those of the import of %(name)s: upload it there. Nothing was "
        "imported."
    ) % {"name": name}


def unknown_columns(kind, headers):
    """The message for a file whose header names columns the import of `kind` does not have."""
    name = RESOURCES[kind]._meta.model._meta.verbose_name_plural
    named = [_("“%(header)s”") % {"header": visible(str(header))} for header in headers]
    # Japanese lists its items with 、
    separator = pgettext("list separator", ", ")
    return ngettext(
        "the import of %(name)s has no column %(headers)s: correct the header, or delete the "
        "column. The columns it reads are: %(columns)s.",
        "the import of %(name)s has no columns %(headers)s: correct the headers, or delete the "
        "columns. The columns it reads are: %(columns)s.",
        len(headers),
    ) % {
        "name": name,
        "headers": separator.join(named),
        "columns": separator.join(read_columns(kind)),
    }


def repeated_column(column, headers):
    """The message for a column the header names more than once, by each of `headers`."""
    named = [_("“%(header)s”") % {"header": visible(str(header))} for header in headers]
    name = column.header(get_language())
    if len(named) == 2:
        return _("the column %(column)s is given twice (%(first)s and %(second)s): keep one.") % {
            "column": name,
            "first": named[0],
            "second": named[1],
        }
    return _("the column %(column)s is given %(count)s times (%(headers)s): keep one.") % {
        "column": name,
        "count": len(named),
        "headers": pgettext("list separator", ", ").join(named),
    }


def unnamed_column(position, index, cell, fmt, count=1):
    """The message for a column with no header whose row `index` (from 0) holds `cell`, the
    first of `count` rows it fills: each counted, so that none is found only at the next try."""
    value = quoted(cell)
    more = count - 1
    if fmt == "json":
        if more:
            return ngettext(
                "a key with no name holds data (“%(value)s” in object %(number)s, and in "
                "%(more)s more object): give it a name, or delete it.",
                "a key with no name holds data (“%(value)s” in object %(number)s, and in "
                "%(more)s more objects): give it a name, or delete it.",
                more,
            ) % {"value": value, "number": index + 1, "more": more}
        return _(
            "a key with no name holds data (“%(value)s” in object %(number)s): give it a name, "
            "or delete it."
        ) % {"value": value, "number": index + 1}
    values = {
        "number": position + 1,
        "letter": get_column_letter(position + 1),
        "value": value,
        "line": index + 2,
        "more": more,
    }
    if more:
        return (
            ngettext(
                "column %(number)s (%(letter)s) has no header but holds data (“%(value)s” on line "
                "%(line)s, and on %(more)s more line): give it a header, or delete the column.",
                "column %(number)s (%(letter)s) has no header but holds data (“%(value)s” on line "
                "%(line)s, and on %(more)s more lines): give it a header, or delete the column.",
                more,
            )
            % values
        )
    return (
        _(
            "column %(number)s (%(letter)s) has no header but holds data (“%(value)s” on line "
            "%(line)s): give it a header, or delete the column."
        )
        % values
    )


def invalid_json(error):
    """The message for a file json cannot parse (`json.JSONDecodeError`): the line and column
    where it went wrong, the text around them, and the parser's English words last."""
    document = error.doc
    # The parser stops at the next token: a comma missing at a line's end is named there, after
    # the text before it, not at the start of the next line.
    position = len(document[: error.pos].rstrip(" \t\r\n"))
    line_start = document.rfind("\n", 0, position) + 1
    line_end = document.find("\n", position)
    line_end = len(document) if line_end < 0 else line_end
    start = max(line_start, position - JSON_QUOTED)
    end = min(line_end, position + JSON_QUOTED)
    text = visible(document[start:end].strip(), 4 * JSON_QUOTED)
    return _(
        "The JSON file is not valid at line %(line)s, column %(column)s (“%(text)s”): check for "
        "a missing comma, quote or bracket there. (%(error)s)"
    ) % {
        "line": document.count("\n", 0, position) + 1,
        "column": position - line_start + 1,
        "text": "…" * (start > line_start) + text + "…" * (end < line_end),
        "error": error.msg,
    }


def past_last_column(number, row):
    """The message for a row whose cell `number` (from 1) holds a value past the last column an
    import reads: a header there would pass that limit too, so the value has to move."""
    return _(
        "column %(number)s (%(letter)s) holds “%(value)s”, but an import reads no column after "
        "%(last)s: move the value into the table, or delete it."
    ) % {
        "number": number,
        "letter": get_column_letter(number),
        "value": quoted(row[number - 1]),
        "last": get_column_letter(xlsx_reader.MAX_COLUMNS),
    }


def header_errors(kind, dataset, fmt):
    """What is wrong with the file's header (line 1; JSON has none): columns whose cells the
    import would otherwise drop without a word."""
    headers = dataset.headers
    line = None if fmt == "json" else 1
    errors = []
    unknown = unknown_headers(kind, headers)
    if unknown:
        # A misspelt "emial" would lose every address.
        errors.append(RowError(line, None, unknown_columns(kind, unknown)))
    # Only one of "email" and "メールアドレス" would be read: the other's addresses would be lost.
    errors.extend(
        RowError(line, None, repeated_column(column, given))
        for column, given in repeated_columns(kind, headers)
    )
    # Cells under no header would be dropped: only an empty column (Excel's last) is let by.
    errors.extend(
        RowError(line, None, unnamed_column(position, index, cell, fmt, count))
        for position, index, cell, count in filled_unnamed(headers, dataset)
    )
    if fmt != "json":
        # Read as data, its headers would be refused cell by cell as codes, numbers and dates.
        errors.extend(
            RowError(index + 2, None, str(REPEATED_HEADER)) for index in header_rows(kind, dataset)
        )
    return errors


def reports_about(cities):
    """How many problem reports there are about `cities` (records or ids)."""
    return ProblemReport.objects.filter(city__in=cities).count()


def _run_resource(report, kind, dataset, fmt, user, dry_run, reason, encoding):
    other = belongs_to(kind, dataset.headers)
    if other is not None:
        raise ImportFileError(wrong_import(other))
    errors = header_errors(kind, dataset, fmt)
    if errors:
        report.errors.extend(errors)
        return
    dataset.headers, file_headers = canonical_headers(kind, dataset.headers)
    read_as_meant(dataset, set(Prefecture.objects.values_list("code", flat=True)))
    resource = RESOURCES[kind](user=user)
    resource.file_headers = file_headers
    # UTF-8 and UTF-16 hold every character; another encoding may have lost some
    # (`lost_characters`).
    resource.file_encoding = None if encoding in EVERY_CHARACTER else encoding
    # A data row's line in the file: after the header, except in JSON. A row emptied in the
    # middle of the file is no record: left out, every other row keeping its line for messages.
    offset = 0 if fmt == "json" else 1
    lines = [number + offset for number, row in enumerate(dataset, 1) if not blank_row(row)]
    filled = (list(row) for row in dataset if not blank_row(row))
    dataset = tablib.Dataset(*filled, headers=dataset.headers)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        # Without this, rows with validation errors are skipped and the rest is written.
        rollback_on_validation_errors=True,
        user=user,
        change_reason=reason,
        lines=lines,
    )
    report.counts = {
        action: result.totals[row_type] for row_type, action in RESOURCE_ACTIONS.items()
    }
    for row in result.valid_rows():
        action = RESOURCE_ACTIONS.get(row.import_type, "unchanged")
        if action != "unchanged":
            report.changes.append(RowChange(getattr(row, "line", None), action, row.key, row.diff))
    if dry_run and kind == "cities":
        deleted = RowResult.IMPORT_TYPE_DELETE
        removed = [row.object_id for row in result.valid_rows() if row.import_type == deleted]
        report.lost_reports = reports_about(removed)
    report.errors.extend(RowError(None, None, str(error.error)) for error in result.base_errors)
    for number, errors in result.row_errors():
        report.errors.extend(RowError(lines[number - 1], None, str(e.error)) for e in errors)
    positions = {header: index for index, header in enumerate(dataset.headers)}
    for invalid in result.invalid_rows:
        line = lines[invalid.number - 1]
        for name, messages in invalid.field_specific_errors.items():
            key = resource.fields[name].column_name if name in resource.fields else name
            column = file_headers.get(key, key)
            # None for a column the file does not have; RowError makes the cell a string.
            position = positions.get(key)
            value = None if position is None else dataset[invalid.number - 1][position]
            report.errors.extend(RowError(line, column, str(m), value) for m in messages)
        report.errors.extend(
            RowError(line, None, str(m)) for m in invalid.non_field_specific_errors
        )
    # By line, then from left to right as the file has its columns.
    order = {file_headers.get(header, header): i for i, header in enumerate(dataset.headers)}
    report.errors.sort(key=lambda e: (e.line or 0, order.get(e.column, len(order))))


def _run_published(report, data, user, dry_run, reason, overwrite_staff_edits):
    if user is not None and not edits_every_city(user):
        raise ImportFileError(_("Only directory editors may load the published table."))
    try:
        text, encoding = decoded(data)
        plan = sync.plan(parse(text), keep_staff_edits=not overwrite_staff_edits)
        if encoding not in EVERY_CHARACTER:
            _refuse_lost_table_text(plan, encoding)
        if dry_run:
            removed = [s.instance for s in plan.steps if (s.kind, s.action) == ("city", "deleted")]
            report.lost_reports = reports_about(removed)
        else:
            sync.apply(plan, user=user, reason=reason)
    except PublishedTableError as refusal:
        # Every error of the table, not only the first.
        for error in refusal.errors:
            column = PUBLISHED_COLUMNS[error.column] if error.column is not None else None
            report.errors.append(RowError(error.line, column, error.message, error.value))
        return
    for step in plan.steps:
        report.tally(step.action, step.kind)
        if step.action == "new":
            fields = [
                (_field_label(step.kind, name), "", str(sync.shown(new)))
                for name, new in step.values.items()
                if new not in ("", None)
            ]
        else:
            fields = [
                (_field_label(step.kind, name), old, new)
                for name, (old, new) in step.changes.items()
            ]
        edits = [
            (
                _field_label(step.kind, edit.name),
                _plain(edit.staff_value),
                _plain(sync.shown(edit.table_value)),
                timezone.localdate(edit.date).isoformat(),
                staff_name(edit.user) if edit.user else "",
                edit.kept,
            )
            for edit in step.staff_edits
        ]
        if step.action != "unchanged" or edits:
            change = RowChange(step.line, step.action, step.label, fields, step.kind, edits)
            report.changes.append(change)


# The published table's text a load writes, by kind of record and field, with its column (a
# city's note is its footnote row, of no column); web and e-mail addresses hold ? of their own.
PUBLISHED_TEXT = {
    "city": {"name": CITY, "note": None},
    "department": {"name": DEPARTMENT},
    "class link": {"label": CLASSES},
}


def _refuse_lost_table_text(plan, encoding):
    """Refuse the names, notes and providers a load would write that lost characters when the
    table was saved in `encoding` (a spreadsheet's Shift_JIS CSV), as a resource's cells are."""
    errors = []
    for step in plan.steps:
        for name, column in PUBLISHED_TEXT[step.kind].items():
            if step.action == "new":
                stored, new = "", step.values.get(name) or ""
            elif name in step.changes:
                stored, new = step.changes[name]
            else:
                continue
            try:
                refuse_lost_text(stored, new, encoding)
            except ValueError as error:
                errors.append(PublishedTableError(step.line, str(error), column, new))
    if errors:
        raise PublishedTableErrors(errors)


def staff_name(user):
    """A staff member's name as the admin's language writes it: family name first in Japanese
    (山田 花子), where get_full_name() puts the given name first."""
    if get_language() == "ja" and user.first_name and user.last_name:
        return f"{user.last_name} {user.first_name}"
    return user.get_full_name() or user.get_username()


def _field_label(kind, name):
    # A field as staff know it, in their language ("メールアドレス"), not its name ("email").
    return str(capfirst(sync.MODELS[kind]._meta.get_field(name).verbose_name))


class StagedImport:
    """An upload kept by `stage`. Its file and report are read from the database when first
    used: a page of the preview needs no file, the confirm no report (a large file's are slow
    to read and parse)."""

    def __init__(self, preview):
        self._preview = preview
        self.kind, self.fmt, self.file_name = preview.kind, preview.format, preview.file_name
        self.removals, self.digest = preview.removals, preview.digest

    @property
    def data(self):
        return bytes(self._preview.data)

    @cached_property
    def report(self):
        return ImportReport.from_json(self._preview.report)


def stage(user, kind, data, fmt, report):
    """Keep an upload and its preview for `user` alone; returns the token that names it.

    Kept in the database, so every web worker and node can show and confirm it; expired ones go.
    """
    ImportPreview.objects.expired().delete()
    preview = ImportPreview.objects.create(
        user=user,
        kind=kind,
        file_name=report.file_name,
        format=fmt,
        data=data,
        report=report.to_json(),
        removals=report.removals,
        digest=report.digest(),
    )
    return preview.token.hex


def staged(token, user):
    """The upload `user` staged under `token`, or None: expired, confirmed, or someone else's."""
    preview = _previews(token, user).defer("data", "report").first()
    return StagedImport(preview) if preview is not None else None


def unstage(token, user):
    """Forget a staged upload; False when there was none (already confirmed elsewhere)."""
    deleted, _by_model = _previews(token, user).delete()
    return bool(deleted)


def _previews(token, user):
    try:
        token = UUID(hex=token)
    except (TypeError, ValueError):
        return ImportPreview.objects.none()
    return ImportPreview.objects.usable_by(user).filter(token=token)
