"""The prefectures' facts, readings included, live in the database, from the one fixture."""

import pytest
from django.utils import translation

from directory.importexport.published_table import prefecture_fixture
from directory.models import Prefecture

pytestmark = pytest.mark.django_db

FIELDS = ("code", "name", "name_ja", "name_kana", "region")


def test_the_database_holds_every_fact_the_fixture_gives_each_prefecture():
    fixture = [tuple(fields[name] for name in FIELDS) for fields in prefecture_fixture()]
    assert list(Prefecture.objects.values_list(*FIELDS)) == fixture
    assert len(fixture) == 47


def test_every_prefecture_has_a_hiragana_reading():
    readings = dict(Prefecture.objects.values_list("code", "name_kana"))
    assert (readings["01"], readings["13"], readings["26"]) == (
        "ほっかいどう",
        "とうきょうと",
        "きょうとふ",
    )
    assert all(r and all("ぁ" <= ch <= "ゖ" for ch in r) for r in readings.values())


def test_an_easy_japanese_page_reads_a_prefectures_reading_from_the_database(client):
    fukushima = Prefecture.objects.get(code="07")
    fukushima.name_kana = "ふくしまけんテスト"
    fukushima.save()
    with translation.override("ja-easy"):
        page = client.get(fukushima.get_absolute_url()).text
    assert "<ruby>福島県<rt>ふくしまけんテスト</rt></ruby>" in page
