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


# A flex or grid box without a gap lays out each piece of its text apart and drops the spaces
# between them: "Xem trang của" and a name marked lang="en" ran together as "củaShizuoka".
SPLIT_TEXT_JS = """() => {
  const words = new Set(['SPAN', 'RUBY', 'A', 'STRONG', 'EM', 'B', 'I', 'ABBR', 'BDI', 'TIME']);
  const split = [];
  for (const box of document.querySelectorAll('body *')) {
    const style = getComputedStyle(box);
    if (!/flex|grid/.test(style.display) || !['normal', '0px'].includes(style.columnGap)) continue;
    const items = [...box.childNodes].filter((node) =>
      node.nodeType === Node.ELEMENT_NODE || (node.nodeType === Node.TEXT_NODE && node.data.trim())
    );
    if (items.length > 1 && items.some((node) => !node.tagName || words.has(node.tagName))) {
      split.push(box.outerHTML.slice(0, 120));
    }
  }
  return split;
}"""

# Pages where a name sits inside a sentence, a link or a list: an unlisted place, a prefecture
# with no listed city, a city among others of its prefecture, results, the report form.
NAMES_IN_TEXT = [
    "/vi/places/221309/",
    "/ne/places/221309/",
    "/ja-easy/places/221309/",
    "/vi/prefectures/22/",
    "/en/cities/toyohashi/",
    "/vi/cities/toyohashi/",
    "/pt-br/search/?q=Fukouka",
    "/ja-easy/cities/kurume/report/",
]


def test_no_name_runs_into_the_words_around_it(live_places_read_only, phone_tab):
    for path in NAMES_IN_TEXT:
        phone_tab.goto(live_places_read_only.url + path)
        assert phone_tab.evaluate(SPLIT_TEXT_JS) == [], path
    phone_tab.goto(live_places_read_only.url + "/vi/places/221309/")
    link = phone_tab.get_by_role("link", name="Xem trang của Shizuoka")
    assert link.inner_text() == "Xem trang của Shizuoka"


@pytest.mark.parametrize("path", [*NAMES_IN_TEXT, "/ne/", "/fil/search/?q=Atlantis"])
def test_pages_fit_a_phone_with_its_text_at_twice_the_size(
    live_places_read_only, large_text_page, path
):
    large_text_page.goto(live_places_read_only.url + path)
    assert large_text_page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    assert fits_the_phone(large_text_page), path
