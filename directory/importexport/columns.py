"""The columns of each import and export: English and Japanese header, and what each holds.

The one home of a column's two names: the resources export under them, imports accept either
(`canonical_headers`), the downloadable template explains each, and a file uploaded to the wrong
import is told which one it belongs to (`belongs_to`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

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
READABLE = _("For reading only: filled in by exports, ignored by imports.")

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
        Column("prefecture_name", "都道府県名（英語）", READABLE, "Hokkaido", readable=True),
        Column("prefecture_name_ja", "都道府県名", READABLE, "北海道", readable=True),
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
            "url",
            "URL",
            _("The department's web page, starting with https://."),
            "https://www.city.example.jp/kokusai/",
        ),
        Column(
            "email", "メールアドレス", _("The department's e-mail address."), "kokusai@example.jp"
        ),
        Column("position", "表示順", POSITION, "0"),
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
            _("The name of one of the city's departments, exactly as in the departments list."),
            "国際課",
        ),
        Column("position", "表示順", POSITION, "0"),
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
    """A header as compared: plain width, no surrounding spaces, lower case."""
    return "" if header is None else plain_width(str(header)).strip().lower()


def _names(kind):
    """Each accepted header (normalised) of an import, by the column's key."""
    names = {}
    for column in (*COLUMNS[kind], DELETE):
        names[normal(column.key)] = column.key
        names[normal(column.ja)] = column.key
    return names


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


def belongs_to(kind, headers):
    """The import whose columns the headers are, when it is another than `kind`: the one that
    knows more of them. None when `kind` knows as many as any other."""
    given = {normal(header) for header in headers if normal(header)}
    known = {other: len(given & set(_names(other)) - {"delete"}) for other in COLUMNS}
    best = max(known, key=known.get)
    return best if known[best] > known[kind] else None
