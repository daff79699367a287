"""On a phone, an unlisted city, Naha and a postal code each lead somewhere (issue 17)."""

import pytest

from directory.models import NationalHelp, Prefecture

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
    live_places, phone_page, screenshot, language, not_listed
):
    phone_page.goto(f"{live_places.url}/{language}/places/221309/")
    assert "浜松市" in phone_page.get_by_role("heading", level=1).inner_text()
    assert phone_page.get_by_role("note").inner_text().startswith(not_listed)
    assert phone_page.locator(".where-to-ask").is_visible()
    # Its wards lead on to their own pages.
    assert phone_page.locator('a[href$="/places/221384/"]').is_visible()
    assert fits_the_phone(phone_page)
    screenshot(phone_page, f"places-hamamatsu-{language}-phone")


@pytest.mark.parametrize("language", ["en", "ja", "vi"])
def test_nahas_page_leads_to_where_else_to_ask_never_to_nothing(
    live_places, phone_page, screenshot, language
):
    phone_page.goto(f"{live_places.url}/{language}/cities/naha/")
    assert "那覇市" in phone_page.get_by_role("heading", level=1).inner_text()
    help_block = phone_page.locator(".where-to-ask")
    assert help_block.is_visible()
    assert help_block.get_by_role("link").last.get_attribute("href") == f"/{language}/"
    assert fits_the_phone(phone_page)
    screenshot(phone_page, f"places-naha-{language}-phone")


@pytest.mark.parametrize("language", ["en", "ja", "vi"])
def test_a_postal_code_typed_in_full_width_reaches_its_place(
    live_places, phone_page, screenshot, language
):
    phone_page.goto(f"{live_places.url}/{language}/search/")
    phone_page.locator("#id_q").fill("〒２３１－０００５")
    phone_page.locator("#id_q").press("Enter")
    phone_page.wait_for_url(f"**/{language}/places/141046/")
    assert "横浜市中区" in phone_page.get_by_role("heading", level=1).inner_text()
    assert fits_the_phone(phone_page)
    screenshot(phone_page, f"places-postal-code-{language}-phone")


def test_a_search_for_a_big_unlisted_city_offers_its_page_and_what_staff_filled_in(
    live_places, phone_page, screenshot
):
    # Test data only, plainly so: the site never ships an association's or a service's details.
    kanagawa = Prefecture.objects.get(code="14")
    kanagawa.association_name = "Example association (test data)"
    kanagawa.association_url = "https://example.jp/association"
    kanagawa.association_email = "desk@example.jp"
    kanagawa.association_phone = "000-000-0000"
    kanagawa.save()
    NationalHelp.objects.create(
        name="Example help line (test data)",
        description="Questions about living in Japan",
        url="https://example.jp/help",
    )
    phone_page.goto(f"{live_places.url}/en/search/?q=Yokohama")
    first = phone_page.locator(".places .card").first
    assert first.inner_text().startswith("Yokohama 横浜市")
    assert fits_the_phone(phone_page)
    screenshot(phone_page, "places-search-yokohama-en-phone")
    first.click()
    phone_page.wait_for_url("**/en/places/141003/")
    help_block = phone_page.locator(".where-to-ask")
    assert help_block.get_by_role("link", name="E-mail desk@example.jp").is_visible()
    assert help_block.get_by_role("link", name="Example help line (test data)").is_visible()
    assert fits_the_phone(phone_page)
    screenshot(phone_page, "places-yokohama-filled-in-en-phone")
