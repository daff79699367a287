"""Template helpers for the public site's languages: the switcher, alternates and place names."""

from functools import lru_cache

from babel import Locale
from babel.core import get_global
from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html, format_html_join

from ..desks import on_a_japanese_page
from ..spoken_languages import babel_locale

register = template.Library()

# BCP 47 tags for Django's language codes where they differ: the `lang` and `hreflang`
# attributes want these. Easy Japanese is Japanese to a screen reader, hence a private-use tag.
_TAGS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "pt-br": "pt-BR", "ja-easy": "ja-x-easy"}


@register.filter
def language_tag(code):
    """The BCP 47 tag for a Django language code, e.g. "zh-hans" -> "zh-Hans"."""
    return _TAGS.get(code, code)


def page_of(request):
    """The requested page as `reverse()` names it: (script prefix, view name, args, kwargs).

    A path that resolves to no page (a 404) is taken for the home page.
    """
    match = request.resolver_match
    if match is None:
        return home_page()
    kwargs = tuple(match.captured_kwargs.items())
    return (get_script_prefix(), match.view_name, tuple(match.args), kwargs)


def home_page():
    return (get_script_prefix(), "directory:home", (), ())


@lru_cache(maxsize=4096)
def page_in(code, page):
    """The path of a page (from `page_of`) in the language `code`."""
    script_prefix, view_name, args, kwargs = page
    with translation.override(code):
        return reverse(view_name, args=args, kwargs=dict(kwargs))


def _query(request, home=False):
    """The page's query string for its links in other languages ("?..."), or ""."""
    query = "" if home or not request.resolver_match else request.META.get("QUERY_STRING", "")
    # WSGI hands the query over as bytes read as Latin-1; a browser sends UTF-8.
    query = query.encode("iso-8859-1", "replace").decode("utf-8", "replace")
    return "?" + iri_to_uri(query) if query else ""


@register.simple_tag(takes_context=True)
def language_switcher(context, home=False):
    """A plain list of links, one per language, to this page (query kept) in that language.

    With `home=True` (the page-not-found page), to each language's home page instead.
    """
    request = context["request"]
    page = home_page() if home else page_of(request)
    query = _query(request, home)
    current = translation.get_language()
    items = format_html_join(
        "",
        '  <li><a href="{}" lang="{}" hreflang="{}"{}>{}</a></li>\n',
        (
            (
                page_in(code, page) + query,
                language_tag(code),
                language_tag(code),
                format_html(' aria-current="{}"', "page") if code == current else "",
                translation.get_language_info(code)["name_local"],
            )
            for code, _name in settings.LANGUAGES
        ),
    )
    return format_html(
        '<nav class="languages" id="languages" aria-labelledby="languages-heading">\n'
        '<h2 id="languages-heading">{}</h2>\n<ul>\n{}</ul>\n</nav>',
        _language_label(),
        items,
    )


def _language_label():
    """ "Language" in the page's language and, so anyone can find the switcher, in English."""
    label = translation.gettext("Language")
    if translation.get_language() != settings.LANGUAGE_CODE:
        return format_html('{} · <span lang="en">Language</span>', label)
    return label


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """`<link rel="alternate" hreflang>` for every language, and x-default (English)."""
    request = context["request"]
    page, query = page_of(request), _query(request)
    origin = request.build_absolute_uri("/").removesuffix("/")
    links = [(language_tag(code), page_in(code, page)) for code, _name in settings.LANGUAGES]
    links.append(("x-default", page_in(settings.LANGUAGE_CODE, page)))
    return format_html_join(
        "",
        '<link rel="alternate" hreflang="{}" href="{}">\n',
        ((tag, origin + path + query) for tag, path in links),
    )


@register.simple_tag(takes_context=True)
def open_graph(context, title, description):
    """OpenGraph's title, description, address and language of the page, so a link shared in a
    chat app (LINE, WhatsApp, Facebook) shows the page's own title in the page's language."""
    request = context["request"]
    locale = babel_locale()
    # OpenGraph wants language_TERRITORY: CLDR's likely one where the language names none.
    territory = (
        locale.territory or Locale.parse(get_global("likely_subtags")[locale.language]).territory
    )
    return format_html(
        '<meta property="og:type" content="website">\n'
        '<meta property="og:site_name" content="madoguchi">\n'
        '<meta property="og:title" content="{}">\n'
        '<meta property="og:description" content="{}">\n'
        '<meta property="og:url" content="{}">\n'
        '<meta property="og:locale" content="{}_{}">\n',
        title,
        description,
        request.build_absolute_uri(request.path) + _query(request),
        locale.language,
        territory,
    )


@register.simple_tag
def language_link():
    """A link to the switcher, labelled in this language and, so anyone can find it, English."""
    return format_html('<a href="#languages" class="language-link">{}</a>', _language_label())


@register.simple_tag
def place_name_text(place):
    """The name `place_name` shows, as plain text for where no markup goes (a form's
    `<option>`): without the reading or the language mark."""
    return place.name_ja if on_a_japanese_page() else place.name


@register.simple_tag
def desk_name_text(department):
    """A desk's name as its heading on the city page gives it, as plain text (a `<title>`):
    the Japanese name on a Japanese page when it has one, otherwise the English."""
    if on_a_japanese_page() and department.name_ja:
        return department.name_ja
    return department.name


@register.simple_tag
def place_name(place):
    """A city's or prefecture's name as the page's reader knows it.

    The published English name, except in Japanese (the Japanese name) and in Easy Japanese
    (the Japanese name with its hiragana reading above it, where one is known).
    """
    name = place_name_text(place)
    if not on_a_japanese_page():
        return _in_english(name)
    if translation.get_language() == "ja-easy" and place.name_kana:
        return format_html("<ruby>{}<rt>{}</rt></ruby>", name, place.name_kana)
    return name


def _in_english(name):
    """A published English name, marked as English on a page in another language: a screen
    reader reads "Kure City" in an English voice, not a Vietnamese one."""
    if translation.get_language() == "en":
        return name
    return format_html('<span lang="en">{}</span>', name)


@register.simple_tag
def japanese(text):
    """Japanese words, such as an example to type, marked as Japanese on a page in another
    language: a screen reader reads them in a Japanese voice, the browser draws Japanese glyphs."""
    if translation.get_language() in ("ja", "ja-easy"):
        return text
    return format_html('<span lang="ja">{}</span>', text)


@register.simple_tag
def place_names(place, css_class=""):
    """Both names where the page is not Japanese, the Japanese one (with reading) where it is."""
    if on_a_japanese_page():
        return place_name(place)
    return format_html(
        '{} <span lang="ja"{}>{}</span>',
        _in_english(place.name),
        format_html(' class="{}"', css_class) if css_class else "",
        place.name_ja,
    )


@register.simple_tag
def place_names_text(place):
    """`place_names` as plain text, for where no markup goes (a page's `<title>`)."""
    if on_a_japanese_page():
        return place_name_text(place)
    return f"{place.name} {place.name_ja}"
