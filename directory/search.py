"""Search the directory the way visitors type: any script, any case, with or without long vowels.

Each city keeps a denormalised `search_key`: every name a visitor might know it by (English,
kanji, kana, romaji read from the official kana, prefecture, departments, class providers), each
folded by `folding.compact()`. A query is folded the same way and each of its words must occur
in the key; on PostgreSQL, pg_trgm's index on the key serves those `LIKE '%word%'` tests.
"""

from functools import cache

from django.db import transaction
from django.db.models import Case, F, Q, Value, When

from .folding import as_typed_or_hepburn, compact, kana_to_romaji, spellings, words


def terms(query):
    """The folded words of a query, an address written prefecture first being two words."""
    return words(query, _prefecture_names_ja())


@cache
def _prefecture_names_ja():
    # The fixture, not the database: a search must not cost a query more. Full names only
    # ("福島県"): a bare "福島" also begins 福島市, which must stay one word.
    from .importexport.published_table import prefecture_fixture

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


def filter_cities(queryset, query):
    """Cities whose key holds every word of the query; all of them for an empty query.

    A word in kana also matches through its romaji, so "こうりやま" finds Kōriyama too, and a
    word in Latin letters through its Hepburn spelling, so "Hukusima" finds Fukushima.
    """
    found = terms(query)
    for word in found:
        match = Q()
        for spelling in spellings(word):
            match |= Q(search_key__contains=spelling)
        queryset = queryset.filter(match)
    if not found:
        return queryset
    # Cities whose own name starts with the first word come before those matched otherwise
    # (by prefecture or office), so "Fukushima" lists Fukushima City first.
    first = found[0]
    named = Q(name_ja__startswith=first) | Q(name_kana__startswith=first)
    for spelling in as_typed_or_hepburn(first):
        named |= Q(name__istartswith=spelling)
    rank = Case(When(named, then=Value(0)), default=Value(1))
    return queryset.order_by(rank, F("number").asc(nulls_last=True), "code")


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
    # Plain tuples, not model instances: an import may have just added thousands of links.
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
