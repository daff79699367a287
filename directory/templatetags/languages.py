"""Template helpers for the public site's languages: the switcher, alternates and place names."""

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.html import format_html

register = template.Library()

# BCP 47 tags for Django's language codes where they differ: the `lang` and `hreflang`
# attributes want these. Easy Japanese is Japanese to a screen reader, hence a private-use tag.
_TAGS = {"zh-hans": "zh-Hans", "pt-br": "pt-BR", "ja-easy": "ja-x-easy"}


@register.filter
def language_tag(code):
    """The BCP 47 tag for a Django language code, e.g. "zh-hans" -> "zh-Hans"."""
    return _TAGS.get(code, code)


def same_page_in(request, code):
    """The URL of the requested page in another language, query string kept.

    A path that resolves to no page (a 404) leads to that language's home page instead.
    """
    path = request.get_full_path()
    try:
        resolve(request.path_info)
    except Resolver404:
        with translation.override(code):
            return reverse("directory:home")
    return translate_url(path, code)


def languages_of(request):
    """Every language of the site: code, tag, name in itself, URL of this page, current or not.

    Worked out once per request: the switcher and the alternates in the head both need it, and
    each URL costs a resolve and a reverse.
    """
    current = translation.get_language()
    kept = getattr(request, "_languages_of", None)
    if kept is None or kept[0] != current:
        kept = request._languages_of = (current, _languages_of(request, current))
    return kept[1]


def _languages_of(request, current):
    return [
        {
            "code": code,
            "tag": language_tag(code),
            "name_local": translation.get_language_info(code)["name_local"],
            "url": same_page_in(request, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@register.inclusion_tag("directory/_language_switcher.html", takes_context=True)
def language_switcher(context):
    """A plain list of links, one per language, to this page in that language."""
    return {
        "languages": languages_of(context["request"]),
        "current_is_default": translation.get_language() == settings.LANGUAGE_CODE,
    }


@register.simple_tag
def language_link():
    """A link to the switcher, labelled in this language and, so anyone can find it, English."""
    label = translation.gettext("Language")
    if translation.get_language() != settings.LANGUAGE_CODE:
        return format_html(
            '<a href="#languages" class="language-link">{} · <span lang="en">Language</span></a>',
            label,
        )
    return format_html('<a href="#languages" class="language-link">{}</a>', label)


@register.inclusion_tag("directory/_language_alternates.html", takes_context=True)
def language_alternates(context):
    """`<link rel="alternate" hreflang>` for every language, and x-default (English)."""
    request = context["request"]
    absolute = request.build_absolute_uri
    return {
        "alternates": [
            (language["tag"], absolute(language["url"])) for language in languages_of(request)
        ],
        "default_url": absolute(
            next(
                language["url"]
                for language in languages_of(request)
                if language["code"] == settings.LANGUAGE_CODE
            )
        ),
    }


# Hiragana readings of the prefectures, for Easy Japanese (the table gives cities' readings only).
PREFECTURE_READINGS = dict(
    enumerate(
        [
            "ほっかいどう",
            "あおもりけん",
            "いわてけん",
            "みやぎけん",
            "あきたけん",
            "やまがたけん",
            "ふくしまけん",
            "いばらきけん",
            "とちぎけん",
            "ぐんまけん",
            "さいたまけん",
            "ちばけん",
            "とうきょうと",
            "かながわけん",
            "にいがたけん",
            "とやまけん",
            "いしかわけん",
            "ふくいけん",
            "やまなしけん",
            "ながのけん",
            "ぎふけん",
            "しずおかけん",
            "あいちけん",
            "みえけん",
            "しがけん",
            "きょうとふ",
            "おおさかふ",
            "ひょうごけん",
            "ならけん",
            "わかやまけん",
            "とっとりけん",
            "しまねけん",
            "おかやまけん",
            "ひろしまけん",
            "やまぐちけん",
            "とくしまけん",
            "かがわけん",
            "えひめけん",
            "こうちけん",
            "ふくおかけん",
            "さがけん",
            "ながさきけん",
            "くまもとけん",
            "おおいたけん",
            "みやざきけん",
            "かごしまけん",
            "おきなわけん",
        ],
        start=1,
    )
)


def reading_of(place):
    """The hiragana reading of a city (stored) or a prefecture (above), or ""."""
    reading = getattr(place, "name_kana", None)
    if reading is None and getattr(place, "code", "").isdigit():
        reading = PREFECTURE_READINGS.get(int(place.code), "")
    return reading or ""


@register.simple_tag
def place_name(place):
    """A city's or prefecture's name as the page's reader knows it.

    The published English name, except in Japanese (the Japanese name) and in Easy Japanese
    (the Japanese name with its hiragana reading above it, where one is known).
    """
    code = translation.get_language()
    if code == "ja":
        return place.name_ja
    if code == "ja-easy":
        reading = reading_of(place)
        if reading:
            return format_html("<ruby>{}<rt>{}</rt></ruby>", place.name_ja, reading)
        return place.name_ja
    return place.name


@register.simple_tag
def place_names(place, css_class=""):
    """Both names where the page is not Japanese, the Japanese one (with reading) where it is."""
    if translation.get_language() in ("ja", "ja-easy"):
        return place_name(place)
    return format_html(
        '{} <span lang="ja"{}>{}</span>',
        place.name,
        format_html(' class="{}"', css_class) if css_class else "",
        place.name_ja,
    )
