"""Desk cards and the staff card in headless Chromium at phone size (360 px), with the clock
fixed; the desk is test data made here, not the seed."""

import re
from datetime import date, datetime, time

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from directory import classes, hours
from directory.models import ClassLink, Department, DepartmentPhone, OpeningHours
from directory.signals import directory_changed
from tests.builders import make_city, make_department, make_full_class_link

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(live_directory):
    """A made-up city with one desk filled in completely."""
    city = make_city("07", name="Testyama", name_ja="試験山市", slug="testyama")
    desk = make_department(
        city,
        name="International Exchange Desk",
        name_ja="国際交流窓口",
        url="https://example.jp/desk/",
        postal_code="963-8024",
        address_ja="福島県試験山市朝日1-1-1",
        address_romaji="1-1-1 Asahi, Testyama, Fukushima",
        floor="本庁舎2階 5番窓口",
        hours_note="Closed on national holidays and from 29 December to 3 January.",
        languages=["en", "zh", "vi", "pt", "ne"],
        remote_interpretation=True,
        appointment_needed=False,
    )
    DepartmentPhone.objects.create(
        department=desk, number="024-924-0000", label="Consultation", extension="123"
    )
    DepartmentPhone.objects.create(department=desk, number="024-924-0001", position=1)
    for weekday in range(5):
        OpeningHours.objects.create(
            department=desk, weekday=weekday, opens=time(8, 30), closes=time(17, 15)
        )
    OpeningHours.objects.create(department=desk, weekday=5, opens=time(9), closes=time(12))
    directory_changed.send(sender=type(desk))
    return desk


@pytest.fixture
def clock(monkeypatch):
    """Fix the time the pages read as now, in Tokyo (the live server runs in this process)."""

    def fix(moment):
        when = datetime.fromisoformat(moment).replace(tzinfo=hours.TOKYO)
        monkeypatch.setattr(hours, "tokyo_now", lambda: when)

    return fix


@pytest.mark.parametrize(
    ("language", "heading", "state"),
    [
        ("en", "International Exchange Desk", "Open now · until 17:15"),
        ("ja", "国際交流窓口", "受付中 · 17:15まで"),
        ("vi", "International Exchange Desk", "Đang mở cửa · đến 17:15"),
    ],
)
def test_a_desk_card_at_phone_size(
    live_directory, desk, clock, phone_tab, screenshot, axe, language, heading, state
):
    clock("2026-12-01T10:00")  # a Tuesday
    phone_tab.goto(f"{live_directory.url}/{language}/cities/testyama/")
    card = phone_tab.locator("section.desk")
    expect(card.get_by_role("heading", name=heading)).to_be_visible()
    expect(card.locator(".open-state")).to_have_text(state)
    call = card.get_by_role("link", name="024-924-0000")
    expect(call).to_have_attribute("href", "tel:+81249240000;ext=123")
    expect(card.locator(".map-link")).to_have_attribute(
        "href",
        "https://www.openstreetmap.org/search?query="
        + (
            "%E7%A6%8F%E5%B3%B6%E7%9C%8C%E8%A9%A6%E9%A8%93%E5%B1%B1%E5%B8%82%E6%9C%9D%E6%97%A51-1-1"
        ),
    )
    # Nothing wider than the phone: no sideways scrolling.
    width = phone_tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    results = axe(phone_tab)
    assert results.violations_count == 0, results.generate_report()
    screenshot(phone_tab, f"desk-card-{language}")


@pytest.mark.parametrize(
    ("moment", "state", "name"),
    [
        ("2026-12-01T10:00", "Open now · until 17:15", "weekday"),
        ("2026-12-06T10:00", "Closed today · opens Monday at 08:30", "weekend"),
        ("2026-11-23T10:00", "Closed today: national holiday · opens Tuesday at 08:30", "holiday"),
    ],
)
def test_open_now_on_a_weekday_a_weekend_and_a_national_holiday(
    live_directory, desk, clock, phone_tab, screenshot, moment, state, name
):
    clock(moment)
    phone_tab.goto(f"{live_directory.url}/en/cities/testyama/")
    status = phone_tab.locator("section.desk .open-state")
    expect(status).to_have_text(state)
    status.scroll_into_view_if_needed()
    screenshot(phone_tab, f"desk-open-{name}")


def test_the_staff_card_at_phone_size_and_in_print(live_directory, desk, phone_page, screenshot):
    phone_page.goto(f"{live_directory.url}/vi/cities/testyama/")
    phone_page.get_by_role("link", name="Đưa cho nhân viên xem (thẻ tiếng Nhật)").click()
    phone_page.get_by_role(
        "link", name="Tôi muốn học tiếng Nhật. Lớp học tiếng Nhật ở đâu?"
    ).click()
    card = phone_page.locator("article.staff-card")
    said = card.locator(".card-say").filter(visible=True)
    expect(said).to_have_text("日本語を勉強したいです。日本語教室はどこにありますか。")
    expect(card.locator(".card-say-own").filter(visible=True)).to_have_text(
        "Tôi muốn học tiếng Nhật. Lớp học tiếng Nhật ở đâu?"
    )
    expect(card.get_by_role("heading", name="国際交流窓口")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "staff-card-vi")
    # Once open, it needs nothing more: offline, another sentence is one tap away.
    phone_page.context.set_offline(True)
    phone_page.get_by_role("link", name="Xin hãy viết ra giúp tôi.").click()
    expect(said).to_have_text("紙に書いてください。")
    # The staff still read who the card is for and the visitor's language above it.
    expect(card.locator(".card-to")).to_be_in_viewport()
    expect(card.locator(".card-language")).to_be_in_viewport()
    phone_page.context.set_offline(False)
    phone_page.emulate_media(media="print")
    expect(phone_page.locator(".card-choices")).to_be_hidden()
    expect(phone_page.locator(".card-back")).to_be_hidden()
    screenshot(phone_page, "staff-card-vi-print")


def test_a_printed_city_page_gives_each_class_and_websites_address_and_no_open_now(
    live_directory, desk, clock, phone_page, screenshot
):
    clock("2026-12-01T10:00")  # a Tuesday: "Open now" on the screen
    class_url = "https://www.city.testyama.example.jp/kurashi/kokusai/nihongo-kyoshitsu.html"
    ClassLink.objects.create(city=desk.city, department=desk, url=class_url)
    directory_changed.send(sender=ClassLink)
    phone_page.goto(f"{live_directory.url}/en/cities/testyama/")
    expect(phone_page.locator(".open-state")).to_be_visible()
    phone_page.emulate_media(media="print")
    # On paper later, "open now" would be wrong; the map, the staff card, the report form, the
    # search, the languages and the footer cannot be used.
    for gone in (".open-state", ".map-link", ".staff-card-link", "#report-problem"):
        expect(phone_page.locator(gone)).to_be_hidden()
    for gone in (".header-search", ".languages"):
        expect(phone_page.locator(gone)).to_be_hidden()
    expect(phone_page.locator(".site-footer")).to_be_hidden()

    def printed_after(selector):
        return phone_page.evaluate(
            "s => getComputedStyle(document.querySelector(s), '::after').content", selector
        )

    # The buttons show only the host: the whole address is printed after it.
    assert printed_after(".desk a.i-class") == f'"{class_url}"'
    assert printed_after(".desk a.i-web") == '"https://example.jp/desk/"'
    expect(phone_page.locator(".desk a.i-class")).to_contain_text("city.testyama.example.jp")
    # Not after every link: the crumbs and the staff card's link print as they read.
    assert printed_after(".crumbs a") in ("none", '""')  # "" is the box a thumb taps
    assert printed_after(".staff-card-link") == "none"
    screenshot(phone_page, "city-page-print")


def test_a_long_phone_label_wraps_beside_its_icon_on_a_phone(live_directory, desk, phone_tab):
    desk.phones.filter(label="Consultation").update(label="Consultation in foreign languages")
    directory_changed.send(sender=type(desk))
    phone_tab.goto(f"{live_directory.url}/fil/cities/testyama/")
    button, label = phone_tab.evaluate(
        """() => {
        const button = document.querySelector('.actions .i-phone');
        return [button, button.querySelector('.label')].map((e) => e.getBoundingClientRect().left);
        }"""
    )
    # Its first line starts after the icon, never on a line of its own under it.
    assert label - button > 30, (button, label)


# Each phone button's label: its text, how far it starts from the button's left edge inside its
# border and padding (0 under the icon, more beside it), and its words whose letters are on two
# lines.
PHONE_LABELS = """() => [...document.querySelectorAll('.desk .actions .i-phone')].map((button) => {
    const label = button.querySelector('.label'), style = getComputedStyle(button);
    const start = button.getBoundingClientRect().left + parseFloat(style.borderLeftWidth)
        + parseFloat(style.paddingLeft);
    const node = label.firstChild, split = [];
    for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = [...range.getClientRects()].map((rect) => rect.top);
        if (Math.max(...tops) - Math.min(...tops) > 2) split.push(word[0]);
    }
    return [node.data, Math.round(label.getBoundingClientRect().left - start), split];
})"""


def test_a_phone_label_too_long_beside_its_icon_starts_under_it_at_twice_the_text_size(
    live_directory, desk, large_text_page, screenshot
):
    # Beside the icon at twice the size, "Consultation" took two lines: "Consultatio", then "n".
    desk.phones.create(number="024-924-0002", label="Consultation in foreign languages", position=2)
    directory_changed.send(sender=type(desk))
    large_text_page.goto(f"{live_directory.url}/en/cities/testyama/")
    labels = {text: (start, split) for text, start, split in large_text_page.evaluate(PHONE_LABELS)}
    screenshot(large_text_page, "desk-phone-labels-large-text")
    assert labels == {
        "Consultation": (0, []),
        "Phone": (labels["Phone"][0], []),
        "Consultation in foreign languages": (0, []),
    }
    # A label that fits beside the icon stays there.
    assert labels["Phone"][0] > 30


@pytest.mark.parametrize("language", ["ja", "ja-easy", "vi"])
def test_a_desk_card_fits_a_phone_with_its_text_at_twice_the_size(
    live_directory, desk, large_text_page, screenshot, language
):
    large_text_page.goto(f"{live_directory.url}/{language}/cities/testyama/")
    assert large_text_page.locator(".map-link").is_visible()
    width = large_text_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    screenshot(large_text_page, f"desk-card-large-text-{language}")


# What a line must not break inside, found by its text wherever the desk shows it: [pieces found,
# pieces whose first and last letters are on different line boxes].
BROKEN_PIECES = """(pattern) => {
    const found = [], broken = [];
    const boxes = '.desk .actions .value, .desk .hours, .desk .facts dd';
    for (const box of document.querySelectorAll(boxes)) {
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), nodes = [];
        let text = '';
        while (walker.nextNode()) {
            nodes.push([walker.currentNode, text.length]);
            text += walker.currentNode.data;
        }
        const top = (at) => {
            const [node, start] = nodes.findLast(([node, start]) => start <= at && node.length);
            const letter = document.createRange();
            letter.setStart(node, at - start);
            letter.setEnd(node, at - start + 1);
            return letter.getBoundingClientRect().top;
        };
        for (const piece of text.matchAll(new RegExp(pattern, 'g'))) {
            found.push(piece[0]);
            if (Math.abs(top(piece.index) - top(piece.index + piece[0].length - 1)) > 2) {
                broken.push(piece[0]);
            }
        }
    }
    return [found, broken];
}"""


def unbreakable_pieces(language):
    """A pattern of what a line must not break inside on a page in `language`: a time range, a
    phone number, its extension, a day's name."""
    with translation.override(language):
        words = [gettext("ext. %(number)s") % {"number": "123"}, *classes.weekday_names()]
    return "|".join([r"\d\d:\d\d\s*\S\s*\d\d:\d\d", r"0\d+-\d+-\d+", *map(re.escape, words)])


def test_no_time_range_phone_number_or_day_name_breaks_across_lines_on_a_phone(
    live_directory, desk, phone_tab, screenshot
):
    # Split hours (a lunch break), an extension, and a class with days and times: what wrapped
    # "13:00–" at a line's end with "17:15" under it.
    desk.hours.all().delete()
    for weekday in range(5):
        desk.hours.create(weekday=weekday, opens=time(8, 30), closes=time(12))
        desk.hours.create(weekday=weekday, opens=time(13), closes=time(17, 15))
    desk.hours.create(weekday=5, opens=time(9), closes=time(12))
    make_full_class_link(desk.city, department=desk)
    directory_changed.send(sender=type(desk))
    for language in ["en", "ja", "ja-easy", "my", "ne", "vi", "fil", "ko"]:
        phone_tab.goto(f"{live_directory.url}/{language}/cities/testyama/")
        found, broken = phone_tab.evaluate(BROKEN_PIECES, unbreakable_pieces(language))
        # Two phones and an extension, four days, three ranges of hours and the class's.
        assert len(found) >= 11, (language, found)
        assert broken == [], language
        assert phone_tab.evaluate("document.documentElement.scrollWidth") <= 360, language
        screenshot(phone_tab, f"desk-hours-{language}")


# Each box a line must not break inside (.unit), by its text: its text's own line boxes, as the
# box's element has one rectangle however many lines an inline-block's text takes inside it.
BROKEN_UNITS = """() => [...document.querySelectorAll('main .unit')].map((unit) => {
    const text = document.createRange();
    text.selectNodeContents(unit);
    const rects = [...text.getClientRects()].filter((rect) => rect.width && rect.height);
    // One line when every rectangle overlaps every other's height.
    const oneLine = Math.max(...rects.map((r) => r.top)) < Math.min(...rects.map((r) => r.bottom));
    // Or wider on one line than the block holding it, so it may only wrap or overflow.
    let block = unit.parentElement;
    while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const style = getComputedStyle(block);
    const room = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const alone = unit.cloneNode(true);
    alone.style.whiteSpace = 'nowrap';
    alone.style.position = 'absolute';
    block.append(alone);
    const tooWide = alone.getBoundingClientRect().width > room;
    alone.remove();
    return [unit.textContent, oneLine || tooWide];
})"""


def test_no_range_number_name_or_date_breaks_across_lines_on_a_phone_at_either_text_size(
    live_directory, desk, phone_tab, large_text_page, screenshot
):
    # Split hours, an address with its numbers, and a class in several languages with a date.
    # At twice the size, the columns beside the icons and the terms were narrower than a phone
    # number, a range of hours or "Tiếng Bồ Đào Nha", which each took two lines.
    desk.hours.all().delete()
    for weekday in range(5):
        desk.hours.create(weekday=weekday, opens=time(8, 30), closes=time(12))
        desk.hours.create(weekday=weekday, opens=time(13), closes=time(17, 15))
    # "31 tháng 12 năm 2025" at twice the size is wider than the card: it wraps, not the page.
    link = make_full_class_link(
        desk.city, department=desk, languages=["vi", "en", "pt", "ne", "fil"]
    )
    ClassLink.objects.filter(pk=link.pk).update(status_date=date(2025, 12, 31))
    directory_changed.send(sender=type(desk))
    broken, widths = {}, {}
    for tab, size in [(phone_tab, "normal"), (large_text_page, "large")]:
        for language in ["en", "ja", "vi", "pt-br", "ne", "my"]:
            tab.goto(f"{live_directory.url}/{language}/cities/testyama/")
            screenshot(tab, f"phone-units-{size}-{language}")
            units = tab.evaluate(BROKEN_UNITS)
            texts = [text for text, _one_line in units]
            # Two phone numbers and an extension, the postal code, 1-1-1, 2階 and 5番, two days
            # and two ranges of hours, the class's five languages, its hours and its date.
            assert len(units) >= 18 and {"〒963-8024", "1-1-1"} <= set(texts), (size, texts)
            broken[size, language] = [text for text, one_line in units if not one_line]
            widths[size, language] = tab.evaluate("document.documentElement.scrollWidth")
    assert broken == dict.fromkeys(broken, [])
    assert max(widths.values()) <= 360, widths


@pytest.mark.parametrize(("language", "label"), [("vi", "Ngôn ngữ hỗ trợ"), ("ja", "対応言語")])
def test_a_visitor_lists_the_cities_whose_desk_speaks_their_language(
    live_directory, phone_tab, screenshot, language, label
):
    desk = Department.objects.filter(city__slug="koriyama").first()
    desk.languages = ["en", "vi"]
    desk.save()
    phone_tab.goto(f"{live_directory.url}/{language}/search/")
    phone_tab.get_by_label(label).select_option("vi")
    phone_tab.locator(".filters button[type=submit]").click()
    phone_tab.wait_for_url("**speaks=vi**")
    cards = phone_tab.locator(".cards > li")
    assert cards.count() == 1
    assert cards.locator('a[href$="/cities/koriyama/"]').first.is_visible()
    # The choice stays, so the visitor sees why the list is short.
    assert phone_tab.get_by_label(label).input_value() == "vi"
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_tab, f"search-language-{language}-phone")


@pytest.mark.parametrize(
    ("language", "typed", "label"),
    [
        ("vi", "tiếng Việt", "Ngôn ngữ hỗ trợ"),
        ("ja", "ネパール語", "対応言語"),
        ("ne", "नेपाली", None),
    ],
)
def test_a_visitor_types_their_language_in_the_box_and_finds_the_desks_that_speak_it(
    live_directory, phone_tab, screenshot, language, typed, label
):
    desk = Department.objects.filter(city__slug="koriyama").first()
    desk.languages = ["en", "vi", "ne"]
    desk.save()
    other = Department.objects.filter(city__slug="iwaki").first()
    other.languages = ["ko"]
    other.save()
    code = {"vi": "vi", "ja": "ne", "ne": "ne"}[language]
    phone_tab.goto(f"{live_directory.url}/{language}/")
    box = phone_tab.get_by_role("searchbox").first
    box.fill(typed)
    box.press("Enter")
    phone_tab.wait_for_url(f"**speaks={code}**")
    cards = phone_tab.locator(".cards > li")
    assert cards.count() == 1
    assert cards.locator('a[href$="/cities/koriyama/"]').first.is_visible()
    # The filter shows the language chosen, the box no longer holds its name.
    assert phone_tab.locator("select[name=speaks]").input_value() == code
    if label:
        assert phone_tab.get_by_label(label).input_value() == code
    assert phone_tab.locator("input[name=q]").first.input_value() == ""
    assert phone_tab.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_tab, f"search-language-typed-{language}-phone")
