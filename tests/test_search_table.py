"""The search test table: real queries, as visitors type them, each with the page it must reach.

Run on SQLite and on PostgreSQL (`DATABASE_URL=postgres://...`), over the real seed and every
municipality of Japan. A row names where the visitor ends up:

- `CityPage(slug)`: straight to the listed city's page;
- `Listed(slug, ...)`: the results list those cities, the first one first;
- `Place(code)`: the unlisted place's page, or a results page offering it;
- `Prefecture(code, listed, namesake)`: the prefecture's listed cities, under a sentence saying
  no city of that name is listed here, with a link to that city's place page when there is one;
- `DidYouMean(slug)`: a results page that offers "Did you mean ...?" with a link to the city;
- `UnlistedPrefecture(code)`: a prefecture with no listed city, named as it is: a results page
  saying no city in it is listed, with a link to its page, not asking to check the spelling;
- `Classes(slug)`: the cities with Japanese class links, the box ticked, that city among them.
"""

import re
from dataclasses import dataclass

import pytest
from django.db import connection

from directory import models
from directory.models import City, Municipality


@dataclass(frozen=True)
class CityPage:
    slug: str


@dataclass(frozen=True)
class Listed:
    slugs: tuple


@dataclass(frozen=True)
class Place:
    code: str


@dataclass(frozen=True)
class Prefecture:
    code: str
    listed: tuple
    namesake: str | None


@dataclass(frozen=True)
class DidYouMean:
    slug: str


@dataclass(frozen=True)
class UnlistedPrefecture:
    code: str


@dataclass(frozen=True)
class Classes:
    slug: str


TABLE = [
    # Listed cities by their name, in every script.
    ("Hakodate", CityPage("hakodate")),
    ("函館", CityPage("hakodate")),
    ("函館市", CityPage("hakodate")),
    ("はこだて", CityPage("hakodate")),
    ("ハコダテ", CityPage("hakodate")),
    ("Kōriyama", CityPage("koriyama")),
    ("Kooriyama", CityPage("koriyama")),
    ("ｺｵﾘﾔﾏ", CityPage("koriyama")),
    ("福島県郡山市", CityPage("koriyama")),
    ("Hachiōji", CityPage("hachioji")),
    ("Hachiouji", CityPage("hachioji")),
    ("八王子市", CityPage("hachioji")),
    ("Ōtsu", CityPage("otsu")),
    ("Ôtu", CityPage("otsu")),
    ("Kôti", CityPage("kochi")),
    ("Utunomiya", CityPage("utsunomiya")),
    ("Higashi-Ōsaka", CityPage("higashiosaka")),
    ("鹿児島市", CityPage("kagoshima")),
    ("なは", CityPage("naha")),
    ("Iwaki City", CityPage("iwaki")),
    ("Koshigaya-shi", CityPage("koshigaya")),
    ("Takasaki, Gunma", CityPage("takasaki")),
    # Chinese forms of Japanese place names.
    ("丰桥", CityPage("toyohashi")),
    ("豐橋", CityPage("toyohashi")),
    ("那霸", CityPage("naha")),
    ("冈崎", CityPage("okazaki")),
    ("函馆", CityPage("hakodate")),
    ("宇都宫", CityPage("utsunomiya")),
    ("鹿儿岛", CityPage("kagoshima")),
    ("横须贺", CityPage("yokosuka")),
    ("金泽", CityPage("kanazawa")),
    ("长崎市", CityPage("nagasaki")),
    # Words about the service, not the place.
    ("Koriyama japanese class", CityPage("koriyama")),
    ("郡山 日本語教室", CityPage("koriyama")),
    ("郡山市日本語教室", CityPage("koriyama")),
    ("Koriyama city hall", CityPage("koriyama")),
    ("郡山市役所", CityPage("koriyama")),
    ("Kashiwa international association", CityPage("kashiwa")),
    # Kawagoe is also a town in Mie: the listed city is offered, not taken for granted.
    ("Kawagoe", Listed(("kawagoe",))),
    ("Himeji 国際交流", CityPage("himeji")),
    ("Nagano-ken Matsumoto", CityPage("matsumoto")),
    ("Japanese class Osaka", Prefecture("27", ("toyonaka",), "271004")),
    ("日语教室", Classes("koriyama")),
    ("日本語教室", Classes("koriyama")),
    ("nihongo", Classes("koriyama")),
    ("にほんご", Classes("koriyama")),
    ("international", Listed(("hakodate", "asahikawa"))),
    ("国際交流", Listed(("hakodate", "asahikawa"))),
    # Several cities, or the first letters of one.
    ("Fukushima", Listed(("fukushima", "koriyama", "iwaki"))),
    ("福島県", Listed(("koriyama", "iwaki", "fukushima"))),
    ("Kori", Listed(("koriyama",))),
    ("Toyo", Listed(("toyota", "toyohashi", "toyonaka"))),
    ("Higashi", Listed(("higashiosaka",))),
    ("Kuru", Listed(("kurume",))),
    # A whole name, not the cities holding its letters (higashiosAKASHI, toyonAKASHI).
    ("Akashi", CityPage("akashi")),
    ("あかし", CityPage("akashi")),
    # A word that matched only a prefecture.
    ("Hiroshima", Prefecture("34", ("kure", "fukuyama"), "341002")),
    ("広島", Prefecture("34", ("kure", "fukuyama"), "341002")),
    ("Hiroshima-ken", Prefecture("34", ("kure", "fukuyama"), "341002")),
    ("ひろしま", Prefecture("34", ("kure", "fukuyama"), "341002")),
    ("広島県", Prefecture("34", ("kure", "fukuyama"), "341002")),
    ("Hiroshima Prefecture", Prefecture("34", ("kure", "fukuyama"), "341002")),
    # Named as the prefecture, whose city of that name is listed: the prefecture still.
    ("Fukushima Prefecture", Prefecture("07", ("koriyama", "iwaki", "fukushima"), None)),
    ("후쿠시마현", Prefecture("07", ("koriyama", "iwaki", "fukushima"), None)),
    ("tỉnh Fukushima", Prefecture("07", ("koriyama", "iwaki", "fukushima"), None)),
    ("Nara-ken", Prefecture("29", ("nara",), None)),
    ("Okinawa", Prefecture("47", ("naha",), "472115")),
    ("Aichi", Prefecture("23", ("toyota", "toyohashi", "okazaki", "ichinomiya"), None)),
    ("Gunma", Prefecture("10", ("maebashi", "takasaki"), None)),
    # A prefecture with no listed city, in any script, however short its name.
    ("Mie", UnlistedPrefecture("24")),
    ("三重県", UnlistedPrefecture("24")),
    ("Miyagi", UnlistedPrefecture("04")),
    ("宮城県", UnlistedPrefecture("04")),
    ("京都府", UnlistedPrefecture("26")),
    # Unlisted places.
    ("Yokohama", Place("141003")),
    ("横浜", Place("141003")),
    ("横滨", Place("141003")),
    ("よこはま", Place("141003")),
    ("Sapporo", Place("011002")),
    ("札幌市", Place("011002")),
    ("Nagoya", Place("231002")),
    ("名古屋", Place("231002")),
    ("Hamamatsu", Place("221309")),
    ("滨松", Place("221309")),
    ("新宿区", Place("131041")),
    ("Shinjuku-ku", Place("131041")),
    ("Shibuya", Place("131130")),
    ("Sendai city hall", Place("041009")),
    ("Kamakura", Place("142042")),
    ("Karuizawa", Place("203211")),
    ("軽井沢町", Place("203211")),
    ("Otaru", Place("012033")),
    ("Kyōto", Place("261009")),
    # Postal codes, in every form.
    ("〒963-8601", CityPage("koriyama")),
    ("９６３８６０１", CityPage("koriyama")),
    ("040-0001", CityPage("hakodate")),
    ("〒900-0006", CityPage("naha")),
    ("160-0022", Place("131041")),
    ("〒060-0001", Place("011011")),
    ("5300001", Place("271276")),
    ("〒２３１－０００５", Place("141046")),
    # A whole address, as on a residence card or a letter.
    ("福島県郡山市朝日1-23-7", CityPage("koriyama")),
    ("〒963-8601 福島県郡山市朝日1丁目23番7号", CityPage("koriyama")),
    ("郡山市朝日", CityPage("koriyama")),
    ("Koriyama 963-8601", CityPage("koriyama")),
    ("北海道石狩郡当別町白樺1-2", Place("013030")),
    ("当別町白樺", Place("013030")),
    ("横浜市鶴見区鶴見中央3-20-1", Place("141011")),
    ("東京都新宿区西新宿2-8-1", Place("131041")),
    # A word that names no place, beside one that does: left out, and the page says so.
    ("evening japanese class Toyohashi", Listed(("toyohashi",))),
    ("Toyohashi Saturday", Listed(("toyohashi",))),
    ("lớp tiếng Nhật buổi tối Toyohashi", Listed(("toyohashi",))),
    ("Hamamatsu buổi tối", Place("221309")),
    ("evening Yokohama", Place("141003")),
    # Typos.
    ("Hakodatte", DidYouMean("hakodate")),
    ("Toyohshi", DidYouMean("toyohashi")),
    ("Okasaki", DidYouMean("okazaki")),
    ("Kanazwa", DidYouMean("kanazawa")),
    ("Utsunomya", DidYouMean("utsunomiya")),
    ("Shimonoseky", DidYouMean("shimonoseki")),
    ("Kagoshma", DidYouMean("kagoshima")),
    ("Kurashki", DidYouMean("kurashiki")),
    ("Matsuyam", Listed(("matsuyama",))),
]


def search(client, query):
    return client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")


def links(response):
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def slugs(response):
    return [city.slug for city in response.context["cities"]]


def test_the_table_holds_at_least_sixty_real_queries():
    assert len(TABLE) >= 60
    assert len({query for query, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("query", "page"), TABLE, ids=[query for query, _ in TABLE])
def test_each_query_reaches_its_page(places, client, query, page):
    response = search(client, query)
    if isinstance(page, CityPage):
        assert response.status_code == 302, slugs(response)
        assert response["Location"] == f"/en/cities/{page.slug}/"
        return
    if isinstance(page, Place) and response.status_code == 302:
        assert response["Location"] == f"/en/places/{page.code}/"
        return
    assert response.status_code == 200
    if isinstance(page, Place):
        assert f"/en/places/{page.code}/" in links(response)
    elif isinstance(page, Listed):
        assert slugs(response)[: len(page.slugs)] == list(page.slugs)
    elif isinstance(page, Prefecture):
        assert set(page.listed) <= set(slugs(response))
        assert response.context["namesake_prefecture"].code == page.code
        assert "Listed cities in" in response.content.decode()
        if page.namesake:
            assert f"/en/places/{page.namesake}/" in links(response)
            assert response.context["namesake"].code == page.namesake
            assert "is not listed here" in response.content.decode()
        else:
            assert response.context["namesake"] is None
    elif isinstance(page, DidYouMean):
        assert slugs(response) == []
        first = response.context["suggestions"][0]
        assert first.get_absolute_url() == f"/en/cities/{page.slug}/"
        assert "Did you mean" in response.content.decode()
        assert f"/en/cities/{page.slug}/" in links(response)
    elif isinstance(page, UnlistedPrefecture):
        text = response.content.decode()
        name = models.Prefecture.objects.get(code=page.code).name
        assert slugs(response) == []
        assert f"No city in {name} is listed." in text
        assert f"/en/prefectures/{page.code}/" in links(response)
        assert "Check the spelling" not in text and "Did you mean" not in text
    elif isinstance(page, Classes):
        assert 'name="classes" id="id_classes" checked' in response.content.decode()
        assert page.slug in slugs(response)
        assert all(city.class_link_count for city in response.context["cities"])


def test_the_table_runs_on_this_database(places):
    # The same table on both: the lead runs it with DATABASE_URL set to PostgreSQL as well.
    assert connection.vendor in {"sqlite", "postgresql"}
    assert City.objects.count() == 62
    assert Municipality.objects.count() > 1900


# Words about the service in each of the site's languages, each with the query in English or
# Japanese words that it must land where: (language, query, the same query in those words).
OWN_WORDS = [
    ("vi", "lớp tiếng Nhật Toyohashi", "Japanese class Toyohashi"),
    ("vi", "lop tieng nhat Toyohashi", "Japanese class Toyohashi"),
    ("vi", "học tiếng Nhật Hamamatsu", "Japanese class Hamamatsu"),
    ("vi", "giao lưu quốc tế Kashiwa", "Kashiwa international association"),
    ("vi", "văn phòng thành phố Kashiwa", "Kashiwa city hall"),
    ("pt-br", "aula de japonês Toyohashi", "Japanese class Toyohashi"),
    ("pt-br", "curso de japonês Hamamatsu", "Japanese class Hamamatsu"),
    ("pt-br", "curso de língua japonesa em Toyohashi", "Japanese class Toyohashi"),
    ("pt-br", "associação internacional de Kashiwa", "Kashiwa international association"),
    ("pt-br", "prefeitura de Kashiwa", "Kashiwa city hall"),
    ("pt-br", "ajuda para estrangeiros em Kashiwa", "Kashiwa help for foreigners"),
    # Latin letters with the kind or "of" in Japanese written on them.
    ("zh-hans", "Toyohashi市", "Toyohashi City"),
    ("ja", "Hamamatsuの日本語教室", "Japanese class Hamamatsu"),
    # Particles written onto the name: "of", "at".
    ("ja", "豊橋の日本語教室", "Japanese class Toyohashi"),
    ("ja", "とよはしで にほんごきょうしつ", "Japanese class Toyohashi"),
    ("ja", "とよたしの にほんごきょうしつ", "Japanese class Toyota"),
    ("ja", "郡山市の国際交流協会", "Koriyama international association"),
    # "Near", as each language writes it.
    ("vi", "lớp tiếng Nhật gần Toyohashi", "Japanese class near Toyohashi"),
    ("ja", "柏 近く 窓口", "desk near Kashiwa"),
    ("zh-hans", "柏附近 窗口", "desk near Kashiwa"),
    ("ko", "Kashiwa 근처 창구", "desk near Kashiwa"),
    ("fil", "tanggapan malapit sa Kashiwa", "desk near Kashiwa"),
    ("ne", "Kashiwa नजिक कार्यालय", "office near Kashiwa"),
    ("my", "Kashiwa အနီး ရုံး", "office near Kashiwa"),
    ("zh-hans", "日语课 丰桥", "丰桥 日语教室"),
    ("zh-hans", "丰桥日语班", "丰桥 日语教室"),
    ("zh-hans", "滨松 日语课程", "Japanese class Hamamatsu"),
    ("zh-hans", "柏市政厅", "Kashiwa city hall"),
    ("zh-hant", "日語課 豐橋", "丰桥 日语教室"),
    ("zh-hant", "豐橋日語班", "丰桥 日语教室"),
    ("zh-hant", "濱松 日語課程", "Japanese class Hamamatsu"),
    ("zh-hant", "柏市政廳", "Kashiwa city hall"),
    ("zh-hant", "柏 國際交流協會", "Kashiwa international association"),
    # "Of", "at" and "located in", written on the words they join.
    ("zh-hans", "丰桥市的日语教室", "Japanese class Toyohashi"),
    ("zh-hans", "在滨松学日语", "Japanese class Hamamatsu"),
    ("zh-hant", "位於柏的國際交流協會", "Kashiwa international association"),
    ("ko", "도요하시의 일본어 교실", "Japanese class Toyohashi"),
    ("ko", "도요하시시에 있는 일본어 교실", "Japanese class Toyohashi"),
    ("ko", "Kashiwa에서 일본어 수업", "Japanese class Kashiwa"),
    # "At" on a name ending in 시 (도요하시), read the same in every process: its 시에 is no
    # "at the city".
    ("ko", "도요하시에서 일본어 교실", "Japanese class Toyohashi"),
    # "At" alone on the name: 에 also ends names (가니에, Kanie).
    ("ko", "고리야마에 일본어 교실", "Japanese class Koriyama"),
    ("ko", "Toyohashi 일본어 교실", "Japanese class Toyohashi"),
    ("ko", "豊橋 일본어수업", "Japanese class Toyohashi"),
    ("ko", "Kashiwa 시청", "Kashiwa city hall"),
    ("ko", "Kashiwa 국제교류협회", "Kashiwa international association"),
    ("id", "kelas bahasa Jepang di Toyohashi", "Japanese class Toyohashi"),
    ("id", "kursus bahasa Jepang Hamamatsu", "Japanese class Hamamatsu"),
    ("fil", "klase ng wikang Hapon sa Toyohashi", "Japanese class Toyohashi"),
    ("fil", "Nihonggo klase Hamamatsu", "Japanese class Hamamatsu"),
    ("ne", "जापानी भाषा कक्षा Toyohashi", "Japanese class Toyohashi"),
    # "In the city", one word in Nepali, and "in" on the name.
    ("ne", "तोयोहासी सहरमा जापानी कक्षा", "Japanese class Toyohashi"),
    ("ne", "टोयोहासीमा जापानी कक्षा", "Japanese class Toyohashi"),
    ("my", "ဂျပန်စာသင်တန်း Toyohashi", "Japanese class Toyohashi"),
    ("my", "ဂျပန်ဘာသာ သင်တန်း Toyohashi", "Japanese class Toyohashi"),
    ("ja-easy", "とよはし にほんご くらす", "豊橋 日本語教室"),
]


def landing(response):
    """Where a search lands: the page it leads to, or the cities and places it lists."""
    if response.status_code == 302:
        return response["Location"]
    assert response.status_code == 200
    places = [place.code for place in response.context["places"]]
    return slugs(response), places, response.context["filter"].form["classes"].value()


@pytest.mark.parametrize(
    ("language", "query", "same"), OWN_WORDS, ids=[query for _, query, _ in OWN_WORDS]
)
def test_class_and_service_words_in_the_visitors_language_land_where_english_ones_do(
    places, client, language, query, same
):
    own = client.get(f"/{language}/search/", {"q": query}, HTTP_HOST="localhost")
    english = client.get(f"/{language}/search/", {"q": same}, HTTP_HOST="localhost")
    assert landing(own) == landing(english)
    # Somewhere: the city's page, or the place among the results.
    assert own.status_code == 302 or landing(own)[1]
