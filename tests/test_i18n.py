"""The public languages: URLs carry them, the first visit follows the browser, pages say so."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CODES = [code for code, _name in settings.LANGUAGES]
NAMES_IN_THEMSELVES = {
    "en": "English",
    "ja": "日本語",
    "ja-easy": "やさしい にほんご",
    "zh-hans": "简体中文",
    "zh-hant": "繁體中文",
    "vi": "Tiếng Việt",
    "ko": "한국어",
    "fil": "Filipino",
    "pt-br": "Português (Brasil)",
    "ne": "नेपाली",
    "id": "Bahasa Indonesia",
    "my": "မြန်မာဘာသာ",
}


def city_url(city, code):
    with translation.override(code):
        return city.get_absolute_url()


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("vi-VN,vi;q=0.9,en;q=0.5", "/vi/"),
        ("ja-JP,ja;q=0.9", "/ja/"),
        ("zh-CN,zh;q=0.9", "/zh-hans/"),
        ("zh-TW,zh;q=0.9", "/zh-hant/"),
        ("zh-HK", "/zh-hant/"),
        # Cantonese, as a phone set to it asks, before English.
        ("yue-HK,en;q=0.9", "/zh-hant/"),
        ("yue-Hant-HK", "/zh-hant/"),
        ("yue", "/zh-hant/"),
        ("yue-CN", "/zh-hans/"),
        ("pt-BR", "/pt-br/"),
        ("pt", "/pt-br/"),
        ("ko-KR", "/ko/"),
        ("tl", "/fil/"),
        # Older Android phones: Java's old codes for Filipino and Indonesian.
        ("tl-PH,tl;q=0.9,en-US;q=0.8", "/fil/"),
        ("tl-PH", "/fil/"),
        ("in-ID", "/id/"),
        ("in", "/id/"),
        ("fil-PH", "/fil/"),
        ("ne-NP", "/ne/"),
        ("my-MM", "/my/"),
        ("id-ID", "/id/"),
        ("de-DE,fr;q=0.8", "/en/"),
        ("", "/en/"),
    ],
)
def test_the_first_visit_goes_to_the_language_the_browser_asks_for(
    client, db, accept_language, expected
):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_every_language_has_its_own_home_page(client, db):
    for code in CODES:
        response = client.get(f"/{code}/")
        assert response.status_code == 200, code
        assert response.headers["Content-Language"] == code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Chinese as people type it or apps produce it: Simplified, unless Taiwan's is asked for.
        ("/zh/", "/zh-hans/"),
        ("/zh", "/zh-hans/"),
        ("/zh-cn/cities/toyota/?say=ask", "/zh-hans/cities/toyota/?say=ask"),
        ("/zh-CN/search/?q=Toyota&page=2", "/zh-hans/search/?q=Toyota&page=2"),
        ("/zh-tw/", "/zh-hant/"),
        ("/zh-TW/cities/toyota/", "/zh-hant/cities/toyota/"),
        # Portuguese: the site's is Brazil's.
        ("/pt/about/", "/pt-br/about/"),
        ("/pt-BR/search/?q=%E8%B1%8A%E7%94%B0", "/pt-br/search/?q=%E8%B1%8A%E7%94%B0"),
        # Capitals, read off paper or typed on a phone that capitalises the first letter.
        ("/VI/", "/vi/"),
        ("/VI/search?q=Hue", "/vi/search/?q=Hue"),
        ("/Ja/prefectures/13/", "/ja/prefectures/13/"),
        ("/JA-EASY/", "/ja-easy/"),
    ],
)
def test_a_language_prefix_typed_otherwise_leads_to_the_sites_language(client, db, typed, expected):
    response = client.get(typed)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("url", ["/xx/cities/toyota/", "/zh/no-such-page/", "/static/zh/site.css"])
def test_a_prefix_that_is_no_language_or_leads_to_no_page_is_still_not_found(client, db, url):
    assert client.get(url).status_code == 404


def test_the_admin_is_not_led_to_a_language(client, db):
    response = client.get("/admin/zh/")
    assert response["Location"] == "/admin/login/?next=/admin/zh/"


def test_the_admin_speaks_japanese_to_a_japanese_browser(client, db):
    response = client.get(reverse("admin:login"), headers={"accept-language": "ja,en;q=0.8"})
    assert response.status_code == 200
    assert '<html lang="ja"' in response.text and "ログイン" in response.text
    assert response.headers["Content-Language"] == "ja"


def test_the_admin_speaks_english_to_a_browser_asking_for_a_language_it_does_not_speak(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = client.get(reverse("admin:login"), headers={"accept-language": "vi,fr;q=0.8"})
    assert '<html lang="en"' in response.text and "Log in" in response.text


def test_the_admin_follows_a_staff_members_saved_language_over_the_browser(admin_client):
    from directory.models import StaffProfile

    user = admin_client.session["_auth_user_id"]
    StaffProfile.objects.create(user_id=user, language="en")
    response = admin_client.get(reverse("admin:index"), headers={"accept-language": "ja"})
    assert '<html lang="en"' in response.text and "Site administration" in response.text
    StaffProfile.objects.filter(user_id=user).update(language="ja")
    response = admin_client.get(reverse("admin:index"), headers={"accept-language": "en"})
    assert '<html lang="ja"' in response.text and "サイト管理" in response.text


def test_django_knows_the_languages_it_does_not_ship(settings):
    easy = translation.get_language_info("ja-easy")
    assert easy["name_local"] == "やさしい にほんご" and not easy["bidi"]
    assert translation.get_language_info("fil")["name_local"] == "Filipino"
    for code in CODES:
        assert translation.check_for_language(code), f"no compiled catalogue for {code}"


def test_each_page_declares_its_language_and_its_alternates(client, seed):
    city = seed_city()
    pages = [("en", "en"), ("vi", "vi"), ("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")]
    for code, tag in [*pages, ("ja-easy", "ja-x-easy")]:
        response = client.get(city_url(city, code))
        html = response.text
        assert f'<html lang="{tag}">' in html, code
        alternates = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
        )
        assert set(alternates) == {
            *(NAMES_IN_THEMSELVES.keys() - {"zh-hans", "zh-hant", "pt-br", "ja-easy"}),
            "zh-Hans",
            "zh-Hant",
            "pt-BR",
            "ja-x-easy",
            "x-default",
        }
        assert alternates["x-default"] == f"http://testserver{city_url(city, 'en')}"
        assert alternates["pt-BR"] == f"http://testserver{city_url(city, 'pt-br')}"


def test_the_switcher_names_each_language_in_itself_and_keeps_the_page(client, seed):
    city = seed_city()
    html = client.get(city_url(city, "ko")).text
    links = re.findall(
        r'<li><a href="([^"]+)" lang="[^"]+" hreflang="[^"]+"( aria-current="page")?>([^<]+)</a>',
        html,
    )
    assert [name for _url, _current, name in links] == [NAMES_IN_THEMSELVES[code] for code in CODES]
    assert [url for url, _current, _name in links] == [city_url(city, code) for code in CODES]
    assert [name for _url, current, name in links if current] == ["한국어"]


def test_the_switcher_keeps_the_query_string(client, seed):
    html = client.get("/vi/?q=Koriyama&page=1").text
    assert 'href="/ja/?q=Koriyama&amp;page=1"' in html


def test_the_language_links_carry_what_a_visitor_typed_escaped(client, seed):
    html = client.get('/vi/search/?q="><b>郡山</b>&classes=on', HTTP_HOST="localhost").text
    escaped = "?q=%22%3E%3Cb%3E%E9%83%A1%E5%B1%B1%3C/b%3E&amp;classes=on"
    assert f'<a href="/ja/search/{escaped}" lang="ja"' in html
    assert f'hreflang="ko" href="http://localhost/ko/search/{escaped}"' in html
    assert "<b>" not in html


def seed_city():
    from directory.models import City

    return City.objects.get(name="City of Koriyama")


def page_description(html):
    return re.search(r'<meta name="description" content="([^"]+)">', html)[1]


@pytest.mark.parametrize(
    ("language", "city", "prefecture"),
    [
        (
            "en",
            "International-affairs desks and Japanese classes in City of Koriyama 郡山市.",
            "International-affairs desks and Japanese classes in Fukushima 福島県.",
        ),
        ("ja", "郡山市の国際交流窓口と日本語教室。", "福島県の国際交流窓口と日本語教室。"),
        (
            "ja-easy",
            "郡山市 の こくさい の まどぐち と にほんご きょうしつ。",
            "福島県 の こくさい の まどぐち と にほんご きょうしつ。",
        ),
        (
            "vi",
            "Văn phòng quốc tế và lớp tiếng Nhật ở City of Koriyama 郡山市.",
            "Văn phòng quốc tế và lớp tiếng Nhật ở Fukushima 福島県.",
        ),
    ],
)
def test_a_city_s_and_a_prefecture_s_page_describe_that_place_in_the_page_s_language(
    client, seed, language, city, prefecture
):
    # Every page carried the site's one description, which a shared link's preview and a
    # search engine showed for each city alike.
    html = client.get(f"/{language}/cities/koriyama/").text
    assert page_description(html) == city
    html = client.get(f"/{language}/prefectures/07/").text
    assert page_description(html) == prefecture
    # Other pages keep the site's own.
    html = client.get(f"/{language}/about/").text
    assert page_description(html) not in (city, prefecture)


@pytest.mark.parametrize(
    ("language", "description"),
    [
        ("en", "Where foreign residents of Kori 桑折町 can ask for help."),
        ("ja", "桑折町にお住まいの外国人の相談先。"),
        ("ja-easy", "桑折町 に すんで いる がいこくじん が そうだん できる ところ。"),
        ("ko", "Kori 桑折町에 사는 외국인 주민의 상담처."),
    ],
)
def test_an_unlisted_place_s_page_describes_that_place_in_the_page_s_language(
    client, places, language, description
):
    # The page of a place with no desk listed carried the site's one description, the same
    # for every town and village in a shared link's preview and a search engine's results.
    html = client.get(f"/{language}/places/073016/").text
    assert page_description(html) == description


def test_a_shared_page_previews_with_its_own_title_in_its_language(client, seed):
    city = seed_city()
    html = client.get(city_url(city, "zh-hans")).text
    title = re.search(r"<title>(.*) · madoguchi</title>", html)[1]
    description = re.search(r'<meta name="description" content="([^"]+)">', html)[1]
    og = dict(re.findall(r'<meta property="og:([a-z_]+)" content="([^"]*)">', html))
    assert og["title"] == title == "City of Koriyama 郡山市"
    assert og["description"] == description == "City of Koriyama 郡山市的国际交流窗口和日语教室。"
    assert og["url"] == f"http://testserver{city_url(city, 'zh-hans')}"
    assert og["locale"] == "zh_CN"
    html = client.get('/fil/search/?q="><b>郡山</b>', HTTP_HOST="localhost").text
    og = dict(re.findall(r'<meta property="og:([a-z_]+)" content="([^"]*)">', html))
    assert og["locale"] == "fil_PH"
    # Escaped once, as the title is.
    assert og["title"] == "Hanap: &quot;&gt;&lt;b&gt;郡山&lt;/b&gt;"
    assert og["url"] == "http://localhost/fil/search/?q=%22%3E%3Cb%3E%E9%83%A1%E5%B1%B1%3C/b%3E"
