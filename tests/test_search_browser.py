"""On a phone, a misspelt name and a prefecture's name each say plainly where to go (issue 17)."""

import pytest

pytestmark = pytest.mark.browser

WIDTH = 360


@pytest.mark.parametrize("language", ["en", "ja", "vi"])
def test_a_misspelt_name_offers_the_city_as_a_link(
    live_places_read_only, phone_tab, screenshot, language
):
    phone_tab.goto(f"{live_places_read_only.url}/{language}/search/?q=Hakodatte")
    offer = phone_tab.locator(".notice a").first
    assert offer.is_visible()
    offer.click()
    assert phone_tab.url == f"{live_places_read_only.url}/{language}/cities/hakodate/"
    phone_tab.go_back()
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(phone_tab, f"search-did-you-mean-{language}-phone")


@pytest.mark.parametrize("language", ["en", "ja", "vi"])
def test_a_prefectures_name_says_its_city_is_not_listed(
    live_places_read_only, phone_tab, screenshot, language
):
    phone_tab.goto(f"{live_places_read_only.url}/{language}/search/?q=Hiroshima")
    notice = phone_tab.locator(".notice")
    assert notice.is_visible()
    assert notice.locator('a[href$="/places/341002/"]').is_visible()
    assert phone_tab.locator('.cards a[href$="/cities/kure/"]').is_visible()
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(phone_tab, f"search-namesake-{language}-phone")
