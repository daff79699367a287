"""Results and prefecture pages list 20 cities a page, and their page links keep the search."""

import re

import pytest

from directory.models import City
from tests.builders import make_city


@pytest.fixture
def cities(db):
    """23 cities a search for "testcity" finds, in the order it lists them."""
    for _ in range(23):
        make_city(prefecture_code="07")
    return list(City.objects.search("testcity").values_list("name", flat=True))


def listed(client, url, **params):
    response = client.get(url, params, HTTP_HOST="localhost")
    assert response.status_code == 200, (url, params)
    html = response.content.decode()
    return [city.name for city in response.context["cities"]], html


def test_a_search_lists_twenty_cities_and_the_rest_on_the_next_page(cities, client):
    first, html = listed(client, "/en/search/", q="testcity")
    assert first == cities[:20]
    assert "23 cities found" in html
    assert "Page 1 of 2" in html
    second, html = listed(client, "/en/search/", q="testcity", page=2)
    assert second == cities[20:]
    assert "Page 2 of 2" in html


def test_page_links_keep_the_search_and_its_filters(cities, client):
    _, html = listed(client, "/en/search/", q="testcity", region="tohoku", classes="")
    assert 'href="?q=testcity&amp;region=tohoku&amp;classes=&amp;page=2" rel="next"' in html
    _, html = listed(client, "/en/search/", q="testcity", region="tohoku", page=2)
    assert 'href="?q=testcity&amp;region=tohoku&amp;page=1" rel="prev"' in html
    assert 'rel="next"' not in html


def test_a_search_that_fits_on_one_page_has_no_page_links(cities, client):
    City.objects.exclude(name__in=cities[:3]).delete()
    names, html = listed(client, "/en/search/", q="testcity")
    assert names == cities[:3]
    assert not re.search(r'rel="(next|prev)"', html)


@pytest.mark.parametrize("page", ["3", "0", "last-but-one", "-1"])
def test_a_results_page_that_does_not_exist_is_not_found(cities, client, page):
    response = client.get("/en/search/", {"q": "testcity", "page": page}, HTTP_HOST="localhost")
    assert response.status_code == 404


def test_the_last_results_page_can_be_asked_for_by_name(cities, client):
    names, _ = listed(client, "/en/search/", q="testcity", page="last")
    assert names == cities[20:]


def test_a_prefecture_lists_twenty_cities_a_page(cities, client):
    first, html = listed(client, "/en/prefectures/07/")
    assert first == [city.name for city in City.objects.filter(prefecture__code="07")][:20]
    assert 'href="?page=2" rel="next"' in html
    second, _ = listed(client, "/en/prefectures/07/", page=2)
    assert len(second) == 3 and set(second).isdisjoint(first)
