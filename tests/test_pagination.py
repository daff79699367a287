"""The results' paginator: the same pages as Django's, with one query fewer when they fit."""

import pytest
from django.core import paginator as django_paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import City
from directory.pagination import Paginator
from tests.builders import make_city


def cities(number):
    for _ in range(number):
        make_city()
    return City.objects.order_by("code")


def read_first_page(paginator_class, queryset, per_page, orphans=0):
    with CaptureQueriesContext(connection) as queries:
        paginator = paginator_class(queryset, per_page, orphans=orphans)
        page = paginator.page(1)
        shown = [city.pk for city in page]
        figures = (paginator.count, paginator.num_pages, page.has_next(), shown)
    return figures, len(queries)


@pytest.mark.parametrize(
    ("rows", "per_page", "orphans"),
    [(0, 5, 0), (3, 5, 0), (5, 5, 0), (6, 5, 0), (12, 5, 0), (7, 5, 2)],
)
def test_the_first_page_and_count_are_djangos(db, rows, per_page, orphans):
    queryset = cities(rows)
    ours, _ = read_first_page(Paginator, queryset, per_page, orphans)
    djangos, _ = read_first_page(django_paginator.Paginator, queryset, per_page, orphans)
    assert ours == djangos


def test_a_search_that_fits_on_one_page_costs_one_query_not_two(db):
    queryset = cities(4)
    (count, *_), queries = read_first_page(Paginator, queryset, per_page=20)
    assert (count, queries) == (4, 1)
    _, djangos = read_first_page(django_paginator.Paginator, queryset, per_page=20)
    assert djangos == 2


def test_a_search_past_one_page_still_counts_every_city(db):
    queryset = cities(23)
    (count, num_pages, has_next, shown), queries = read_first_page(Paginator, queryset, 20)
    assert (count, num_pages, has_next, len(shown), queries) == (23, 2, True, 20, 2)


def test_later_pages_are_djangos(db):
    queryset = cities(23)
    page = Paginator(queryset, 20).page(2)
    assert [city.pk for city in page] == [city.pk for city in queryset[20:]]
    with pytest.raises(django_paginator.EmptyPage):
        Paginator(queryset, 20).page(3)
