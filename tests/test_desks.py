"""Desks a visitor can act on: phones, address, hours, languages, the admin that edits them, the
city page's desk cards and the card to show at the counter (issue 16)."""

import gzip
import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from directory import admin, desks, hours, phones
from directory.importexport import exporting, importing
from directory.models import Department, DepartmentPhone, OpeningHours
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from tests.builders import (
    department_form,
    make_city,
    make_class_link,
    make_department,
    make_staff,
    sign_in,
    unjoined,
)

pytestmark = pytest.mark.django_db

# Test data, not the seed: a city with Koriyama's local government code, so that Japan Post's
# postal codes for Koriyama belong to it.
KORIYAMA_CODE = "072036"


@pytest.fixture
def city():
    return make_city("07", name="Testyama", name_ja="試験山市", code=KORIYAMA_CODE, slug="testyama")


def filled_desk(city):
    """A desk with every field filled in."""
    desk = make_department(
        city,
        name="International Exchange Desk",
        name_ja="国際交流窓口",
        postal_code="963-8024",
        address_ja="福島県試験山市朝日1-1-1",
        address_romaji="1-1-1 Asahi, Testyama, Fukushima",
        floor="本庁舎2階 5番窓口",
        hours_note="Closed on national holidays.",
        languages=["en", "vi", "zh", "pt"],
        remote_interpretation=True,
        appointment_needed=False,
    )
    DepartmentPhone.objects.create(
        department=desk, number="024-924-0000", label="Consultation", extension="123"
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            department=desk, weekday=weekday, opens=time(8, 30), closes=time(17, 15)
        )
    return desk


def fixed_clock(monkeypatch, moment):
    """Fix the clock the city page reads "open now" by, at a moment in Tokyo."""
    when = datetime.fromisoformat(moment).replace(tzinfo=hours.TOKYO)
    monkeypatch.setattr(hours, "tokyo_now", lambda: when)


def page_text(response):
    html = response.content.decode()
    html = re.sub(r"<head>.*?</head>", " ", html, flags=re.S)
    # Inline boxes a line does not break inside (a phone number, 1-1-1) add no space.
    html = re.sub(r"<wbr>|</?span[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def get(client, url, **params):
    response = client.get(url, params, HTTP_HOST="localhost")
    assert response.status_code == 200, url
    return response


# The model


def test_a_phone_number_is_stored_in_international_form_and_shown_in_the_japanese_one(city):
    desk = make_department(city)
    phone = DepartmentPhone.objects.create(department=desk, number="０２４−９２４−００００")
    phone.refresh_from_db()
    assert str(phone.number) == "+81249240000"
    assert phone.national == "024-924-0000"
    assert phone.tel_uri == "tel:+81249240000"
    phone.extension = "45"
    assert phone.tel_uri == "tel:+81249240000;ext=45"


def test_a_postal_code_of_the_city_is_accepted(city):
    desk = Department(city=city, name="Desk", postal_code="963-8024")
    desk.full_clean()


def test_a_postal_code_of_another_municipality_is_refused_by_name(city):
    desk = Department(city=city, name="Desk", postal_code="100-0001")  # Chiyoda, Tokyo
    with pytest.raises(ValidationError) as error:
        desk.full_clean()
    assert error.value.message_dict["postal_code"] == ["Postal code 100-0001 is not in Testyama."]
    with translation.override("ja"):  # a Japanese clerk is told the city's Japanese name
        with pytest.raises(ValidationError) as error:
            desk.full_clean()
        assert error.value.message_dict["postal_code"] == [
            "郵便番号 100-0001 は 試験山市 のものではありません。"
        ]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("000-0000", "Japan Post has no postal code 000-0000."),
        ("9638024", "“9638024” is not a postal code: write seven digits as 963-8024."),
        ("963-80", "“963-80” is not a postal code"),
    ],
)
def test_a_postal_code_japan_post_does_not_know_or_badly_written_is_refused(city, code, message):
    with pytest.raises(ValidationError) as error:
        Department(city=city, name="Desk", postal_code=code).full_clean()
    assert message in error.value.message_dict["postal_code"][0]


def test_a_language_code_babel_does_not_know_is_refused_by_name(city):
    with pytest.raises(ValidationError) as error:
        Department(city=city, name="Desk", languages=["en", "xx"]).full_clean()
    assert (
        "“xx” is not a language: write its name or its code"
        in error.value.message_dict["languages"][0]
    )


def test_opening_hours_that_close_before_they_open_are_refused(city):
    opening = OpeningHours(
        department=make_department(city), weekday=0, opens=time(17), closes=time(9)
    )
    with pytest.raises(ValidationError) as error:
        opening.full_clean()
    assert "09:00 is not after 17:00" in str(error.value)


# The admin


@pytest.fixture
def editor(client):
    return sign_in(client, make_staff("editor", DIRECTORY_EDITORS))


def change_url(desk):
    return reverse("admin:directory_department_change", args=[desk.pk])


def test_the_desk_page_edits_every_field_with_phones_and_hours_inline(editor, city):
    desk = make_department(city, name="Desk")
    data = department_form(
        desk,
        name_ja="国際交流窓口",
        postal_code="〒９６３８０２４",
        address_ja="福島県試験山市朝日1-1-1",
        address_romaji="1-1-1 Asahi",
        floor="2階",
        hours_note="Closed on national holidays.",
        languages="EN vi、pt",
        remote_interpretation="true",
        appointment_needed="false",
        **{
            "phones-TOTAL_FORMS": 1,
            "phones-0-number": "024-924-0000",
            "phones-0-label": "Consultation",
            "phones-0-extension": "12",
            "phones-0-position": 0,
            "hours-TOTAL_FORMS": 2,
            "hours-0-weekday": 0,
            "hours-0-opens": "08:30",
            "hours-0-closes": "17:15",
            "hours-1-weekday": 5,
            "hours-1-opens": "09:00",
            "hours-1-closes": "12:00",
        },
    )
    response = editor.post(change_url(desk), data)
    assert response.status_code == 302, response.context["errors"]
    desk.refresh_from_db()
    assert desk.postal_code == "963-8024"
    assert desk.languages == ["en", "vi", "pt"]
    assert (desk.remote_interpretation, desk.appointment_needed) == (True, False)
    assert desk.phones.get().tel_uri == "tel:+81249240000;ext=12"
    assert hours.format_hours(o.period for o in desk.hours.all()) == (
        "Mon 08:30-17:15; Sat 09:00-12:00"
    )


@pytest.mark.parametrize("typed", ["〒963-8024", "〒９６３－８０２４", "9638024"])
def test_the_desk_page_takes_a_postal_code_and_e_mail_as_a_japanese_keyboard_types_them(
    editor, city, typed
):
    desk = make_department(city, name="Desk")
    page = editor.get(change_url(desk)).content.decode()
    # The browser must let staff type the 〒 and the hyphen too.
    assert re.search(r'<input[^>]*name="postal_code"[^>]*>', page)
    assert "maxlength" not in re.search(r'<input[^>]*name="postal_code"[^>]*>', page)[0]
    data = department_form(desk, postal_code=typed, email="ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ")
    response = editor.post(change_url(desk), data)
    assert response.status_code == 302, response.context["errors"]
    desk.refresh_from_db()
    assert (desk.postal_code, desk.email) == ("963-8024", "info@example.jp")


def test_the_desk_page_reads_full_width_languages_extensions_and_times_as_an_import_does(
    editor, city
):
    desk = make_department(city, name="Desk")
    data = department_form(
        desk,
        languages="ＥＮ，ｖｉ",
        **{
            "phones-TOTAL_FORMS": 1,
            "phones-0-number": "０２４－９２４－００００",
            "phones-0-extension": "１２３",
            "phones-0-position": 0,
            "hours-TOTAL_FORMS": 1,
            "hours-0-weekday": 0,
            "hours-0-opens": "０８：３０",
            "hours-0-closes": "１７：１５",
        },
    )
    response = editor.post(change_url(desk), data)
    assert response.status_code == 302, response.context["errors"]
    desk.refresh_from_db()
    assert desk.languages == ["en", "vi"]
    assert desk.phones.get().tel_uri == "tel:+81249240000;ext=123"
    assert hours.format_hours(o.period for o in desk.hours.all()) == "Mon 08:30-17:15"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("英語、ベトナム語", ["en", "vi"]),
        ("中国語・英語", ["zh", "en"]),
        ("韓国・朝鮮語, English", ["ko", "en"]),
        # As city websites list them: a language with its script or country in brackets.
        ("中国語（簡体字）、中国語（繁体字）、ポルトガル語（ブラジル）", ["zh", "pt"]),
        ("Chinese (Traditional), Tiếng Trung (Giản thể), vi", ["zh", "vi"]),
        # In its own name, as an interpreter may write it.
        ("Español, ไทย, Bahasa Indonesia", ["es", "th", "id"]),
    ],
)
def test_the_desk_page_takes_languages_by_their_names_and_keeps_their_codes(
    editor, city, typed, kept
):
    desk = make_department(city, name="Desk")
    response = editor.post(change_url(desk), department_form(desk, languages=typed))
    assert response.status_code == 302, response.context["errors"]
    desk.refresh_from_db()
    assert desk.languages == kept


def test_a_note_in_brackets_after_a_language_is_refused_not_read_as_that_language(editor, city):
    # 英語（中国語も可） also says 中国語: read as 英語 alone, it would lose that.
    desk = make_department(city, name="Desk", languages=["en"])
    response = editor.post(change_url(desk), department_form(desk, languages="英語（中国語も可）"))
    assert response.status_code == 200
    assert "“英語(中国語も可)” is not a language" in unescape(response.content.decode())
    desk.refresh_from_db()
    assert desk.languages == ["en"]


def test_the_japanese_desk_page_names_a_word_that_is_no_language_and_saves_nothing(editor, city):
    desk = make_department(city, name="Desk", languages=["en"])
    data = department_form(desk, languages="英語、ベトナム")
    response = editor.post(change_url(desk), data, headers={"accept-language": "ja"})
    assert response.status_code == 200
    # Its examples quoted in 「」, as Japanese quotes words, not set off by spaces.
    assert (
        "「ベトナム」は言語ではありません。「英語」や「en」のように言語の名前かコードを書き、"
        "いくつかあるときは読点かコンマで区切ってください。"
    ) in unescape(response.content.decode())
    desk.refresh_from_db()
    assert desk.languages == ["en"]


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("複数言語", "複数言語"),
        ("言語不明", "言語不明"),
        ("言語的内容なし", "言語的内容なし"),
        ("Multiple languages", "multiple"),
        # ISO 639's own codes for them, typed as codes.
        ("mul", "mul"),
        ("und", "und"),
        ("ZXX", "zxx"),
        ("mis", "mis"),
    ],
)
def test_the_desk_page_refuses_cldrs_names_for_what_is_no_one_language(editor, city, typed, named):
    # CLDR names ISO 639's "mul", "und" and "zxx" too; a clerk writing 複数言語 ("several
    # languages") must be asked which ones, not have the desk list none a resident can look for.
    desk = make_department(city, name="Desk", languages=["en"])
    data = department_form(desk, languages=f"英語、{typed}")
    response = editor.post(change_url(desk), data, headers={"accept-language": "ja"})
    assert response.status_code == 200
    assert f"「{named}」は言語ではありません" in unescape(response.content.decode())
    desk.refresh_from_db()
    assert desk.languages == ["en"]


def post_extension(editor, desk, typed):
    """The Japanese desk page posted with one phone whose extension is `typed`."""
    data = department_form(
        desk,
        **{
            "phones-TOTAL_FORMS": 1,
            "phones-0-number": "024-924-0000",
            "phones-0-extension": typed,
            "phones-0-position": 0,
        },
    )
    return editor.post(change_url(desk), data, headers={"accept-language": "ja"})


@pytest.mark.parametrize(
    "typed", ["内線123", "内線 123", "内線１２３", "内線：１２３", "（内線１２３）", "ext. 123"]
)
def test_the_japanese_desk_page_reads_an_extension_written_with_its_word_as_an_import_does(
    editor, city, typed
):
    desk = make_department(city, name="Desk")
    # The browser lets staff type the word as well as the digits.
    page = editor.get(change_url(desk)).content.decode()
    assert (
        "maxlength"
        not in re.search(r'<input[^>]*name="phones-__prefix__-extension"[^>]*>', page)[0]
    )
    response = post_extension(editor, desk, typed)
    assert response.status_code == 302, response.context["errors"]
    # Its digits, as the import keeps "024-924-0000 内線 123".
    assert desk.phones.get().extension == "123"
    assert phones.parse_phones("024-924-0000 " + typed)[0].extension == "123"


@pytest.mark.parametrize("typed", ["内線", "内線12-3", "123 内線 4"])
def test_the_japanese_desk_page_refuses_an_extension_that_is_not_one_naming_it(editor, city, typed):
    response = post_extension(editor, make_department(city, name="Desk"), typed)
    assert response.status_code == 200
    # It says what is read: the digits, alone or after the word.
    assert (
        f"「{typed}」は内線番号ではありません。「123」「内線123」「ext. 123」のように、数字（0〜9）"
        "だけか、「内線」か「ext.」の後に数字を書いてください。"
    ) in unescape(response.content.decode())
    assert not DepartmentPhone.objects.exists()


def post_number(editor, desk, number, extension=""):
    """The Japanese desk page posted with one phone typed as `number` and `extension`."""
    data = department_form(
        desk,
        **{
            "phones-TOTAL_FORMS": 1,
            "phones-0-number": number,
            "phones-0-extension": extension,
            "phones-0-position": 0,
        },
    )
    return editor.post(change_url(desk), data, headers={"accept-language": "ja"})


@pytest.mark.parametrize(
    "typed",
    ["024-924-0000 内線123", "０２４－９２４－００００（内線１２３）", "024-924-0000 ext. 123"],
)
def test_the_japanese_desk_page_reads_an_extension_typed_after_the_number_as_an_import_does(
    editor, city, typed
):
    desk = make_department(city, name="Desk")

    response = post_number(editor, desk, typed)

    assert response.status_code == 302, response.context["errors"]
    phone = desk.phones.get()
    assert (phone.national, phone.extension) == ("024-924-0000", "123")


def test_the_japanese_desk_page_refuses_two_different_extensions_for_one_number(editor, city):
    desk = make_department(city, name="Desk")

    response = post_number(editor, desk, "024-924-0000 内線123", extension="456")

    assert response.status_code == 200
    assert "番号の後の内線は 123、内線の欄は 456 です" in unescape(response.content.decode())
    assert not DepartmentPhone.objects.exists()


def test_the_desk_page_reads_opening_times_written_the_japanese_way_as_an_import_does(editor, city):
    desk = make_department(city, name="Desk")
    hours_typed = {
        "hours-0-weekday": 0,
        "hours-0-opens": "8時30分",
        "hours-0-closes": "午後5時15分",
    }
    data = department_form(desk, **{"hours-TOTAL_FORMS": 1, **hours_typed})
    response = editor.post(change_url(desk), data)
    assert response.status_code == 302, response.context["errors"]
    assert hours.format_hours(o.period for o in desk.hours.all()) == "Mon 08:30-17:15"


@pytest.mark.parametrize("typed", ["８：３０～１７：１５", "8:30-17:15", "8時30分〜午後5時15分"])
def test_the_desk_page_reads_a_span_typed_whole_in_the_opening_box_as_an_import_does(
    editor, city, typed
):
    desk = make_department(city, name="Desk")

    response = post_hours(editor, desk, [(0, typed, "")], language="ja")

    assert response.status_code == 302, response.context["errors"]
    assert hours.format_hours(o.period for o in desk.hours.all()) == "Mon 08:30-17:15"


def test_the_desk_page_refuses_a_span_in_the_opening_box_when_the_closing_one_is_filled(
    editor, city
):
    desk = make_department(city, name="Desk")

    response = post_hours(editor, desk, [(0, "８：３０～１７：１５", "17:00")], language="ja")

    assert response.status_code == 200
    assert "「8:30~17:15」は時刻ではありません。" in unescape(response.content.decode())
    assert not desk.hours.exists()


def test_the_desk_page_shows_a_saved_phone_and_hours_as_staff_write_them(editor, city):
    desk = make_department(city, name="Desk")
    DepartmentPhone.objects.create(department=desk, number="+81249240000")
    OpeningHours.objects.create(department=desk, weekday=0, opens=time(8, 30), closes=time(17))
    page = editor.get(change_url(desk)).content.decode()
    assert re.search(r'name="phones-0-number"[^>]*value="024-924-0000"', page)
    assert re.search(r'name="hours-0-opens"[^>]*value="08:30"', page)
    assert re.search(r'name="hours-0-closes"[^>]*value="17:00"', page)


def test_the_desk_page_names_a_postal_code_of_another_city_and_saves_nothing(editor, city):
    desk = make_department(city, name="Desk")
    response = editor.post(change_url(desk), department_form(desk, postal_code="100-0001"))
    assert response.status_code == 200
    assert "Postal code 100-0001 is not in Testyama." in response.content.decode()
    desk.refresh_from_db()
    assert desk.postal_code == ""


def post_hours(editor, desk, rows, language="en"):
    """The desk page posted with opening hours rows of (weekday, opens, closes)."""
    data = department_form(desk, **{"hours-TOTAL_FORMS": len(rows)})
    for index, (weekday, opens, closes) in enumerate(rows):
        data |= {f"hours-{index}-weekday": weekday, f"hours-{index}-opens": opens}
        data[f"hours-{index}-closes"] = closes
    return editor.post(change_url(desk), data, headers={"accept-language": language})


@pytest.mark.parametrize(("first", "second"), [("11:30", "17:15"), ("08:30", "12:00")])
def test_the_desk_page_refuses_hours_of_one_day_that_overlap_as_an_import_would(
    editor, city, first, second
):
    desk = make_department(city, name="Desk")
    response = post_hours(editor, desk, [(0, "08:30", "12:00"), (0, first, second)])
    assert response.status_code == 200
    message = f"Monday has overlapping times: 08:30-12:00 and {first}-{second}"
    assert message in response.content.decode()
    assert not desk.hours.exists()


def test_the_japanese_desk_page_names_the_day_of_overlapping_hours_in_japanese(editor, city):
    desk = make_department(city, name="Desk")
    rows = [(0, "08:00", "12:00"), (0, "11:00", "13:00")]
    response = post_hours(editor, desk, rows, language="ja")
    assert response.status_code == 200
    assert "月曜日の時間帯 08:00-12:00 と 11:00-13:00 が重なっています" in response.content.decode()
    assert not desk.hours.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“0138-21-31” is not a phone number in Japan: enter one such as 024-924-0000."),
        ("ja", "「0138-21-31」は日本の電話番号ではありません。"),
    ],
)
def test_the_desk_page_names_a_bad_phone_number_in_the_staff_s_language(
    editor, city, language, message
):
    desk = make_department(city, name="Desk")
    data = department_form(
        desk, **{"phones-TOTAL_FORMS": 1, "phones-0-number": "0138-21-31", "phones-0-position": 0}
    )
    response = editor.post(change_url(desk), data, headers={"accept-language": language})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert message in page
    assert "Enter a valid phone number" not in page
    assert not desk.phones.exists()


def test_the_desk_page_refuses_a_number_outside_japan_naming_it(editor, city):
    desk = make_department(city, name="Desk")
    data = department_form(
        desk,
        **{"phones-TOTAL_FORMS": 1, "phones-0-number": "+1 202 555 0100", "phones-0-position": 0},
    )
    response = editor.post(change_url(desk), data)
    assert response.status_code == 200
    message = "“+1 202-555-0100” is not a phone number in Japan: enter one such as 024-924-0000."
    assert message in unescape(response.content.decode())
    assert not desk.phones.exists()


@pytest.mark.parametrize("separator", [";", "；"])
def test_the_desk_page_refuses_a_phone_label_holding_a_separator_naming_it(editor, city, separator):
    desk = make_department(city, name="Desk")
    label = f"代表{separator} 相談"
    data = department_form(
        desk,
        **{
            "phones-TOTAL_FORMS": 1,
            "phones-0-number": "024-924-0000",
            "phones-0-label": label,
            "phones-0-position": 0,
        },
    )
    response = editor.post(change_url(desk), data)
    assert response.status_code == 200
    message = f"“{label}” contains “{separator}”, which separates phone numbers in an import file"
    assert message in unescape(response.content.decode())
    assert not desk.phones.exists()


@pytest.mark.parametrize("language", [None, "ja"])
@pytest.mark.parametrize("fmt", exporting.EXPORT_FORMATS)
def test_phones_saved_on_the_desk_page_come_back_unchanged_from_an_export_and_an_import(
    editor, city, fmt, language
):
    desk = make_department(city, name="Desk")
    typed = [("０２４−９２４−００００", "相談：外国語", "12"), ("024-924-0001", "Fax: 英語", "")]
    phones = {"phones-TOTAL_FORMS": len(typed)}
    for index, (number, label, extension) in enumerate(typed):
        phones |= {
            f"phones-{index}-number": number,
            f"phones-{index}-label": label,
            f"phones-{index}-extension": extension,
            f"phones-{index}-position": index,
        }
    response = editor.post(change_url(desk), department_form(desk, **phones))
    assert response.status_code == 302, response.context["errors"]
    saved = [(str(p.number), p.label, p.extension) for p in desk.phones.all()]
    assert saved == [("+81249240000", "相談：外国語", "12"), ("+81249240001", "Fax: 英語", "")]
    data = exporting.export("departments", fmt, header_language=language)
    report = importing.run_import("departments", data, fmt, dry_run=False)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1, "deleted": 0}
    assert [(str(p.number), p.label, p.extension) for p in desk.phones.all()] == saved


def test_a_city_editor_adds_a_phone_and_hours_to_their_own_city_s_desk(client, city):
    sign_in(client, make_staff("mine", CITY_EDITORS, [city]))
    desk = make_department(city, name="Desk")
    page = client.get(change_url(desk)).content.decode()
    assert 'name="phones-TOTAL_FORMS"' in page and 'name="hours-TOTAL_FORMS"' in page
    data = department_form(
        desk,
        **{
            "phones-TOTAL_FORMS": 1,
            "phones-0-number": "024-924-0000",
            "phones-0-position": 0,
            "hours-TOTAL_FORMS": 1,
            "hours-0-weekday": 2,
            "hours-0-opens": "09:00",
            "hours-0-closes": "12:00",
        },
    )
    assert client.post(change_url(desk), data).status_code == 302
    assert desk.phones.get().national == "024-924-0000"
    assert str(desk.hours.get()) == "Wednesday 09:00-12:00"


def history_url(desk):
    return reverse("admin:directory_department_history", args=[desk.pk])


def test_the_desk_s_history_says_who_changed_a_phone_from_what_to_what(client, city):
    mine = make_staff("mine", CITY_EDITORS, [city])
    sign_in(client, mine)
    desk = filled_desk(city)
    phone = desk.phones.get()
    data = department_form(desk, **{"phones-0-number": "024-924-9999", "hours-0-DELETE": "on"})
    assert client.post(change_url(desk), data).status_code == 302
    page = client.get(history_url(desk), headers={"accept-language": "en"})
    table = page_text(page).split("Phone numbers and opening hours", 1)[1]
    assert "Consultation: 024-924-0000 ext. 123 → Consultation: 024-924-9999 ext. 123" in table
    assert "Deleted" in table and "Monday 08:30-17:15" in table
    assert table.count("mine") == 2
    japanese = page_text(client.get(history_url(desk), headers={"accept-language": "ja"}))
    assert "電話番号と受付時間" in japanese and "内線 123" in japanese
    # Another city's editor reaches neither the desk's history nor its numbers.
    sign_in(client, make_staff("theirs", CITY_EDITORS, [make_city("13")]))
    response = client.get(history_url(desk))
    assert response.status_code == 404
    assert phone.national not in response.content.decode()


def test_the_desk_s_history_says_how_many_older_phone_and_hours_changes_it_leaves_out(
    editor, city, monkeypatch
):
    monkeypatch.setattr(admin, "DETAILS_SHOWN", 3)
    desk = filled_desk(city)  # a phone and five days' hours: six changes
    text = page_text(editor.get(history_url(desk), headers={"accept-language": "en"}))
    assert "3 older changes are not shown." in text
    assert "Friday 08:30-17:15" in text and "024-924-0000" not in text, "the newest first"
    japanese = page_text(editor.get(history_url(desk), headers={"accept-language": "ja"}))
    assert "これより前の3件の変更は表示していません。" in japanese


def revert_url(desk, version):
    return reverse("admin:directory_department_simple_history", args=[desk.pk, version.pk])


def revert(client, desk, version):
    """Press "Revert" on the page of `version`, its fields posted as the page shows them."""
    return client.post(revert_url(desk, version), department_form(version.instance))


def details(desk):
    """A desk's phones and hours as the admin lists them."""
    return [admin.described(record) for record in [*desk.phones.all(), *desk.hours.all()]]


def test_reverting_a_desk_to_before_an_import_puts_back_the_phone_number_it_changed(client, city):
    sign_in(client, make_staff("mine", CITY_EDITORS, [city]))
    desk = filled_desk(city)
    before = desk.history.latest()
    data = exporting.export("departments", "csv").replace(b"924-0000", b"924-5555")
    report = importing.run_import("departments", data, "csv", dry_run=False)
    assert report.ok, report.errors
    assert "024-924-5555" in page_text(get(client, "/en/cities/testyama/"))

    assert revert(client, desk, before).status_code == 302
    for page in (client.get(change_url(desk)), get(client, "/en/cities/testyama/")):
        text = page_text(page)
        assert "024-924-0000" in text and "024-924-5555" not in text
    table = page_text(client.get(history_url(desk), headers={"accept-language": "en"}))
    table = table.split("Phone numbers and opening hours", 1)[1]
    # The newest first: the revert's two changes, by whoever reverted.
    assert re.search(r"Created mine .*024-924-0000.* Deleted mine .*024-924-5555.* Import #", table)


def test_reverting_a_desk_removes_the_phones_and_hours_added_since_and_brings_back_those_removed(
    editor, city
):
    desk = filled_desk(city)
    version = desk.history.latest()
    kept = details(desk)
    data = department_form(
        desk,
        **{
            "phones-TOTAL_FORMS": 2,
            "phones-1-number": "024-924-1111",
            "phones-1-position": 1,
            "hours-0-DELETE": "on",
            "hours-1-closes": "12:00",
        },
    )
    assert editor.post(change_url(desk), data).status_code == 302
    edited = details(desk)
    assert "024-924-1111" in edited[1] and "Tuesday 08:30-12:00" in edited

    # Reverting to the latest version changes nothing, and records no change.
    counts = DepartmentPhone.history.count(), OpeningHours.history.count()
    assert revert(editor, desk, desk.history.latest()).status_code == 302
    assert details(desk) == edited
    assert (DepartmentPhone.history.count(), OpeningHours.history.count()) == counts

    response = revert(editor, desk, version)
    assert response.status_code == 302
    assert details(desk) == kept
    message = (
        "Its phone numbers and opening hours are back as they were with that version: "
        "Phone numbers: 1, Opening hours: 2."
    )
    assert message in page_text(editor.get(response.url, headers={"accept-language": "en"}))


def test_a_city_editor_reverts_their_own_city_s_desk_only_and_its_preview_changes_nothing(
    client, city
):
    mine = make_staff("mine", CITY_EDITORS, [city])
    sign_in(client, mine)
    desk = filled_desk(city)
    version = desk.history.latest()
    data = department_form(desk, **{"phones-0-number": "024-924-9999"})
    assert client.post(change_url(desk), data).status_code == 302
    changed = details(desk)

    # Another city's editor is refused, the preview as the revert.
    sign_in(client, make_staff("theirs", CITY_EDITORS, [make_city("13")]))
    assert client.get(revert_url(desk, version)).status_code == 404
    assert revert(client, desk, version).status_code == 404
    assert details(desk) == changed

    sign_in(client, mine)
    counts = DepartmentPhone.history.count(), desk.history.count()
    assert client.get(revert_url(desk, version)).status_code == 200
    assert details(desk) == changed
    assert (DepartmentPhone.history.count(), desk.history.count()) == counts
    assert revert(client, desk, version).status_code == 302
    assert "024-924-0000" in details(desk)[0]


def test_a_desk_s_revert_page_says_in_japanese_that_it_puts_back_the_phones_and_hours(client, city):
    sign_in(client, make_staff("mine", CITY_EDITORS, [city]))
    desk = filled_desk(city)
    note = "担当課をある版に戻すと、電話番号と受付時間もその版のときの状態に戻ります。"
    for url in (revert_url(desk, desk.history.earliest()), history_url(desk)):
        assert note in page_text(client.get(url, headers={"accept-language": "ja"})), url
    english = page_text(client.get(history_url(desk), headers={"accept-language": "en"}))
    assert "also puts its phone numbers and opening hours back as they were" in english


def test_reverting_to_a_version_older_than_the_phones_history_keeps_the_phones_it_did_not_record(
    editor, city
):
    # Phones saved before their history was kept (migration 0026) have no history rows.
    desk = filled_desk(city)
    DepartmentPhone.history.all().delete()
    OpeningHours.history.all().delete()
    version = desk.history.latest()
    kept = details(desk)
    data = department_form(
        desk, **{"phones-TOTAL_FORMS": 2, "phones-1-number": "024-924-1111", "phones-1-position": 1}
    )
    assert editor.post(change_url(desk), data).status_code == 302

    assert revert(editor, desk, version).status_code == 302
    assert details(desk) == kept


def test_a_deleted_desk_brought_back_from_its_history_has_its_phones_hours_and_classes(
    client, city
):
    sign_in(client, make_staff("mine", CITY_EDITORS, [city]))
    desk = filled_desk(city)
    link = make_class_link(city, department=desk)
    # A phone removed on purpose an hour before the desk was removed stays removed.
    gone = DepartmentPhone.objects.create(department=desk, number="024-924-1111").pk
    DepartmentPhone.objects.filter(pk=gone).get().delete()
    DepartmentPhone.history.filter(id=gone).update(history_date=timezone.now() - timedelta(hours=1))
    version = desk.history.order_by("-history_id").first()
    delete = reverse("admin:directory_department_delete", args=[desk.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not DepartmentPhone.objects.exists() and not OpeningHours.objects.exists()

    # The city's history page leads to the deleted desk's, where its versions are.
    city_history = reverse("admin:directory_city_history", args=[city.pk])
    page = client.get(city_history, headers={"accept-language": "en"})
    assert "International Exchange Desk" in page_text(page).split("Deleted desks", 1)[1]
    assert f'href="{history_url(desk)}"' in page.content.decode()
    japanese = client.get(city_history, headers={"accept-language": "ja"})
    assert "International Exchange Desk" in page_text(japanese).split("削除された窓口", 1)[1]
    revert = reverse("admin:directory_department_simple_history", args=[desk.pk, version.pk])
    assert f'href="{revert}"' in client.get(history_url(desk)).content.decode()
    form = department_form(version.instance)
    assert client.post(revert, form).status_code == 302

    desk = Department.objects.get(pk=desk.pk)
    assert [phone.national for phone in desk.phones.all()] == ["024-924-0000"]
    assert desk.hours.count() == 5
    link.refresh_from_db()
    assert link.department == desk
    page = client.get(city.get_absolute_url()).content.decode()
    assert "024-924-0000" in page and "024-924-1111" not in page


def test_the_desk_page_speaks_japanese_to_a_japanese_admin(editor, city):
    desk = make_department(city)
    page = editor.get(change_url(desk), headers={"accept-language": "ja"}).content.decode()
    for label in ("郵便番号", "住所（日本語）", "対応言語", "電話・ビデオ通訳", "受付時間", "内線"):
        assert label in page, label
    listing = editor.get(
        reverse("admin:directory_department_changelist"), headers={"accept-language": "ja"}
    ).content.decode()
    assert "不足している情報" in listing and "電話番号なし" in listing


def test_the_city_page_links_each_desk_to_its_own_page(editor, city):
    desk = make_department(city)
    response = editor.get(reverse("admin:directory_city_change", args=[city.pk]))
    assert change_url(desk) in response.content.decode()


def test_a_city_editor_cannot_open_another_city_s_desk(client, city):
    other = make_city("13")
    sign_in(client, make_staff("theirs", CITY_EDITORS, [other]))
    desk = filled_desk(city)
    response = client.get(change_url(desk))
    assert response.status_code in (302, 404)
    assert "024-924-0000" not in response.content.decode()


@pytest.mark.parametrize("missing", ["phone", "hours", "address", "languages"])
def test_the_desk_list_filters_desks_missing_a_phone_hours_address_or_languages(
    editor, city, missing
):
    complete = filled_desk(city)
    bare = make_department(city, name="Bare desk")
    response = editor.get(reverse("admin:directory_department_changelist"), {"missing": missing})
    listed = list(response.context["cl"].result_list)
    assert bare in listed and complete not in listed


@pytest.mark.parametrize(
    "typed",
    [
        "024-924-0000",
        "０２４－９２４－００００",
        "0249240000",
        "+81 24 924 0000",
        "電話：024-924-0000",
        "924-0000",
        "９２４－００００",
    ],
)
def test_the_desk_list_finds_a_desk_by_its_phone_number_as_staff_type_it(editor, city, typed):
    desk = filled_desk(city)
    other = make_department(city, name="Another desk")
    DepartmentPhone.objects.create(department=other, number="024-924-1111")
    response = editor.get(reverse("admin:directory_department_changelist"), {"q": typed})
    assert list(response.context["cl"].result_list) == [desk]


def test_the_desk_list_still_finds_desks_by_name_and_a_number_no_desk_has_finds_none(editor, city):
    desk = filled_desk(city)
    listed = editor.get(reverse("admin:directory_department_changelist"), {"q": "国際交流"})
    assert list(listed.context["cl"].result_list) == [desk]
    listed = editor.get(reverse("admin:directory_department_changelist"), {"q": "024-924-9999"})
    assert list(listed.context["cl"].result_list) == []


def test_a_city_editor_does_not_find_another_city_s_desk_by_its_phone_number(client, city):
    filled_desk(city)
    other = make_city("13")
    own = make_department(other, name="Own desk")
    DepartmentPhone.objects.create(department=own, number="03-6258-1210")
    sign_in(client, make_staff("theirs", CITY_EDITORS, [other]))
    for typed in ["024-924-0000", "924-0000"]:
        listed = client.get(reverse("admin:directory_department_changelist"), {"q": typed})
        assert list(listed.context["cl"].result_list) == []
        assert "国際交流窓口" not in listed.content.decode()
    # Their own city's desk, they do find by its number.
    listed = client.get(reverse("admin:directory_department_changelist"), {"q": "0362581210"})
    assert list(listed.context["cl"].result_list) == [own]


# The city page


def test_the_city_page_shows_a_filled_desk_in_english(client, city, monkeypatch):
    fixed_clock(monkeypatch, "2026-11-30T10:00")  # a Monday
    filled_desk(city)
    response = get(client, "/en/cities/testyama/")
    html = response.content.decode()
    text = page_text(response)
    assert 'href="tel:+81249240000;ext=123"' in html
    assert "Consultation 024-924-0000 ext. 123" in text
    assert '<p class="desk-other-name" lang="ja">国際交流窓口</p>' in html
    assert "〒963-8024 福島県試験山市朝日1-1-1 本庁舎2階 5番窓口" in text
    assert '<span lang="ja-Latn">1-1-1 Asahi, Testyama, Fukushima</span>' in html
    assert (
        'href="https://www.openstreetmap.org/search?query='
        '%E7%A6%8F%E5%B3%B6%E7%9C%8C%E8%A9%A6%E9%A8%93%E5%B1%B1%E5%B8%82%E6%9C%9D%E6%97%A51-1-1"'
    ) in html
    assert "Monday – Friday 08:30–17:15" in text
    assert "Open now · until 17:15" in text
    assert "Vietnamese · Tiếng Việt" in text
    assert '<span lang="vi">Tiếng Việt</span>' in html
    assert "Interpretation by phone or video is available." in text
    assert "No appointment needed." in text
    assert "Closed on national holidays." in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "opens Wednesday, 6 January at 10:00"),
        ("ko", "1월 6일 수요일 10:00에 시작"),
        ("ja", "1月6日（水曜日） 10:00から"),
        # The month named as CLDR names it, as every date on Burmese pages: not 2027-01-06.
        ("my", "ဗုဒ္ဓဟူး၊ ဇန်နဝါရီ 6 10:00 တွင် ဖွင့်မည်"),
    ],
)
def test_a_next_opening_a_week_or_more_away_gives_its_date_not_the_weekday_alone(
    language, expected
):
    # On 29 December "Wednesday" would read as the 30th, closed for the New Year.
    wednesdays = [hours.Period(2, time(10), time(16))]
    now = datetime(2026, 12, 29, 9, tzinfo=hours.TOKYO)
    with translation.override(language):
        assert unjoined(desks.status_line(hours.status(wednesdays, now), now)[2]) == expected
    # Within the week the weekday alone says which day.
    now = datetime(2027, 1, 4, 9, tzinfo=hours.TOKYO)
    with translation.override("en"):
        assert (
            desks.status_line(hours.status(wednesdays, now), now)[2] == "opens Wednesday at 10:00"
        )


def test_a_number_outside_japan_saved_before_they_were_refused_is_shown_with_its_country_code(
    client, city
):
    desk = make_department(city, name="Desk")
    DepartmentPhone.objects.create(department=desk, number="+1 202 555 0100")  # no validation
    response = get(client, "/en/cities/testyama/")
    assert 'href="tel:+12025550100"' in response.content.decode()
    assert "Phone +1 202-555-0100" in page_text(response)


def test_the_city_page_words_the_desk_in_japanese(client, city, monkeypatch):
    fixed_clock(monkeypatch, "2026-11-28T10:00")  # a Saturday
    filled_desk(city)
    response = get(client, "/ja/cities/testyama/")
    html = response.content.decode()
    text = page_text(response)
    assert '<h3 id="desk-' in html and ">国際交流窓口</h3>" in html
    assert '<p class="desk-other-name" lang="en">International Exchange Desk</p>' in html
    # A range as Japanese writes one, with ～.
    assert '<dt><span class="unit">月曜日～</span><span class="unit">金曜日</span></dt>' in html
    assert "08:30～17:15" in text
    assert "本日休み · 月曜日 08:30から" in text
    assert "ベトナム語 · Tiếng Việt" in text
    assert "電話 024-924-0000 内線123" not in text  # the label is the staff's own
    assert "予約は不要です。" in text
    assert "ja-Latn" not in html  # the romaji address is for readers of other languages


def test_the_city_page_in_vietnamese_says_closed_on_a_national_holiday(client, city, monkeypatch):
    fixed_clock(monkeypatch, "2026-11-23T10:00")  # Labour Thanksgiving Day, a Monday
    filled_desk(city)
    text = page_text(get(client, "/vi/cities/testyama/"))
    assert "Hôm nay đóng cửa: ngày lễ quốc gia · mở cửa Thứ Ba lúc 08:30" in text
    assert "Thứ Hai – Thứ Sáu 08:30–17:15" in text
    assert "Tiếng Việt" in text and "Tiếng Bồ Đào Nha · Português" in text


def test_the_city_page_in_korean_says_closed_for_the_new_year_holidays(client, city, monkeypatch):
    fixed_clock(monkeypatch, "2025-01-02T10:00")  # a Thursday
    filled_desk(city)
    text = page_text(get(client, "/ko/cities/testyama/"))
    assert "오늘 휴무 (연말연시)" in text and "지금 운영 중" not in text


def test_staff_text_in_japanese_is_marked_so_on_a_page_in_another_language(client, city):
    desk = make_department(city, name="Desk", hours_note="祝日は休み")
    DepartmentPhone.objects.create(department=desk, number="+81249240000", label="代表")
    DepartmentPhone.objects.create(department=desk, number="+81249240001", label="Consultation")
    html = get(client, "/ko/cities/testyama/").content.decode()
    assert '<span class="label" lang="ja">代表</span>' in html
    assert '<span class="label">Consultation</span>' in html
    assert '<p class="hours-note" lang="ja">祝日は休み</p>' in html


def test_easy_japanese_names_the_languages_spoken_in_kana(client, city):
    make_department(city, name="Desk", languages=["en", "vi", "zh"])
    text = page_text(get(client, "/ja-easy/cities/testyama/"))
    assert "えいご" in text and "ベトナムご" in text and "ちゅうごくご" in text
    assert "英語" not in text and "中国語" not in text


def test_missing_fields_are_simply_not_shown(client, city):
    make_department(city, name="Bare desk", email="", url="")
    text = page_text(get(client, "/en/cities/testyama/"))
    for absent in ("Address", "Opening hours", "Languages", "Open now", "Closed", "appointment"):
        assert absent not in text
    assert "Show this to staff" in text


def test_the_city_page_with_a_filled_desk_is_under_15_kb_compressed(client, city):
    desk = filled_desk(city)
    for n in range(3):
        desk.class_links.create(city=city, url=f"https://example.jp/class/{n}", label="Class")
    html = get(client, "/en/cities/testyama/").content
    assert len(gzip.compress(html)) < 15 * 1024


# The card to show at the counter


def card_url(desk, language="en"):
    return f"/{language}/cities/{desk.city.slug}/desks/{desk.pk}/staff-card/"


def test_the_staff_card_says_the_chosen_sentence_in_japanese_and_the_visitor_s_language(
    client, city
):
    desk = filled_desk(city)
    response = get(client, card_url(desk, "vi"), say="learn")
    html = response.content.decode()
    text = page_text(response)
    assert '<article class="staff-card" lang="ja"' in html
    assert "日本語を勉強したいです。日本語教室はどこにありますか。" in text
    chosen = re.search(r'<div class="card-sentence chosen" id="say-learn"[^>]*>(.*?)</div>', html)
    assert "日本語を勉強したいです。日本語教室はどこにありますか。" in chosen[1]
    assert '<p class="card-say-own" lang="vi">Tôi muốn học tiếng Nhật.' in chosen[1]
    assert html.count("chosen") == 1
    assert "国際交流窓口" in text and "〒963-8024 福島県試験山市朝日1-1-1 本庁舎2階 5番窓口" in text
    assert "024-924-0000 内線123" in text


def test_the_staff_card_tells_staff_the_visitor_s_language_so_they_can_find_an_interpreter(
    client, city
):
    desk = filled_desk(city)
    html = get(client, card_url(desk, "ne"), say="interpreter").content.decode()
    assert (
        '<p class="card-language">私の言葉：ネパール語 <span lang="ne">(नेपाली)</span></p>' in html
    )
    html = get(client, card_url(desk, "zh-hans")).content.decode()
    assert (
        '<p class="card-language">私の言葉：中国語 <span lang="zh-Hans">(中文)</span></p>' in html
    )
    # A visitor reading Japanese needs no interpreter line.
    assert "card-language" not in get(client, card_url(desk, "ja-easy")).content.decode()


def test_the_staff_card_needs_nothing_from_elsewhere(client, city):
    html = get(client, card_url(filled_desk(city))).content.decode()
    assert "<script" not in html and "style=" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Show this to staff · International Exchange Desk · madoguchi"),
        ("ja", "窓口で見せるカード · 国際交流窓口 · madoguchi"),
        ("ja-easy", "まどぐちで みせる カード · 国際交流窓口 · madoguchi"),
    ],
)
def test_the_staff_card_s_title_names_the_desk_as_the_city_page_s_heading_does(
    client, city, language, title
):
    desk = filled_desk(city)
    html = get(client, card_url(desk, language), say="learn").content.decode()
    assert f"<title>{title}</title>" in html


def test_on_a_japanese_page_the_staff_card_s_title_names_a_desk_without_a_japanese_name_in_english(
    client, city
):
    desk = make_department(city, name="Global Centre")
    html = get(client, card_url(desk, "ja")).content.decode()
    assert "<title>窓口で見せるカード · Global Centre · madoguchi</title>" in html


def test_an_unknown_sentence_shows_the_first_and_a_desk_of_another_city_is_not_found(client, city):
    desk = filled_desk(city)
    html = get(client, card_url(desk), say="<bad>").content.decode()
    assert '<div class="card-sentence chosen" id="say-advice"' in html
    other = make_city("13", slug="elsewhere")
    response = client.get(f"/en/cities/{other.slug}/desks/{desk.pk}/staff-card/")
    assert response.status_code == 404


def test_the_city_page_tells_search_engines_the_desk_s_phone_address_hours_and_languages(
    client, city
):
    filled_desk(city)
    response = get(client, "/en/cities/testyama/")
    desk = response.context["json_ld"]["department"][0]
    assert desk["alternateName"] == "国際交流窓口"
    assert desk["telephone"] == "+81249240000;ext=123"  # the extension, as the page dials it
    assert desk["address"]["postalCode"] == "963-8024"
    assert desk["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "08:30",
        "closes": "17:15",
    }
    assert desk["knowsLanguage"] == ["en", "vi", "zh", "pt"]
