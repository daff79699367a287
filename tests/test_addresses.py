"""A Japanese address's numbers, which a line on a phone breaks around and never inside."""

import pytest

from directory.addresses import numbers_unbroken
from tests.builders import make_city, make_department, make_full_class_link


def unit(text):
    return f'<span class="unit">{text}</span>'


@pytest.mark.parametrize(
    ("address", "html"),
    [
        ("福島県試験山市朝日1-2-3", f"福島県試験山市朝日{unit('1-2-3')}"),
        ("〒123-4567 福島県試験山市", f"{unit('〒123-4567')} 福島県試験山市"),
        ("朝日１－２－３", f"朝日{unit('１－２－３')}"),
        ("朝日1丁目23番地の4", f"朝日{unit('1丁目23番地の4')}"),
        ("朝日1丁目2番3号", f"朝日{unit('1丁目2番3号')}"),
        ("本庁舎2階 5番窓口", f"本庁舎{unit('2階')} {unit('5番')}窓口"),
        # A floor written the other ways signs write it: the basement's B stays with its 1.
        ("市民会館B1階 第1会議室", f"市民会館{unit('B1階')} 第{unit('1')}会議室"),
        ("駅前ビル2F・B2F", f"駅前ビル{unit('2F')}・{unit('B2F')}"),
        ("Ｂ１階", unit("Ｂ１階")),
        # The comma after a number starts no line.
        ("朝日1-2-3、本庁舎", f"朝日{unit('1-2-3、')}本庁舎"),
        ("市役所本庁舎", "市役所本庁舎"),
        # Digits in a web or e-mail address are no number of an address: a box would cut the
        # link a class's venue makes of it.
        (
            "公民館 https://example.jp/map/12-3 2階",
            f"公民館 https://example.jp/map/12-3 {unit('2階')}",
        ),
        ("room1@example.jp 2階", f"room1@example.jp {unit('2階')}"),
        # Nor is a number of the address boxed inside a web address that holds its digits.
        (
            "公民館 https://www.city.example.lg.jp/soshiki/3/1234.html 第3会議室",
            f"公民館 https://www.city.example.lg.jp/soshiki/3/1234.html 第{unit('3')}会議室",
        ),
    ],
)
def test_a_line_does_not_break_inside_a_number_of_an_address(address, html):
    assert numbers_unbroken(address) == html


def test_markup_in_an_address_stays_text():
    # Were the digits of &#x27; found, the entity would be split by a box and no longer one.
    assert numbers_unbroken("<b>O'Hara</b> 1-2") == (
        f"&lt;b&gt;O&#x27;Hara&lt;/b&gt; {unit('1-2')}"
    )


def test_the_desk_s_postal_code_address_and_floor_keep_their_numbers_whole_and_escaped(client, db):
    city = make_city("07", slug="testyama")
    desk = make_department(
        city,
        postal_code="963-8024",
        address_ja="福島県試験山市朝日1-1-1 <b>別館</b>",
        floor="本庁舎2階 5番窓口",
    )
    html = client.get("/en/cities/testyama/", HTTP_HOST="localhost").content.decode()
    assert (
        f'<span lang="ja">{unit("〒963-8024")} 福島県試験山市朝日{unit("1-1-1")} '
        "&lt;b&gt;別館&lt;/b&gt;</span>"
    ) in html
    assert f'<span lang="ja">本庁舎{unit("2階")} {unit("5番")}窓口</span>' in html
    assert "<b>別館" not in html
    # The card a visitor shows at the counter, in large type, writes them so too.
    card = f"/en/cities/testyama/desks/{desk.pk}/staff-card/"
    html = client.get(card, HTTP_HOST="localhost").content.decode()
    assert f"{unit('〒963-8024')}<br>福島県試験山市朝日{unit('1-1-1')} &lt;b&gt;" in html


@pytest.mark.parametrize("language", ["en", "ja", "vi"])
def test_a_class_s_venue_on_the_city_page_keeps_its_numbers_whole_as_a_desk_s_address(
    client, db, language
):
    # "市民会館 2" could end a line with "階" under it, or "朝日1-2-" with "3".
    city = make_city("07", slug="testyama")
    make_full_class_link(city, venue="市民会館 2階 第1会議室（朝日1-2-3）<b>")
    html = client.get(f"/{language}/cities/testyama/", HTTP_HOST="localhost").content.decode()
    assert (
        f'<span lang="ja">市民会館 {unit("2階")} 第{unit("1")}会議室（朝日{unit("1-2-3）")}'
        "&lt;b&gt;</span>"
    ) in html


def test_a_class_s_venue_keeps_its_web_and_mail_links_whole(client, db):
    city = make_city("07", slug="testyama")
    make_full_class_link(
        city, venue="公民館 2階 https://example.jp/map/12-3 room1@example.jp 第12会議室"
    )
    html = client.get("/en/cities/testyama/", HTTP_HOST="localhost").content.decode()
    assert (
        f"公民館 {unit('2階')} "
        '<a href="https://example.jp/map/12-3" rel="nofollow">https://example.jp/map/12-3</a> '
        f'<a href="mailto:room1@example.jp">room1@example.jp</a> 第{unit("12")}会議室'
    ) in html
