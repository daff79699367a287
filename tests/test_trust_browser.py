"""Issue 17 in headless Chromium at 360 px: the About page in three languages, a search whose
results come first on a phone, and the report form's tap targets and focus ring, measured."""

import pytest
from django.core.cache import cache

from directory.models import City

pytestmark = pytest.mark.browser

PHONE_HEIGHT = 740

# Every visible control's height, and the radio choices' labels (tapped through them).
TARGETS_JS = """() => [...document.querySelectorAll(
    '.report-form label, .report-form textarea, .report-form button')]
  .filter(el => el.getBoundingClientRect().width > 0)
  .map(el => [el.tagName + ' ' + el.textContent.trim().slice(0, 30),
              el.getBoundingClientRect().height])"""

# The focused element's outline, and the contrast of its colour against the page's white.
FOCUS_RING_JS = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const rgb = style.outlineColor.match(/\\d+/g).slice(0, 3).map(Number);
  const lum = rgb.map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const L = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
  return {tag: el.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          contrast: 1.05 / (L + 0.05)};
}"""


def fits_a_phone(page):
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return scroll <= client


@pytest.mark.parametrize("code", ["en", "ja", "vi"])
def test_the_about_page_reads_on_a_phone_in_three_languages(
    live_directory_read_only, phone_tab, screenshot, axe, code
):
    cache.clear()
    phone_tab.goto(f"{live_directory_read_only.url}/{code}/")
    phone_tab.locator("#about-link").click()
    phone_tab.wait_for_load_state()

    assert phone_tab.url.endswith(f"/{code}/about/")
    assert fits_a_phone(phone_tab)
    assert phone_tab.locator("#table-loaded time").count() == 1
    assert phone_tab.locator("#licence a[rel=license]").inner_text() == "CC BY 4.0"
    screenshot(phone_tab, f"about-{code}-phone")
    results = axe(phone_tab)
    assert results.violations_count == 0, results.generate_report()


def test_a_search_on_a_phone_shows_the_first_result_and_its_desk_on_the_first_screen(
    live_directory_read_only, phone_tab, screenshot, axe
):
    cache.clear()
    phone_tab.goto(f"{live_directory_read_only.url}/en/search/")
    assert phone_tab.locator("#more-filters").get_attribute("open") is not None
    phone_tab.get_by_role("searchbox").fill("Kori")
    phone_tab.get_by_role("button", name="Search").click()
    phone_tab.wait_for_load_state()

    assert phone_tab.locator("#more-filters").get_attribute("open") is None
    assert not phone_tab.get_by_label("Prefecture", exact=True).is_visible()
    card = phone_tab.locator(".card").first
    contact = phone_tab.locator(".quick-contact a").first
    assert "Koriyama" in card.inner_text()
    assert contact.bounding_box()["y"] + contact.bounding_box()["height"] <= PHONE_HEIGHT
    screenshot(phone_tab, "search-results-first-phone")

    # The filters are one tap away, and still work without a script.
    phone_tab.locator("#more-filters summary").click()
    assert phone_tab.get_by_label("Prefecture", exact=True).is_visible()
    assert axe(phone_tab).violations_count == 0


def test_the_report_form_has_big_targets_and_a_focus_ring_that_stands_out(
    live_directory_read_only, phone_tab, screenshot, axe
):
    city = City.objects.get(name="City of Koriyama")
    phone_tab.goto(f"{live_directory_read_only.url}/en/cities/{city.slug}/report/")

    heights = phone_tab.evaluate(TARGETS_JS)
    assert len(heights) >= 6  # four choices, the details' label and the button
    small = [(what, height) for what, height in heights if height < 44 and "Details" not in what]
    assert small == []

    phone_tab.get_by_label("A link does not work").focus()
    phone_tab.keyboard.press("ArrowDown")  # keyboard focus, so :focus-visible applies
    ring = phone_tab.evaluate(FOCUS_RING_JS)
    assert ring["tag"] == "INPUT" and ring["style"] == "solid" and ring["width"] >= 2
    assert ring["contrast"] >= 3, ring
    screenshot(phone_tab, "report-form-focus-phone")

    phone_tab.keyboard.press("Tab")
    ring = phone_tab.evaluate(FOCUS_RING_JS)
    assert ring["tag"] == "TEXTAREA" and ring["contrast"] >= 3, ring
    described = phone_tab.locator("textarea").get_attribute("aria-describedby")
    for target in described.split():
        assert phone_tab.locator(f"#{target}").count() == 1
    assert axe(phone_tab).violations_count == 0


# Each Japanese name in a prefecture tile, and whether a line break cuts it (two boxes or more).
BROKEN_NAMES_JS = """() => [...document.querySelectorAll('.tile [lang="ja"]')]
  .filter(span => span.getClientRects().length > 1).map(span => span.textContent)"""


def test_kanji_prefecture_names_are_never_broken_mid_word_on_a_phone(
    live_directory_read_only, browser, screenshot
):
    # Two tiles a row, where "Kanagawa 神奈川県" does not fit one line of a tile.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_directory_read_only.url}/pt-br/")
    assert page.locator('.tile [lang="ja"]').count() == 47
    assert page.evaluate(BROKEN_NAMES_JS) == []
    screenshot(page, "home-pt-br-phone")

    # Easy Japanese breaks lines only at the spaces its catalogue puts between words.
    page.goto(f"{live_directory_read_only.url}/ja-easy/about/")
    assert page.evaluate("getComputedStyle(document.body).wordBreak") == "keep-all"
    assert fits_a_phone(page)
    screenshot(page, "about-ja-easy-phone")
    context.close()
