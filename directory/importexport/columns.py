"""The columns of each import and export: English and Japanese header, and what each holds.

The one home of a column's two names: the resources export under them, imports accept either
(`canonical_headers`), the downloadable template explains each, and a file uploaded to the wrong
import is told which one it belongs to (`belongs_to`).
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import classes, dates
from ..validators import LANGUAGES_HELP
from .plain import plain_width


@dataclass(frozen=True)
class Column:
    key: str  # the English header, as exports have always had it
    ja: str  # the Japanese header
    explanation: str
    example: str = ""
    required: bool = False
    readable: bool = False  # exported beside the keys for people to read; ignored on import

    def header(self, language=None):
        """The header in `language` (Japanese for ja; English otherwise)."""
        return self.ja if (language or "").startswith("ja") else self.key


CITY_CODE = _(
    "The city's local government code: six digits, the last a check digit (e.g. 012025). "
    "Excel drops a leading 0; an import restores it when the check digit confirms it."
)
POSITION = _(
    "The display order among the city's other entries: smaller numbers first (0, 1, 2…). "
    "Leave empty to keep the current order."
)
RECORD_NUMBER = _(
    "The record's own number in the directory, written by exports. Do not change it: the row "
    "updates that record even when its name or URL changed. Leave it empty for a new record."
)
READABLE = _("For reading only: filled in by exports, ignored by imports.")
YES_NO = _(
    "yes or no (はい or いいえ, ○ or ×, read alike); leave empty when it is not known. Exports "
    "write the words in the headers' language."
)
LANGUAGES = LANGUAGES_HELP


def _one_of(choices):
    """The explanation of a column of choices: each one's English name; Japanese read alike."""
    return format_lazy(
        _("One of: {choices}. The Japanese names are read alike; empty when not known."),
        choices=lazy(lambda: ", ".join(str(choice.label) for choice in choices), str)(),
    )


_READABLE_CITY = (
    Column("city_name", "市名（英語）", READABLE, "Hakodate", readable=True),
    Column("city_name_ja", "市名", READABLE, "函館市", readable=True),
    Column("prefecture_name", "都道府県名（英語）", READABLE, "Hokkaido", readable=True),
    Column("prefecture_name_ja", "都道府県名", READABLE, "北海道", readable=True),
)

COLUMNS = {
    "cities": (
        Column("code", "団体コード", CITY_CODE, "012025", required=True),
        Column(
            "prefecture",
            "都道府県コード",
            _("The prefecture's two-digit code, 01 (Hokkaido) to 47 (Okinawa); 7 reads as 07."),
            "01",
        ),
        Column("name", "市名（英語）", _("The city's name in English."), "Hakodate"),
        Column("name_ja", "市名", _("The city's name in Japanese."), "函館市"),
        Column("name_kana", "市名（ふりがな）", _("The city's name in hiragana."), "はこだてし"),
        Column("number", "番号", _("The city's number in the association's table."), "1"),
        Column(
            "slug",
            "スラッグ",
            _("The city's part of the site's web addresses; leave empty to make one."),
            "hakodate",
        ),
        Column("note", "備考", _("A note shown on the city's page."), ""),
        *_READABLE_CITY[2:],  # a city's own names are its columns above
    ),
    "departments": (
        Column("city", "団体コード", CITY_CODE, "012025", required=True),
        Column(
            "name",
            "部署名",
            _("The department's name, as the city writes it; with the code, it names the row."),
            "国際課",
            required=True,
        ),
        Column(
            "name_ja",
            "部署名（日本語）",
            _("The desk's name in Japanese, as the staff card shows it."),
            "国際交流窓口",
        ),
        Column(
            "url",
            "URL",
            _("The department's web page, starting with https://."),
            "https://www.city.example.jp/kokusai/",
        ),
        Column(
            "email", "メールアドレス", _("The department's e-mail address."), "kokusai@example.jp"
        ),
        Column(
            "phones",
            "電話番号",
            _(
                "The desk's phone numbers, separated by “;”: each “label: number”, with "
                "“ext. 123” (or 内線 123) after it for an extension; the label and extension "
                "are optional. Leave empty for none."
            ),
            "代表: 012-345-6789; 相談: 012-345-6780 内線 123",
        ),
        Column(
            "postal_code",
            "郵便番号",
            _(
                "Seven digits, e.g. 123-4567 (〒 and full-width digits are read too); it must be "
                "in the city."
            ),
            "123-4567",
        ),
        Column(
            "address_ja",
            "住所（日本語）",
            _("The desk's address in Japanese."),
            "〇〇市〇〇町1-2-3",
        ),
        Column(
            "address_romaji",
            "住所（ローマ字）",
            _("The desk's address in romaji."),
            "1-2-3 Example-cho, Example City",
        ),
        Column(
            "floor",
            "階・窓口",
            _("The floor or counter, in Japanese, as the building's signs say."),
            "本庁舎2階 5番窓口",
        ),
        Column(
            "hours",
            "受付時間",
            _(
                "Opening hours: days, then times, e.g. 月～金 8:30～17:15 or Mon-Fri 08:30-17:15. "
                "Days are Mon, Tue, Wed, Thu, Fri, Sat, Sun or 月 to 日, and 平日 (Monday to "
                "Friday) or 土日 (Saturday and Sunday); a range is written 月～金. Two spans of a "
                "day are separated by “,”, parts by “;”. Holidays go in the hours note. Leave "
                "empty for none."
            ),
            "Mon-Fri 08:30-12:00,13:00-17:15; Sat 09:00-12:00",
        ),
        Column(
            "hours_note",
            "受付時間の注記",
            _(
                "A note on the hours, and anything about holidays, which the hours cannot say: "
                "the site shows every desk closed on national holidays and from 29 December to "
                "3 January in any case."
            ),
            "祝日・年末年始は休み",
        ),
        Column("languages", "対応言語", LANGUAGES, "en, zh, vi"),
        Column(
            "remote_interpretation",
            "電話・ビデオ通訳",
            format_lazy("{} {}", _("Interpretation by phone or video:"), YES_NO),
            "はい",
        ),
        Column(
            "appointment_needed",
            "予約が必要",
            format_lazy("{} {}", _("Whether an appointment is needed:"), YES_NO),
            "いいえ",
        ),
        Column("position", "表示順", POSITION, "0"),
        Column("id", "管理番号", RECORD_NUMBER, ""),
        *_READABLE_CITY,
    ),
    "class-links": (
        Column("city", "団体コード", CITY_CODE, "012025", required=True),
        Column(
            "url",
            "URL",
            _("The class's web page, starting with https://; with the code, it names the row."),
            "https://www.city.example.jp/nihongo/",
            required=True,
        ),
        Column("label", "教室名", _("Who runs the class, or its name."), "日本語教室"),
        Column(
            "department",
            "担当部署",
            _(
                "The English or Japanese name of one of the city's departments, exactly as in "
                "the departments list."
            ),
            "国際課",
        ),
        Column(
            "name", "クラス名", _("The class's name, as its provider names it."), "にほんご教室"
        ),
        Column("venue", "会場", _("Where the class meets: the place and its address."), "市民会館"),
        Column("attendance", "対面・オンライン", _one_of(classes.Attendance), "In person"),
        Column(
            "weekdays",
            "曜日",
            _(
                "The days it meets: Mon, Tue, Wed, Thu, Fri, Sat, Sun (or 月 to 日), separated "
                "by commas or run together as 月水金 or 土日; 平日 is Monday to Friday, and a "
                "range is written 月～金. Holidays go in the column schedule_note."
            ),
            "Tue, Fri",
        ),
        Column("starts_at", "開始時刻", _("The time it starts, e.g. 18:30."), "18:30"),
        Column("ends_at", "終了時刻", _("The time it ends, e.g. 20:30."), "20:30"),
        Column(
            "schedule_note",
            "日時（自由記述）",
            _("When it meets, in words the days and times cannot say."),
            "第2・第4土曜日",
        ),
        Column(
            "fee",
            "参加費（円）",
            _(
                "The fee in yen, in digits; 0 (or “free”, 無料) for a free class; empty when not "
                "known."
            ),
            "500",
        ),
        Column("level", "レベル", _one_of(classes.Level), "Beginner"),
        Column("audience", "対象", _one_of(classes.Audience), "Adults"),
        Column("childcare", "託児", format_lazy("{} {}", _("Childcare available:"), YES_NO), "no"),
        Column("languages", "対応言語", LANGUAGES, "vi, en"),
        Column("sign_up", "申し込み方法", _("How to sign up."), "電話で申し込み"),
        Column("status", "状態", _one_of(classes.Status), "Running"),
        Column(
            "status_date",
            "状態の日付",
            format_lazy(
                _(
                    "Since when it runs or is paused, or the day it ended, e.g. 2026-04-01 (or "
                    "2026/4/1, 令和8年4月1日), from {first} to {last}."
                ),
                first=dates.FIRST_DAY.isoformat(),
                last=dates.LAST_DAY.isoformat(),
            ),
            "2026-04-01",
        ),
        Column(
            "link_kind",
            "リンクの種類",
            format_lazy(
                "{} {}",
                _one_of(classes.LinkKind),
                _("Empty: told from the address (.pdf, .jpg...)."),
            ),
            "PDF",
        ),
        Column("position", "表示順", POSITION, "0"),
        Column("id", "管理番号", RECORD_NUMBER, ""),
        *_READABLE_CITY,
    ),
}

DELETE = Column(
    "delete",
    "削除",
    _("Optional: “yes” (or はい) removes the record the row names, once you confirm it."),
    "",
)


def columns(kind, readable=True):
    """The columns of an import or export, readable ones included unless `readable` is False."""
    return [column for column in COLUMNS[kind] if readable or not column.readable]


def normal(header):
    """A header as compared: plain width, no surrounding spaces, lower case, no byte-order mark
    (the one a UTF-8 file pasted under another brings to its header line)."""
    if header is None:
        return ""
    return plain_width(str(header)).replace("\ufeff", "").strip().lower()


def _names(kind):
    """Each accepted header (normalised) of an import, by the column's key."""
    names = {}
    for column in (*COLUMNS[kind], DELETE):
        names[normal(column.key)] = column.key
        names[normal(column.ja)] = column.key
    return names


def holds_a_header_of(kind, row):
    """Whether a row holds a header of `kind`'s import: which sheet of a workbook to read."""
    names = _names(kind)
    return any(normal(cell) in names for cell in row if cell is not None)


def canonical_headers(kind, headers):
    """The file's headers as keys (a Japanese or English header alike), unknown ones as they are;
    and the header the file used for each key, to name columns in its messages."""
    names = _names(kind)
    keys, used = [], {}
    for header in headers:
        key = names.get(normal(header))
        if key is None or key in used:
            keys.append(header)
        else:
            keys.append(key)
            used[key] = str(header).strip()
    return keys, used


def unknown_headers(kind, headers):
    """The headers (as written) that name no column of the import of `kind`. An empty header,
    such as that of the empty last column Excel may save, names none and is not unknown."""
    names = _names(kind)
    return [header for header in headers if normal(header) and normal(header) not in names]


def repeated_columns(kind, headers):
    """Each column the headers name more than once ("email" and "メールアドレス", or "email"
    twice), with the headers (as written) that name it."""
    names = _names(kind)
    given = {}
    for header in headers:
        key = names.get(normal(header))
        if key is not None:
            given.setdefault(key, []).append(header)
    by_key = {column.key: column for column in (*COLUMNS[kind], DELETE)}
    return [(by_key[key], written) for key, written in given.items() if len(written) > 1]


def filled_unnamed(headers, rows):
    """Each column with no header that holds something: (its position from 0, the index of its
    first filled row, that cell, how many rows it fills). Excel's empty last column holds
    nothing and is not one."""
    found = []
    for position, header in enumerate(headers):
        if normal(header):
            continue
        filled = [
            (index, row[position]) for index, row in enumerate(rows) if _filled(row[position])
        ]
        if filled:
            found.append((position, *filled[0], len(filled)))
    return found


def header_rows(kind, rows):
    """The index of each row that is a header row of `kind`'s import again: two or more cells,
    every one of them a header, as a file pasted under another (or two files joined) leaves."""
    names = _names(kind)
    found = []
    for index, row in enumerate(rows):
        headers = 0
        for cell in row:
            if not _filled(cell):
                continue
            if normal(cell) not in names:
                # A data row: most end here, at their first cell.
                headers = 0
                break
            headers += 1
        if headers >= 2:
            found.append(index)
    return found


def _filled(cell):
    # A space Excel left in a cell is no data.
    return cell is not None and bool(str(cell).strip())


def read_columns(kind):
    """The columns an import reads, each by its header in the active language with the other in
    brackets: "city (団体コード)", or "団体コード (city)" in Japanese."""
    return [both_headers(column) for column in (*columns(kind, readable=False), DELETE)]


def both_headers(column):
    """A column by its header in the active language with the other in brackets: "hours_note
    (受付時間の注記)", or "受付時間の注記 (hours_note)" in Japanese."""
    header = column.header(get_language())
    other = column.key if header == column.ja else column.ja
    # "URL" is its own Japanese header.
    return header if normal(other) == normal(header) else f"{header} ({other})"


def column_of(kind, key):
    """The column of the import of `kind` whose key is `key`."""
    return next(column for column in COLUMNS[kind] if column.key == key)


def belongs_to(kind, headers):
    """The import whose columns the headers are, when it is another than `kind`: the one that
    knows more of them. None when `kind` knows as many as any other."""
    given = {normal(header) for header in headers if normal(header)}
    known = {other: len(given & set(_names(other)) - {"delete"}) for other in COLUMNS}
    best = max(known, key=known.get)
    return best if known[best] > known[kind] else None
