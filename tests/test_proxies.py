"""Translation-proxy URLs from the real published table, and the city pages they wrap."""

import pytest

from directory.importexport.published_table import parse_file
from directory.proxies import original_url

PROXY_MARKS = ("j-server.com", "transer.com", "translate.google", "translate.goog")


def seed_urls():
    for city in parse_file():
        for department in city.departments:
            if department.url:
                yield department.url
            yield from (link.url for link in department.links)


def seed_url_containing(fragment):
    """The seed's URL with `fragment`, so each test reads the published value, not a copy."""
    found = [url for url in seed_urls() if fragment in url]
    assert found, f"the seed no longer has a URL with {fragment!r}"
    return found[0]


def test_the_j_server_form_with_an_encoded_scheme_gives_the_city_page():
    url = seed_url_containing("tl.cgi/https%3a//www.city.utsunomiya")
    assert original_url(url) == "https://www.city.utsunomiya.lg.jp/about/1007962.html"


def test_the_j_server_form_with_a_plain_scheme_gives_the_city_page():
    url = seed_url_containing("tl.cgi/https://www.city.okazaki.lg.jp/kurashi/foreigners/1002006")
    assert original_url(url) == "https://www.city.okazaki.lg.jp/kurashi/foreigners/1002006.html"


def test_the_translation2_j_server_host_gives_the_city_page():
    url = seed_url_containing("translation2.j-server.com")
    assert original_url(url) == (
        "https://www.city.amagasaki.hyogo.jp/kurashi/kokusai/tabunka/1030002.html"
    )


def test_the_transer_form_with_language_and_site_labels_gives_the_city_page():
    url = seed_url_containing(".e.arx.hp.transer.com")
    assert original_url(url) == "https://www.city.matsumoto.nagano.jp/koho/195283.html"


def test_the_transer_form_with_one_joined_label_gives_the_city_page():
    url = seed_url_containing(".eax.hp.transer.com")
    assert original_url(url) == (
        "https://www.city.kurume.fukuoka.jp/1050kurashi/2140soudan/3050lifetalk/"
        "2021-0518-1505-244.html"
    )


def test_the_google_translate_host_form_gives_the_city_site():
    # The published host reads "ig" where the city's domain is "lg": the wrapped page is
    # reported as published, and the link check shows whether it answers.
    url = seed_url_containing("translate.google.com")
    assert original_url(url) == "https://www.city.nara.ig.jp/"


def test_every_proxy_url_in_the_seed_is_recognised():
    proxied = [url for url in seed_urls() if any(mark in url for mark in PROXY_MARKS)]
    assert len(proxied) >= 8
    assert all(original_url(url) for url in proxied), [
        url for url in proxied if not original_url(url)
    ]


def test_the_citys_own_urls_are_not_taken_for_proxies():
    plain = [url for url in seed_urls() if not any(mark in url for mark in PROXY_MARKS)]
    assert plain and [url for url in plain if original_url(url)] == []


@pytest.mark.parametrize(
    ("url", "original"),
    [
        (
            "https://www-city-kita--kyushu-lg-jp.translate.goog/page.html?a=1&_x_tr_sl=ja",
            "https://www.city.kita-kyushu.lg.jp/page.html?a=1",
        ),
        (
            "https://translate.google.com/translate?sl=ja&tl=en&u=https://www.city.example.lg.jp/x",
            "https://www.city.example.lg.jp/x",
        ),
        (
            "https://honyaku.j-server.com/X/ns/tl.cgi/https://www.city.example.lg.jp/a?id=3&SLANG=ja",
            "https://www.city.example.lg.jp/a?id=3",
        ),
    ],
)
def test_other_forms_of_the_same_services_keep_the_wrapped_path_and_query(url, original):
    assert original_url(url) == original
