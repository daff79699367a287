"""The public pages in every language, in Chromium at phone width: readable, switchable,
accessible."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from directory.models import City, Prefecture

pytestmark = pytest.mark.browser

CODES = [code for code, _name in settings.LANGUAGES]
# The scripts most likely to lack a font: screenshots of these are looked at by a person.
SCREENSHOTS = {"ja", "ja-easy", "vi", "ne", "my"}
# No colour depends on the language: contrast is checked on Latin, Japanese and ruby text.
CONTRAST = {"en", "ja", "ja-easy"}


def city_path(code, name="City of Koriyama"):
    with translation.override(code):
        return City.objects.get(name=name).get_absolute_url()


def pages(code):
    """The public pages a visitor reads in one language: each kind once."""
    with translation.override(code):
        return {
            "home": reverse("directory:home"),
            "prefecture": Prefecture.objects.get(code="07").get_absolute_url(),
            "results": reverse("directory:search") + "?region=tohoku&classes=on",
            "nothing found": reverse("directory:search") + "?q=Atlantis&region=kinki",
            "city": city_path(code),
        }


def test_every_public_page_in_every_language_passes_axe_and_fits_a_phone(
    live_directory_read_only, phone_tab, screenshot, axe
):
    for code in CODES:
        for name, path in pages(code).items():
            phone_tab.goto(live_directory_read_only.url + path)
            assert phone_tab.locator("html").get_attribute("lang")
            results = axe(phone_tab, contrast=code in CONTRAST)
            assert results.violations_count == 0, (code, name, results.generate_report())
            overflow = phone_tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{code} {name}: scrolls sideways by {overflow}px"
            if code in SCREENSHOTS and name in {"results", "city"}:
                screenshot(phone_tab, f"i18n-{name}-{code}-phone")


def test_the_switcher_keeps_the_visitor_on_the_same_page_without_javascript(
    live_directory_read_only, browser
):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ne-NP", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(live_directory_read_only.url + "/")
        assert page.url == live_directory_read_only.url + "/ne/"
        page.goto(live_directory_read_only.url + city_path("ne"))
        page.get_by_role("link", name="Tiếng Việt").click()
        assert page.url == live_directory_read_only.url + city_path("vi")
        assert page.locator("html").get_attribute("lang") == "vi"
        link = page.get_by_role("link", name="မြန်မာဘာသာ")
        box = link.bounding_box()
        assert box["height"] >= 44
        link.click()
        assert page.url == live_directory_read_only.url + city_path("my")
    finally:
        context.close()


def test_a_search_from_the_vietnamese_site_opens_the_city(live_directory_read_only, phone_tab):
    for query in ["郡山", "Koriyama"]:
        phone_tab.goto(live_directory_read_only.url + "/vi/")
        phone_tab.get_by_label("Thành phố của bạn").fill(query)
        phone_tab.get_by_role("button", name="Tìm kiếm").first.click()
        # The city's whole name leads straight to its page, in the same language.
        phone_tab.wait_for_load_state()
        assert phone_tab.url == live_directory_read_only.url + city_path("vi")


# A Range over each word of the text: the word is whole when its rectangles share one line.
WORDS_BROKEN = """(words) => {
    const text = document.querySelector('main').innerText;
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    const broken = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of words) {
            for (let at = node.data.indexOf(word); at >= 0; at = node.data.indexOf(word, at + 1)) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + word.length);
                const tops = [...range.getClientRects()].map((rect) => Math.round(rect.top));
                if (new Set(tops).size > 1) broken.push(word);
            }
        }
    }
    return [broken, words.filter((word) => text.includes(word))];
}"""


def test_japanese_lines_break_between_phrases_never_inside_a_word(
    live_directory_read_only, phone_tab, screenshot
):
    # With no spaces to break at, "ディ | レクトリ" and "ダウン | ロード" ended lines on a phone.
    phone_tab.goto(live_directory_read_only.url + "/ja/about/")
    screenshot(phone_tab, "about-ja-phone")
    words = ["ディレクトリ", "ダウンロード", "メールアドレス", "スタッフ", "中核市"]
    broken, found = phone_tab.evaluate(WORDS_BROKEN, words)
    assert set(found) == set(words)
    assert broken == []
