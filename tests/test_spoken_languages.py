"""Languages a desk speaks, named in the page's language whatever CLDR has for it."""

import pytest

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
