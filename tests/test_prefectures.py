"""The prefectures' facts, readings included, live in the database, from the one fixture."""

import pytest
from django.utils import translation

from directory.importexport.published_table import prefecture_fixture
from directory.models import NationalHelp, Prefecture
from tests.builders import unjoined

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


def test_a_prefecture_with_listed_cities_also_says_where_else_to_ask(client, seed):
    # A Burmese student in Fukuoka City, which is not listed, taps "Fukuoka": Kurume's card,
    # then where else to ask.
    fukuoka = Prefecture.objects.get(code="40")
    with translation.override("my"):
        url = fukuoka.get_absolute_url()
    page = client.get(url).text
    assert "Kurume City" in page
    # Nothing filled in by staff: nothing more to say.
    assert 'id="where-to-ask"' not in page
    fukuoka.association_name = "福岡県国際交流センター"
    fukuoka.association_email = "desk@example.jp"
    fukuoka.save()
    NationalHelp.objects.create(name="FRESC", url="https://example.jp/")
    page = client.get(url).text
    assert page.index("Kurume City") < page.index('id="where-to-ask"')
    assert "သင့်မြို့ အထက်ပါစာရင်းတွင် မပါလျှင်" in unjoined(page)
    assert "福岡県国際交流センター" in page and "mailto:desk@example.jp" in page
    assert 'href="https://example.jp/"' in page
    # Neither the cards again as "desks listed", nor the line meant for a prefecture with none.
    assert page.count('href="/my/cities/kurume/"') == 1
    assert "ဗဟိုမြို့များကိုသာ ဖော်ပြထားသည်" not in unjoined(page)


def test_an_empty_prefecture_leads_neither_back_to_the_list_nor_to_an_unnamed_association(
    client, seed
):
    # Shizuoka lists no city and staff filled in nothing: its neighbours, and no circle.
    page = client.get("/pt-br/prefectures/22/").text
    assert 'Nenhuma cidade de <span lang="en">Shizuoka</span> está na lista.' in page
    assert 'id="where-to-ask"' not in page
    assert "pergunte à" not in page and "Escolha sua província" not in page
    NationalHelp.objects.create(name="FRESC", url="https://example.jp/")
    page = client.get("/pt-br/prefectures/22/").text
    assert 'id="where-to-ask"' in page and 'href="https://example.jp/"' in page
    assert "pergunte à" not in page and "Escolha sua província" not in page
    easy = client.get("/ja-easy/prefectures/22/").text
    assert "きょうかい に きいて" not in easy and "リスト から けん を えらぶ" not in easy
    shizuoka = Prefecture.objects.get(code="22")
    shizuoka.association_email = "desk@example.jp"
    shizuoka.save()
    page = client.get("/pt-br/prefectures/22/").text
    assert "pergunte à associação internacional" in page and "mailto:desk@example.jp" in page
    assert "Escolha sua província" not in page
