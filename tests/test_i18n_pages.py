"""Every public page reads in the visitor's language: strings translated, none left in English."""

import re
from functools import cache
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import to_locale

from directory.models import City, ClassLink, Department, Prefecture
from directory.templatetags.languages import language_tag

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Attributes a reader hears or sees as text.
TEXT_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder"}
# E-mail addresses and domains shown in full are data too ("city.koriyama.lg.jp").
ADDRESS = re.compile(r"\S+@\S+|(?:[\w-]+\.)+[a-z]{2,}\S*")


class VisibleText(HTMLParser):
    """Text and readable attributes of a page, leaving out parts marked in another language."""

    def __init__(self, language):
        super().__init__()
        self.language, self.stack, self.parts = language, [], []
        self.joined = False

    def handle_starttag(self, tag, attrs):
        if tag == "wbr":  # a place the line may break: the text on either side is one word
            self.joined = True
            return
        attrs = dict(attrs)
        foreign = "lang" in attrs and attrs["lang"] != self.language and tag != "html"
        hidden = tag in {"script", "style"} or (self.stack and self.stack[-1])
        if tag not in {"meta", "link", "input", "br", "img"}:
            self.stack.append(bool(foreign or hidden))
        if not (foreign or hidden):
            self.parts += [attrs[name] for name in TEXT_ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag not in {"meta", "link", "input", "br", "img"} and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            if self.joined and self.parts:
                self.parts[-1] += data
            else:
                self.parts.append(data)
        self.joined = False


def visible_text(html, language):
    parser = VisibleText(language)
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    # The directory's own data stays as published (English); take it out before looking.
    data = [
        *Prefecture.objects.values_list("name", flat=True),
        *City.objects.values_list("name", flat=True),
        *Department.objects.values_list("name", flat=True),
        *ClassLink.objects.values_list("label", flat=True),
        *City.objects.exclude(note="").values_list("note", flat=True),
    ]
    for value in sorted(filter(None, data), key=len, reverse=True):
        text = text.replace(value, " ")
    return ADDRESS.sub(" ", text)


@cache  # read once: each admin page is checked against the whole catalogue
def catalogue(code):
    return polib.pofile(f"{settings.BASE_DIR}/locale/{to_locale(code)}/LC_MESSAGES/django.po")


def _literal_parts(msgid):
    return [" ".join(part.split()) for part in PLACEHOLDER.split(msgid)]


@cache  # one per msgid: re's own cache is far smaller than the catalogue
def pattern(msgid):
    """A regex finding a msgid in page text, its placeholders standing for anything."""
    parts = [re.escape(part) for part in _literal_parts(msgid)]
    return re.compile(r"(?<!\w)" + r".+?".join(parts) + r"(?!\w)")


def shows(text, msgid):
    """Whether page text shows a msgid; its plain parts are looked for first, as most of a
    catalogue is not on any one page and the regex alone is slow on a long page."""
    return all(part in text for part in _literal_parts(msgid)) and bool(pattern(msgid).search(text))


def pages(code):
    koriyama = City.objects.get(name="City of Koriyama")
    with translation.override(code):
        return {
            "home": reverse("directory:home"),
            "results": reverse("directory:search") + "?q=Kori",
            "empty results": reverse("directory:search") + "?q=Atlantis",
            "city": koriyama.get_absolute_url(),
            "prefecture": koriyama.prefecture.get_absolute_url(),
        }


@pytest.fixture
def english_strings(client, seed):
    """For each page, the English msgids (with plural forms) that show on it."""
    # A public-only catalogue: Japanese's also holds the admin's strings.
    entries = [entry for entry in catalogue("vi") if entry.msgid.strip()]
    found = {}
    for name, url in pages("en").items():
        text = visible_text(client.get(url).text, "en")
        shown = [
            entry
            for entry in entries
            if any(shows(text, msgid) for msgid in (entry.msgid, entry.msgid_plural) if msgid)
        ]
        # "problem" shows only as part of "Report a problem": keep the whole strings.
        found[name] = [
            entry
            for entry in shown
            if not any(
                entry.msgid in other.msgid + " " + other.msgid_plural
                for other in shown
                if other is not entry
            )
        ]
    return found


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_public_page_is_in_the_language_and_has_no_english_left(client, english_strings, code):
    translations = {entry.msgid: entry for entry in catalogue(code)}
    tags = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "pt-br": "pt-BR", "ja-easy": "ja-x-easy"}
    tag = tags.get(code, code)
    for name, url in pages(code).items():
        response = client.get(url)
        assert response.status_code == 200, (code, name)
        assert f'<html lang="{tag}">' in response.text
        text = visible_text(response.text, tag)
        shown = english_strings[name]
        assert shown, f"{name}: no catalogue string found on the English page"
        for entry in shown:
            translated = translations[entry.msgid]
            forms = (
                [translated.msgstr]
                if translated.msgstr
                else list(translated.msgstr_plural.values())
            )
            if any(form == entry.msgid for form in forms):
                continue  # the same word in this language, e.g. "URL"
            assert not shows(text, entry.msgid), f"{code} {name}: English {entry.msgid!r}"
            if not entry.msgid_plural and not PLACEHOLDER.search(entry.msgid):
                assert " ".join(translated.msgstr.split()) in text, (
                    f"{code} {name}: {entry.msgid!r}"
                )


def test_japanese_pages_name_places_in_japanese_and_easy_japanese_adds_the_reading(client, seed):
    koriyama = City.objects.get(name="City of Koriyama")
    with translation.override("ja"):
        japanese = client.get(koriyama.get_absolute_url()).text
    with translation.override("ja-easy"):
        easy = client.get(koriyama.get_absolute_url()).text
    with translation.override("vi"):
        vietnamese = client.get(koriyama.get_absolute_url()).text
    assert "<h1>郡山市</h1>" in japanese and "City of Koriyama</h1>" not in japanese
    assert "福島県" in japanese
    assert "<h1><ruby>郡山市<rt>こおりやまし</rt></ruby></h1>" in easy
    assert "<ruby>福島県<rt>ふくしまけん</rt></ruby>" in easy
    # The English name read in an English voice, the Japanese one in a Japanese voice.
    assert '<span lang="en">City of Koriyama</span> <span lang="ja" class="ja">郡山市</span>' in (
        vietnamese
    )


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("en", "City of Koriyama 郡山市"),
        ("vi", "City of Koriyama 郡山市"),
        ("ja", "郡山市"),
        ("ja-easy", "郡山市"),
    ],
)
def test_a_city_or_prefecture_page_title_names_it_as_its_heading_does(client, seed, code, title):
    koriyama = City.objects.get(name="City of Koriyama")
    with translation.override(code):
        city, report = (
            koriyama.get_absolute_url(),
            reverse("directory:city-report", args=[koriyama.slug]),
        )
        prefecture = koriyama.prefecture.get_absolute_url()
    assert f"<title>{title} · madoguchi</title>" in client.get(city).text
    fukushima = "福島県" if code.startswith("ja") else "Fukushima 福島県"
    assert f"<title>{fukushima} · madoguchi</title>" in client.get(prefecture).text
    # The report page's title names the city by the one name a sentence gives it.
    assert f": {title.removesuffix(' 郡山市')} · madoguchi</title>" in client.get(report).text


@pytest.mark.parametrize("query", ["郡山", "Koriyama", "こおりやま", "Kōriyama"])
def test_a_search_from_the_vietnamese_site_finds_the_city_in_any_script(client, seed, query):
    with translation.override("vi"):
        url = reverse("directory:search")
        city_url = City.objects.get(name="City of Koriyama").get_absolute_url()
    assert url == "/vi/search/"
    # The city's whole name leads straight to its page, in Vietnamese; its first letters list it.
    assert client.get(url, {"q": query})["Location"] == city_url
    response = client.get(url, {"q": query[:-1]})
    assert response.status_code == 200
    assert f'href="{city_url}"' in response.text


def test_the_sitemap_lists_every_page_in_every_language(client, seed):
    xml = client.get("/sitemap.xml").text
    koriyama = City.objects.get(name="City of Koriyama")
    for code in [*TRANSLATED, "en"]:
        assert f"<loc>http://testserver{pages(code)['city']}</loc>" in xml
        tag = language_tag(code)  # as the page's <html lang> writes it: "ja-x-easy"
        assert f'hreflang="{tag}" href="http://testserver{pages(code)["city"]}"' in xml
    # x-default is the unprefixed address, which sends each visitor to their own language.
    assert f'hreflang="x-default" href="http://testserver/cities/{koriyama.slug}/"' in xml
    response = client.get(f"/cities/{koriyama.slug}/", headers={"accept-language": "ne"})
    assert response["Location"] == pages("ne")["city"]
