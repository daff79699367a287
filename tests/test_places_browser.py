"""On a phone, an unlisted city, Naha and a postal code each lead somewhere (issue 17)."""

import pytest

pytestmark = pytest.mark.browser

WIDTH = 360


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


@pytest.mark.parametrize(
    ("language", "not_listed"),
    [
        ("en", "Hamamatsu is not one of the core cities listed here."),
        ("ja", "浜松市は、このサイトに掲載している中核市ではありません。"),
        ("vi", "Hamamatsu không phải là thành phố trung tâm (core city) có trong danh sách này."),
    ],
)
def test_an_unlisted_citys_page_says_so_and_shows_where_else_to_ask(
    live_places_read_only, phone_tab, screenshot, language, not_listed
):
    phone_tab.goto(f"{live_places_read_only.url}/{language}/places/221309/")
    assert "浜松市" in phone_tab.get_by_role("heading", level=1).inner_text()
    assert phone_tab.get_by_role("note").inner_text().startswith(not_listed)
    assert phone_tab.locator(".where-to-ask").is_visible()
    # Its wards lead on to their own pages.
    assert phone_tab.locator('a[href$="/places/221384/"]').is_visible()
    assert fits_the_phone(phone_tab)
    screenshot(phone_tab, f"places-hamamatsu-{language}-phone")


@pytest.mark.parametrize("language", ["en", "ja", "vi"])
def test_nahas_page_leads_to_where_else_to_ask_never_to_nothing(
    live_places_read_only, phone_tab, screenshot, language
):
    phone_tab.goto(f"{live_places_read_only.url}/{language}/cities/naha/")
    assert "那覇市" in phone_tab.get_by_role("heading", level=1).inner_text()
    help_block = phone_tab.locator(".where-to-ask")
    assert help_block.is_visible()
    assert help_block.get_by_role("link").last.get_attribute("href") == f"/{language}/"
    assert fits_the_phone(phone_tab)
    screenshot(phone_tab, f"places-naha-{language}-phone")


@pytest.mark.parametrize("language", ["en", "ja", "vi"])
def test_a_postal_code_typed_in_full_width_reaches_its_place(
    live_places_read_only, phone_tab, screenshot, language
):
    phone_tab.goto(f"{live_places_read_only.url}/{language}/search/")
    phone_tab.locator("#id_q").fill("〒２３１－０００５")
    phone_tab.locator("#id_q").press("Enter")
    phone_tab.wait_for_url(f"**/{language}/places/141046/")
    assert "横浜市中区" in phone_tab.get_by_role("heading", level=1).inner_text()
    assert fits_the_phone(phone_tab)
    screenshot(phone_tab, f"places-postal-code-{language}-phone")
