"""Visitors' problem reports, and what the public city page says about freshness and proxies."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from directory.models import ClassLink, ProblemReport
from directory.roles import CITY_EDITORS
from tests.builders import make_city, make_staff, unjoined

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db):
    return make_city(name="Reportville")


def report_url(city):
    return reverse("directory:city-report", args=[city.slug])


def send(client, city, **data):
    data = {"kind": "broken-link", "message": "The class page is gone", **data}
    return client.post(report_url(city), data, **data.pop("headers", {}))


def test_a_visitor_reports_a_broken_link_without_an_account(client, city):
    response = send(client, city)
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.city, report.kind) == (city, "broken-link")
    assert report.message == "The class page is gone"
    assert report.is_open
    thanks = client.get(response["Location"])
    assert b"Thank you" in thanks.content


def test_the_form_offers_every_kind_of_problem(client, city):
    page = client.get(report_url(city), {"kind": "wrong-email"}).content.decode()
    for value in ("broken-link", "wrong-email", "class-ended", "other"):
        assert f'value="{value}"' in page
    # What a desk's card shows can be wrong too: its phone, its hours, its address.
    for value in ("wrong-phone", "wrong-hours", "wrong-address"):
        assert f'value="{value}"' in page
    assert re.search(r'<input[^>]*value="wrong-email"[^>]*checked>', page)
    assert page.count("checked>") == 1


def test_a_wrong_phone_number_is_reported_in_the_visitor_s_language_and_needs_no_words(
    client, city
):
    page = client.get(f"/vi{report_url(city)[3:]}").content.decode()
    assert "Số điện thoại bị sai" in page
    response = send(client, city, kind="wrong-phone", message="")
    assert response.status_code == 302
    assert ProblemReport.objects.get().get_kind_display() == "A phone number is wrong"


def test_something_else_needs_a_word_of_explanation(client, city):
    response = send(client, city, kind="other", message="  ")
    assert response.status_code == 200
    assert b"Please tell us what is wrong." in response.content
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "Choose what is wrong."), ("fil", "Piliin kung ano ang mali."), ("my", "ရွေးချယ်ပါ")],
)
def test_a_report_without_a_kind_asks_for_one_in_the_visitors_language(
    client, city, language, said
):
    # Django's own "This field is required." has no Filipino or Burmese.
    url = f"/{language}{report_url(city).removeprefix('/en')}"
    response = client.post(url, {"message": "gone"})
    assert response.status_code == 200
    assert said in unjoined(response.content.decode())
    assert not ProblemReport.objects.exists()


def test_the_thank_you_page_names_the_city_in_japanese_on_the_japanese_site(client, db):
    city = make_city(name="City of Koriyama", name_ja="郡山市")
    url = f"/ja{report_url(city).removeprefix('/en')}"
    thanks = client.get(client.post(url, {"kind": "broken-link"})["Location"]).content.decode()
    assert "<title>問題を報告する: 郡山市" in thanks and "郡山市 に戻る" in thanks
    assert "City of Koriyama" not in thanks


def localised(language, city):
    return f"/{language}{report_url(city).removeprefix('/en')}"


def test_a_refused_report_says_so_in_its_title_and_lists_each_error_linked_to_its_field(
    client, city
):
    page = client.post(report_url(city), {"message": "x" * 2001}).content.decode()
    assert "<title>Error: Report a problem: Reportville" in page
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert 'role="alert"' in summary[0]
    links = re.findall(r'<li><a href="#(\w+)">([^<]+)</a></li>', summary[1])
    assert links == [
        ("id_kind_0", "Choose what is wrong."),
        ("id_message", "Write at most 2000 characters in the details (they have 2001)."),
    ]
    # The form comes after the summary; the radio group is described by its error.
    assert page.index('class="error-summary"') < page.index("<fieldset")
    assert '<fieldset aria-describedby="id_kind_error">' in page
    assert '<ul class="errorlist" id="id_kind_error">' in page
    assert 'id="id_kind_0"' in page
    # A form not yet sent has neither.
    fresh = client.get(report_url(city)).content.decode()
    assert "error-summary" not in fresh and "<title>Report a problem: Reportville" in fresh
    assert "<fieldset>" in fresh


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("my", "အသေးစိတ်တွင် စာလုံးရေ 2000 လုံးအထိသာ ရေးပါ (ယခု 2001 လုံး ရှိသည်)။"),
        ("fil", "Hanggang 2000 titik lang ang puwede sa mga detalye (may 2001 ngayon)."),
    ],
)
def test_details_too_long_are_refused_in_the_visitors_language(client, city, language, said):
    page = client.post(localised(language, city), {"kind": "broken-link", "message": "x" * 2001})
    assert said in unjoined(page.content.decode())
    assert b"Ensure this value" not in page.content
    assert not ProblemReport.objects.exists()


def test_something_else_with_details_too_long_is_told_only_that_they_are_too_long(client, city):
    page = send(client, city, kind="other", message="x" * 2001).content.decode()
    assert "Write at most 2000 characters in the details (they have 2001)." in page
    assert "Please tell us what is wrong." not in page


def test_invisible_control_characters_pasted_into_the_details_are_sent_as_spaces_and_lines(
    client, city
):
    # As a PDF's text comes: a line break as \x0b, a page break as \x0c, and stray controls.
    pasted = "The phone\x0bis wrong\x0cPage 2\x1fsee\x01it\x1b[31m\x85end\u200b"
    response = client.post(localised("fil", city), {"kind": "other", "message": pasted})
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert report.message == "The phone\nis wrong\nPage 2 see it [31m\nend\u200b"
    report.full_clean()


def test_a_nul_in_the_details_is_still_refused(client, city):
    response = client.post(localised("fil", city), {"kind": "other", "message": "a\x00b"})
    assert response.status_code == 400
    assert not ProblemReport.objects.exists()


def test_a_bot_that_fills_the_honeypot_is_thanked_but_nothing_is_stored(client, city):
    response = send(client, city, website="https://spam.example/")
    assert response.status_code == 302
    assert not ProblemReport.objects.exists()


def test_a_report_without_the_csrf_token_is_refused(city):
    response = send(Client(enforce_csrf_checks=True), city)
    assert response.status_code == 403
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "To send a form, this site needs a cookie."),
        ("fil", "Para makapagpadala ng form, kailangan ng site na ito ng cookie."),
    ],
)
def test_a_report_sent_without_cookies_says_they_are_needed_and_leads_back_to_the_form(
    city, language, said
):
    # A browser that blocks cookies never has the CSRF cookie the form's token goes with.
    url = localised(language, city)
    response = Client(enforce_csrf_checks=True).post(url, {"kind": "broken-link"})
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert said in page
    assert f'<a href="{url}" id="back-to-form">' in page
    assert "CSRF verification failed" not in page
    assert not ProblemReport.objects.exists()


def test_the_eleventh_report_in_an_hour_from_one_address_is_refused(client, city):
    for n in range(10):
        assert send(client, city, message=f"Link {n} is gone").status_code == 302
    refused = send(client, city)
    assert refused.status_code == 429
    assert b"Too many reports have been sent from your connection" in refused.content
    assert ProblemReport.objects.count() == 10
    other_address = send(client, city, headers={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 302


def test_a_report_sent_twice_in_a_row_is_stored_and_mailed_once(
    client, city, mailoutbox, django_capture_on_commit_callbacks
):
    editor = make_staff("sato", CITY_EDITORS, [city])
    editor.email = "sato@example.jp"
    editor.save()
    # A second tap on "Send" while the first is on its way: thanked both times.
    with_the_mail = {"kind": "wrong-phone", "message": "Số điện thoại sai"}
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = send(client, city, **with_the_mail)
        assert response.status_code == 302
    assert ProblemReport.objects.count() == 1
    assert len(mailoutbox) == 1
    # Something else, or the same from someone else, is another report.
    send(client, city, kind="wrong-phone", message="The fax number is wrong too")
    send(client, city, **with_the_mail, headers={"REMOTE_ADDR": "192.0.2.7"})
    assert ProblemReport.objects.count() == 3


def test_reports_sent_back_for_correction_do_not_count_against_the_limit(client, city):
    for _ in range(10):
        assert send(client, city, kind="other", message="").status_code == 200
    assert send(client, city).status_code == 302
    assert ProblemReport.objects.count() == 1


def test_a_message_as_long_as_the_text_area_allows_is_taken_with_its_line_breaks(client, city):
    # The browser's maxlength counts a line break as one character and sends it as CR LF.
    lines = ["x" * 99] * 20
    assert len("\n".join(lines)) == 2000 - 1
    response = send(client, city, message="\r\n".join(lines) + "!")
    assert response.status_code == 302
    assert ProblemReport.objects.get().message == "\n".join(lines) + "!"
    too_long = send(client, city, message="\r\n".join(lines) + "!?")
    assert b"Write at most 2000 characters in the details (they have 2001)." in too_long.content


def test_the_limit_counts_the_address_our_proxy_saw_not_one_the_client_wrote(
    client, city, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        forwarded = {"HTTP_X_FORWARDED_FOR": f"10.0.0.{n}, 198.51.100.9"}
        assert send(client, city, headers=forwarded).status_code == 302
    forged = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.9"}
    assert send(client, city, headers=forged).status_code == 429
    someone_else = {"HTTP_X_FORWARDED_FOR": "198.51.100.10"}
    assert send(client, city, headers=someone_else).status_code == 302


def test_reports_are_never_shown_on_the_public_page(client, city):
    send(client, city, message="secret-looking report text")
    page = client.get(city.get_absolute_url())
    assert b"secret-looking report text" not in page.content


def test_the_city_page_shows_when_staff_last_verified_it(client, city):
    assert b"Not yet verified by our staff." in client.get(city.get_absolute_url()).content
    city.last_verified = datetime.date(2025, 3, 14)
    city.save()
    page = client.get(city.get_absolute_url()).content.decode()
    assert '<time datetime="2025-03-14">14 March 2025</time>' in page
    assert f'href="{report_url(city)}"' in page


def test_the_city_page_links_the_original_page_beside_the_translated_one(client, seed):
    link = ClassLink.objects.get(url__contains="matsumoto.nagano.jp.e.arx.hp.transer.com")
    page = client.get(link.city.get_absolute_url()).content.decode()
    assert f'href="{link.url}"' in page
    assert 'href="https://www.city.matsumoto.nagano.jp/koho/195283.html"' in page


def test_the_form_has_no_empty_choice_to_pick(client, city):
    assert b"---------" not in client.get(report_url(city)).content
