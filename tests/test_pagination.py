"""Results and prefecture pages list 20 cities a page, and their page links keep the search."""

import re

import pytest

from directory.models import City, Prefecture
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


@pytest.mark.parametrize("url", ["/en/search/?q=testcity&page={}", "/en/prefectures/07/?page={}"])
@pytest.mark.parametrize(
    ("page", "shown"), [("999", "last"), ("0", "last"), ("-1", "last"), ("abc", "first")]
)
def test_a_page_that_does_not_exist_shows_the_nearest_one_kept_out_of_search_engines(
    cities, client, url, page, shown
):
    # An old shared link (the list has since shrunk) or a mistyped number still lists cities.
    response = client.get(url.format(page), HTTP_HOST="localhost")
    assert response.status_code == 200
    number = 2 if shown == "last" else 1
    assert f"Page {number} of 2" in response.content.decode()
    # A duplicate of that page's own address, which alone is indexed.
    assert response["X-Robots-Tag"] == "noindex"
    own = client.get(url.format(number), HTTP_HOST="localhost")
    assert "X-Robots-Tag" not in own


def test_a_page_shown_in_place_of_one_that_does_not_exist_is_not_kept_by_the_page_cache(
    cities, client
):
    # One copy per made-up number would let anyone fill the cache.
    assert "Page 1 of 2" in client.get("/en/prefectures/07/?page=abc").content.decode()
    tokyo = Prefecture.objects.get(code="13")
    City.objects.filter(name__in=cities[:3]).update(prefecture=tokyo)  # no signal
    assert "Page 1 of" not in client.get("/en/prefectures/07/?page=abc").content.decode()


@pytest.mark.parametrize("url", ["/en/search/?q=testcity", "/en/prefectures/07/"])
def test_the_last_page_can_be_asked_for_by_name(cities, client, url):
    response = client.get(url, {"page": "last"}, HTTP_HOST="localhost")
    assert "Page 2 of 2" in response.content.decode()


def test_a_prefecture_lists_twenty_cities_a_page(cities, client):
    first, html = listed(client, "/en/prefectures/07/")
    assert first == [city.name for city in City.objects.filter(prefecture__code="07")][:20]
    assert 'href="?page=2" rel="next"' in html
    second, _ = listed(client, "/en/prefectures/07/", page=2)
    assert len(second) == 3 and set(second).isdisjoint(first)
