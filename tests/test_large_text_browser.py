"""Every kind of public page on a phone with its text at twice the size, as a phone's largest
text setting makes it: nothing wider than the screen, no word split across two lines, and each
drop-down's choice shown whole or cut with an ellipsis."""

import pytest
from django.utils import translation

from directory.models import City
from tests.test_i18n_browser import pages

pytestmark = pytest.mark.browser

WIDTH = 360
LANGUAGES = ["en", "ja", "vi", "ne", "my", "pt-br"]

# Each piece of text whose line boxes reach past the right edge of the screen, and how far.
TEXT_PAST_THE_EDGE = """(width) => {
    const past = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = document.createRange();
        text.selectNodeContents(node);
        const rights = [...text.getClientRects()].map((rect) => rect.right + scrollX);
        if (Math.max(...rights) > width + 0.5) past.push([node.data.trim(), Math.max(...rights)]);
    }
    return past;
}"""

# Each word in Latin or Devanagari letters (the scripts that put spaces between words) whose
# letters are on two lines: a line too narrow for it, at twice the size, broke it anywhere.
WORDS_SPLIT = """() => {
    const split = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.checkVisibility()) continue;
        const words = /(?:[\\p{sc=Latin}\\p{sc=Devanagari}\\d]\\p{M}*)+/gu;
        for (const word of node.data.matchAll(words)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            const rects = [...range.getClientRects()].filter((rect) => rect.width);
            // Glyphs may be taller than a line: on two lines, tops differ by over half a height.
            const tops = rects.map((rect) => rect.top);
            const height = Math.min(...rects.map((rect) => rect.height));
            if (Math.max(...tops) - Math.min(...tops) > height / 2) split.push(word[0]);
        }
    }
    return split;
}"""

# Each drop-down narrower than its chosen option, by the option's text and whether an ellipsis
# ends what shows of it: a copy sized to its content, set apart (in its box, it would widen a
# grid column and the drop-down with it), is wider.
CHOICES_CUT = """() => [...document.querySelectorAll('select')].filter((select) => {
    if (!select.checkVisibility()) return false;
    const copy = select.cloneNode(true);
    copy.value = select.value;
    const font = getComputedStyle(select).font;
    Object.assign(copy.style, {fieldSizing: 'content', width: 'auto', position: 'absolute', font});
    document.body.append(copy);
    const cut = copy.getBoundingClientRect().width > select.getBoundingClientRect().width + 0.5;
    copy.remove();
    return cut;
}).map((select) => [
    select.selectedOptions[0].text, getComputedStyle(select).textOverflow === 'ellipsis'
])"""

# Each button's value (an address, a number) set beside its icon rather than under it, in a
# column too narrow at twice the size: "kouryuu-suishin@city.aomori.aomori.jp" took four lines.
VALUES_BESIDE_ICONS = """() => [...document.querySelectorAll('.actions .value')].filter((value) => {
    const button = value.closest('.button'), style = getComputedStyle(button);
    const start = button.getBoundingClientRect().left + parseFloat(style.borderLeftWidth)
        + parseFloat(style.paddingLeft);
    const text = document.createRange();
    text.selectNodeContents(value);
    return value.checkVisibility() && text.getBoundingClientRect().left > start + 1;
}).map((value) => value.textContent)"""

CHOSEN = "[...document.querySelectorAll('select')].map((select) => select.selectedOptions[0].text)"


def every_kind_of_page(code):
    """Each kind of page a visitor may open, in one language, by name."""
    with translation.override(code):
        city = City.objects.get(name="City of Koriyama")
        return {
            **pages(code),
            "about": f"/{code}/about/",
            "unlisted place": f"/{code}/places/221309/",
            "report a problem": f"{city.get_absolute_url()}report/",
            "staff card": (
                f"{city.get_absolute_url()}desks/{city.departments.first().pk}/staff-card/?say=learn"
            ),
            "unreadable address": f"/{code}/search/?q=a%00b",
        }


def test_every_kind_of_public_page_at_twice_the_text_size_fits_a_phone_and_splits_no_word(
    live_places_read_only, large_text_page, screenshot
):
    widths, past_the_edge, split, beside, chosen, cut = {}, {}, {}, {}, {}, {}
    for code in LANGUAGES:
        for name, path in every_kind_of_page(code).items():
            response = large_text_page.goto(live_places_read_only.url + path)
            assert response.status == (400 if name == "unreadable address" else 200), path
            size = large_text_page.evaluate("getComputedStyle(document.documentElement).fontSize")
            assert size == "32px", (code, name)
            screenshot(large_text_page, f"large-text-{name.replace(' ', '-')}-{code}")
            page = f"{code} {name}"
            widths[page] = large_text_page.evaluate("document.documentElement.scrollWidth")
            past_the_edge[page] = large_text_page.evaluate(TEXT_PAST_THE_EDGE, WIDTH)
            split[page] = large_text_page.evaluate(WORDS_SPLIT)
            beside[page] = large_text_page.evaluate(VALUES_BESIDE_ICONS)
            chosen[page] = large_text_page.evaluate(CHOSEN)
            cut[page] = large_text_page.evaluate(CHOICES_CUT)
    assert {page: width for page, width in widths.items() if width > WIDTH} == {}
    assert {page: text for page, text in past_the_edge.items() if text} == {}
    assert {page: words for page, words in split.items() if words} == {}
    assert {page: values for page, values in beside.items() if values} == {}
    # A region's name fits whole; a longer choice ("Todas as províncias" is wider than a phone's
    # line at twice the size) ends with an ellipsis, not a letter cut in half.
    assert "Kansai (Kinki)" in chosen["en nothing found"]
    assert [page for page, choices in cut.items() if ["Kansai (Kinki)", True] in choices] == []
    assert {page: c for page, c in cut.items() if not all(ellipsis for _, ellipsis in c)} == {}
