"""The public site in headless Chromium, at phone size (360x740) and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Tap targets at least this high (WCAG 2.5.5 and the platforms' guidelines).
TAP_TARGET = 44

# Measures every visible control; a checkbox or radio button is tapped through its label, which
# must hold it: the whole row, the box too, takes a thumb's tap.
SMALL_TARGETS_JS = """(minimum) => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, select')) {
    const boxed = el.type === 'checkbox' || el.type === 'radio';
    const target = boxed ? el.labels[0] : el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.bottom < 0 || box.right < 0) continue;  // hidden skip link
    if (box.height < minimum) small.push(`${el.outerHTML.slice(0, 80)}: ${box.height}px`);
    const own = el.getBoundingClientRect();
    if (own.left < box.left || own.right > box.right || own.top < box.top
        || own.bottom > box.bottom) small.push(`${el.outerHTML.slice(0, 80)}: beside its label`);
  }
  return small;
}"""


def search_from(page, query):
    """Type a query in the page's search box and submit it with the keyboard, as a phone does."""
    box = page.get_by_role("searchbox").first
    box.fill(query)
    box.press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize(
    "query",
    ["Koriyama", "Kooriyama", "Kōriyama", "郡山市", "こおりやま", "ｺｵﾘﾔﾏ", "コオリヤマ"],
)
def test_a_visitor_finds_koriyama_however_they_type_it(live_directory_read_only, phone_tab, query):
    phone_tab.goto(live_directory_read_only.url + "/en/")
    search_from(phone_tab, query)
    # The one city whose name was typed: straight to its page.
    assert phone_tab.url == live_directory_read_only.url + "/en/cities/koriyama/"
    assert phone_tab.get_by_role("heading", name=re.compile("^City of Koriyama")).is_visible()


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("福島県", "Iwaki City"),
        ("Fukushima", "Fukushima City"),
        ("Marriage Matchmaking", "Fukushima City"),
    ],
)
def test_a_visitor_finds_a_city_by_prefecture_office_or_class(
    live_directory_read_only, phone_tab, query, city
):
    phone_tab.goto(f"{live_directory_read_only.url}/search/")
    search_from(phone_tab, query)
    assert phone_tab.get_by_role("link", name=re.compile(f"^{city}")).is_visible()


def test_a_class_providers_name_leads_to_its_city(live_directory_read_only, phone_tab):
    # "International Association" describes the service: what is left names Iwaki.
    phone_tab.goto(f"{live_directory_read_only.url}/search/")
    search_from(phone_tab, "Iwaki International Association")
    assert phone_tab.url.endswith("/cities/iwaki/")


def test_filter_open_a_city_and_reach_its_desk_by_mail(
    live_directory_read_only, phone_tab, screenshot
):
    page = phone_tab
    page.goto(f"{live_directory_read_only.url}/search/")
    page.get_by_label("Region", exact=True).select_option("tohoku")
    page.get_by_label("Has Japanese class links").check()
    page.get_by_role("button", name="Search").click()
    # The click returns once navigation starts; wait for the results before reading them.
    expect(page.locator(".card-title", has_text="City of Koriyama")).to_be_visible()
    assert "region=tohoku" in page.url and "classes=on" in page.url
    names = page.locator(".card-title").all_inner_texts()
    assert "Morioka City 盛岡市" not in names  # lists no class link
    assert "City of Koriyama 郡山市" in names
    screenshot(page, "results-phone")

    page.get_by_role("link", name=re.compile("^City of Koriyama")).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("City of Koriyama")
    mail = page.get_by_role("link", name=re.compile("E-mail"))
    assert mail.get_attribute("href") == "mailto:tabunkakyousei@city.koriyama.lg.jp"
    assert "tabunkakyousei@city.koriyama.lg.jp" in mail.inner_text()
    class_link = page.locator(".i-class")
    assert class_link.get_attribute("href") == "https://www.city.koriyama.lg.jp/site/kiea/"
    screenshot(page, "city-koriyama-phone")

    page.go_back()  # the filters come back with the URL
    assert page.get_by_label("Region", exact=True).input_value() == "tohoku"
    assert page.get_by_label("Has Japanese class links").is_checked()


def test_a_visitor_on_a_dead_link_is_told_in_their_language_and_searches_again(
    live_directory_read_only, phone_tab
):
    response = phone_tab.goto(live_directory_read_only.url + "/vi/cities/koriyama-shi/")
    assert response.status == 404
    expect(phone_tab.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    search_from(phone_tab, "郡山")  # the city's whole name: straight to its page
    assert phone_tab.url.endswith("/vi/cities/koriyama/")


def test_an_empty_search_explains_itself(live_directory_read_only, phone_tab):
    phone_tab.goto(f"{live_directory_read_only.url}/search/?q=Atlantis&region=kinki")
    assert phone_tab.get_by_text("No city matches your search.").is_visible()
    assert phone_tab.get_by_text("“Atlantis”").is_visible()


def test_search_and_filters_work_with_javascript_off(live_directory_read_only, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_directory_read_only.url}/search/")
        page.get_by_label("Prefecture", exact=True).select_option("07")
        page.get_by_role("button", name="Search").click()
        # The form submits by plain navigation; wait for the results rather than count at once.
        expect(page.locator(".card")).to_have_count(3)
        page.get_by_role("link", name=re.compile("^Iwaki City")).click()
        assert page.get_by_role("heading", level=1).inner_text().startswith("Iwaki City")
    finally:
        context.close()


PAGES = {
    "home": "/en/",
    "search": "/en/search/",  # the filters open, the class box among them
    "results": "/en/search/?q=osaka",
    "results-each-with-its-desk": "/vi/search/?q=Koriyama+Iwaki",  # two cities named
    "city": "/en/cities/utsunomiya/",  # the longest links in the seed, through a proxy
    "city-notes": "/en/cities/naha/",
    "city-classes": "/en/cities/akashi/",
    "prefecture": "/en/prefectures/07/",
    "prefecture-empty": "/en/prefectures/04/",
    "results-empty": "/en/search/?q=Atlantis&region=kinki",
    "not-found": "/vi/cities/atlantis/",
    "report": "/en/cities/koriyama/report/",  # a radio button for each kind of problem
}


def test_pages_fit_a_phone_with_big_tap_targets(live_directory_read_only, phone_tab, screenshot):
    for name, path in PAGES.items():
        phone_tab.goto(live_directory_read_only.url + path)
        widths = phone_tab.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
        small = phone_tab.evaluate(SMALL_TARGETS_JS, TAP_TARGET)
        assert small == [], f"{path}: {small}"
        screenshot(phone_tab, f"{name}-phone")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_axe_finds_no_violations(live_directory_read_only, phone_tab, desktop_tab, axe, size):
    page = phone_tab if size == "phone" else desktop_tab
    for path in PAGES.values():
        page.goto(live_directory_read_only.url + path)
        results = axe(page)
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"


def test_the_axe_check_reports_what_it_finds(live_directory_read_only, phone_tab, axe):
    # So that the checks above cannot pass by finding nothing: an image with no text.
    phone_tab.goto(live_directory_read_only.url + "/en/")
    phone_tab.evaluate("document.querySelector('main').append(document.createElement('img'))")
    results = axe(phone_tab)
    assert results.violations_count == 1
    assert "image-alt" in results.generate_report()


def test_the_axe_check_finds_pale_text_unless_told_to_leave_contrast_out(
    live_directory_read_only, phone_tab, axe
):
    phone_tab.goto(live_directory_read_only.url + "/en/")
    pale = "const p = document.createElement('p'); p.textContent = 'pale'; p.style.color = '#ddd';"
    phone_tab.evaluate(f"{{ {pale} document.querySelector('main').append(p); }}")
    assert "color-contrast" in axe(phone_tab).generate_report()
    assert axe(phone_tab, contrast=False).violations_count == 0


def test_desktop_search_and_city(live_directory_read_only, desktop_tab, screenshot):
    desktop_tab.goto(live_directory_read_only.url + "/en/")
    screenshot(desktop_tab, "home-desktop")
    search_from(desktop_tab, "とっとり")  # the city's whole name: straight to its page
    assert desktop_tab.get_by_role("heading", level=1).inner_text().startswith("Tottori")
    screenshot(desktop_tab, "city-desktop")


def test_the_keyboard_reaches_the_header_in_the_order_it_is_seen(
    live_directory_read_only, phone_tab
):
    phone_tab.goto(live_directory_read_only.url + "/pt-br/")
    reached = []
    for _ in range(4):
        phone_tab.keyboard.press("Tab")
        reached.append(phone_tab.evaluate("document.activeElement.className"))
    seen = phone_tab.evaluate(
        """() => ['.brand', '.header-search', '.language-link'].map((selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return [Math.round(box.top), box.left];
        })"""
    )
    assert seen == sorted(seen)  # brand, search, language, as they are read: by line, then left
    assert [name.split()[0] for name in reached[1:4]] == ["brand", "header-search", "language-link"]


def test_each_language_in_the_list_is_a_thumbs_width(live_directory_read_only, phone_tab):
    phone_tab.goto(live_directory_read_only.url + "/ne/")
    boxes = [link.bounding_box() for link in phone_tab.locator(".languages a").all()]
    assert len(boxes) >= 10
    narrow = [box for box in boxes if min(box["width"], box["height"]) < TAP_TARGET]
    assert narrow == []


def test_a_one_character_breadcrumb_takes_the_taps_beside_it_with_no_gap_after_it(
    live_directory_read_only, phone_tab
):
    phone_tab.goto(live_directory_read_only.url + "/ko/cities/koriyama/")
    home, prefecture = phone_tab.locator(".crumbs a").all()
    expect(home).to_have_text("홈")
    box, after = home.bounding_box(), prefecture.bounding_box()
    # 홈 alone is narrower than a thumb: a tap from the page's edge to the next link lands on it.
    tapped = "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent"
    y = box["y"] + box["height"] / 2
    edges = [[1, y], [after["x"] - 1, y], [after["x"] + 1, y]]
    assert [phone_tab.evaluate(tapped, edge) for edge in edges] == [
        "홈",
        "홈",
        prefecture.text_content(),
    ]
    # " › " follows the word as after "Home": a space, not a gap the width of a thumb.
    gap = home.evaluate(
        "a => { const range = document.createRange(); range.selectNodeContents(a.nextSibling);"
        " return range.getBoundingClientRect().left - a.getBoundingClientRect().right; }"
    )
    assert abs(gap) < 2


def test_a_prefecture_with_no_listed_city_reads_as_a_link_like_the_others(
    live_directory_read_only, phone_tab
):
    # Its page says where else to ask: greyed out, it looked disabled and went untapped.
    phone_tab.goto(live_directory_read_only.url + "/en/")
    colour = "el => getComputedStyle(el).color"
    listed = phone_tab.locator(".tile:not(.empty)").first.evaluate(colour)
    empty = phone_tab.locator(".tile.empty").first
    assert empty.evaluate(colour) == listed
    empty.click()
    assert "/en/prefectures/" in phone_tab.url


def test_a_download_whose_name_takes_two_lines_stands_apart_from_the_next(
    live_directory_read_only, phone_tab
):
    # "Japanese class links" on two lines touched "Everything (Open Referral HSDS 3.0)" under it,
    # and read as one name.
    phone_tab.goto(live_directory_read_only.url + "/en/about/")
    gaps = phone_tab.evaluate(
        """() => {
            const spans = [...document.querySelectorAll('.downloads li > span')];
            const text = (span) => {
                const range = document.createRange();
                range.selectNodeContents(span);
                return range.getBoundingClientRect();
            };
            return spans.slice(1).map((span, i) => ({
                name: spans[i].textContent, lines: Math.round(text(spans[i]).height / 20),
                gap: text(span).top - text(spans[i]).bottom,
            }));
        }"""
    )
    assert any(row["lines"] > 1 for row in gaps), gaps
    assert [row["name"] for row in gaps if row["gap"] < 8] == []


# Each piece of Burmese text in which a line starts with a consonant its asat closes, which
# belongs to the syllable before it ("လ" then "င့်ခ်များ").
BURMESE_SYLLABLES_PARTED = """() => {
    const parted = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.checkVisibility()) continue;
        const closed = /\\p{sc=Myanmar}\\u2060?(?=[\\u1000-\\u1021][\\u1037\\u1038]*\\u103a)/gu;
        for (const found of node.data.matchAll(closed)) {
            const range = document.createRange();
            range.setStart(node, found.index);
            range.setEnd(node, found.index + found[0].length + 1);
            const tops = [...range.getClientRects()].filter((rect) => rect.width)
                .map((rect) => rect.top);
            if (Math.max(...tops) - Math.min(...tops) > 8) parted.push(node.data.trim());
        }
    }
    return parted;
}"""


def test_no_burmese_line_starts_with_a_consonant_its_asat_closes(
    live_directory_read_only, phone_tab
):
    # The footer's "Japanese class links" broke as "ဂျပန်စာ အတန်း လ" and "င့်ခ်များ" on every page.
    phone_tab.goto(live_directory_read_only.url + "/my/about/")
    assert phone_tab.evaluate(BURMESE_SYLLABLES_PARTED) == []
