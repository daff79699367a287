"""Languages a desk speaks, as ISO 639 codes: read from staff's names or codes, named in any page's
language and in their own."""

import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation
from django.utils.text import capfirst

_CODE = re.compile(r"^[a-z]{2,3}$")
# Between languages in a list; a space or "・" only where no name holds it ("Haitian Creole",
# "スコットランド・ゲール語"), see `split_codes`.
_LIST_SEPARATORS = re.compile(r"[,、，;；/／\n]+")
_WORD_SEPARATORS = re.compile(r"[\s・]+")
# Between the words of a visitor's query.
_QUERY_SEPARATORS = re.compile(r"[\s,、，;；/／]+")
_BRACKET_SPACES = re.compile(r"\s*([()])\s*")
# Names staff and visitors write that CLDR does not give: Japanese government forms' "Korean",
# the everyday word for Filipino, and Indonesian's own whole name.
_OTHER_NAMES = {
    "韓国・朝鮮語": "ko",
    "朝鮮語": "ko",
    "フィリピン語": "fil",
    "Bahasa Indonesia": "id",
}
# ISO 639's codes for what is no one language, which CLDR names too: 複数言語 (mul), 言語不明
# (und), 言語的内容なし (zxx). Written by name or by code they would list a desk under no language
# a resident can look for, so they are refused as no language.
_NO_ONE_LANGUAGE = {"mis", "mul", "und", "zxx"}


@lru_cache(maxsize=1)
def known_codes():
    """The ISO 639 codes of languages CLDR names (two or three letters), e.g. "vi", "fil"."""
    codes = Locale("en").languages
    return frozenset(code for code in codes if _CODE.match(code) and code not in _NO_ONE_LANGUAGE)


@lru_cache(maxsize=1)
def _codes_by_name():
    from django.conf import settings

    names = {_key(name): code for name, code in _OTHER_NAMES.items()}
    # Japanese and English names first: on a clash, the name staff most likely meant wins.
    tables = [EASY_JAPANESE]
    variants = [code for code in Locale("en").languages if "_" in code]
    for django_code in ["ja", "en", *(code for code, _name in settings.LANGUAGES)]:
        locale = babel_locale(django_code)
        tables.append(locale.languages)
        # A variant also by its language and, in brackets, its script or country, as city
        # websites list them: 中国語（簡体字）, ポルトガル語（ブラジル）, Chinese (Traditional).
        tables.append({code: Locale.parse(code).get_display_name(locale) for code in variants})
    # And in its own, for the languages desks speak most: "Español", "ไทย".
    tables.append({code: name for code in EASY_JAPANESE if (name := autonym(code))})
    for table in tables:
        for code, name in table.items():
            # A variant is its language: "Brazilian Portuguese" is pt, 簡体中国語 is zh.
            code = code.split("_")[0]
            if code in known_codes():
                names.setdefault(_key(name), code)
    return names


def _key(text):
    # NFKC makes full-width brackets ASCII; a space beside one is written or not.
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    return _BRACKET_SPACES.sub(r"\1", text)


def code_of(word):
    """The code of a language given by its code or its name in Japanese, Easy Japanese, English
    or a page language ("英語", "えいご", "English", "Tiếng Việt"), else None."""
    key = _key(word)
    return key if key in known_codes() else _codes_by_name().get(key)


def named_in(query, among=None):
    """(code, the query without its name) of the first language a visitor's query names, by a
    name `code_of` reads ("Vietnamese desk", "ベトナム語", "Tiếng Việt Toyama"), else None; only
    one of the codes `among`, if given. Not Japanese, which every desk speaks: a visitor who
    names it asks for Japanese classes. A code ("vi") is no name here: many are words of
    places' names too ("Ota")."""
    words = [word for word in _QUERY_SEPARATORS.split(query or "") if word]
    # The most words first: "Brazilian Portuguese" before "Portuguese"; no more than a name has.
    for size in range(min(len(words), _most_words_in_a_name()), 0, -1):
        for start in range(len(words) - size + 1):
            code = as_one(_codes_by_name().get(_key(" ".join(words[start : start + size]))))
            if code not in (None, "ja") and (among is None or code in among):
                return code, " ".join(words[:start] + words[start + size :])
    return None


@lru_cache(maxsize=1)
def _most_words_in_a_name():
    return max(len(_QUERY_SEPARATORS.split(name)) for name in _codes_by_name())


def split_codes(text):
    """The languages in `text`, each as its code (`code_of`), once each, in the order written;
    separated by commas, 、 or spaces, or by ・ (中国語・英語). A word that names no language is
    kept, folded, for a validator to name."""
    codes = []
    for item in _LIST_SEPARATORS.split(text or ""):
        if code_of(item):
            codes.append(code_of(item))
            continue
        for word in _WORD_SEPARATORS.split(item):
            if word.strip():
                codes.append(code_of(word) or _key(word))
    return list(dict.fromkeys(codes))


def parse_codes(text):
    """`split_codes`, raising ValueError naming the first word that is no language babel knows."""
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
# (Burmese and Nepali name only Filipino). Japanese offices write タガログ語 where Filipinos
# say Filipino: to a visitor looking for a desk they are one language.
_ALIASES = {"tl": "fil"}


def as_one(code):
    """The code a visitor looks a language up by: Filipino's for Tagalog, else `code`."""
    return _ALIASES.get(code, code)


def codes_of(code):
    """Every code staff may have stored for the language a visitor looks up by `code`."""
    return [code, *(alias for alias, one in _ALIASES.items() if one == code)]


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
