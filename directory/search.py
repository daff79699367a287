"""Search the directory the way visitors type: any script, any case, with or without long vowels.

Each city keeps a denormalised `search_key`: every name a visitor might know it by (English,
kanji, kana, romaji read from the official kana, prefecture, departments, class providers), each
folded by `fold()`. A query is folded the same way and each of its words must occur in the key.
"""

import re
import threading
import unicodedata
from collections import defaultdict
from functools import cache, cached_property

from django.db import transaction
from django.db.models import Case, F, Q, Value, When

# Hepburn romaji for hiragana, a row of kana then its readings; katakana is folded to hiragana.
_KANA_ROWS = """
あいうえお a i u e o
かきくけこ ka ki ku ke ko
さしすせそ sa shi su se so
たちつてと ta chi tsu te to
なにぬねの na ni nu ne no
はひふへほ ha hi fu he ho
まみむめも ma mi mu me mo
やゆよ ya yu yo
らりるれろ ra ri ru re ro
わゐゑをん wa i e o n
がぎぐげご ga gi gu ge go
ざじずぜぞ za ji zu ze zo
だぢづでど da ji zu de do
ばびぶべぼ ba bi bu be bo
ぱぴぷぺぽ pa pi pu pe po
ゔ vu
"""
_KANA = {
    kana: romaji
    for row in _KANA_ROWS.strip().splitlines()
    for kana, romaji in zip(row.split()[0], row.split()[1:], strict=True)
}
_SMALL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o", "ゃ": "ya", "ゅ": "yu", "ょ": "yo"}
# Syllables whose consonant absorbs the "y" of a following small ya/yu/yo: しゃ is "sha".
_PALATAL = {"shi": "sh", "chi": "ch", "ji": "j"}

_LONG_VOWELS = re.compile(r"oo|ou|oh(?![aiueoy])|uu")
_SEPARATORS = re.compile(r"[^\w]|_", re.UNICODE)
_KANA_ONLY = re.compile(r"^[ぁ-ゖー]+$")
# Words that say "city" and narrow nothing; dropped when the query has other words.
_NOISE = {"city", "shi", "of", "市", "し"}
# Kunrei-shiki (taught in Japanese schools: "Hukusima", "Tiba") and its Hepburn spelling.
_KUNREI = re.compile(r"[stzd]y(?=[auo])|si|ti|tu|(?<![sc])hu|zi|di|du")
_KUNREI_AS_HEPBURN = {
    "sy": "sh",
    "ty": "ch",
    "zy": "j",
    "dy": "j",
    "si": "shi",
    "ti": "chi",
    "tu": "tsu",
    "hu": "fu",
    "zi": "ji",
    "di": "ji",
    "du": "zu",
}


def to_hiragana(text):
    """Katakana (after NFKC, so half-width too) to hiragana; other characters unchanged."""
    return "".join(
        chr(ord(char) - 0x60) if "ァ" <= char <= "ヶ" else char
        for char in unicodedata.normalize("NFKC", text)
    )


def kana_to_romaji(kana):
    """Hepburn romaji of a kana reading, e.g. "こおりやまし" -> "kooriyamashi"."""
    out = []
    double_next = False
    for char in to_hiragana(kana):
        if char == "っ":
            double_next = True
            continue
        if char == "ー":
            continue  # a long-vowel mark; long vowels are folded away anyway
        if char in _SMALL and out:
            previous = out[-1]
            small = _SMALL[char]
            palatal = next((k for k in _PALATAL if previous.endswith(k)), None)
            if palatal and small.startswith("y"):  # しゃ is "sha", っちゃ is "tcha"
                out[-1] = previous.removesuffix(palatal) + _PALATAL[palatal] + small[1:]
            else:  # きゃ is "kya", ファ is "fa"
                out[-1] = previous[:-1] + small
            continue
        syllable = _KANA.get(char, char)
        if double_next and syllable and syllable[0] not in "aiueon":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double_next = False
        out.append(syllable)
    return "".join(out)


def kunrei_to_hepburn(word):
    """A romaji word in Hepburn, read as Kunrei-shiki: "hukusima" -> "fukushima"."""
    return _KUNREI.sub(lambda match: _KUNREI_AS_HEPBURN[match.group(0)], word)


def fold(text):
    """Fold text so spellings meet: NFKC, lower case, no macrons, hiragana, short vowels."""
    text = to_hiragana(text).lower()
    # Strip Latin diacritics (ō, ô) but keep kana voicing marks, which NFD also splits off.
    text = unicodedata.normalize(
        "NFC",
        "".join(
            char for char in unicodedata.normalize("NFD", text) if not "\u0300" <= char <= "\u036f"
        ),
    )
    return _LONG_VOWELS.sub(lambda match: match.group(0)[0], text)


def compact(text):
    """`fold()` and drop spaces and punctuation, so "Higashi-Osaka" meets "Higashiosaka"."""
    return _SEPARATORS.sub("", fold(text))


def terms(query):
    """The folded words of a query; "city", "shi" and the like only when nothing else is left.

    An address written the Japanese way, prefecture first and in one word ("福島県郡山市"),
    is two words: the prefecture and the rest.
    """
    words = [compact(word) for word in _SEPARATORS.split(fold(query or ""))]
    words = [part for word in words for part in _prefecture_apart(word) if part]
    meaningful = [word for word in words if word not in _NOISE]
    return meaningful or words


def _prefecture_apart(word):
    prefecture = next((name for name in _prefecture_names_ja() if word.startswith(name)), None)
    if prefecture is None:
        return [word]
    return [prefecture, word.removeprefix(prefecture)]


@cache
def _prefecture_names_ja():
    # The fixture, not the database: a search must not cost a query more. Full names only
    # ("福島県"): a bare "福島" also begins 福島市, which must stay one word.
    from .published_table import prefecture_fixture

    return tuple(compact(fields["name_ja"]) for fields in prefecture_fixture())


def city_names(city, department_names=(), providers=()):
    """Every name a visitor might search a city by, before folding."""
    names = [city.name, city.name_ja, city.name_kana]
    if city.name_kana:
        names.append(kana_to_romaji(city.name_kana))
        names.append(kana_to_romaji(city.name_kana.removesuffix("し")))
    prefecture = city.prefecture
    names += [prefecture.name, prefecture.name_ja]
    names += department_names
    names += [label for label in providers if label]
    return names


def search_key(city, department_names=(), providers=()):
    """The folded key stored on a city; "|" keeps one name's end from joining the next."""
    # Each distinct name is folded once: many links share one provider.
    names = dict.fromkeys(city_names(city, department_names, providers))
    return "|".join(dict.fromkeys(compact(name) for name in names))


def spellings(word):
    """The spellings of a query word that a city's key may hold: kana also as romaji, Latin
    letters also as Hepburn."""
    if _KANA_ONLY.match(word):
        return dict.fromkeys([word, compact(kana_to_romaji(word))])
    return _as_typed_or_hepburn(word)


def _as_typed_or_hepburn(word):
    # The word, and its Hepburn spelling when it reads as Kunrei-shiki (kana is left as it is).
    return dict.fromkeys([word, kunrei_to_hepburn(word)])


def filter_cities(queryset, query):
    """Cities whose key holds every word of the query; all of them for an empty query.

    A word in kana also matches through its romaji, so "こうりやま" finds Kōriyama too, and a
    word in Latin letters through its Hepburn spelling, so "Hukusima" finds Fukushima.
    """
    words = terms(query)
    for word in words:
        match = Q()
        for spelling in spellings(word):
            match |= Q(search_key__contains=spelling)
        queryset = queryset.filter(match)
    if not words:
        return queryset
    # Cities whose own name starts with the first word come before those matched otherwise
    # (by prefecture or office), so "Fukushima" lists Fukushima City first.
    first = words[0]
    named = Q(name_ja__startswith=first) | Q(name_kana__startswith=first)
    for spelling in _as_typed_or_hepburn(first):
        named |= Q(name__istartswith=spelling)
    rank = Case(When(named, then=Value(0)), default=Value(1))
    return queryset.order_by(rank, F("number").asc(nulls_last=True), "code")


class CityIndex:
    """Cities in listing order, searched and filtered in memory as the database would.

    The same answers, in the same order, as `City.objects.search()` and the results page's
    filters, without a query: the directory is small, and building and compiling the SQL cost
    an uncached search more than half its time. It answers the few QuerySet methods the
    results page's FilterSet and paginator use.
    """

    def __init__(self, cities, trigrams=True):
        self._cities = list(cities)
        # Worth building for the whole directory's index, kept for a version (`city_index()`);
        # not for the narrower ones a request makes from it and drops.
        self._trigrams = trigrams

    @property
    def model(self):
        from .models import City

        return City

    def __len__(self):
        return len(self._cities)

    def __iter__(self):
        return iter(self._cities)

    def __getitem__(self, index):
        return self._cities[index]

    def all(self):
        return self

    def none(self):
        return self._narrowed([])

    @staticmethod
    def _narrowed(cities):
        # An index one request makes from this one and drops: not worth its trigrams.
        return CityIndex(cities, trigrams=False)

    def search(self, query):
        """As `CityQuerySet.search()`: every word in the key, cities named so first."""
        words = terms(query)
        if not words:
            return self
        positions = None
        for word in words:
            holding = set().union(*(self._holding(spelling) for spelling in spellings(word)))
            positions = holding if positions is None else positions & holding
        first = words[0]
        upper = tuple(spelling.upper() for spelling in _as_typed_or_hepburn(first))
        cities = self._cities
        named = {
            position
            for position in positions
            if cities[position].name.upper().startswith(upper)
            or cities[position].name_ja.startswith(first)
            or cities[position].name_kana.startswith(first)
        }
        # Within each rank, cities stay in listing order, as SQL's ORDER BY leaves them.
        ranked = sorted(named) + sorted(positions - named)
        return self._narrowed(cities[position] for position in ranked)

    @cached_property
    def _keys(self):
        return [city.search_key for city in self._cities]

    @cached_property
    def _by_trigram(self):
        # The positions of the keys holding each run of three characters, as pg_trgm indexes
        # them in PostgreSQL: 5 MB and 0.4 s to build at 100 times the published data, once
        # per version, after which a rare word is found in microseconds, not half a millisecond.
        by_trigram = defaultdict(list)
        for position, key in enumerate(self._keys):
            for trigram in {key[i : i + 3] for i in range(len(key) - 2)}:
                by_trigram[trigram].append(position)
        return by_trigram

    def _holding(self, spelling):
        """The positions of the cities whose key holds `spelling`."""
        keys = self._keys
        if len(spelling) < 3 or not self._trigrams:
            candidates = range(len(keys))
        else:
            # A key that holds the word holds each of its trigrams: test only the keys listed
            # under its rarest one.
            candidates = min(
                (self._by_trigram.get(spelling[i : i + 3], ()) for i in range(len(spelling) - 2)),
                key=len,
            )
        return {position for position in candidates if spelling in keys[position]}

    def in_region(self, region):
        return self._narrowed(city for city in self._cities if city.prefecture.region == region)

    def in_prefecture(self, prefecture):
        return self._narrowed(city for city in self._cities if city.prefecture_id == prefecture.pk)

    def with_class_links(self):
        return self._narrowed(city for city in self._cities if city.class_link_count)


_indexes = {}
_indexes_lock = threading.Lock()


def city_index():
    """Every city, with its prefecture, as of this request's directory version.

    Read once per version in each process; any change to the directory gives it a new version
    (see `version`), so the next search reads the cities again.
    """
    from .models import City
    from .version import current

    token = current()
    index = _indexes.get(token)
    if index is None:
        with _indexes_lock:
            index = _indexes.get(token)
            if index is None:
                index = CityIndex(City.objects.select_related("prefecture"))
                # A request still under the version before may want it a moment longer.
                for old in list(_indexes)[:-1]:
                    del _indexes[old]
                _indexes[token] = index
    return index


def refresh_search_keys(cities=None):
    """Recompute and store the keys and class-link counts of the given cities (all by default).

    Called after bulk changes (the `directory_changed` signal) and after per-row edits, so
    neither depends on how a record was written. A few queries, whatever the number of cities.
    """
    from .models import City, ClassLink, Department

    queryset = City.objects.select_related("prefecture")
    if cities is not None:
        queryset = queryset.filter(pk__in=[getattr(c, "pk", c) for c in cities])
    cities = list(queryset)
    ids = [city.pk for city in cities]
    departments, providers = {}, {}
    # Plain tuples, not model instances: an import may have just added 100,000 class links.
    for city_id, name in Department.objects.filter(city__in=ids).values_list("city_id", "name"):
        departments.setdefault(city_id, []).append(name)
    for city_id, label in ClassLink.objects.filter(city__in=ids).values_list("city_id", "label"):
        providers.setdefault(city_id, []).append(label)
    changed = []
    for city in cities:
        labels = providers.get(city.pk, ())
        key = search_key(city, departments.get(city.pk, ()), labels)
        if (key, len(labels)) != (city.search_key, city.class_link_count):
            city.search_key, city.class_link_count = key, len(labels)
            changed.append(city)
    with transaction.atomic():
        City.objects.bulk_update(changed, ["search_key", "class_link_count"], batch_size=500)
    return len(changed)
