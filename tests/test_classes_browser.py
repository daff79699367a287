"""A class with every detail on a city page, at phone size (360 px), in three languages."""

import pytest
from playwright.sync_api import expect

from directory.models import City, ClassLink
from tests.builders import (
    load_prefectures,
    make_city,
    make_class_link,
    make_department,
    make_full_class_link,
    make_staff,
)

pytestmark = pytest.mark.browser

# What each language's card must show, in its own words.
EXPECTED = {
    "en": ["Tuesday and Friday 18:30–20:30", "Adults · Childcare available", "Vietnamese, English"],
    "ja": ["火曜日、金曜日 18:30～20:30", "大人 · 託児あり", "ベトナム語、英語"],
    "vi": ["Người lớn · Có trông trẻ", "Tiếng Việt, Tiếng Anh", "Trình độ"],
}


@pytest.fixture
def city_with_a_full_class(live_server, transactional_db):
    load_prefectures()
    city = make_city(name="Testcity", name_ja="試験市", slug="testcity")
    desk = make_department(city, name="International Affairs Division", url="https://example.jp/")
    make_full_class_link(city, "https://example.jp/nihongo/otona.pdf", department=desk)
    make_class_link(city, "https://example.jp/nihongo/kodomo/", department=desk)
    return live_server.url + "/{language}/cities/testcity/"


@pytest.mark.parametrize("language", ["en", "ja", "vi", "ja-easy"])
def test_a_class_with_every_detail_reads_well_on_a_phone(
    city_with_a_full_class, phone_tab, screenshot, language
):
    phone_tab.goto(city_with_a_full_class.format(language=language))
    facts = phone_tab.locator("dl.facts")
    assert facts.count() == 1, "the class without details shows none"
    shown = facts.inner_text()
    for expected in EXPECTED.get(language, []):
        assert expected in shown, (language, expected)
    assert "PDF" in phone_tab.locator(".classes .button").first.inner_text()
    # Nothing is wider than the phone: no sideways scrolling.
    width = phone_tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    # Every term sits beside its value, on the card, not under another one.
    overflowing = phone_tab.evaluate(
        """() => [...document.querySelectorAll('.facts dd')]
            .filter(dd => dd.getBoundingClientRect().right > window.innerWidth)
            .map(dd => dd.textContent)"""
    )
    assert overflowing == []
    # The values keep at least half the card: a long term ("だれの ための きょうしつ") wraps
    # rather than squeezing them into a column of broken words.
    squeezed = phone_tab.evaluate(
        """() => [...document.querySelectorAll('.facts dd')]
            .filter(dd => dd.offsetWidth < dd.parentElement.offsetWidth / 2)
            .map(dd => dd.textContent)"""
    )
    assert squeezed == []
    screenshot(phone_tab, f"class-details-{language}")


def test_staff_fill_in_a_classs_details_in_the_folded_section_of_the_city_page(
    city_with_a_full_class, desktop_tab, screenshot
):
    city = City.objects.get(slug="testcity")
    bare = ClassLink.objects.get(url="https://example.jp/nihongo/kodomo/")
    make_staff("editor", group="City editors", cities=[city])
    page = desktop_tab
    base = city_with_a_full_class.split("/{language}")[0]
    page.goto(base + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/admin/directory/city/{city.pk}/change/")
    form = page.locator("#class_links-1")
    expect(form.get_by_label("Venue")).to_be_hidden()
    form.get_by_text("Class details").click()
    form.get_by_label("Venue").fill("こども図書館")
    form.get_by_label("Saturday").check()
    form.get_by_label("Languages of support").fill("pt, es")
    form.get_by_label("Audience").select_option("children")
    form.get_by_label("Fee (yen)").fill("0")
    screenshot(page, "class-details-admin")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    bare.refresh_from_db()
    assert (bare.venue, bare.weekdays, bare.languages) == ("こども図書館", ["SA"], ["pt", "es"])
    assert (bare.audience, bare.fee) == ("children", 0)
