"""Model rules a member of staff meets when saving a record."""

import pytest
from django.core.exceptions import ValidationError

from directory.municipalities import read_municipalities
from directory.validators import local_government_check_digit, validate_local_government_code
from tests.builders import make_city

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["072036", "012025", "472018", "131016"])
def test_it_accepts_codes_with_the_right_check_digit(code):
    validate_local_government_code(code)


@pytest.mark.parametrize("code", ["072037", "012020", "47201", "0720361", "07203a"])
def test_it_refuses_a_code_with_a_wrong_check_digit_or_shape(code):
    with pytest.raises(ValidationError):
        validate_local_government_code(code)


def test_a_city_with_a_wrong_check_digit_is_refused_on_save_in_a_form():
    city = make_city()
    city.code = city.code[:5] + str((int(city.code[5]) + 1) % 10)
    with pytest.raises(ValidationError) as caught:
        city.full_clean()
    assert "check digit" in str(caught.value)


def test_every_city_in_the_facts_has_a_valid_code_and_a_hiragana_reading():
    facts = read_municipalities()
    assert len(facts) == 62
    for fact in facts.values():
        assert local_government_check_digit(fact.code[:5]) == fact.code[5], fact
        assert fact.name_ja.endswith("市")
        assert all("\u3041" <= ch <= "\u309f" for ch in fact.name_kana), fact


def test_a_class_link_url_must_be_http_or_https():
    city = make_city()
    link = city.class_links.model(city=city, url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        link.full_clean()


def test_cities_list_the_numbered_ones_first_then_the_footnote_city():
    footnote = make_city(number=None)
    second = make_city(number=2)
    first = make_city(number=1)
    from directory.models import City

    assert list(City.objects.all()) == [first, second, footnote]
