"""On a phone, a big unlisted city's page shows what staff filled in for its prefecture (issue 17).

A module of its own: its test changes the live directory, which the tests of
`test_places_browser` share unchanged.
"""

import pytest

from directory.models import NationalHelp, Prefecture
from tests.test_places_browser import fits_the_phone

pytestmark = pytest.mark.browser


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
