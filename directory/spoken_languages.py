"""Languages a desk speaks, as ISO 639 codes, named in any page's language and in their own."""

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation
from django.utils.text import capfirst

_CODE = re.compile(r"^[a-z]{2,3}$")
_SEPARATORS = re.compile(r"[\s,、，;]+")


@lru_cache(maxsize=1)
def known_codes():
    """The ISO 639 codes CLDR names (two or three letters), e.g. "vi", "fil"."""
    return frozenset(code for code in Locale("en").languages if _CODE.match(code))


def split_codes(text):
    """The codes in `text` (separated by spaces or commas), lower-cased, each once, in order."""
    return list(dict.fromkeys(code for code in _SEPARATORS.split(text.strip().lower()) if code))


def parse_codes(text):
    """`split_codes`, raising ValueError naming the first code babel does not know as a language."""
    codes = split_codes(text)
    for code in codes:
        if code not in known_codes():
            raise ValueError(code)
    return codes


def babel_locale(django_code=None):
    """Babel's locale for a Django language code (the active one by default): "zh-hans" ->
    zh_Hans; Easy Japanese reads Japanese names; English for one babel does not know."""
    django_code = django_code or translation.get_language() or "en"
    base = {"ja-easy": "ja"}.get(django_code, django_code)
    try:
        return Locale.parse(base, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale("en")


# Easy Japanese, which CLDR does not have, names a language in kana, as its readers read it: the
# languages desks speak most; any other keeps its Japanese name.
EASY_JAPANESE = {
    "en": "えいご",
    "zh": "ちゅうごくご",
    "ko": "かんこくご",
    "vi": "ベトナムご",
    "pt": "ポルトガルご",
    "es": "スペインご",
    "tl": "タガログご",
    "fil": "フィリピノご",
    "ne": "ネパールご",
    "id": "インドネシアご",
    "my": "ミャンマーご",
    "th": "タイご",
    "ru": "ロシアご",
    "uk": "ウクライナご",
    "fr": "フランスご",
    "de": "ドイツご",
    "hi": "ヒンディーご",
    "si": "シンハラご",
    "bn": "ベンガルご",
    "ur": "ウルドゥーご",
    "mn": "モンゴルご",
    "uz": "ウズベクご",
    "km": "クメールご",
    "ms": "マレーご",
    "ar": "アラビアご",
    "fa": "ペルシャご",
    "tr": "トルコご",
    "it": "イタリアご",
    "ja": "にほんご",
}


# Codes CLDR names under another in some languages: Tagalog under Filipino, its standard form
# (Burmese and Nepali name only Filipino).
_ALIASES = {"tl": "fil"}


@lru_cache(maxsize=2048)
def _name_in(code, django_code):
    if django_code == "ja-easy" and code in EASY_JAPANESE:
        return EASY_JAPANESE[code]
    names = babel_locale(django_code).languages
    # A name in English before a bare code, for a language the page's has no name for.
    return (
        names.get(code) or names.get(_ALIASES.get(code)) or Locale("en").languages.get(code, code)
    )


def name_in(code):
    """The language `code` named in the page's language, e.g. "vi" -> "ベトナム語" in Japanese."""
    return _name_in(code, translation.get_language() or "en")


@lru_cache(maxsize=512)
def autonym(code):
    """The language's name in itself, e.g. "vi" -> "Tiếng Việt", or None if babel has no data."""
    try:
        locale = Locale.parse(code)
        name = locale.languages.get(code) or locale.get_display_name(code)
    except (UnknownLocaleError, ValueError):
        return None
    return capfirst(name) or None
