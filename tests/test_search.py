"""Search finds a city by whatever a visitor knows of it, in the script they know."""

import importlib
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from directory import hours
from directory.classes import today
from directory.folding import (
    burmese_to_romaji,
    compact,
    devanagari_to_romaji,
    hangul_to_romaji,
    kana_to_romaji,
    kunrei_to_hepburn,
    read_query,
    spellings,
)
from directory.importexport import sync
from directory.importexport.published_table import parse_file
from directory.models import City, ClassLink, Department, Municipality
from directory.search import terms
from directory.signals import directory_changed
from tests.builders import make_city, make_class_link, make_department


def found(query):
    """The names of the cities a query finds, in order."""
    return list(City.objects.search(query).values_list("name", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "koriyama",
        "KORIYAMA",
        "City of Koriyama",
        "Koriyama City",
        "Kori",
        "Kooriyama",
        "Kōriyama",
        "Kôriyama",
        "Koriyama-shi",
        "郡山",
        "郡山市",
        "こおりやま",
        "こうりやま",
        "コオリヤマ",
        "ｺｵﾘﾔﾏ",
        "ＫＯＲＩＹＡＭＡ",
        "  koriyama  ",
    ],
)
def test_it_finds_koriyama_by_every_spelling(seed, query):
    assert found(query) == ["City of Koriyama"]


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("Hachiouji", "Hachioji City"),
        ("はちおうじ", "Hachioji City"),
        ("Ōita", "Oita"),
        ("Ooita", "Oita"),
        ("Kōchi", "Kochi City"),
        ("Higashi Osaka", "Higashiosaka City"),
        ("Higashi-Ōsaka", "Higashiosaka City"),
        ("とっとり", "Tottori"),
        ("ナハ", "Naha City"),
    ],
)
def test_it_folds_long_vowels_and_word_breaks_in_other_cities(seed, query, city):
    assert city in found(query)


@pytest.mark.parametrize("query", ["Akashi", "Akashi-shi", "Akashi City", "あかし", "アカシ"])
def test_akashi_does_not_list_cities_whose_names_only_hold_its_letters(seed, query):
    # "higashiosakashi" and "toyonakashi" hold "akashi", but not where a name begins.
    assert found(query) == ["Akashi"]


@pytest.mark.parametrize(
    ("query", "not_listed"),
    [
        ("Ota", "Toyota City"),  # toyOTA
        ("Ichi", "Toyohashi City"),  # its prefecture, aICHI
        ("Tsu", "Utsunomiya"),  # uTSUnomiya
        ("Kita", "Akita City"),  # aKITA
        ("Saki", "Nagasaki"),  # nagaSAKI
        ("Yama", "Wakayama City"),  # wakaYAMA
    ],
)
def test_a_word_does_not_list_cities_that_hold_it_only_inside_their_names(seed, query, not_listed):
    assert not_listed not in found(query)


@pytest.mark.parametrize(
    ("query", "cities"),
    [
        ("Kuru", ["Kurume City"]),
        ("Aka", ["Akashi"]),
        ("Ichi", ["Ichinomiya City"]),
        ("Higashi", ["Higashiosaka City"]),
        # Kunrei-shiki, as far as typed; the prefecture's name begins so too.
        ("Hukusi", ["Fukushima City", "City of Koriyama", "Iwaki City"]),
        ("こおり", ["City of Koriyama"]),
        ("くるめ", ["Kurume City"]),
    ],
)
def test_the_first_letters_of_a_name_still_find_the_city(seed, query, cities):
    assert found(query) == cities


def test_chinese_characters_still_find_a_name_inside_another(seed):
    # Each character is a word of the name: 東大阪 is "east Osaka", 宇都宮 "the shrine of Utsu".
    assert "Higashiosaka City" in found("大阪市")
    assert {"Utsunomiya", "Ichinomiya City", "Nishinomiya City"} <= set(found("宮"))


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("Hukusima", "Fukushima City"),
        ("Utunomiya", "Utsunomiya"),
        ("Kagosima", "Kagoshima"),
        ("Nisinomiya", "Nishinomiya City"),
        ("Hatiôzi", "Hachioji City"),
        ("Ôtu", "Otsu City"),
        ("Kôti", "Kochi City"),
    ],
)
def test_it_finds_a_city_spelled_in_kunrei_shiki_as_schools_in_japan_teach(seed, query, city):
    assert found(query)[0] == city


def test_kunrei_shiki_becomes_hepburn_and_hepburn_stays_as_it_is():
    assert kunrei_to_hepburn("hukusima") == "fukushima"
    assert kunrei_to_hepburn("tyuzyo") == "chujo"
    for hepburn in ["fukushima", "shuzenji", "chuo", "tsuchiura", "matsushima"]:
        assert kunrei_to_hepburn(hepburn) == hepburn


def test_hangul_is_read_as_korean_writes_japanese_names():
    assert hangul_to_romaji("하코다테") == ["hakodate"]
    # Korean writes つ as 쓰 (the rules) or 츠 (most people), っ as ㅅ under the syllable before.
    assert hangul_to_romaji("우쓰노미야") == hangul_to_romaji("우츠노미야") == ["utsunomiya"]
    assert hangul_to_romaji("삿포로") == ["sapporo"]
    # A first consonant is written unvoiced whatever it is: 기후 is Gifu, 고베 Kobe.
    assert hangul_to_romaji("기후") == ["kifu", "gifu"]
    assert "joetsu" in hangul_to_romaji("조에쓰")
    assert hangul_to_romaji("가고시마") == ["kagoshima", "gagoshima"]


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("하코다테", "Hakodate"),
        ("고리야마", "City of Koriyama"),
        ("우츠노미야", "Utsunomiya"),
        ("기후", "Gifu City"),
        ("돗토리", "Tottori"),
        ("하치오지시", "Hachioji City"),
        ("히가시오사카", "Higashiosaka City"),
        ("후쿠시마현 이와키", "Iwaki City"),
        ("오사카부 스이타", "Suita"),
        ("가고시마 일본어교실", "Kagoshima"),
    ],
)
def test_it_finds_a_city_written_in_hangul(seed, query, city):
    assert found(query)[0] == city


def test_devanagari_is_read_as_nepali_writes_japanese_names():
    assert devanagari_to_romaji("कुरुमे") == ["kurume"]
    assert devanagari_to_romaji("आइची") == ["aichi"]
    assert devanagari_to_romaji("ओकिनावा") == ["okinawa"]
    # A virama joins two consonants with no vowel between them.
    assert devanagari_to_romaji("हामामात्सु") == ["hamamatsu"]
    assert devanagari_to_romaji("होक्काइडो") == ["hokkaido"]
    # त and ट, स and श sound alike to Japanese ears; "si" is read as Hepburn's "shi".
    assert spellings("तोयोहासी") == spellings("टोयोहासी") == spellings("तोयोहाशी") == ["toyohashi"]
    # Nepali drops a last consonant's "a"; "kiyo" may be きよ or きょ; ज is じ or ず.
    assert devanagari_to_romaji("कोनान") == ["konan"]
    assert devanagari_to_romaji("टोकियो") == ["tokiyo", "tokyo"]
    assert spellings("शिजुओका") == ["shijuoka", "shizuoka"]
    assert devanagari_to_romaji("ab") == ["ab"]


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("कुरुमे", "/ne/cities/kurume/"),
        ("तोयोहासी", "/ne/cities/toyohashi/"),
        ("टोयोहासी", "/ne/cities/toyohashi/"),
        ("तोयोहाशी", "/ne/cities/toyohashi/"),
        ("नाहा", "/ne/cities/naha/"),
        ("फुकुयामा", "/ne/cities/fukuyama/"),
        ("कुरुमे शहर", "/ne/cities/kurume/"),
    ],
)
def test_a_city_typed_in_devanagari_is_found(seed, client, query, city):
    response = client.get("/ne/search/", {"q": query}, HTTP_HOST="localhost")
    assert response["Location"] == city


@pytest.mark.parametrize(
    ("language", "query", "prefecture", "city"),
    [
        # Utsunomiya, Tochigi; Kurume, Fukuoka; Naha, Okinawa (its prefecture first).
        ("ne", "उत्सुनोमिया तोचिगी", "तोचिगी", "utsunomiya"),
        ("ne", "कुरुमे फुकुओका", "फुकुओका", "kurume"),
        ("ne", "ओकिनावा नाहा", "ओकिनावा", "naha"),
        ("ko", "우츠노미야 도치기", "도치기", "utsunomiya"),
        ("ko", "구루메 후쿠오카", "후쿠오카", "kurume"),
        ("ko", "오키나와현 나하", "오키나와현", "naha"),
    ],
)
def test_a_city_and_its_prefecture_typed_in_devanagari_or_hangul_open_the_city_page(
    seed, client, language, query, prefecture, city
):
    response = client.get(f"/{language}/search/", {"q": query}, HTTP_HOST="localhost")
    assert response.get("Location") == f"/{language}/cities/{city}/"
    # The prefecture alone still lists its cities.
    response = client.get(f"/{language}/search/", {"q": prefecture}, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert city in [found.slug for found in response.context["cities"]]


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("आइची", "Toyohashi City"),
        ("ओकिनावा", "Naha City"),
        ("फुकुओका", "Kurume City"),
        ("टोकियो", "Hachioji City"),
        ("टोक्यो", "Hachioji City"),
    ],
)
def test_a_prefecture_typed_in_devanagari_lists_its_cities(seed, query, city):
    assert city in found(query)


def test_a_place_or_a_misspelt_city_in_devanagari_is_offered(places, client):
    page = client.get("/ne/search/", {"q": "हामामात्सु"}, HTTP_HOST="localhost")
    assert [place.code for place in page.context["places"]] == ["221309"]
    # "Hakodatte", as the Latin letters' did-you-mean has it.
    page = client.get("/ne/search/", {"q": "हाकोदात्ते"}, HTTP_HOST="localhost")
    assert [city.name for city in page.context["suggestions"]] == ["Hakodate"]
    assert 'href="/ne/cities/hakodate/"' in page.text


@pytest.mark.parametrize(
    ("query", "city"),
    [
        # Nepali writes "in", "of" and "from" onto the name: "in Toyohashi", "Toyohashi's".
        ("टोयोहासीमा", "toyohashi"),
        ("टोयोहासीमा जापानी कक्षा", "toyohashi"),
        ("टोयोहासीको", "toyohashi"),
        ("कोरियामाबाट", "koriyama"),
        ("कोरियामामा", "koriyama"),  # its own name ends as "in" does
    ],
)
def test_a_city_with_a_nepali_postposition_written_on_is_found(places, client, query, city):
    response = client.get("/ne/search/", {"q": query}, HTTP_HOST="localhost")
    assert response["Location"] == f"/ne/cities/{city}/"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("हामामात्सुमा", "221309"),
        # Names that end as a postposition does are read whole: Yokohama, Ako (赤穂市).
        ("योकोहामा", "141003"),
        ("आको", "282120"),
    ],
)
def test_a_place_with_a_nepali_postposition_written_on_is_offered(places, client, query, code):
    page = client.get("/ne/search/", {"q": query}, HTTP_HOST="localhost")
    assert [place.code for place in page.context["places"]][:1] == [code]


def test_burmese_is_read_as_myanmar_writes_japanese_names():
    assert burmese_to_romaji("ဟာကိုဒါတေ") == ["hakodate"]
    # A consonant with no vowel sign has the vowel "a"; ို is "o", and tone marks are no sound.
    assert burmese_to_romaji("နဂိုယ") == burmese_to_romaji("နာဂိုယာ") == ["nagoya"]
    assert burmese_to_romaji("အအိချိ") == ["aichi"]
    # An asat ends a syllable with its consonant: a nasal is ん, a stop doubles the next one.
    assert burmese_to_romaji("ဆပ်ပိုရို")[0] == "sapporo"
    assert burmese_to_romaji("ရှင်ဂျူကု")[0] == "shinjuku"
    # ကျ is "ky" or "ch" and ရ "r" or "y", as Burmese says them.
    assert burmese_to_romaji("တိုကျို") == ["tokyo", "tocho"]
    assert burmese_to_romaji("ကိုရီယားမား") == ["koriyama", "koyiyama"]
    # The word for city written onto the name, as Burmese does, is no part of it.
    assert burmese_to_romaji("နာဂိုယာမြို့") == ["nagoya"]
    assert burmese_to_romaji("ab") == ["ab"]


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("ကိုရီယားမား", "koriyama"),
        ("ကိုရီယားမားမြို့", "koriyama"),
        ("ကိုရီယားမား မြို့", "koriyama"),
        ("ကူရူမေ", "kurume"),
        ("တိုယိုဟာရှီ", "toyohashi"),
        ("အိုကီနာဝါ နာဟ", "naha"),  # its prefecture first
        ("ဂျပန်ဘာသာ သင်တန်း ကိုရီယားမား", "koriyama"),  # Japanese class, Koriyama
    ],
)
def test_a_city_typed_in_burmese_is_found(seed, client, query, city):
    response = client.get("/my/search/", {"q": query}, HTTP_HOST="localhost")
    assert response["Location"] == f"/my/cities/{city}/"


def test_a_prefecture_a_place_or_a_misspelt_city_in_burmese_is_answered(places, client):
    def search(query):
        return client.get("/my/search/", {"q": query}, HTTP_HOST="localhost").context

    assert "Toyohashi City" in [city.name for city in search("အအိချိ")["cities"]]  # Aichi
    assert [place.name for place in search("ရှင်ဂျူကု")["places"]][:1] == ["Shinjuku"]
    assert [city.name for city in search("ဟာကိုဒါတ္တေ")["suggestions"]] == ["Hakodate"]


def test_romanised_nepali_words_for_city_are_ignored(seed):
    assert found("Kurume shahar") == ["Kurume City"]
    assert found("naha nagar") == ["Naha City"]
    assert "Kawagoe" in found("Kawagoe sahar")
    # Not "महा" left of महानगरपालिका (metropolitan city) once नगरपालिका is cut out of it.
    assert read_query("कुरुमे महानगरपालिका") == (["कुरुमे"], False)
    assert read_query("Kurume nagarpalika") == (["kurume"], False)


def test_no_place_is_named_by_a_nepali_word_for_city():
    from directory.places import read_places

    nepali = {"sahar", "shahar", "nagar", "nagarpalika", "mahanagarpalika", "upamahanagarpalika"}
    for place in read_places():
        named = {place.name, kana_to_romaji(place.name_kana)}
        assert not {compact(word) for name in named for word in name.split()} & nepali, place


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("トヨハシ市", "/ne/cities/toyohashi/"),
        ("なは市", "/ne/cities/naha/"),
        ("ふくやま市", "/ne/cities/fukuyama/"),
        ("ふくおか県くるめ市", "/ne/cities/kurume/"),
    ],
)
def test_kana_with_shi_in_kanji_finds_the_city(seed, client, query, city):
    response = client.get("/ne/search/", {"q": query}, HTTP_HOST="localhost")
    assert response["Location"] == city


def test_kana_with_its_kind_in_kanji_is_the_name_and_the_kind():
    assert read_query("とよはし市") == (["とよはし"], False)
    assert read_query("しんじゅく区") == (["しんじゅく"], False)
    # A place whose own name is in kana stays whole.
    assert read_query("いわき市", places={"いわき市"}) == (["いわき市"], False)


@pytest.mark.parametrize(
    ("address", "city"),
    [
        ("福島県郡山市", "City of Koriyama"),
        ("東京都八王子市", "Hachioji City"),
        ("北海道函館", "Hakodate"),
    ],
)
def test_it_finds_a_city_written_after_its_prefecture_in_one_word(seed, address, city):
    assert found(address) == [city]


@pytest.mark.parametrize(
    "address",
    [
        "Koriyama-shi Asahi 1-23-7",
        "1-23-7 Asahi, Koriyama-shi, Fukushima-ken",  # as on a residence card
        "Asahi 1-23-7 Koriyama City",
    ],
)
def test_an_address_in_romaji_leads_to_its_city_whatever_its_street_is_called(
    seed, client, address
):
    # The street's name and numbers are no place's words.
    assert not {"asahi", "1", "23", "7"} & set(terms(address))
    response = client.get("/en/search/", {"q": address}, HTTP_HOST="localhost")
    assert response["Location"] == "/en/cities/koriyama/"


@pytest.mark.parametrize(
    "address",
    [
        # As Google Maps writes an address in English, and in the order Japanese writes it.
        "1 Chome-23-7 Asahi, Koriyama, Fukushima 963-8024, Japan",
        "1-chōme-23-7 Asahi, Koriyama, Fukushima",
        "Japan, 〒963-8024 Fukushima, Koriyama, Asahi, 1 Chome−23−7",
        "1-23-7 Asahi, City of Koriyama",
        "Asahi 1-23-7, Koriyama, Fukushima",
    ],
)
def test_an_address_copied_from_a_map_opens_its_citys_page(places, client, address):
    # Each found nothing: its street's words (Asahi, Chome) and the country are no place's.
    response = client.get("/en/search/", {"q": address}, HTTP_HOST="localhost")
    assert response.get("Location") == "/en/cities/koriyama/", address


@pytest.mark.parametrize(
    ("address", "place"),
    [
        # A ward of a designated city, its city after it with no kind, as Google Maps writes it.
        ("1-1 Tenjin, Chuo Ward, Fukuoka", "401331"),
        ("1 Chome-8-1 Tenjin, Chuo Ward, Fukuoka", "401331"),
        ("3 Chome-1-1 Sakae, Naka Ward, Nagoya, Aichi", "231061"),
    ],
)
def test_an_address_in_a_ward_lists_that_ward_first_not_every_ward_of_its_name(
    places, client, address, place
):
    # "1-1 Tenjin, Chuo Ward, Fukuoka" listed every Chuo ward of Japan, Sapporo's first.
    response = client.get("/en/search/", {"q": address}, HTTP_HOST="localhost")
    found = [found.code for found in response.context["places"]]
    assert found[0] == place, address
    assert all(code[:2] == place[:2] for code in found), address


def test_the_part_of_an_address_holding_its_street_number_names_no_place():
    assert terms("1 Chome-23-7 Asahi, Koriyama, Fukushima 963-8024") == ["koriyama", "fukushima"]
    assert terms("Fukushima, Koriyama, Asahi, 1 Chome-23-7") == ["fukushima", "koriyama"]
    # The postal code is no street number: the prefecture beside it stays.
    assert terms("Koriyama, Fukushima 963-8024") == ["koriyama", "fukushima"]
    assert terms("〒963-8024 Asahi 1-23-7, Koriyama") == ["koriyama"]
    # A prefecture alone is too little to be left: the street's part also names the city.
    assert terms("Fukushima, Koriyama 1-23-7") == ["fukushima", "koriyama"]
    # Without a comma, which word is the street's is not known: all are kept.
    assert terms("Asahi Koriyama 1") == ["asahi", "koriyama"]
    # A number alone names nothing, and is no address either.
    assert terms("Koriyama, 2") == ["koriyama"]


def test_a_ward_s_address_in_romaji_finds_the_ward_and_a_query_with_no_street_number_is_no_address(
    places,
):
    found_places = Municipality.objects.unlisted().search("Shinjuku-ku Nishishinjuku 2-8-1")
    assert found_places[0].name == "Shinjuku"
    assert terms("Yokohama-shi Naka-ku Nihon-odori 1") == ["yokohama"]
    assert terms("Shinonome-cho Hakodate") == ["shinonome", "hakodate"]


def test_a_city_named_like_its_prefecture_stays_one_word():
    assert terms("福島市") == ["福島市"]
    assert terms("福島県") == ["福島県"]


def test_it_finds_the_cities_of_a_prefecture_by_its_english_or_japanese_name(seed):
    expected = {"City of Koriyama", "Iwaki City", "Fukushima City"}
    assert set(found("Fukushima")) == expected
    assert set(found("福島県")) == expected
    assert set(found("福島")) == expected


def test_a_city_named_like_its_prefecture_comes_first(seed):
    assert found("Fukushima")[0] == "Fukushima City"


def test_it_finds_a_city_by_a_department_name(seed):
    assert found("Marriage Matchmaking") == ["Fukushima City"]


def test_it_finds_a_city_by_a_class_provider_name(seed):
    assert found("Iwaki International Association") == ["Iwaki City"]


def test_every_word_must_match(seed):
    assert found("Koriyama Fukushima") == ["City of Koriyama"]
    assert found("Koriyama Osaka") == []


def test_an_empty_query_keeps_every_city(seed):
    assert City.objects.search("").count() == City.objects.count() == 62
    assert City.objects.search("   ").count() == 62


def test_nonsense_finds_nothing(seed):
    assert found("xyzzy") == []
    assert found("郡山xyzzy") == []


def test_punctuation_alone_is_no_search_at_all(seed):
    # "%" and "_" never reach the database as LIKE wildcards: they are word breaks.
    assert terms("% _ ?") == []
    assert City.objects.search("%").count() == 62


def test_the_word_city_alone_still_searches():
    assert terms("city") == ["city"]
    assert terms("Shinjuku city") == ["shinjuku"]


def test_the_folding_needs_no_django():
    # A script or another program can fold names as the site does without settings.
    code = "import sys, directory.folding; assert not [m for m in sys.modules if 'django' in m]"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


def test_every_process_reads_a_query_alike_whatever_its_hash_seed():
    # Gunicorn's workers each have their own: a query read two ways answered by worker.
    code = (
        "import json, directory.folding as f\n"
        "names = ['도요하시', '豊橋', 'टोयोहासी', 'とよはし', 'ကိုရိယာမ', 'toyohashi', '豊橋市']\n"
        "said = sorted({*f.CLASS_WORDS, *f.SERVICE_WORDS})\n"
        "queries = [q for n in names for w in said for q in (n + w, w + n, n + w + w)]\n"
        "print(json.dumps([f.read_query(q) for q in queries]))"
    )
    readings = {
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            cwd=Path(__file__).parent.parent,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(4)
    }
    assert len(readings) == 1


def test_kana_becomes_hepburn_romaji():
    assert kana_to_romaji("こおりやまし") == "kooriyamashi"
    assert kana_to_romaji("しものせきし") == "shimonosekishi"
    assert kana_to_romaji("とっとりし") == "tottorishi"
    assert kana_to_romaji("まっちゃ") == "matcha"
    assert kana_to_romaji("きょうと") == "kyouto"
    assert kana_to_romaji("ジャパン") == "japan"
    assert compact("Kyōto") == compact(kana_to_romaji("きょうと")) == "kyoto"


# The key must follow the data however it was written.


def test_the_key_follows_a_renamed_department(db):
    city = make_city(name="Testville")
    department = make_department(city, name="Welcome Desk")
    assert found("Welcome Desk") == ["Testville"]
    department.name = "Hello Desk"
    department.save()
    assert found("Welcome Desk") == []
    assert found("Hello Desk") == ["Testville"]
    department.delete()
    assert found("Hello Desk") == []


def test_the_key_follows_a_class_link_and_the_city_itself(db):
    city = make_city(name="Testville", name_ja="試験市", name_kana="しけんし")
    make_class_link(city, label="Friendly Tutors")
    assert found("Friendly Tutors") == ["Testville"]
    assert found("shiken") == ["Testville"]
    city.name_ja = "検査市"
    city.save()
    assert found("検査") == ["Testville"]
    assert found("試験") == []


def test_the_loader_leaves_every_key_and_count_current(db):
    sync.apply(sync.plan(parse_file()))
    assert all(city.search_key for city in City.objects.all())
    assert found("こおりやま") == ["City of Koriyama"]
    for city in City.objects.with_class_link_count():
        assert city.class_link_count == city.class_links.count(), city.name
    assert City.objects.with_class_link_count().get(name="Akashi").class_link_count == 3


def class_link_counts(*cities):
    counted = City.objects.with_class_link_count()
    return [counted.get(pk=city.pk).class_link_count for city in cities]


def test_the_class_link_count_follows_links_added_moved_and_deleted(db):
    first, second = make_city(), make_city()
    link = make_class_link(first)
    make_class_link(first)
    assert class_link_counts(first, second) == [2, 0]
    link.city = second
    link.save()  # as the admin saves it
    assert class_link_counts(first, second) == [1, 1]
    link.delete()
    assert class_link_counts(first, second) == [1, 0]


def test_the_class_link_count_leaves_out_classes_that_have_ended(db):
    city = make_city()
    yesterday, tomorrow = today() - timedelta(days=1), today() + timedelta(days=1)
    make_class_link(city, status="ended", status_date=yesterday)
    make_class_link(city, status="ended")
    assert class_link_counts(city) == [0]
    make_class_link(city, status="ended", status_date=tomorrow)  # runs until then
    make_class_link(city, status="paused")
    make_class_link(city)
    assert class_link_counts(city) == [3]


def card_text(response):
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(html))


def test_a_city_whose_only_class_has_ended_is_not_found_by_a_search_for_classes(db, client):
    ended = make_city(prefecture_code="27", name="Sakuradai")
    make_class_link(ended, status="ended", status_date=date(2026, 3, 31))
    running = make_city(prefecture_code="27", name="Momodai")
    make_class_link(running)
    query = {"q": "Osaka", "classes": "on"}
    response = client.get("/vi/search/", query, HTTP_HOST="localhost")
    assert [city.name for city in response.context["cities"]] == ["Momodai"]
    response = client.get("/vi/search/", {"q": "Osaka"}, HTTP_HOST="localhost")
    shown = card_text(response)
    assert "Momodai" in shown and "Sakuradai" in shown
    assert shown.count("1 lớp tiếng Nhật") == 1, "Momodai's; none for Sakuradai"


def test_the_class_count_drops_soon_after_the_midnight_its_class_ends_with_no_edit(
    db, client, monkeypatch
):
    clock = [datetime(2026, 3, 31, 23, 50, tzinfo=hours.TOKYO)]
    monkeypatch.setattr(hours, "tokyo_now", lambda: clock[0])
    monkeypatch.setattr("time.time", lambda: clock[0].timestamp())
    city = make_city(name="Sakuradai")
    make_class_link(city, status="ended", status_date=date(2026, 3, 31))  # its last day

    def results():
        # The first letters: the whole name would lead straight to the city's page.
        return card_text(client.get("/en/search/", {"q": "Sakura"}, HTTP_HOST="localhost"))

    assert "Sakuradai" in results() and "1 Japanese class link" in results()
    clock[0] += timedelta(minutes=10, seconds=settings.PAGE_CACHE_SECONDS)
    assert "Sakuradai" in results() and "1 Japanese class link" not in results()


def test_a_department_moved_to_another_city_leaves_the_first_key_too(db):
    first, second = make_city(name="Firstville"), make_city(name="Secondville")
    department = make_department(first, name="Roaming Desk")
    department.city = second
    department.save()
    assert found("Roaming Desk") == ["Secondville"]


def test_a_bulk_write_that_sends_directory_changed_leaves_keys_current(db):
    city = make_city(name="Testville")
    # Bulk writes skip per-row signals; the sender of directory_changed makes them right.
    Department.objects.bulk_create([Department(city=city, name="Bulk Desk")])
    ClassLink.objects.bulk_create(
        [ClassLink(city=city, url="https://example.jp/c", label="Bulk Tutors")]
    )
    City.objects.filter(pk=city.pk).update(name_ja="一括市")
    assert found("Bulk Desk") == []
    directory_changed.send(sender=City)
    assert found("Bulk Desk") == ["Testville"]
    assert found("Bulk Tutors") == ["Testville"]
    assert found("一括") == ["Testville"]
    assert class_link_counts(city) == [1]


def test_the_refresh_command_repairs_keys_after_a_raw_bulk_write(db):
    from django.core.management import call_command

    city = make_city(name="Testville")
    make_class_link(city)
    City.objects.filter(pk=city.pk).update(search_key="")
    assert found("Testville") == []
    call_command("refresh_search_keys", verbosity=0)
    assert found("Testville") == ["Testville"]


def test_on_postgresql_a_search_can_use_the_trigram_index(seed):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's; SQLite reads the few keys it has")
    sql, params = City.objects.search("kooriyama").query.sql_with_params()
    with connection.cursor() as cursor:
        # With 62 cities the planner rightly reads the table; forbid that to see the index serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "directory_city_search_key_trgm" in plan


# Words about the service, misspelt names, Chinese forms (issue 17); the pages in
# tests/test_search_table.py.


def test_words_about_the_service_leave_the_place_and_class_words_ask_for_classes():
    from directory.folding import read_query

    assert read_query("Koriyama japanese class") == (["koriyama"], True)
    assert read_query("郡山市日本語教室") == (["郡山市"], True)
    assert read_query("Koriyama city hall") == (["koriyama"], False)
    assert read_query("国際交流") == ([], False)
    assert read_query("Shinjuku-ku") == (["shinjuku"], False)
    assert read_query("日语教室") == ([], True)


def test_a_vietnamese_sentence_finds_the_city_it_names_not_a_ward_that_holds_its_little_words(
    places, client
):
    # "ở" (in) folds to "o", which every ward of Hamamatsu holds and the city does not.
    page = client.get("/vi/search/", {"q": "học tiếng Nhật ở Hamamatsu"}, HTTP_HOST="localhost")
    assert [place.name for place in page.context["places"]][:1] == ["Hamamatsu"]


def test_a_chinese_form_of_a_place_name_is_read_as_written_in_japan():
    from directory.folding import japanese_form

    assert japanese_form("丰桥") == "豊橋"
    assert japanese_form("那霸") == "那覇"
    assert japanese_form("横滨") == "横浜"
    assert japanese_form("郡山") == "郡山"
    assert japanese_form("koriyama") == "koriyama"


def test_a_misspelt_name_is_offered_never_found_as_typed(seed):
    assert found("Hakodatte") == []
    assert [city.name for city in City.objects.similar_to("Hakodatte")] == ["Hakodate"]
    assert list(City.objects.similar_to("xyzzy")) == []
    assert list(City.objects.similar_to("Oit")) == []  # too short to guess from


def test_a_class_word_ticks_the_class_box_the_visitor_can_see(seed, client):
    response = client.get("/en/search/", {"q": "nihongo"}, HTTP_HOST="localhost")
    assert 'name="classes" id="id_classes" checked' in response.content.decode()
    assert all(city.class_link_count for city in response.context["cities"])


def test_a_class_box_the_visitor_unticked_stays_unticked_and_finds_cities_without_classes(
    seed, client
):
    # Morioka lists no class link: with the box ticked for "Japanese class", nothing is found.
    asked = client.get("/vi/search/", {"q": "Japanese class Morioka"}, HTTP_HOST="localhost")
    assert list(asked.context["cities"]) == []
    # "Search again without filters"
    again = re.search(r'<li><a href="(/vi/search/\?q=[^"]+)">', asked.text)[1]
    unticked = client.get(unescape(again), HTTP_HOST="localhost", follow=True)
    assert unticked.redirect_chain == [("/vi/cities/morioka/", 302)]
    # The results page's own form sends the unticked box as "classes=".
    listed = client.get(
        "/vi/search/",
        {"q": "Japanese class Iwate", "region": "tohoku", "classes": ""},
        HTTP_HOST="localhost",
    )
    assert [city.name for city in listed.context["cities"]] == ["Morioka City"]
    assert 'name="classes" id="id_classes" checked' not in listed.text
    assert '<input type="hidden" name="classes" value="">' in listed.text


def test_a_search_by_filters_alone_never_leads_straight_to_a_city(seed, client):
    response = client.get(
        "/en/search/", {"q": "international", "prefecture": "47"}, HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    assert [city.name for city in response.context["cities"]] == ["Naha City"]


def test_a_city_found_by_its_whole_name_opens_in_the_visitors_language(seed, client):
    response = client.get("/ja/search/", {"q": "郡山"}, HTTP_HOST="localhost")
    assert response["Location"] == "/ja/cities/koriyama/"


def test_japanese_pages_say_did_you_mean_and_which_city_is_not_listed(places, client):
    page = client.get("/ja/search/", {"q": "Hakodatte"}, HTTP_HOST="localhost").text
    assert 'もしかして <a href="/ja/cities/hakodate/">函館市</a>（北海道）ですか。' in page
    page = client.get("/ja/search/", {"q": "広島"}, HTTP_HOST="localhost").text
    assert '<a href="/ja/places/341002/">広島市</a>はこのサイトに掲載していません。' in page
    assert "広島県で掲載している市：" in page


def test_hindi_script_and_burmese_words_are_not_broken_at_their_vowel_signs():
    from directory.folding import read_query

    assert read_query("जापानी भाषा कक्षा Toyohashi") == (["toyohashi"], True)
    assert read_query("ဂျပန်ဘာသာသင်တန်း Toyohashi") == (["toyohashi"], True)
    assert read_query("일본어교실 豊橋 시청") == (["豊橋"], True)
    assert read_query("giao lưu quốc tế Toyohashi") == (["toyohashi"], False)


def test_characters_not_seen_inside_a_word_do_not_split_it():
    # Utsunomiya with the ZWJ or ZWNJ a Nepali keyboard types after a virama.
    assert read_query("उत्\u200dसुनोमिया") == (["उत्सुनोमिया"], False)
    assert read_query("उत्\u200cसुनोमिया") == (["उत्सुनोमिया"], False)
    # A soft hyphen, zero-width space, word joiner or byte order mark copied from a web page.
    for char in "\u00ad\u200b\u2060\ufeff":
        assert read_query(f"Fuku{char}shima {char}Koriyama") == (["fukushima", "koriyama"], False)
    assert compact("Fu\u00adku\u00adshi\u00adma") == "fukushima"


@pytest.mark.parametrize(
    ("query", "reached"),
    [
        # "Utsunomiya, Tochigi", the city's name with a ZWJ, then with a ZWNJ, after its virama.
        ("उत्\u200dसुनोमिया तोचिगी", "/ne/cities/utsunomiya/"),
        ("उत्\u200cसुनोमिया तोचिगी", "/ne/cities/utsunomiya/"),
        # Names hyphenated by a web page: not "Fu", "ku", "ma" with "shi" left out as "city".
        ("Fu\u00adku\u00adshi\u00adma", (["Fukushima City", "City of Koriyama", "Iwaki City"], "")),
        ("Mi\u00adto", "/ne/cities/mito/"),
        ("Mi\u200bto", "/ne/cities/mito/"),
        # Only "evening" left out, not "nomiya evening".
        ("\ufeffUtsu\u2060nomiya evening", (["Utsunomiya"], "evening")),
    ],
)
def test_a_name_holding_characters_not_seen_finds_its_city(seed, client, query, reached):
    response = client.get("/ne/search/", {"q": query}, HTTP_HOST="localhost")
    if isinstance(reached, str):
        assert response.get("Location") == reached
    else:
        cities = [city.name for city in response.context["cities"]]
        assert (cities, response.context["left_out"]) == reached


def test_every_municipalitys_names_are_read_as_they_are_and_with_a_street_as_its_name(seed):
    # No word of the lists of service words, kind words or the reading of an address takes a
    # word from a place's name: each of its names is the same words as before, and the name
    # followed by a street and its numbers is read as the name alone.
    import re

    from directory.folding import fold
    from directory.places import read_places

    for place in read_places():
        names = {place.name, place.name_ja, place.name_kana, kana_to_romaji(place.name_kana)}
        for name in names | {place.district_ja + place.name_ja}:
            assert terms(name) == [compact(word) for word in re.split(r"[ ,]+", fold(name))]
        for name in {place.name_ja, place.district_ja + place.name_ja}:
            assert terms(f"{name}朝日1丁目2-3") == [compact(name)], name
    for city in City.objects.all():
        for name in (city.name, city.name_ja, city.name_kana):
            assert city.name in found(name), name
        assert found(f"{city.name_ja}本町1-2-3") == [city.name]


NARROW = '<details class="more-filters" id="more-filters" open>'


@pytest.mark.parametrize(
    "filters",
    [{"prefecture": "40", "classes": "on"}, {"region": "kyushu-okinawa"}, {"classes": "on"}],
)
def test_the_filters_that_narrow_a_search_stay_in_sight(seed, client, filters):
    response = client.get("/en/search/", {"q": "Fukuoka", **filters}, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert NARROW in response.text


def test_a_search_without_filters_folds_them_away_so_the_results_come_first(seed, client):
    response = client.get("/en/search/", {"q": "Fukuoka", "classes": ""}, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert '<details class="more-filters" id="more-filters">' in response.text


def test_a_search_that_used_no_filter_does_not_offer_to_search_again_without_filters(seed, client):
    nothing = client.get("/id/search/", {"q": "zzzz"}, HTTP_HOST="localhost").text
    assert "classes=" not in nothing.replace('name="classes"', "")
    assert "?q=zzzz&amp;classes=" not in nothing
    narrowed = client.get(
        "/id/search/", {"q": "zzzz", "prefecture": "40"}, HTTP_HOST="localhost"
    ).text
    assert 'href="/id/search/?q=zzzz&amp;classes="' in narrowed


def test_a_prefecture_s_name_lists_its_cities_without_one_city_s_desk_as_the_answer(seed, client):
    # Under "Aichi", Toyota's desk read as the prefecture's contact.
    for query in ("아이치", "Aichi", "埼玉県"):
        page = client.get("/ko/search/", {"q": query}, HTTP_HOST="localhost")
        assert page.context["cities"] and page.context["first_desk"] is None, query
    # A city's own name beside its namesakes still shows its desk first.
    page = client.get("/en/search/", {"q": "Fukushima"}, HTTP_HOST="localhost")
    assert page.context["first_desk"].city.name == "Fukushima City"


@pytest.mark.parametrize(
    ("language", "fukushima", "nara"),
    [
        ("en", "Fukushima Prefecture", "Nara Prefecture"),
        ("en", "Prefecture of Fukushima", "Prefecture of Nara"),
        ("en", "Fukushima-ken", "Nara-ken"),
        ("ja", "ふくしまけん", "ならけん"),
        ("ja", "ふくしま県", "なら県"),
        ("ko", "후쿠시마현", "나라현"),
        ("vi", "tỉnh Fukushima", "tỉnh Nara"),
        ("id", "Provinsi Fukushima", "Provinsi Nara"),
        ("en", "Fukushima Province", "Nara Province"),
        ("fil", "Prefektura ng Fukushima", "Lalawigan ng Nara"),
    ],
)
def test_a_prefecture_named_as_one_lists_its_cities_not_its_namesake_city_alone(
    places, client, language, fukushima, nara
):
    # "Fukushima Prefecture" showed Fukushima City's desk as the answer, and places named
    # Fukushima in Osaka and Hokkaido; "Nara Prefecture" went straight to Nara City's page.
    page = client.get(f"/{language}/search/", {"q": fukushima}, HTTP_HOST="localhost")
    assert page.status_code == 200
    assert [city.slug for city in page.context["cities"]] == ["koriyama", "iwaki", "fukushima"]
    assert page.context["first_desk"] is None
    assert page.context["places"] == []
    assert page.context["namesake_prefecture"].code == "07"
    page = client.get(f"/{language}/search/", {"q": nara}, HTTP_HOST="localhost")
    assert page.status_code == 200
    assert [city.slug for city in page.context["cities"]] == ["nara"]
    assert page.context["first_desk"] is None


def test_a_city_named_beside_its_prefecture_still_opens_the_city_s_page(seed, client):
    for query in ("Koriyama, Fukushima Prefecture", "Fukushima-ken Koriyama", "奈良県奈良市"):
        page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
        assert page.status_code == 302, query


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("Fukushima City, Fukushima Prefecture", "fukushima"),
        ("Fukushima-shi Fukushima-ken", "fukushima"),
        ("Fukushima-shi, Fukushima", "fukushima"),
        ("ふくしま市", "fukushima"),
        ("Kōfu City, Yamanashi", "kofu"),
        ("Nara City, Nara Prefecture", "nara"),
    ],
)
def test_a_city_named_as_its_prefecture_is_and_called_a_city_opens_the_city_s_page(
    places, client, query, city
):
    # "Fukushima City, Fukushima Prefecture" listed every city of the prefecture, as
    # "Fukushima Prefecture" does, while "福島県福島市" opened the city's page.
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert page.get("Location") == f"/en/cities/{city}/", query


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("en", "City of Fukushima"),
        ("en", "City of Fukushima, Fukushima Prefecture"),
        ("vi", "thành phố Fukushima"),
        ("vi", "thành phố Fukushima, tỉnh Fukushima"),
        ("vi", "TP. Fukushima"),
        ("vi", "tp Fukushima"),
        ("id", "Kota Fukushima"),
        ("id", "Kota Fukushima, Provinsi Fukushima"),
        ("fil", "Lungsod ng Fukushima"),
        ("pt-br", "cidade de Fukushima"),
        ("ko", "후쿠시마 시"),
        ("ne", "फुकुशिमा शहर"),
        ("my", "Fukushima မြို့"),
    ],
)
def test_a_city_named_with_its_kind_in_the_visitor_s_language_opens_the_city_s_page(
    places, client, language, query
):
    # With the kind before the name, or the visitor's own word for city after it, the name was
    # read as the prefecture's, and every city of Fukushima Prefecture was listed.
    page = client.get(f"/{language}/search/", {"q": query}, HTTP_HOST="localhost")
    assert page.get("Location") == f"/{language}/cities/fukushima/", query


def test_the_word_city_after_a_city_s_name_is_its_own_not_the_next_name_s(places, client):
    # "City of" says a city before its name too; here City is Koriyama's.
    query = "Koriyama City of Fukushima Prefecture"
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert page.get("Location") == "/en/cities/koriyama/"


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("en", "Fukushima, City of Koriyama"),
        ("en", "Fukushima; City of Koriyama"),
        ("en", "Fukushima、City of Koriyama"),
        ("en", "Fukushima，City of Koriyama"),
        ("en", "Fukushima Prefecture, City of Koriyama"),
        ("en", "Fukushima-ken, Koriyama-shi"),
        ("vi", "Fukushima, thành phố Koriyama"),
        ("vi", "tỉnh Fukushima, thành phố Koriyama"),
        ("id", "Provinsi Fukushima, Kota Koriyama"),
    ],
)
def test_an_address_written_prefecture_first_opens_the_city_named_after_the_comma(
    places, client, language, query
):
    # "Fukushima, City of Koriyama" was read "Fukushima City" then "of Koriyama", and found
    # nothing, while "City of Koriyama, Fukushima" opened Koriyama's page.
    page = client.get(f"/{language}/search/", {"q": query}, HTTP_HOST="localhost")
    assert page.get("Location") == f"/{language}/cities/koriyama/", query


def test_a_kind_of_place_is_never_read_across_a_comma():
    def municipality(word, ending):
        return f"{word}{ending}" if f"{word}{ending}" in {"fukushimashi", "koriyamashi"} else None

    for query in ("Fukushima, City of Koriyama", "Fukushima、City of Koriyama"):
        read = read_query(query, municipality=municipality)
        assert read == (["fukushima", "koriyamashi"], False), query
    # Without a comma, City is the name's before it, as ever.
    read = read_query("Koriyama City of Fukushima", municipality=municipality)
    assert read == (["koriyamashi", "fukushima"], False)


@pytest.mark.parametrize(
    "query", ["Yokohama City", "Yokohama-shi", "City of Yokohama", "Lungsod ng Yokohama"]
)
def test_a_city_named_with_the_word_city_lists_no_town_of_its_name_beside_it(places, client, query):
    # "Yokohama City" listed 横浜町 (Yokohama-machi, Aomori) beside 横浜市.
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert [place.code for place in page.context["places"]] == ["141003"], query
    # The name alone is both places' name, and still finds both.
    page = client.get("/en/search/", {"q": "Yokohama"}, HTTP_HOST="localhost")
    assert [place.code for place in page.context["places"]] == ["141003", "024066"]


def test_a_city_named_with_its_kind_comes_before_places_whose_names_begin_like_it(places, client):
    # "Tsu City" is 津市, whose reading "tsushi" also begins Tsushima's (津島市, 対馬市).
    page = client.get("/en/search/", {"q": "Tsu City"}, HTTP_HOST="localhost")
    assert [place.code for place in page.context["places"]][0] == "242012"


def test_no_place_is_named_by_a_word_that_says_a_city_before_its_name_but_kota():
    from directory.places import read_places

    kinds = {"city", "of", "town", "village", "thanh", "pho", "tp", "lungsod", "cidade", "kota"}
    named = {}
    for place in read_places():
        for name in (place.name, kana_to_romaji(place.name_kana)):
            for word in {compact(word) for word in name.split()} & kinds:
                named.setdefault(word, []).append(place.name_ja)
    # Kōta, whose search the next test keeps.
    assert named == {"kota": ["幸田町"]}


@pytest.mark.parametrize("query", ["Kota", "Kota, Aichi", "Kōta-chō", "幸田町"])
def test_a_town_named_as_indonesian_says_city_is_still_found_by_its_name(places, client, query):
    # Kōta (幸田町) is "Kota": read as the word for city only before a city's name.
    page = client.get("/id/search/", {"q": query}, HTTP_HOST="localhost")
    assert "235016" in [place.code for place in page.context["places"]], query


@pytest.mark.parametrize("query", ["Kori", "桑折町", "こおり"])
def test_an_unlisted_place_s_own_name_shows_no_other_city_s_desk_as_the_answer(
    places, client, query
):
    # Under "Kori" (桑折町), City of Koriyama's desk read as the one to contact.
    page = client.get("/vi/search/", {"q": query}, HTTP_HOST="localhost")
    assert "073016" in [place.code for place in page.context["places"]]
    assert page.context["first_desk"] is None, query
    # The first letters of a listed city's name, naming no place, still show its desk.
    page = client.get("/vi/search/", {"q": "Koriy"}, HTTP_HOST="localhost")
    assert page.context["first_desk"].city.name == "City of Koriyama"


@pytest.mark.parametrize(
    "query",
    ["Kori-machi", "Kōri-machi", "Kori-cho", "Kori town", "Town of Kori", "こおり町", "桑折町"],
)
def test_a_town_named_with_its_kind_finds_that_town_not_a_city_whose_name_begins_like_it(
    places, client, query
):
    # "Kori-machi" (桑折町) listed City of Koriyama above the town, "kori" beginning its name.
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert list(page.context["cities"]) == [], query
    assert [place.code for place in page.context["places"]] == ["073016"], query
    assert page.context["suggestions"] == [], query
    # The name alone still finds both.
    page = client.get("/en/search/", {"q": "Kori"}, HTTP_HOST="localhost")
    assert [city.slug for city in page.context["cities"]] == ["koriyama"]
    assert "073016" in [place.code for place in page.context["places"]]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Date-gun Kori-machi", "073016"),
        ("Kori-machi, Date-gun, Fukushima", "073016"),
        ("Ishikari-gun Tobetsu-cho", "013030"),
        ("Ishikari-gun Tobetsu", "013030"),
    ],
)
def test_a_town_written_after_its_district_as_on_a_residence_card_is_found(
    places, client, query, code
):
    # "Date-gun Kori-machi" found nothing: no place's key holds its district in romaji.
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert [place.code for place in page.context["places"]] == [code], query
    # The district alone is still searched as a name.
    assert terms("Date-gun") == ["date"]


def test_an_empty_search_offers_the_list_of_prefectures_once(seed, client):
    page = client.get("/en/search/", {"q": "zzzz"}, HTTP_HOST="localhost").content.decode()
    assert page.count("Choose your prefecture from the list") == 1


# A word that names no place (a time of day, a language) beside one that does: the search
# leaves it out and says so, rather than find nothing because every word must match.

LEFT_OUT = "No city matches all of your words, so these results leave out"


@pytest.mark.parametrize(
    ("query", "left_out"),
    [
        ("evening japanese class Toyohashi", "evening"),
        # "tối" (evening) begins Tōin, a town: it holds a name, but only by chance.
        ("lớp tiếng Nhật buổi tối Toyohashi", "buổi tối"),
        ("Toyohashi tieng Viet", "Viet"),
        ("Toyohashi Saturday", "Saturday"),
    ],
)
def test_an_extra_word_does_not_hide_the_city_it_names(seed, client, query, left_out):
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    # The results, saying what they leave out, not straight to the city's page.
    assert page.status_code == 200
    assert [city.name for city in page.context["cities"]] == ["Toyohashi City"]
    assert f"{LEFT_OUT} “{left_out}”." in page.text
    assert "No city matches your search." not in page.text


@pytest.mark.parametrize(
    ("query", "city", "left_out"),
    [
        ("Motomachi, Hakodate", "Hakodate", "Motomachi"),
        # Asahi is also 旭市's name (Chiba), but no listed city's.
        ("Asahi, Koriyama", "City of Koriyama", "Asahi"),
        ("朝日 郡山", "City of Koriyama", "朝日"),
    ],
)
def test_a_district_named_beside_its_city_leaves_the_district_out(
    places, client, query, city, left_out
):
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert [found.name for found in page.context["cities"]] == [city]
    assert f"{LEFT_OUT} “{left_out}”." in page.text


@pytest.mark.parametrize(
    ("query", "city", "left_out"),
    [
        # Words of other cities' desks' names ("International Affairs Section"), not of the
        # desk of the city named.
        ("Koriyama Section", "City of Koriyama", "Section"),
        ("Koriyama international affairs", "City of Koriyama", "affairs"),
        ("Kashiwa international exchange section", "Kashiwa City", "section"),
    ],
)
def test_a_word_of_desks_names_beside_a_city_whose_desk_it_does_not_name_is_left_out(
    seed, client, query, city, left_out
):
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert [found.name for found in page.context["cities"]] == [city]
    assert f"{LEFT_OUT} “{left_out}”." in page.text
    assert "Did you mean" not in page.text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Koriyama Iwaki", ["City of Koriyama", "Iwaki City"]),
        ("郡山 いわき", ["City of Koriyama", "Iwaki City"]),
        # In the order named: the first card, which shows its desk, is the first city's.
        ("Iwaki, Koriyama", ["Iwaki City", "City of Koriyama"]),
        ("Toyohashi Koriyama", ["Toyohashi City", "City of Koriyama"]),
    ],
)
def test_two_cities_named_one_by_one_are_both_listed(seed, client, query, found):
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert [city.name for city in page.context["cities"]] == found
    # Each was asked about: each card shows how to reach its desk.
    for name in found:
        desk = Department.objects.filter(city__name=name).order_by("position", "pk").first()
        assert f'href="mailto:{desk.email}"' in page.text, name
    # Each under its own heading, which a screen reader names it by.
    ids = re.findall(r' id="([^"]+)"', page.text)
    assert len(ids) == len(set(ids))


def test_cities_a_search_finds_but_does_not_name_one_by_one_show_only_the_first_desk(seed, client):
    page = client.get("/en/search/", {"q": "Fukushima"}, HTTP_HOST="localhost")
    cities = list(page.context["cities"])
    assert [city.name for city in cities][:2] == ["Fukushima City", "City of Koriyama"]
    assert page.text.count('href="mailto:') == 1
    assert LEFT_OUT not in page.text and "No city matches your search." not in page.text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Koriyama Osaka", []),  # a prefecture's
        # A word of many desks' names, not a city's: Koriyama alone, saying so (above).
        ("Koriyama Section", ["City of Koriyama"]),
    ],
)
def test_cities_are_listed_one_by_one_only_when_every_word_names_one(seed, client, query, found):
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    assert [city.name for city in page.context["cities"]] == found


@pytest.mark.parametrize(
    ("query", "left_out"), [("Koriyama Iwaki evening", "evening"), ("郡山 いわき 夜", "夜")]
)
def test_two_cities_named_beside_a_word_that_names_nothing_are_listed_without_it(
    seed, client, query, left_out
):
    page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
    found = [city.name for city in page.context["cities"]]
    assert found == ["City of Koriyama", "Iwaki City"]
    assert f"{LEFT_OUT} “{left_out}”." in page.text
    assert "Did you mean" not in page.text


def test_cities_named_one_by_one_are_still_filtered(seed, client):
    def found(region):
        page = client.get(
            "/en/search/", {"q": "Himeji Akashi", "region": region}, HTTP_HOST="localhost"
        )
        return [city.name for city in page.context["cities"]]

    assert sorted(found("kinki")) == ["Akashi", "Himeji"]
    assert found("tohoku") == []


def test_class_words_still_tick_the_class_box_when_a_word_is_left_out(seed, client):
    page = client.get(
        "/en/search/", {"q": "evening japanese class Toyohashi"}, HTTP_HOST="localhost"
    )
    assert 'name="classes" id="id_classes" checked' in page.text
    assert [city.class_link_count > 0 for city in page.context["cities"]] == [True]


def test_class_words_beside_a_word_no_place_holds_list_the_cities_with_classes(seed, client):
    with_classes = City.objects.with_class_links().count()
    for query, word in (("日本語教室 夜", "夜"), ("日本語教室 土曜日", "土曜日")):
        page = client.get("/ja/search/", {"q": query}, HTTP_HOST="localhost")
        assert page.context["paginator"].count == with_classes, query
        assert all(city.class_link_count for city in page.context["cities"])
        said = f"すべての語に該当する市がないため、「{word}」を除いた結果を表示しています。"
        assert said in page.text
    # Their second page is theirs too, not a page that is missing.
    second = client.get("/ja/search/", {"q": "日本語教室 夜", "page": 2}, HTTP_HOST="localhost")
    assert second.status_code == 200
    assert second.context["cities"]


def test_an_extra_word_does_not_hide_the_unlisted_place_it_names(places, client):
    page = client.get("/vi/search/", {"q": "Hamamatsu buổi tối"}, HTTP_HOST="localhost")
    assert [place.name for place in page.context["places"]][:1] == ["Hamamatsu"]
    said = "nên kết quả dưới đây đã bỏ qua “buổi tối”."
    assert said in page.text


def test_only_words_that_name_nothing_are_left_out_and_a_misspelt_name_is_still_offered(
    places, client
):
    def search(query):
        return client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")

    # The first letters of a name, typed on purpose, are kept.
    kori = search("Kori evening")
    assert [city.name for city in kori.context["cities"]] == ["City of Koriyama"]
    assert f"{LEFT_OUT} “evening”." in kori.text
    # Two places that no city is both of: nothing is left out.
    both = search("Koriyama Osaka")
    assert list(both.context["cities"]) == [] and LEFT_OUT not in both.text
    # A misspelt name is offered as what it is close to, not left out.
    misspelt = search("Shinjku Tokyo")
    assert list(misspelt.context["cities"]) == [] and LEFT_OUT not in misspelt.text
    assert [place.name for place in misspelt.context["suggestions"]] == ["Shinjuku"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Toyohshi evening", "Toyohshi"),
        ("evening Toyohshi", "Toyohshi"),
        ("Koriyma Saturday", "Koriyma"),
        ("Koriyma japanese class evening", "Koriyma"),
        ("Shinjku evening", "Shinjku"),  # a place's name, offered as such
        ("हाकोदात्ते साँझ", "हाकोदात्ते"),  # "Hakodatte evening" in Nepali
    ],
)
def test_a_misspelt_name_beside_another_word_gets_did_you_mean(places, client, query, name):
    def offered(query):
        page = client.get("/en/search/", {"q": query}, HTTP_HOST="localhost")
        assert list(page.context["cities"]) == [] and LEFT_OUT not in page.text
        assert "Did you mean" in page.text
        return [record.name for record in page.context["suggestions"]]

    assert offered(query) == offered(name)


def test_two_names_one_of_them_misspelt_offer_both_cities(places, client):
    page = client.get("/en/search/", {"q": "Koriyama Hakodatte"}, HTTP_HOST="localhost")
    assert list(page.context["cities"]) == []
    # Not the unlisted places whose names come close to "Koriyama" (Kuriyama, Moriyama).
    assert [city.name for city in page.context["suggestions"]] == ["City of Koriyama", "Hakodate"]


def test_a_class_box_ticked_by_class_words_is_not_offered_away_when_the_words_find_nothing(
    seed, client
):
    page = client.get("/en/search/", {"q": "Japanese class Koriyama Osaka"}, HTTP_HOST="localhost")
    assert list(page.context["cities"]) == []
    # Without the box, the same words would find nothing again.
    assert "Search again without filters" not in page.text
    # The box still shows that the filter is on.
    assert 'name="classes" id="id_classes" checked' in page.text


def test_any_word_of_a_desks_name_finds_its_city(seed):
    # A word is found only where a name begins: each word of a desk's name begins one.
    assert set(City.objects.search("Intercultural").values_list("name", flat=True)) == {
        "City of Koriyama",
        "Iwaki City",
        "Toyota City",
    }
    assert list(City.objects.search("Inclusion").values_list("name", flat=True)) == ["Toyota City"]
    # Still not inside a word: "Akashi" is not in Higashiosaka's desk's name either.
    assert list(City.objects.search("versity").values_list("name", flat=True)) == []


def test_a_later_word_of_a_class_providers_name_finds_its_city(db):
    city = make_city("07", name="Testville", name_ja="試験市", slug="testville")
    make_class_link(city, label="Friendly Tutors")
    assert found("Tutors") == ["Testville"]


def test_the_migration_stores_each_word_in_the_keys_already_there(places):
    from django.apps import apps

    City.objects.update(search_key="")
    Municipality.objects.update(search_key="")
    migration = importlib.import_module("directory.migrations.0032_search_key_words")
    migration.refresh_search_keys(apps, None)
    assert list(City.objects.search("Inclusion").values_list("name", flat=True)) == ["Toyota City"]
    assert Municipality.objects.get(code="221309").search_key.startswith("|浜松市|")
