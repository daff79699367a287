"""The parser reads the association's table exactly as published, and refuses anything else."""

import pytest

from directory.importexport.published_table import (
    DEFAULT_PATH,
    PublishedTableError,
    parse,
    parse_file,
)
from tests.builders import published_table_as_csv

HEADER = "No.\tPrefecture\tCity\tDepartment in Charge\tURL\tE-mail\tJapanese Class Information"


@pytest.fixture(scope="module")
def cities():
    return {city.name: city for city in parse_file(DEFAULT_PATH)}


def row(*cells):
    return "\t".join(cells)


def test_the_seed_has_62_cities_in_39_prefectures(cities):
    assert len(cities) == 62
    assert sorted(c.number for c in cities.values() if c.number) == list(range(1, 62))
    assert len({c.prefecture for c in cities.values()}) == 39


def test_the_seed_has_68_departments_and_65_class_links(cities):
    assert sum(len(c.departments) for c in cities.values()) == 68
    assert sum(len(c.links) for c in cities.values()) == 65


def test_cities_keep_the_published_order():
    numbers = [city.number for city in parse_file(DEFAULT_PATH)]
    assert numbers == [*range(1, 62), None]


def test_aomori_city_has_two_departments_with_a_link_each(cities):
    first, second = cities["Aomori City"].departments
    assert first.name == "Economics Division, Domestic and International Relations Section"
    assert [link.url for link in first.links] == ["https://www.kokusai-koryu.jp/learn-japanese/"]
    assert second.name == "Aomori City Board of Education, Teaching Consultants Section"
    assert second.url == "https://www.city.aomori.aomori.jp/"
    assert second.email == "kyoiku-shido@city.aomori.aomori.jp"
    assert [link.url for link in second.links] == ["https://www.hirodaimrr.or.jp/"]


def test_a_continued_class_cell_belongs_to_the_department_above(cities):
    (toyohashi,) = cities["Toyohashi City"].departments
    assert [(link.url, link.label) for link in toyohashi.links] == [
        ("https://www.city.toyohashi.lg.jp/26453.htm", ""),
        ("http://www.toyohashi-tia.or.jp", "Toyohashi International Association"),
    ]
    (akashi,) = cities["Akashi"].departments
    assert [link.url for link in akashi.links] == [
        "https://www.hyogo-ip.or.jp/torikumi/tabunkakyoise/search/adult/index.html",
        "https://www.hyogo-ip.or.jp/torikumi/tabunkakyoise/search/bogo/index.html#tmp_sik_ucho18",
        "https://www.hyogo-ip.or.jp/torikumi/tabunkakyoise/search/child/index.html#tmp_sik_ucho18",
    ]


def test_a_cell_with_two_links_gives_two_labelled_links(cities):
    assert [(link.url, link.label) for link in cities["Tottori"].links] == [
        ("https://www.city.tottori.lg.jp/page/3124.html", "Tottori city International Plaza"),
        (
            "https://www.torisakyu.or.jp/ja/1/learning/",
            "Tottori Prefectural International Exchange Foundation",
        ),
    ]
    assert [(link.url, link.label) for link in cities["Miyazaki City"].links] == [
        (
            "https://www.city.miyazaki.miyazaki.jp/city/international_policy/410561.html",
            "Miyazaki City",
        ),
        ("http://www.miyazaki-mcia.jp/", "Miyazaki City International Association"),
    ]


def test_a_provider_may_hold_parentheses_of_its_own(cities):
    (link,) = cities["Matsuyama"].links
    assert link.url == "https://www.mic.ehime.jp"
    assert link.label == "Matsuyama International Center (MIC)"


def test_a_department_may_have_no_website(cities):
    first, second = cities["Matsumoto City"].departments
    assert first.url == "https://www.city.matsumoto.nagano.jp/"
    assert second.name == "Local Management Bureau Human Rights and Gender Equality Division"
    assert second.url == ""
    assert second.email == "tabunka@city.matsumoto.lg.jp"


def test_at_in_brackets_becomes_an_e_mail_address_and_a_plain_one_is_kept(cities):
    assert cities["Hakodate"].departments[0].email == "hkd-intl@city.hakodate.hokkaido.jp"
    assert cities["Takatsuki City"].departments[0].email == "tia@takatsuki-intl-assn.or.jp"


def test_five_cities_have_no_class_links(cities):
    without = sorted(name for name, city in cities.items() if not city.links)
    assert without == ["Kochi City", "Morioka City", "Naha City", "Oita", "Takatsuki City"]


def test_the_footnote_becomes_naha_city_without_number_or_departments(cities):
    naha = cities["Naha City"]
    assert naha.prefecture == "Okinawa"
    assert naha.number is None
    assert naha.departments == []
    assert naha.note == (
        "For Naha City, Okinawa a Japanese Language Education Division has not yet been "
        "established."
    )


def test_a_proxy_url_is_kept_exactly_as_published(cities):
    (department,) = cities["Utsunomiya"].departments
    assert department.url == (
        "https://www15j-server.com/LUCUTNMY/ns/tl.cgi/https%3a//www.city.utsunomiya.lg.jp/about/"
        "1007962.html?SLANG=ja&TLANG=en&XMODE=0&XCHARSET=utf-8&XJSID=0"
    )


def test_blank_lines_and_repeated_headers_are_skipped():
    text = "\n".join(
        [
            "",
            HEADER,
            row("1", "Tokyo", "Alpha", "Desk", "https://a.example.jp", "a[at]a.example.jp", ""),
            "",
            HEADER,
            row("2", "Osaka", "Beta", "Desk", "https://b.example.jp", "b[at]b.example.jp", ""),
        ]
    )
    assert [(c.number, c.name) for c in parse(text)] == [(1, "Alpha"), (2, "Beta")]


def test_the_table_saved_by_a_spreadsheet_as_csv_reads_the_same(cities):
    from_csv = parse(published_table_as_csv())
    assert [c.name for c in from_csv] == list(cities)
    # Line numbers match too: the CSV has a line for each line of the table.
    assert from_csv == list(cities.values())
    naha = from_csv[-1]
    assert (naha.number, naha.departments) == (None, [])


def test_a_csv_cell_wrapped_over_lines_reads_as_one_line():
    text = "\r\n".join(
        [
            ",".join(f'"{column}"' for column in HEADER.split("\t")),
            '1,Tokyo,Alpha,"Desk of\r\nInternational Affairs",https://a.example.jp,a[at]a.example.jp,'
            '"https://a.example.jp/class (Alpha\nAssociation)\nhttps://b.example.jp/class"',
            "2,Osaka,Beta,Desk,https://b.example.jp,b[at]b.example.jp,",
            "x,Osaka,Gamma,Desk,https://c.example.jp,c[at]c.example.jp,",
        ]
    )
    with pytest.raises(PublishedTableError) as caught:
        parse(text)
    assert caught.value.line == 7, "the line the bad row starts on in the file"
    alpha, beta = parse(text.rsplit("\r\n", 1)[0])
    (desk,) = alpha.departments
    assert desk.name == "Desk of International Affairs"
    assert [(link.url, link.label) for link in desk.links] == [
        ("https://a.example.jp/class", "Alpha Association"),
        ("https://b.example.jp/class", ""),
    ]
    assert beta.line == 6


def error_for(*lines):
    with pytest.raises(PublishedTableError) as caught:
        parse("\n".join([HEADER, *lines]))
    return caught.value


GOOD = row("1", "Tokyo", "Alpha", "Desk", "https://a.example.jp", "a[at]a.example.jp", "")


def test_it_refuses_a_row_with_the_wrong_number_of_columns():
    error = error_for(GOOD, "2\tTokyo\tBeta\tDesk\thttps://b.example.jp")
    assert error.line == 3
    assert "line 3" in str(error)
    assert "expected 7 columns, found 5" in str(error)


def test_it_refuses_a_continuation_row_before_any_city():
    error = error_for(row("", "", "", "Desk", "https://a.example.jp", "", ""))
    assert (error.line, error.column) == (2, 0)
    assert "line 2, column 1 (No.)" in str(error)


def test_it_refuses_a_number_that_is_not_a_number():
    error = error_for(GOOD, row("2a", "Tokyo", "Beta", "Desk", "", "", ""))
    assert (error.line, error.column) == (3, 0)
    assert "“2a” is not a number" in str(error)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example.jp/", "data:text/html,hi", "www.example.jp"]
)
def test_it_refuses_a_department_url_that_is_not_http_or_https(url):
    error = error_for(row("1", "Tokyo", "Alpha", "Desk", url, "", ""))
    assert (error.line, error.column) == (2, 4)
    assert "line 2, column 5 (URL)" in str(error)
    assert "is not an http or https address" in str(error)


def test_it_refuses_a_class_link_that_is_not_http_or_https():
    error = error_for(
        GOOD,
        row("", "", "", "", "", "", "https://ok.example.jp (Fine) javascript:alert(1) (Bad)"),
    )
    assert (error.line, error.column) == (3, 6)
    assert "“javascript:alert(1)”" in str(error)


def test_it_refuses_an_unknown_prefecture():
    error = error_for(GOOD, row("2", "Tokio", "Beta", "Desk", "", "", ""))
    assert (error.line, error.column) == (3, 1)
    assert "unknown prefecture “Tokio”" in str(error)


def test_it_refuses_an_unknown_prefecture_in_the_footnote():
    error = error_for(GOOD, "For Naha City, Ryukyu a division has not yet been established.")
    assert error.line == 3
    assert "unknown prefecture “Ryukyu”" in str(error)


def test_it_refuses_a_number_used_twice():
    error = error_for(GOOD, row("1", "Osaka", "Beta", "Desk", "", "", ""))
    assert error.line == 3
    assert "No. 1 is used on line 2 too" in str(error)


def test_it_refuses_an_unclosed_provider():
    error = error_for(row("1", "Tokyo", "Alpha", "Desk", "", "", "https://a.example.jp (Open"))
    assert (error.line, error.column) == (2, 6)
    assert "never closed" in str(error)


# 150 characters: what a message quotes of it is its first 99, then "…" (`cells.quoted`).
LONG = ("International Affairs Division, " * 5)[:150]


@pytest.mark.parametrize(
    ("cells", "column", "quoted", "message"),
    [
        # Named by the models' validator, which cut it at 40 characters for the table.
        (
            ("1", "Tokyo", "Alpha", "\x07" + LONG, "", "", ""),
            3,
            ("<U+0007>" + LONG)[:99] + "…",
            "contains a control character (U+0007).",
        ),
        (
            ("1", "Tokyo", "Alpha", "Desk", "www." + LONG, "", ""),
            4,
            ("www." + LONG)[:99] + "…",
            "is not an http or https address",
        ),
        (
            ("12" + LONG, "Tokyo", "Alpha", "Desk", "", "", ""),
            0,
            ("12" + LONG)[:99] + "…",
            "is not a number",
        ),
    ],
    ids=["control-character", "url", "number"],
)
def test_a_long_value_is_quoted_as_every_import_quotes_a_cell(cells, column, quoted, message):
    [error] = error_for(row(*cells)).errors
    assert error.column == column
    assert error.message.startswith(f"“{quoted}” ") and message in error.message
