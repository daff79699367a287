"""Search the directory the way visitors type: any script, any case, with or without long vowels.

Each city keeps a denormalised `search_key`: every name a visitor might know it by (English,
kanji, kana, romaji read from the official kana, prefecture, departments, class providers), each
folded by `folding.compact()`, each after a "|". A query is folded the same way and each of its
words must begin one of those names (`holding`); on PostgreSQL, pg_trgm's index on the key serves
those `LIKE '%|word%'` tests.
"""

import re
from functools import cache, lru_cache, reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Greatest

from .folding import (
    compact,
    kana_to_romaji,
    read_query,
    romaji_of,
    spellings,
    words,
)

# How close a misspelt word must come to a name to be offered, as rapidfuzz's ratio (0-100):
# "Okasaki" is 86 from "Okazaki", but only 80 from "Takasaki", which is not offered.
RATIO_SIMILAR_ENOUGH = 84
# On PostgreSQL, pg_trgm's index first narrows the cities to those sharing enough trigrams with
# a whole name (strict word similarity; "Okasaki" and "Okazaki" share 0.45), then the ratio
# above decides, so both databases offer the same names.
TRIGRAM_CANDIDATE = 0.3
TRIGRAM_CANDIDATES = 50
# Shorter words are too close to too many names to be worth a guess.
SHORTEST_GUESSED = 4
# Chinese characters (kanji): each one is a word of a name, unlike a letter or a kana.
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def terms(query):
    """The folded place words of a query, an address written prefecture first being two words
    and one that goes on after the municipality's name ("郡山市朝日1-23-7") read as that name;
    words about the service asked for ("Japanese class", "市役所") are left out."""
    return list(_read(query)[0])


def read_with_kind(query):
    """The words of `terms(query)` read with the kind of place beside them ("kamishi" of "Kami
    City" or "Kami-shi"), not typed so: each is the whole reading of the places it names."""
    typed = words(query, prefecture_names_ja(), municipality_names_ja())
    return [word for word in terms(query) if word not in typed]


def asks_for_classes(query):
    """Whether the query asks for Japanese classes ("Japanese class", "日本語教室", "nihongo")."""
    return _read(query)[1]


@lru_cache(maxsize=1024)
def _read(query):
    # One search reads its query a dozen times (filters, places, ranking, the page's words).
    names = prefecture_names_ja(), municipality_names_ja()
    found, classes = read_query(
        query, *names, prefecture=prefecture_as_named, municipality=municipality_as_named
    )
    return tuple(found), classes


def municipality_as_named(word, ending):
    """The folded reading in romaji ("korimachi") of the municipality a folded query word (in
    letters, kana, Hangul or Devanagari) names with its kind beside it, read with `ending`
    ("machi"), else None. The kind tells a town from a city whose name begins with its own
    ("Kori-machi" is 桑折町, not Koriyama), a city from the prefecture of its name ("Fukushima
    City" is 福島市, not every city of 福島県) and from a town of its name ("Yokohama City" is
    横浜市, not also 横浜町)."""
    from .places import readings

    # Read from the package only for a query with such a kind in it.
    known = readings()
    return next((f"{name}{ending}" for name in spellings(word) if name + ending in known), None)


def prefecture_as_named(word, kind):
    """The folded Japanese name ("福島県") of the prefecture a folded query word names as a
    prefecture, else None: with a word saying it is one of `kind` ("県", or "" for any) beside it
    (`kind` None: none), or whole, with its kind (ふくしまけん). A visitor who wrote "Fukushima
    Prefecture" asked for the prefecture, as one who wrote "福島県" did, not Fukushima City."""
    fields = prefecture_of(word)
    if fields is None:
        return None
    name_ja = compact(fields["name_ja"])
    if kind is None:
        return name_ja if word == compact(fields["name_kana"]) else None
    return name_ja if name_ja.endswith(kind) else None


def municipality_names_ja():
    """Every municipality's name, folded as query words are ("郡山市", "石狩郡当別町")."""
    from .places import names_ja

    return names_ja()


@cache
def prefecture_names_ja():
    """The prefectures' full Japanese names, folded as query words are ("福島県")."""
    # The fixture, not the database: a search must not cost a query more. Full names only
    # ("福島県"): a bare "福島" also begins 福島市, which must stay one word.
    from .importexport.published_table import prefecture_fixture

    return tuple(compact(fields["name_ja"]) for fields in prefecture_fixture())


def closest(queryset, query, limit=3):
    """Records whose search key holds a name close to every word of a misspelt query, closest
    first: "Hakodatte" finds Hakodate. The one place that decides what "close" means.

    A word close to no record's names ("evening" of "Toyohshi evening") is left out of the
    guess, so a misspelt name with an extra word finds what the name alone does.

    Each name is compared with rapidfuzz's ratio; on PostgreSQL only the records pg_trgm's
    index finds close enough to a word (`strict_word_similarity`), elsewhere every record's key.
    """
    found = _guessed_from(query)
    # "Shinjku, Tokyo": the prefecture beside the name narrows nothing a guess needs, and a
    # place's key does not hold it.
    found = [forms for forms in found if not any(map(prefecture_of, forms))] or found
    if not found:
        return []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramStrictWordSimilarity

        def similarity(form):
            return TrigramStrictWordSimilarity(Value(form), "search_key")

        scores = {
            f"similarity_{index}": Greatest(*map(similarity, forms))
            if len(forms) > 1
            else similarity(forms[0])
            for index, forms in enumerate(found)
        }
        # Close to any word, not to each: an extra word is close to none (see below).
        queryset = queryset.annotate(**scores).filter(
            reduce(or_, (Q(**{f"{name}__gte": TRIGRAM_CANDIDATE}) for name in scores))
        )
        total = sum((F(name) for name in scores), Value(0.0))
        queryset = queryset.order_by(total.desc(), "code")[:TRIGRAM_CANDIDATES]
    from rapidfuzz import fuzz

    records = list(queryset)
    names = [record.search_key.strip("|").split("|") for record in records]
    # Each word's ratio with each record: that of its closest form and name.
    ratios = [
        [max(fuzz.ratio(form, name) for form in forms for name in held) for held in names]
        for forms in found
    ]
    # A word no record comes close to is an extra word, not a misspelt name.
    ratios = [row for row in ratios if max(row, default=0) >= RATIO_SIMILAR_ENOUGH]
    if not ratios:
        return []
    # Close to every word; else, for two names in one query ("Koriyama Hakodatte"), each
    # record close to one of them.
    for score_of in (min, max):
        scored = []
        for record, *word_ratios in zip(records, *ratios, strict=True):
            score = score_of(word_ratios)
            if score >= RATIO_SIMILAR_ENOUGH:
                scored.append((-score, record.code, record))
        if scored:
            break
    return [record for *_, record in sorted(scored, key=lambda item: item[:2])[:limit]]


def _guessed_from(query):
    """The forms of each word of the query a guess compares with names: the word, or the romaji
    it stands for in a script no key holds (Hangul, Devanagari, Burmese); words too short left
    out."""
    found = (
        [form for form in romaji_of(word) if len(form) >= SHORTEST_GUESSED] for word in terms(query)
    )
    return [forms for forms in found if forms]


def closest_prefecture(query):
    """The prefecture a word of the query names or comes close to ("Fukouka"), by the ratio
    `closest` uses, else None: a visitor's misspelt prefecture is offered as the prefecture."""
    from rapidfuzz import fuzz

    from .importexport.published_table import prefecture_fixture
    from .models import Prefecture

    found = [form for forms in _guessed_from(query) for form in forms]
    if not found:
        return None

    def score(code):
        return max(fuzz.ratio(word, name) for word in found for name in _prefecture_words(code))

    best, code = max((score(fields["code"]), fields["code"]) for fields in prefecture_fixture())
    return Prefecture.objects.get(code=code) if best >= RATIO_SIMILAR_ENOUGH else None


def own_names(city):
    """A city's own names, folded without "city" or "市": what a query naming it exactly is."""
    names = {"".join(words(city.name)), compact(city.name_ja), compact(city.name_kana)}
    names |= {compact(city.name_ja).removesuffix("市"), compact(city.name_kana).removesuffix("し")}
    romaji = compact(kana_to_romaji(city.name_kana))
    names |= {romaji, romaji.removesuffix("shi")}
    # A ward ("Kita, Sapporo") also by its own name ("Hakata"), and with its city first, as
    # Japanese writes it, and either with its city's kind: "Sapporo Kita", "Sapporo-shi Kita-ku".
    ward, _comma, of_city = city.name.partition(", ")
    if of_city:
        ward, of_city = compact(ward), compact(of_city)
        names |= {ward, f"{of_city}{ward}", f"{of_city}shi{ward}", f"{ward}{of_city}shi"}
    return names


def names_exactly(city, query):
    """Whether the query is that city's (or unlisted place's) name and nothing more (its
    prefecture may come first): then the visitor may go straight to the city's page."""
    found = terms(query)
    code = city.prefecture.code
    # "Higashi Osaka" is one name; "Takasaki, Gunma" is a name and its prefecture, in any
    # script a prefecture is read in ("उत्सुनोमिया तोचिगी").
    unnamed = "".join(word for word in found if not _names_prefecture(word, code))
    readings = {"".join(found), unnamed}
    names = own_names(city)
    return any(spelling in names for read in readings if read for spelling in spellings(read))


def prefecture_named(query):
    """The fixture's fields of the prefecture that the query's words name and nothing more
    ("Hiroshima", "広島県", "ひろしま"), else None."""
    found = terms(query)
    return prefecture_of(found[0]) if len(found) == 1 else None


def prefecture_of(word):
    """The fixture's fields of the prefecture a folded query word names ("tokyo", "東京都",
    "とうきょう"), else None."""
    from .importexport.published_table import prefecture_fixture

    for fields in prefecture_fixture():
        if _names_prefecture(word, fields["code"]):
            return fields
    return None


def _names_prefecture(word, code):
    # Whether a folded query word names the prefecture `code` in one of its spellings: Hangul
    # and Devanagari by the romaji they stand for, as a city's name is read.
    return not _prefecture_words(code).isdisjoint(spellings(word))


@cache
def _prefecture_words(code):
    # Every way a query may name the prefecture `code`, folded: "hiroshima", "広島県", "広島".
    from .importexport.published_table import prefecture_fixture

    fields = next(fields for fields in prefecture_fixture() if fields["code"] == code)
    name_ja, kana = compact(fields["name_ja"]), compact(fields["name_kana"])
    named = {compact(fields["name"]), name_ja, kana}
    for kanji, reading in (("県", "けん"), ("都", "と"), ("府", "ふ")):
        if name_ja.endswith(kanji):
            named |= {name_ja.removesuffix(kanji), kana.removesuffix(reading)}
    return frozenset(named)


def key_of(names):
    """The folded key stored on a city or place: each name between "|"s ("|koriyama|郡山市|"), so
    one pattern finds where a name begins (`holding`) or a whole name (`naming`)."""
    # Each distinct name is folded once: many links share one provider.
    folded = [name for name in dict.fromkeys(map(compact, dict.fromkeys(names))) if name]
    return f"|{'|'.join(folded)}|" if folded else ""


def search_key(city, department_names=(), providers=()):
    """The key of every name a visitor might search a city by."""
    names = [city.name, city.name_ja, city.name_kana]
    if city.name_kana:
        names.append(kana_to_romaji(city.name_kana))
        names.append(kana_to_romaji(city.name_kana.removesuffix("し")))
    prefecture = city.prefecture
    names += [prefecture.name, prefecture.name_ja]
    names += each_word(department_names)
    names += each_word(label for label in providers if label)
    return key_of(names)


def each_word(names):
    """Each name, then each of its words: a word is found only where a name begins (`holding`),
    and a visitor may type any word of a desk's or a class provider's name ("Intercultural")."""
    for name in names:
        yield name
        yield from name.split()


def holding_every_word(found, held=None):
    """The condition that a record's search key holds each of the folded words `found` in one
    of its spellings (`holding`, or `held` for each word), or holds them all as one name
    ("Friendly Tutors").

    A word in kana also matches through its romaji, so "こうりやま" finds Kōriyama too, and a
    word in Latin letters through its Hepburn spelling, so "Hukusima" finds Fukushima.
    """
    held = held or holding
    match = Q()
    for word in found:
        match &= held(word)
    if len(found) > 1:
        match |= held("".join(found))
    return match


def holding(word):
    """The condition that a record's search key holds the folded word in one of its spellings:
    letters and kana only from the start of a name in it, Chinese characters anywhere.

    A name's letters say nothing of where its words begin: "Akashi" is in "higashiosakashi" and
    "Ota" in "toyota" by chance, while "大阪" in "東大阪市" is the name of Osaka.
    """
    return _in_names(word, whole=False)


def naming(word):
    """The condition that one of a record's names is the folded word, whole, in one of its
    spellings ("toyohashi", not "toi" of "toin"); Chinese characters anywhere, as in `holding`."""
    return _in_names(word, whole=True)


def _in_names(word, whole):
    either = Q()
    for spelling in spellings(word):
        if _CHINESE.search(spelling):
            either |= Q(search_key__contains=spelling)
            continue
        # Each name in the key follows a "|" and is followed by one (`key_of`).
        either |= Q(search_key__contains=f"|{spelling}|" if whole else f"|{spelling}")
    return either


def fewer_words(query):
    """The query's words to search again with when no city or place holds them all, each list
    dropping more: first the words that hold something on their own ("Toyohashi" of "evening
    Toyohashi"), then those that are a whole name or a prefecture's, then those that are a
    listed city's whole name or a prefecture's, then those that are a listed city's own name
    or a prefecture's, when some are; each with whether it keeps a listed city's whole name,
    and the words it leaves out that no city or place bears whole, which may be misspelt.

    The second list is for a word that begins a name by chance: Vietnamese "tối" (evening)
    begins Tōin. The third is for a district named beside its city ("Motomachi, Hakodate";
    "Asahi, Koriyama", though Asahi is also 旭市's name). The fourth is for a word of desks'
    names beside a city whose desk it does not name ("Koriyama Section"). At most three
    queries, whatever the number of words; a list may be empty.
    """
    from .models import City, Municipality
    from .places import place_holding

    found = terms(query)
    checked = [word for word in dict.fromkeys(found) if prefecture_of(word) is None]
    if not checked:
        return []

    def holders(queryset, held):
        # How many records hold each word, and how many bear it as a whole name.
        counts = {}
        for index, word in enumerate(checked):
            counts[f"held_{index}"] = Count("pk", filter=held(word))
            counts[f"named_{index}"] = Count("pk", filter=naming(word))
        return queryset.aggregate(**counts)

    cities = holders(City.objects.all(), holding)
    places = holders(Municipality.objects.unlisted(), place_holding)
    naming_a_city = {word for index, word in enumerate(checked) if cities[f"named_{index}"]}
    drops = [
        {
            word
            for index, word in enumerate(checked)
            if not cities[f"{kind}_{index}"] and not places[f"{kind}_{index}"]
        }
        for kind in ("held", "named")
    ]
    if naming_a_city:
        drops.append(set(checked) - naming_a_city)
        named = City.objects.filter(reduce(or_, map(naming, naming_a_city)))
        named = named.select_related("prefecture")
        own = {word for word in naming_a_city if any(names_exactly(city, word) for city in named)}
        if own:
            drops.append(set(checked) - own)
    whole = {
        word
        for index, word in enumerate(checked)
        if cities[f"named_{index}"] or places[f"named_{index}"]
    }
    lists = []
    for dropped in drops:
        fewer = [word for word in found if word not in dropped]
        if dropped and all(fewer != words for words, *_rest in lists):
            lists.append((fewer, bool(naming_a_city.intersection(fewer)), dropped - whole))
    return lists


# Particles written onto the name before them, longest first: Japanese "of", "at", "in", "to",
# "from" (豊橋の日本語教室, とよはしで), Korean's (도요하시에서, 고리야마에) and Nepali's
# postpositions "in", "of", "from" (टोयोहासीमा जापानी कक्षा, "Japanese class in Toyohashi").
_PARTICLES = sorted(
    {
        *("の", "で", "に", "へ", "は", "から", "まで"),
        *("에서", "에", "의", "은", "는", "으로", "로"),
        *("मा", "को", "बाट"),
    },
    key=len,
    reverse=True,
)


def unglued(query):
    """The query with a particle taken off each word it is written onto, when the word holds no
    city's or place's name and the rest is one whole ("豊橋の": 豊橋, "टोयोहासीमा": टोयोहासी); None
    when no word is so. Many names end as a particle does (大野, おおの; 가니에, Kanie; योकोहामा,
    Yokohama), so only what finds nothing is read so: a few queries for each such word."""
    from .models import City, Municipality

    def finds(condition):
        found = City.objects.filter(condition).exists()
        return found or Municipality.objects.unlisted().filter(condition).exists()

    changed, read = False, []
    for word in terms(query):
        stems = [word.removesuffix(end) for end in _PARTICLES if word.endswith(end) and word != end]
        if stems and not finds(holding(word)):
            stem = next((stem for stem in stems if finds(naming(stem))), None)
            if stem is not None:
                word, changed = stem, True
        read.append(word)
    return " ".join(read) if changed else None


def as_typed(query, found):
    """The folded words `found` as the query spells them ("buổi" for "buoi"), joined by spaces."""
    parts = [part.strip(",.;:!?、。，") for part in query.split()]
    return " ".join(next((part for part in parts if compact(part) == word), word) for word in found)


def filter_cities(queryset, query):
    """Cities whose key holds every word of the query (`holding_every_word`); all of them for
    an empty query."""
    found = terms(query)
    queryset = queryset.filter(holding_every_word(found))
    if not found:
        return queryset
    # Cities whose own name starts with the first word come before those matched otherwise
    # (by prefecture or office), so "Fukushima" lists Fukushima City first.
    first = found[0]
    named = Q(name_ja__startswith=first) | Q(name_kana__startswith=first)
    for spelling in spellings(first):
        named |= Q(name__istartswith=spelling)
    rank = Case(When(named, then=Value(0)), default=Value(1))
    return queryset.order_by(rank, F("number").asc(nulls_last=True), "code")


def named_each(queryset, query):
    """The cities of `queryset` that a query of two or more words names one by one, each word a
    city's own name ("Koriyama Iwaki", "郡山 いわき"), when every word names one, in the order
    named; else none."""
    found = list(dict.fromkeys(terms(query)))
    if len(found) < 2:
        return queryset.none()
    holders = queryset.filter(reduce(or_, map(holding, found))).select_related("prefecture")
    named = [[city.pk for city in holders if names_exactly(city, word)] for word in found]
    if not all(named):
        return queryset.none()
    # The first city named first: its card shows its desk.
    order = Case(*(When(pk__in=pks, then=Value(index)) for index, pks in enumerate(named)))
    return queryset.filter(pk__in=[pk for pks in named for pk in pks]).order_by(order, "code")


def refresh_search_keys(cities=None):
    """Recompute and store the keys of the given cities (all by default).

    Called after bulk changes (the `directory_changed` signal) and after per-row edits, so
    neither depends on how a record was written. A few queries, whatever the number of cities.
    (A city's count of classes is not stored: it changes when an end date passes, with no edit;
    see `CityQuerySet.with_class_link_count`.)
    """
    from .models import City, ClassLink, Department

    queryset = City.objects.select_related("prefecture")
    if cities is not None:
        queryset = queryset.filter(pk__in=[getattr(c, "pk", c) for c in cities])
    cities = list(queryset)
    ids = [city.pk for city in cities]
    departments, providers = {}, {}
    # Plain tuples, not model instances: an import may have just added thousands of links.
    for city_id, name in Department.objects.filter(city__in=ids).values_list("city_id", "name"):
        departments.setdefault(city_id, []).append(name)
    for city_id, label in ClassLink.objects.filter(city__in=ids).values_list("city_id", "label"):
        providers.setdefault(city_id, []).append(label)
    changed = []
    for city in cities:
        key = search_key(city, departments.get(city.pk, ()), providers.get(city.pk, ()))
        if key != city.search_key:
            city.search_key = key
            changed.append(city)
    with transaction.atomic():
        City.objects.bulk_update(changed, ["search_key"], batch_size=500)
    return len(changed)
