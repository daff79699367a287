"""Model rules a member of staff meets when saving a record, and the records stored before a rule
brought up to it by a migration."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

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


BEFORE_LF = ("directory", "0032_search_key_words")


def test_notes_stored_with_cr_lf_before_are_stored_with_lf_after_migrate(transactional_db):
    from directory.models import City, ClassLink, Department, ProblemReport

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_LF])
    old = executor.loader.project_state([BEFORE_LF]).apps
    # Rows as the admin stored them before: a browser's CR LF, an old Mac's lone CR.
    city = old.get_model("directory", "City").objects.create(
        prefecture=old.get_model("directory", "Prefecture").objects.get(code="13"),
        name="Crlfville",
        name_ja="改行市",
        name_kana="かいぎょうし",
        code="139998",
        slug="crlfville",
        note="Moved.\r\n\tNew address.\rAsk.",
    )
    untouched = old.get_model("directory", "City").objects.create(
        prefecture_id=city.prefecture_id,
        name="Lfville",
        name_ja="改行町",
        name_kana="かいぎょうちょう",
        code="139999",
        slug="lfville",
        note="Already LF.\nKept.",
    )
    # A past version keeps what was stored then.
    HistoricalCity = old.get_model("directory", "HistoricalCity")
    HistoricalCity.objects.create(
        **{field.attname: getattr(city, field.attname) for field in city._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="+",
    )
    department = old.get_model("directory", "Department").objects.create(
        city_id=city.pk, name="Desk", hours_note="Closed on holidays.\r\nCall first."
    )
    link = old.get_model("directory", "ClassLink").objects.create(
        city_id=city.pk, url="https://example.jp/class", sign_up="By phone.\r\nOr email."
    )
    report = old.get_model("directory", "ProblemReport").objects.create(
        city_id=city.pk, kind="other", message="Gone.\r\n\r\nReally.", resolution="Fixed.\r"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert City.objects.get(pk=city.pk).note == "Moved.\n\tNew address.\nAsk."
    assert Department.objects.get(pk=department.pk).hours_note == "Closed on holidays.\nCall first."
    assert ClassLink.objects.get(pk=link.pk).sign_up == "By phone.\nOr email."
    fixed = ProblemReport.objects.get(pk=report.pk)
    assert (fixed.message, fixed.resolution) == ("Gone.\n\nReally.", "Fixed.\n")
    assert City.objects.get(pk=untouched.pk).note == "Already LF.\nKept."
    # No version of its own, and the past one as it was.
    assert [past.note for past in City.history.filter(id=city.pk)] == [city.note]
    assert not City.history.filter(id=untouched.pk).exists()
