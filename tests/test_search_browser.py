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


def test_a_korean_visitor_types_a_city_in_hangul_and_reaches_it(
    live_places_read_only, phone_tab, screenshot
):
    phone_tab.goto(f"{live_places_read_only.url}/ko/")
    box = phone_tab.get_by_role("searchbox").first
    box.fill("하코다테")
    box.press("Enter")
    phone_tab.wait_for_url(f"{live_places_read_only.url}/ko/cities/hakodate/")
    # A city the directory does not list, in Hangul too: the page says where to ask.
    phone_tab.goto(f"{live_places_read_only.url}/ko/search/?q=히로시마")
    assert phone_tab.locator('.notice a[href$="/places/341002/"]').is_visible()
    assert "한글" in phone_tab.locator(".field .hint").first.inner_text()  # the box says so
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(phone_tab, "search-hangul-ko-phone")


def test_a_nepali_visitor_types_a_city_in_devanagari_and_reaches_it(
    live_places_read_only, phone_tab, screenshot
):
    phone_tab.goto(f"{live_places_read_only.url}/ne/")
    box = phone_tab.get_by_role("searchbox").first
    box.fill("कुरुमे सहर")
    box.press("Enter")
    phone_tab.wait_for_url(f"{live_places_read_only.url}/ne/cities/kurume/")
    # A city the directory does not list: the page says where to ask.
    phone_tab.goto(f"{live_places_read_only.url}/ne/search/?q=हामामात्सु")
    assert phone_tab.locator('a[href$="/places/221309/"]').first.is_visible()
    assert "देवनागरी" in phone_tab.locator(".field .hint").first.inner_text()  # the box says so
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(phone_tab, "search-devanagari-ne-phone")


@pytest.mark.parametrize("language", ["en", "ja", "ko"])
def test_a_misspelt_prefecture_is_offered_as_the_prefecture(
    live_places_read_only, phone_tab, screenshot, language
):
    # "Fukouka" offered only Kurume, the one city listed in Fukuoka.
    phone_tab.goto(f"{live_places_read_only.url}/{language}/search/?q=Fukouka")
    offer = phone_tab.locator('.notice a[href$="/prefectures/40/"]')
    assert offer.is_visible()
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(phone_tab, f"search-misspelt-prefecture-{language}-phone")
    offer.click()
    assert phone_tab.url == f"{live_places_read_only.url}/{language}/prefectures/40/"


@pytest.mark.parametrize("language", ["vi", "pt-br", "fil", "id", "ja-easy"])
def test_the_word_an_empty_search_repeats_is_not_split_beside_a_long_label(
    live_places_read_only, phone_tab, screenshot, language
):
    # "Thành phố, tỉnh hoặc văn phòng" took the line and left "Koriyma" a column of 56 px,
    # broken as "Koriy / ma".
    phone_tab.goto(f"{live_places_read_only.url}/{language}/search/?q=Koriyma+xyz")
    searched = phone_tab.locator("dl.searched")
    assert searched.is_visible()
    squeezed = phone_tab.evaluate(
        """() => [...document.querySelectorAll('.searched dd')]
            .filter(dd => dd.offsetWidth < dd.parentElement.offsetWidth / 2)
            .map(dd => dd.textContent)"""
    )
    assert squeezed == []
    screenshot(phone_tab, f"search-empty-searched-{language}-phone")


@pytest.mark.parametrize(
    ("language", "address"),
    [
        # Copied from Google Maps in English, and in Japanese.
        ("vi", "1 Chome-23-7 Asahi, Koriyama, Fukushima 963-8024, Japan"),
        ("ko", "〒963-8024 福島県郡山市朝日１丁目２３−７"),
    ],
)
def test_a_visitor_pastes_their_address_from_a_map_and_reaches_their_city(
    live_places_read_only, phone_tab, screenshot, language, address
):
    phone_tab.goto(f"{live_places_read_only.url}/{language}/")
    box = phone_tab.get_by_role("searchbox").first
    box.fill(address)
    box.press("Enter")
    phone_tab.wait_for_url(f"{live_places_read_only.url}/{language}/cities/koriyama/")
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= WIDTH
    screenshot(phone_tab, f"search-address-{language}-phone")
