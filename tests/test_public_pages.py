"""The public pages, read as a visitor's browser receives them (no JavaScript needed)."""

import gzip
import json
import re
from datetime import time
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import views
from directory.models import (
    City,
    ClassLink,
    Department,
    DepartmentPhone,
    OpeningHours,
    Prefecture,
)
from directory.signals import directory_changed
from tests.builders import make_city, make_class_link, make_department, valid_code

HTML_LIMIT = 30 * 1024


@pytest.fixture
def get(client):
    def fetch(url, **params):
        response = client.get(url, params, HTTP_HOST="localhost")
        assert response.status_code == 200, url
        return response

    return fetch


def text(response):
    """The page's text without tags, spaces collapsed, as a reader sees it."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<head>.*?</head>", " ", html, flags=re.S)
    html = html.replace("<wbr>", "")  # a place the line may break, not a space
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def result_names(response):
    return [city.name for city in response.context["cities"]]


# Home


def test_home_lists_all_47_prefectures_by_region_with_their_city_counts(seed, get):
    response = get("/en/")
    page = text(response)
    regions = response.context["regions"]
    assert [label for label, _ in regions][:2] == ["Hokkaido", "Tohoku"]
    assert sum(len(prefectures) for _, prefectures in regions) == 47
    assert "Fukushima 福島県 3 cities" in page
    assert "Iwate 岩手県 1 city" in page
    assert "Miyagi 宮城県 No cities listed" in page
    assert 'action="/en/search/"' in response.content.decode()


def test_home_links_the_cities_with_a_desk_or_class_in_the_pages_language_once_one_has(db, get):
    link = 'href="/vi/search/?speaks=vi"'
    city = make_city()
    make_department(city, languages=["ja", "en"])
    assert link not in get("/vi/").content.decode()
    make_department(city, name="Multilingual Desk", languages=["vi"])
    page = get("/vi/")
    assert link in page.content.decode()
    assert "Thành phố có văn phòng hoặc lớp học bằng Tiếng Việt" in text(page)
    # Named in the page's language and its own; a class speaks for its city too.
    english = text(get("/en/"))
    assert "Cities with a desk or class in English" in english
    chinese = get("/zh-hans/").content.decode()
    assert 'href="/zh-hans/search/?speaks=zh"' not in chinese
    make_class_link(city, languages=["zh"])
    chinese = get("/zh-hans/").content.decode()
    assert 'href="/zh-hans/search/?speaks=zh"' in chinese
    # Every desk speaks Japanese: no such link on a Japanese page.
    for language in ("ja", "ja-easy"):
        assert "speaks=" not in get(f"/{language}/").content.decode()


def test_a_prefecture_without_cities_says_so_and_names_neighbours_that_have_some(seed, get):
    page = text(get("/en/prefectures/04/"))
    assert "No city in Miyagi is listed." in page
    assert "Prefectures in Tohoku with listed cities" in page
    assert "Fukushima 福島県 3 cities" in page
    assert "Aomori 青森県 2 cities" in page
    assert "Hokkaido" not in page.split("Prefectures in Tohoku")[1]


def test_a_prefecture_page_lists_its_cities(seed, get):
    response = get("/en/prefectures/07/")
    assert result_names(response) == ["City of Koriyama", "Iwaki City", "Fukushima City"]
    assert 'href="/en/cities/koriyama/"' in response.content.decode()


def test_a_prefecture_with_many_cities_lists_them_page_by_page(seed, get):
    add_many_cities(1150)  # 25 more in each prefecture but Miyagi, Tokyo's among them
    tokyo = Prefecture.objects.get(code="13").cities.count()
    first = get("/en/prefectures/13/")
    assert len(result_names(first)) == 20
    assert 'href="?page=2" rel="next"' in first.content.decode()
    last_page = (tokyo + 19) // 20
    last = get("/en/prefectures/13/", page=last_page)
    assert len(result_names(last)) == tokyo - 20 * (last_page - 1)
    assert f"Page {last_page} of {last_page}" in text(last)
    # Every city once, over all the pages (read from the HTML: a page seen before is cached).
    every = [get("/en/prefectures/13/", page=n).content.decode() for n in range(1, last_page + 1)]
    links = [link for html in every for link in re.findall(r'href="(/en/cities/[^"]+)"', html)]
    assert len(links) == len(set(links)) == tokyo


def test_an_unknown_prefecture_or_city_is_not_found(seed, client):
    assert client.get("/en/prefectures/99/", HTTP_HOST="localhost").status_code == 404
    assert client.get("/en/cities/atlantis/", HTTP_HOST="localhost").status_code == 404


@pytest.mark.parametrize(
    ("path", "words"),
    [
        # A link to a city the directory does not list: its name is one tap from a search.
        ("/vi/cities/hamamatsu/", "hamamatsu"),
        ("/en/cities/higashi-atlantis/report/", "higashi atlantis"),
        ("/en/nowhere/", ""),
    ],
)
def test_the_page_not_found_searches_for_the_city_its_address_names(seed, client, path, words):
    response = client.get(path, HTTP_HOST="localhost")
    assert response.status_code == 404
    assert f'<input type="search" name="q" id="id_q" value="{words}"' in response.text


# Results


def test_search_results_come_from_the_query_in_the_url(seed, get):
    # The first letters: the whole name would lead straight to the city's page.
    response = get("/en/search/", q="こおり")
    assert result_names(response) == ["City of Koriyama"]
    assert "1 city found" in text(response)
    assert 'value="こおり"' in response.content.decode()


def test_filters_by_region_prefecture_and_class_links(seed, get):
    assert len(result_names(get("/en/search/", region="shikoku"))) == 3
    assert result_names(get("/en/search/", prefecture="07", q="iwak")) == ["Iwaki City"]
    with_classes = result_names(get("/en/search/", region="tohoku", classes="on"))
    assert "Morioka City" not in with_classes  # Morioka lists no class link
    assert "City of Koriyama" in with_classes
    assert "Morioka City" in result_names(get("/en/search/", region="tohoku"))


def test_the_form_shows_each_searchs_own_choices_however_many_came_before(seed, get):
    def chosen(response):
        html = response.content.decode()
        return (
            re.findall(r'<option value="(\w*)" selected>', html),
            'name="classes" id="id_classes" checked' in html,
            "Select a valid choice" in html,
        )

    for _ in range(2):  # the second time round, each form is one kept from the first
        assert chosen(get("/en/search/", region="tohoku", classes="on")) == (
            ["tohoku", ""],
            True,
            False,
        )
        assert chosen(get("/en/search/", region="kinki")) == (["kinki", ""], False, False)
        assert chosen(get("/en/search/", prefecture="27")) == (["", "27"], False, False)
        assert chosen(get("/en/search/", region="atlantis")) == ([""], False, True)
        assert chosen(get("/en/search/", q="iwak")) == (["", ""], False, False)


def test_text_and_filters_combine(seed, get):
    assert result_names(get("/en/search/", q="Fukushima", region="kanto")) == []


def test_results_paginate_and_page_links_keep_the_filters(seed, get):
    first = get("/en/search/", classes="on")
    assert first.context["paginator"].count > 20
    html = first.content.decode()
    assert 'href="?classes=on&amp;page=2"' in html
    second = get("/en/search/", classes="on", page=2)
    assert set(result_names(first)).isdisjoint(result_names(second))
    assert 'href="?classes=on&amp;page=1"' in second.content.decode()


def test_a_city_card_follows_an_edit_and_the_language_at_once(seed, get):
    assert "City of Koriyama 郡山市 Fukushima 1 Japanese class link" in text(
        get("/en/search/", q="koriyam")
    )
    koriyama = City.objects.get(name="City of Koriyama")
    koriyama.name = "Kōriyama"
    koriyama.save()  # as the admin saves it
    assert "Kōriyama 郡山市 Fukushima 1 Japanese class link" in text(
        get("/en/search/", q="koriyam")
    )
    ClassLink.objects.create(city=koriyama, url="https://example.jp/nihongo")
    assert "Kōriyama 郡山市 Fukushima 2 Japanese class links" in text(
        get("/en/search/", q="koriyam")
    )
    assert "2 lớp tiếng Nhật" in text(get("/vi/search/", q="koriyam"))


def test_an_empty_result_says_what_was_searched_and_what_to_try(seed, get):
    page = text(get("/en/search/", q="Atlantis", region="kinki", classes="on"))
    assert "0 cities found" in page
    assert "No city matches your search." in page
    assert "You searched for" in page
    assert "“Atlantis”" in page
    assert "Region Kansai (Kinki)" in page
    assert "Filter Has Japanese class links" in page
    assert "Type the name in Japanese" in page
    assert "Search again without filters" in page


@pytest.mark.parametrize(
    ("url", "query"), [("/vi/", {}), ("/vi/prefectures/07/", {}), ("/vi/search/", {"q": "Kori"})]
)
def test_the_search_hint_is_read_with_the_box_and_its_japanese_examples_in_japanese(
    seed, get, url, query
):
    page = get(url, **query).content.decode()
    box = re.search(r'<input type="search" name="q"[^>]*>', page)[0]
    assert 'aria-describedby="search-hint"' in box
    hint = re.search(r'<p class="hint" id="search-hint">(.*?)</p>', page, re.S)[1]
    assert "Koriyama" in hint
    assert '<span lang="ja">郡山</span>' in hint and '<span lang="ja">こおりやま</span>' in hint


@pytest.mark.parametrize("code", ["ko", "ne", "my"])
def test_the_search_hint_gives_an_example_in_the_visitors_script_that_finds_the_city(
    seed, get, client, code
):
    page = get(f"/{code}/").content.decode()
    hint = unescape(re.search(r'<p class="hint" id="search-hint">(.*?)</p>', page, re.S)[1])
    # "..., 郡山, こおりやま, 고리야마.": the example after the Japanese ones, in Korean's script.
    example = re.search(r"こおりやま</span>\s*[,、]\s*([^\s.।။]+)", hint)[1]
    assert not example.isascii()
    found = client.get(f"/{code}/search/", {"q": example}, HTTP_HOST="localhost")
    assert found["Location"] == f"/{code}/cities/koriyama/"


def test_the_japanese_examples_are_marked_only_on_a_page_not_in_japanese(seed, get):
    tips = get("/fil/search/", q="Atlantis").content.decode()
    assert "I-type ang pangalan sa Japanese, hal. " in tips
    assert '<span lang="ja">郡山</span> o <span lang="ja">こおりやま</span>' in tips
    for code in ("ja", "ja-easy"):
        page = get(f"/{code}/search/", q="Atlantis").content.decode()
        assert "郡山、こおりやま" in page and '<span lang="ja">郡山' not in page
        hint = re.search(r'<p class="hint" id="search-hint">(.*?)</p>', page, re.S)[1]
        assert "Koriyama、郡山、こおりやま" in hint


def test_an_unknown_prefecture_in_the_url_is_an_error_not_every_city(seed, get):
    response = get("/en/search/", prefecture="99")
    assert result_names(response) == []
    assert "Select a valid choice" in text(response)


# Not found


@pytest.mark.parametrize(
    "url", ["/vi/no-such-page/", "/vi/cities/atlantis/", "/vi/prefectures/99/"]
)
def test_a_page_not_found_says_so_in_the_visitors_language(seed, client, url):
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 404
    page = text(response)
    assert "Không tìm thấy trang" in page  # "Page not found"
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'action="/vi/search/"' in html
    assert '<a href="/vi/">' in html
    # Each language offers its home page, not the same missing address.
    assert '<a href="/ja/" lang="ja"' in html
    assert 'rel="alternate"' not in html


# City page


def test_the_city_page_shows_names_desks_mail_and_classes(seed, get):
    response = get("/en/cities/koriyama/")
    page = text(response)
    html = response.content.decode()
    assert "City of Koriyama 郡山市" in page
    assert "Equality, Intercultural Society, and Youth Empowerment Division" in page
    assert 'href="mailto:tabunkakyousei@city.koriyama.lg.jp"' in html
    assert "tabunkakyousei@city.koriyama.lg.jp" in page
    # On a phone the address wraps before "@" or ".", never mid-word ("koriyam" / "a.lg.jp").
    assert "tabunkakyousei<wbr>@city<wbr>.koriyama<wbr>.lg<wbr>.jp" in html
    assert ">city<wbr>.koriyama<wbr>.lg<wbr>.jp</span>" in html
    assert 'href="https://www.city.koriyama.lg.jp/"' in html
    assert 'href="https://www.city.koriyama.lg.jp/site/kiea/"' in html
    assert "Japanese classes" in page


def test_class_links_are_grouped_under_the_department_that_gives_them(seed, get):
    page = text(get("/en/cities/toyonaka/"))
    human_rights, social_education = page.split("Social Education Division", 1)
    assert "Toyonaka International Association a-atoms.info" in human_rights
    assert "Japanese class city.toyonaka.osaka.jp" in social_education
    assert "a-atoms.info" not in social_education


NO_CLASS = "No Japanese class is listed for this city. Write to the office"
ALL_ENDED = "Every Japanese class listed for this city has ended. Write to the office"


def test_a_city_whose_classes_have_all_ended_tells_the_visitor_to_write_to_the_office(db, get):
    city = make_city()
    make_department(city)
    ClassLink.objects.create(city=city, url="https://example.jp/a", status="ended")
    page = text(get(f"/en/cities/{city.slug}/"))
    assert f"{ALL_ENDED}: they can tell you where to learn." in page
    assert NO_CLASS not in page


def test_the_hint_for_a_city_whose_classes_have_ended_is_in_the_visitors_language(db, get):
    city = make_city()
    make_department(city)
    ClassLink.objects.create(city=city, url="https://example.jp/a", status="ended")
    page = text(get(f"/vi/cities/{city.slug}/"))
    assert "Mọi lớp tiếng Nhật được liệt kê của thành phố này đều đã kết thúc." in page
    assert "Hãy viết thư cho văn phòng" in page and "Every Japanese class" not in page


def test_a_city_with_a_running_class_beside_an_ended_one_shows_no_hint(db, get):
    city = make_city()
    make_department(city)
    ClassLink.objects.create(city=city, url="https://example.jp/a", status="ended")
    ClassLink.objects.create(city=city, url="https://example.jp/b")
    page = text(get(f"/en/cities/{city.slug}/"))
    assert "Write to the office" not in page


def test_the_note_is_shown_where_there_is_one(seed, get):
    page = text(get("/en/cities/naha/"))
    assert "a Japanese Language Education Division has not yet been established" in page
    # No office to write to: the page points to where else to ask instead (issue 17).
    assert "Write to the office" not in page and "Where else to ask" in page
    assert "has not yet been established" not in text(get("/en/cities/koriyama/"))


def test_the_city_page_carries_schema_org_data_for_its_departments(seed, get):
    html = get("/en/cities/kashiwa/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "GovernmentOrganization"
    assert data["name"] == "Kashiwa City"
    assert data["alternateName"] == "柏市"
    assert [d["email"] for d in data["department"]] == [
        "info-kysk@city.kashiwa.chiba.jp",
        "shido@city.kashiwa.chiba.jp",
    ]
    assert data["url"].endswith("/en/cities/kashiwa/")


def test_an_address_that_wraps_is_still_escaped(db, get):
    department = make_department(make_city(), email="a&b<i>@example.jp")
    html = get(department.city.get_absolute_url()).content.decode()
    assert "a&amp;b&lt;i&gt;<wbr>@example<wbr>.jp" in html
    assert "<i>" not in html


def test_json_ld_cannot_close_its_script_element(db, get):
    from tests.builders import make_city, make_department

    city = make_city(name="Testville")
    make_department(city, name="</script><script>alert(1)</script>")
    html = get(city.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert json.loads(block)["department"][0]["name"].startswith("</script>")


# Every page: size, CSP, no inline code


def public_urls():
    urls = ["/en/", "/en/search/", "/en/search/?q=osaka", "/en/search/?q=atlantis&region=kinki"]
    urls += [p.get_absolute_url() for p in Prefecture.objects.all()]
    urls += [c.get_absolute_url() for c in City.objects.all()]
    return urls


def test_every_page_is_small_and_has_no_inline_script_or_style(seed, client):
    for url in public_urls():
        response = client.get(url, HTTP_HOST="localhost")
        html = response.content.decode()
        assert response.status_code == 200, url
        assert len(response.content) < HTML_LIMIT, url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
        for script in re.findall(r"<script[^>]*>", html):
            assert script == '<script type="application/ld+json">', url
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_stylesheet_is_one_small_file():
    css = settings.BASE_DIR / "static" / "css" / "site.css"
    # What a phone downloads: whitenoise serves it compressed.
    assert len(gzip.compress(css.read_bytes())) < 5 * 1024
    assert [p.name for p in css.parent.iterdir()] == ["site.css"]


def test_the_stylesheet_is_served_by_whitenoise_with_a_hashed_name(seed, client):
    html = client.get("/en/", HTTP_HOST="localhost").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", href)
    response = client.get(href, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert b".card" in b"".join(response.streaming_content)


# A fixed number of queries, whatever the number of cities


def add_many_cities(count=500):
    """`count` more cities spread over the prefectures but Miyagi, each with a desk and class."""
    prefectures = list(Prefecture.objects.exclude(code="04"))
    cities = City.objects.bulk_create(
        City(
            prefecture=prefectures[i % len(prefectures)],
            name=f"Bulktown {i}",
            name_ja=f"大量{i}市",
            name_kana="たいりょうし",
            code=valid_code(f"{60000 + i:05d}"),
            slug=f"bulktown-{i}",
        )
        for i in range(count)
    )
    departments = Department.objects.bulk_create(
        Department(city=city, name="Desk", email="desk@example.jp") for city in cities
    )
    # Classes with details: each adds locations, a schedule and languages to the HSDS export.
    ClassLink.objects.bulk_create(
        ClassLink(
            city=d.city,
            department=d,
            url=f"https://example.jp/{d.city.slug}",
            name="にほんご教室",
            venue="公民館",
            attendance="both",
            weekdays=["MO", "TH"],
            languages=["vi", "en"],
            status="running",
        )
        for d in departments
    )
    # Every desk, the seed's included, gains two phones and a week of opening hours.
    every_desk = list(Department.objects.all())
    DepartmentPhone.objects.bulk_create(
        DepartmentPhone(department=d, number=f"+8124924{n:04d}", position=n)
        for d in every_desk
        for n in range(2)
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(department=d, weekday=day, opens=time(8, 30), closes=time(17, 15))
        for d in every_desk
        for day in range(5)
    )
    Department.objects.update(
        languages=["en", "zh", "vi"], address_ja="試験", postal_code="000-0000"
    )
    directory_changed.send(sender=City)


PAGES = [
    "/en/",
    "/en/search/",
    "/en/search/?q=bulktown&classes=on&page=2",
    "/en/search/?q=osaka&region=kinki",
    "/en/prefectures/07/",
    "/en/prefectures/04/",
    "/en/cities/kashiwa/",
    "/en/cities/naha/",
    "/en/places/141003/",
    "/en/places/221384/",
    "/en/search/?q=yokohama",
    "/en/search/?q=000-0000",
    "/en/data/cities.csv",
    "/en/data/departments.json",
    "/en/data/class-links.csv",
    "/en/data/hsds/",
    "/en/cities/bulktown-7/",
    "/sitemap.xml",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST="localhost")
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def staff_card_of(slug):
    desk = Department.objects.filter(city__slug=slug).first()
    return f"/en/cities/{slug}/desks/{desk.pk}/staff-card/?say=learn"


def test_every_public_page_makes_a_fixed_number_of_queries(places, client):
    pages = [*PAGES, staff_card_of("kashiwa")]
    few = {url: count_queries(client, url) for url in pages if "bulktown" not in url}
    # Twice the seed is enough to show a query made per row; three pages of search results.
    add_many_cities(60)
    assert City.objects.count() == 122
    many = {url: count_queries(client, url) for url in pages}
    for url, queries in few.items():
        assert many[url] == queries, url
    for url, queries in many.items():
        assert queries <= 8, (url, queries)


def test_a_server_error_says_so_in_the_visitors_language(client, db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a fault")

    monkeypatch.setattr(views.HomeView, "get_context_data", fail)
    client.raise_request_exception = False
    response = client.get("/vi/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Đã xảy ra lỗi" in page and 'href="/vi/"' in page


def test_a_website_behind_a_translation_proxy_is_named_by_the_city_site_it_translates(seed, get):
    # The published table links Utsunomiya's desk through a machine-translation service.
    page = get("/id/cities/utsunomiya/")
    shown = text(page)
    assert "city.utsunomiya.lg.jp" in shown
    assert "j-server.com" not in shown
    assert "j-server.com" in page.content.decode()  # the link itself is kept as published
