"""Languages a desk speaks, named in the page's language whatever CLDR has for it."""

import pytest

from directory import spoken_languages
from directory.models import Department
from tests.builders import load_prefectures, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    load_prefectures()
    return make_city("40", name="Kurume City", name_ja="久留米市", slug="kurume")


@pytest.mark.parametrize(
    ("language", "named"),
    [("my", "ဖိလစ်ပိုင်"), ("ne", "फिलिपिनी"), ("id", "Tagalog"), ("ja", "タガログ語")],
)
def test_tagalog_is_named_in_every_language_never_left_as_its_code(client, city, language, named):
    # Burmese and Nepali name Tagalog only under Filipino, its standard form.
    Department.objects.create(city=city, name="Desk", languages=["tl"])
    page = client.get(f"/{language}/cities/kurume/", HTTP_HOST="localhost").content.decode()
    assert named in page
    assert ">tl<" not in page and "tl ·" not in page


def test_a_language_the_page_s_language_has_no_name_for_is_named_in_english(client, city):
    Department.objects.create(city=city, name="Desk", languages=["rue"])  # Rusyn
    page = client.get("/my/cities/kurume/", HTTP_HOST="localhost").content.decode()
    assert "Rusyn" in page


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("Vietnamese", ("vi", "")),
        ("Vietnamese desk Toyama", ("vi", "desk Toyama")),
        # In the visitor's own language, the page's, or Japanese.
        ("Toyohashi tiếng Việt", ("vi", "Toyohashi")),
        ("ベトナム語　愛知", ("vi", "愛知")),
        ("越南语, 大阪", ("vi", "大阪")),
        ("Español", ("es", "")),
        # Of several words, the whole name: not "Portuguese" alone, nor "Bahasa" left behind.
        ("Brazilian Portuguese Hamamatsu", ("pt", "Hamamatsu")),
        ("Bahasa Indonesia", ("id", "")),
        # Tagalog is looked up as Filipino.
        ("tagalog", ("fil", "")),
        # Japanese, which every desk speaks, asks for classes: the language named beside it.
        ("Japanese class", None),
        ("日本語 ベトナム語", ("vi", "日本語")),
        # A code is no name: "Ota" is also Ottoman Turkish's.
        ("Ota", None),
        ("vi", None),
        ("Koriyama", None),
    ],
)
def test_a_language_a_visitor_names_is_read_with_the_rest_of_their_words(query, named):
    assert spoken_languages.named_in(query) == named


def test_only_a_language_among_those_asked_for_is_read():
    assert spoken_languages.named_in("Korean Vietnamese", among={"vi"}) == ("vi", "Korean")
    assert spoken_languages.named_in("Korean", among={"vi"}) is None
