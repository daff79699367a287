"""The results page's filters: the search's words and order, narrowed by the other fields."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import translation

from directory.classes import today
from directory.filters import CityFilter
from directory.models import City, Prefecture
from tests.builders import make_city, make_class_link, make_department, unjoined


def filtered(**query):
    """The names of the cities the results page's FilterSet lists for a query, in order."""
    return [city.name for city in CityFilter(query, queryset=City.objects.all()).qs]


def searched(query):
    return list(City.objects.search(query).values_list("name", flat=True))


@pytest.mark.parametrize("query", ["fukushima", "shi", "こおりやま", "Hukusima", "福島県郡山市"])
def test_the_text_field_lists_what_the_search_finds_in_its_order(seed, query):
    assert filtered(q=query) == searched(query)


def test_the_filters_narrow_a_search_and_keep_its_order(seed):
    assert filtered(q="fukushima", prefecture="07") == searched("fukushima")
    assert filtered(q="fukushima", prefecture="07")[0] == "Fukushima City"
    assert filtered(q="fukushima", region="kanto") == []
    assert filtered(q="osaka", region="kinki") == searched("osaka")


def test_a_region_or_prefecture_alone_lists_its_cities_in_the_directorys_order(seed):
    in_tohoku = City.objects.filter(prefecture__region="tohoku")
    assert filtered(region="tohoku") == [city.name for city in in_tohoku]
    assert set(filtered(prefecture="07")) == {"City of Koriyama", "Iwaki City", "Fukushima City"}


def test_an_unticked_class_box_keeps_cities_without_class_links(seed):
    assert "Morioka City" in filtered(region="tohoku")
    assert "Morioka City" not in filtered(region="tohoku", classes="on")
    assert "City of Koriyama" in filtered(region="tohoku", classes="on")


def test_the_class_box_leaves_out_a_city_whose_only_class_has_ended(db):
    ended, ending_later = make_city(name="Endedville"), make_city(name="Laterville")
    make_class_link(ended, status="ended", status_date=today() - timedelta(days=1))
    make_class_link(ending_later, status="ended", status_date=today() + timedelta(days=1))
    assert filtered(classes="on") == ["Laterville"]
    assert filtered() == ["Endedville", "Laterville"]


def test_markup_typed_in_the_text_field_is_shown_as_text(db):
    html = str(CityFilter({"q": '"><script>x</script>'}).form["q"])
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_a_renamed_prefecture_is_in_the_next_form_rendered(db):
    before = str(CityFilter({}).form["prefecture"])
    assert ">Fukushima</option>" in before
    fukushima = Prefecture.objects.get(code="07")
    fukushima.name = "Fukushima-ken"
    fukushima.save()  # as the admin saves it
    after = str(CityFilter({}).form["prefecture"])
    assert ">Fukushima-ken</option>" in after


def shown_text(html):
    """What a reader sees of a piece of markup: its text, without a ruby's reading."""
    return re.sub(r"<rt>.*?</rt>|<[^>]+>", "", html)


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Fukushima"), ("zh-hans", "Fukushima"), ("ja", "福島県"), ("ja-easy", "福島県")],
)
def test_the_prefecture_choices_name_a_prefecture_as_the_rest_of_the_page_does(
    client, seed, language, name
):
    page = client.get(f"/{language}/search/", {"q": "Fukushima"}).content.decode()
    option = re.search(r'<option value="07">(.*?)</option>', page)[1]
    # Each card names its city's prefecture.
    card = re.search(r'<span class="card-meta i-pin">(.*)</span>\n', page)[1]
    assert shown_text(card) == name
    # Easy Japanese reads the kanji by the reading after it: an <option> holds no ruby.
    assert option == (f"{name}（ふくしまけん）" if language == "ja-easy" else name)
    assert "<rt>ふくしまけん</rt>" in card if language == "ja-easy" else "<rt>" not in card
    nothing = client.get(f"/{language}/search/", {"q": "Atlantis", "prefecture": "07"})
    searched = re.search(r"<dl class=\"searched\">(.*?)</dl>", nothing.content.decode(), re.S)[1]
    assert shown_text(searched).strip().endswith(name)


def test_each_search_shows_its_own_choices_and_errors_when_asked_again(client, seed):
    """The filters are a kept piece of the page: each choice, error and language is its own."""
    url = "/en/search/"
    cases = {
        "?region=kinki": 'value="kinki" selected',
        "?prefecture=07": 'value="07" selected',
        "?classes=on": 'name="classes" id="id_classes" checked',
        "?region=atlantis": "Select a valid choice",
        "?prefecture=99": "Select a valid choice",
    }
    for _round in range(2):
        for query, shown in cases.items():
            page = client.get(url + query + f"&q=round{_round}").content.decode()
            assert shown in page, query
            others = [other for key, other in cases.items() if other != shown]
            assert not any(other in page for other in others if "valid" not in shown), query


def test_a_query_longer_than_anyone_types_gets_the_limit_not_a_server_error(client, seed):
    # A thousand words once made SQLite's expression tree too deep: a 500.
    response = client.get("/en/search/", {"q": " ".join(["a i"] * 500)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Type no more than 100 characters." in page
    assert "0 cities found" in page
    # The field says so before the visitor sends it.
    assert 'maxlength="100"' in page


@pytest.mark.parametrize(
    ("language", "said"),
    [("fil", "Mag-type ng hindi hihigit sa 100 na character."), ("my", "စာလုံး 100 လုံးထက်")],
)
def test_the_limit_is_told_in_languages_django_does_not_speak(client, seed, language, said):
    page = client.get(f"/{language}/search/", {"q": "x" * 101}).content.decode()
    assert said in unjoined(page)


def test_a_search_with_only_a_refused_filter_does_not_say_what_was_searched(client, seed):
    page = client.get("/en/search/", {"prefecture": "99"}).content.decode()
    assert "Select a valid choice" in page
    assert "You searched for" not in page
    searched = client.get("/en/search/", {"q": "Atlantis"}).content.decode()
    assert "You searched for" in searched and "“Atlantis”" in searched


@pytest.mark.parametrize(
    ("language", "quoted"),
    [("en", "“アトランティス”"), ("ja", "「アトランティス」"), ("ja-easy", "「アトランティス」")],
)
def test_the_words_searched_are_quoted_as_the_language_quotes(client, seed, language, quoted):
    page = client.get(f"/{language}/search/", {"q": "アトランティス"}).content.decode()
    assert f"<dd>{quoted}</dd>" in page


def offered(**query):
    """Whether the page that found nothing for a query would offer to search without filters."""
    return CityFilter(query, queryset=City.objects.all()).offers_search_without_filters()


def test_a_search_without_filters_is_offered_for_a_filter_that_hid_what_the_words_find(seed):
    assert offered(q="Japanese class Morioka")  # Morioka lists no class
    assert not offered(q="Japanese class Koriyama Osaka")  # nothing, with or without the box
    assert offered(q="Japanese class Koriyama Osaka", classes="on")  # the visitor's own box
    assert offered(q="zzzz", prefecture="40")
    assert not offered(q="Morioka")


def test_a_language_lists_the_cities_with_a_desk_or_a_running_class_that_speaks_it(db):
    vietnamese_desk, korean_desk = make_city(name="Deskville"), make_city(name="Koreaville")
    vietnamese_class, ended = make_city(name="Classville"), make_city(name="Endedville")
    make_department(vietnamese_desk, languages=["en", "vi"])
    make_department(korean_desk, languages=["fil", "ko"])
    make_class_link(vietnamese_class, languages=["ne", "vi"])
    make_class_link(
        ended, languages=["vi"], status="ended", status_date=today() - timedelta(days=1)
    )
    assert set(filtered(speaks="vi")) == {"Classville", "Deskville"}
    assert filtered(speaks="ko") == filtered(speaks="fil") == ["Koreaville"]
    # Finnish's code begins Filipino's: a desk that speaks Filipino does not speak Finnish.
    assert not City.objects.speaking("fi").exists()
    assert filtered(speaks="en", q="Desk") == ["Deskville"]
    assert filtered(speaks="en", q="Korea") == []


def test_only_the_languages_desks_and_running_classes_speak_are_offered_named_by_the_page(db):
    city = make_city()
    assert CityFilter({}, queryset=City.objects.all()).languages_offered == []
    make_department(city, languages=["vi", "en"])
    make_class_link(city, languages=["ne"])
    make_class_link(city, languages=["ko"], status="ended", status_date=today() - timedelta(days=1))
    with translation.override("ja"):
        offered = CityFilter({}, queryset=City.objects.all()).languages_offered
    assert offered == [
        ("ne", "ネパール語 · नेपाली"),
        ("vi", "ベトナム語 · Tiếng Việt"),
        ("en", "英語 · English"),
    ]
    with translation.override("vi"):
        offered = CityFilter({}, queryset=City.objects.all()).languages_offered
    assert ("vi", "Tiếng Việt") in offered


def test_the_language_filter_shows_only_once_a_desk_speaks_one_and_keeps_the_choice(client, db):
    city = make_city(name="Deskville")
    page = client.get("/vi/search/").content.decode()
    assert 'name="speaks"' not in page
    make_department(city, languages=["vi"])
    page = client.get("/vi/search/", {"speaks": "vi"}).content.decode()
    assert "Ngôn ngữ hỗ trợ" in page and "Mọi ngôn ngữ" in page
    assert '<option value="vi" selected>Tiếng Việt</option>' in page
    assert "Deskville" in page
    # A language no desk speaks, as an old link may ask for, is told so, not every city.
    page = client.get("/en/search/", {"speaks": "ko"}).content.decode()
    assert "Select a valid choice. ko is not one of the available choices." in page
    assert "Deskville" not in page


def test_a_search_that_a_language_narrowed_to_nothing_says_so_and_offers_to_search_without(
    client, db
):
    make_department(make_city(name="Deskville"), languages=["vi"])
    make_city(name="Otherville")
    page = client.get("/en/search/", {"q": "Otherville", "speaks": "vi"}).content.decode()
    assert "0 cities found" in page
    assert "<dd>Vietnamese · Tiếng Việt</dd>" in page
    assert offered(q="Otherville", speaks="vi")
    # The same words, with no language.
    assert 'href="/en/search/?q=Otherville&amp;classes="' in page


def test_the_first_cards_desk_is_the_one_that_speaks_the_language_chosen(client, db):
    city = make_city(name="Deskville")
    make_department(city, name="Citizens' Desk", email="shimin@example.jp", languages=["ja"])
    make_department(city, name="Multilingual Desk", email="tagengo@example.jp", languages=["vi"])
    page = client.get("/en/search/", {"classes": ""}).content.decode()
    assert 'href="mailto:shimin@example.jp"' in page
    assert 'href="mailto:tagengo@example.jp"' not in page
    page = client.get("/en/search/", {"speaks": "vi"}).content.decode()
    assert 'href="mailto:tagengo@example.jp"' in page
    assert 'href="mailto:shimin@example.jp"' not in page


def test_a_desk_that_speaks_tagalog_is_found_and_offered_as_filipino(client, db):
    # Japanese offices write タガログ語; Filipinos look for Filipino.
    make_department(make_city(name="Deskville"), languages=["en", "tl"])
    make_class_link(make_city(name="Classville"), languages=["tl"])
    make_department(make_city(name="Otherville"), languages=["en"])
    assert set(filtered(speaks="fil")) == {"Deskville", "Classville"}
    with translation.override("fil"):
        offered = CityFilter({}, queryset=City.objects.all()).languages_offered
    assert [code for code, _name in offered] == ["en", "fil"]
    page = client.get("/fil/").content.decode()
    assert 'href="/fil/search/?speaks=fil"' in page


@pytest.mark.parametrize(
    ("query", "searched"),
    [
        ("Vietnamese", {"q": "", "speaks": "vi"}),
        ("Tiếng Việt Deskville", {"q": "Deskville", "speaks": "vi"}),
        ("ベトナム語 窓口", {"q": "窓口", "speaks": "vi"}),
    ],
)
def test_a_language_named_in_the_search_box_is_chosen_in_the_filter(client, db, query, searched):
    make_department(make_city(name="Deskville"), languages=["vi"])
    # As the results page's own form sends it, "any language" chosen, on its second page.
    response = client.get("/en/search/", {"q": query, "speaks": "", "page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/search/?{urlencode(searched)}"


def test_the_language_chosen_from_the_words_lists_the_cities_that_speak_it(client, db):
    make_department(make_city(name="Deskville"), languages=["vi"])
    make_department(make_city(name="Otherville"), languages=["en"])
    page = client.get("/vi/search/", {"q": "Tiếng Việt"}, follow=True).content.decode()
    assert '<option value="vi" selected>Tiếng Việt</option>' in page
    assert "Deskville" in page and "Otherville" not in page


@pytest.mark.parametrize(
    ("language", "query", "said"),
    [
        ("en", "Korean desk", "No desk or class listed here helps in Korean yet."),
        ("ja", "韓国語", "韓国語で相談できる窓口・教室は、まだ載っていません。"),
        ("vi", "tiếng Hàn", "Chưa có văn phòng hoặc lớp học bằng Tiếng Hàn nào ở đây."),
    ],
)
def test_a_language_no_desk_or_class_speaks_is_told_so_not_to_check_the_spelling(
    client, db, language, query, said
):
    make_department(make_city(name="Deskville"), languages=["vi"])
    make_class_link(make_city(name="Classville"))
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    assert list(response.context["cities"]) == []
    # Nor are classes asked for by "tiếng" (language), as in "tiếng Nhật" (Japanese).
    assert not response.context["filter"].form.cleaned_data["classes"]
    page = response.content.decode()
    assert said in page
    # Only where else to ask follows: no tips on spelling, nor an empty box.
    assert 'class="empty-result"' not in page
    assert 'class="where-to-ask"' in page


@pytest.mark.parametrize(
    ("query", "said"),
    [
        # Japanese, which every desk speaks, asks for classes.
        ("Japanese class", "1 city found"),
    ],
)
def test_japanese_named_in_the_words_is_searched_as_words(client, db, query, said):
    city = make_city(name="Deskville")
    make_department(city, languages=["vi", "ja"])
    make_class_link(city)
    page = client.get("/en/search/", {"q": query}).content.decode()
    assert said in page
    assert "listed here helps in" not in page


@pytest.mark.parametrize(
    ("language", "query", "found", "said"),
    [
        ("en", "Korean Deskville", ["Deskville"], "No desk or class listed here helps in Korean"),
        # "tiếng" (language) alone asks for classes, as in "tiếng Nhật": not in "tiếng Hàn".
        ("vi", "tiếng Hàn Deskville", ["Deskville"], "bằng Tiếng Hàn nào ở đây"),
        ("ja", "韓国語 日本語教室", ["Classville"], "韓国語で相談できる窓口・教室は"),
    ],
)
def test_the_other_words_beside_a_language_no_one_speaks_are_searched_and_it_is_said(
    client, db, language, query, found, said
):
    make_department(make_city(name="Deskville"), languages=["vi"])
    make_class_link(make_city(name="Classville"))
    response = client.get(f"/{language}/search/", {"q": query})
    # The results, not straight to the one city's page, which would not say it.
    assert response.status_code == 200
    assert [city.name for city in response.context["cities"]] == found
    page = response.content.decode()
    assert said in page
    assert 'class="tips"' not in page


def test_a_misspelt_name_beside_a_language_no_one_speaks_gets_the_spelling_tips(client, db):
    make_department(make_city(name="Deskville"), languages=["vi"])
    page = client.get("/en/search/", {"q": "Korean Zzzville"}).content.decode()
    assert "No desk or class listed here helps in Korean yet." in page
    assert "No city matches your search." in page
    assert "Check the spelling" in page


def test_a_language_chosen_in_the_filter_keeps_the_words_as_typed(client, db):
    make_department(make_city(name="Deskville"), languages=["vi", "en"])
    response = client.get("/en/search/", {"q": "Vietnamese", "speaks": "en"})
    assert response.status_code == 200
    assert response.context["filter"].form.cleaned_data["q"] == "Vietnamese"


@pytest.mark.parametrize(
    ("language", "query", "said"),
    [
        ("en", {"q": "Otherville", "speaks": "vi"}, "Your words find this city, but not with"),
        ("ja", {"q": "Otherville", "speaks": "vi"}, "入力した言葉で見つかる市はありますが"),
        # The class box the words ticked: Otherville lists no class.
        ("en", {"q": "Japanese class Otherville"}, "Your words find this city, but not with"),
    ],
)
def test_a_city_the_words_find_but_the_filters_leave_out_is_named_not_offered_as_misspelt(
    client, db, language, query, said
):
    make_department(make_city(name="Deskville"), languages=["vi"])
    other = make_city(name="Otherville")
    page = client.get(f"/{language}/search/", query).content.decode()
    assert said in page
    with translation.override(language):
        assert f'<a href="{other.get_absolute_url()}">' in page
    assert "Did you mean" not in page and "Check the spelling" not in page
    # Still the way to the same words without filters.
    assert "&amp;classes=" in page


def test_words_that_find_nothing_even_without_filters_still_get_the_spelling_tips(client, db):
    make_department(make_city(name="Deskville"), languages=["vi"])
    page = client.get("/en/search/", {"q": "Zzzville", "speaks": "vi"}).content.decode()
    assert "No city matches your search." in page
    assert "Check the spelling" in page
    assert "Your words find" not in page


def test_a_language_named_beside_another_chosen_is_not_said_to_be_spoken_nowhere(client, db):
    make_department(make_city(name="Deskville"), languages=["vi"])
    make_department(make_city(name="Otherville"), languages=["pt"])
    page = client.get("/en/search/", {"q": "Vietnamese", "speaks": "pt"}).content.decode()
    assert "helps in Vietnamese yet" not in page
    assert "No city matches your search." in page
