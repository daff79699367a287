"""Fold what visitors type so that spellings meet: any script, any case, long vowels or not.

Plain Python with no Django in it: the search key stored on each city and the words of a query
are both folded here, so "Kooriyama", "Kōriyama", "Koriyama" and "こおりやま" become one spelling.
"""

import re
import unicodedata
from functools import cache

import opencc

# Hepburn romaji for hiragana, a row of kana then its readings; katakana is folded to hiragana.
_KANA_ROWS = """
あいうえお a i u e o
かきくけこ ka ki ku ke ko
さしすせそ sa shi su se so
たちつてと ta chi tsu te to
なにぬねの na ni nu ne no
はひふへほ ha hi fu he ho
まみむめも ma mi mu me mo
やゆよ ya yu yo
らりるれろ ra ri ru re ro
わゐゑをん wa i e o n
がぎぐげご ga gi gu ge go
ざじずぜぞ za ji zu ze zo
だぢづでど da ji zu de do
ばびぶべぼ ba bi bu be bo
ぱぴぷぺぽ pa pi pu pe po
ゔ vu
"""
_KANA = {
    kana: romaji
    for row in _KANA_ROWS.strip().splitlines()
    for kana, romaji in zip(row.split()[0], row.split()[1:], strict=True)
}
_SMALL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o", "ゃ": "ya", "ゅ": "yu", "ょ": "yo"}
# Syllables whose consonant absorbs the "y" of a following small ya/yu/yo: しゃ is "sha".
_PALATAL = {"shi": "sh", "chi": "ch", "ji": "j"}

_LONG_VOWELS = re.compile(r"oo|ou|oh(?![aiueoy])|uu")
_SEPARATORS = re.compile(r"[^\w]|_", re.UNICODE)
_KANA_ONLY = re.compile(r"^[ぁ-ゖー]+$")
# Words that say what kind of place, and narrow nothing; dropped when the query has other words.
_NOISE = {
    *("city", "shi", "of", "市", "し", "prefecture", "pref", "ken", "to", "fu", "ku", "ward"),
    *("town", "village", "cho", "machi", "mura", "gun", "県", "都", "府", "区", "町", "村"),
}
# Words that describe the service asked for rather than the place, folded: always dropped from
# a query's place words. Latin and kana ones are whole words; kanji ones are also cut out of a
# longer word ("郡山日本語教室"). Class words also ask for cities with Japanese class links.
CLASS_WORDS = (
    *("japanese", "nihongo", "class", "classes", "lesson", "lessons", "course", "courses"),
    *("school", "language", "learn", "learning", "study", "kyoshitsu", "kyositu"),
    *("にほんご", "きょうしつ", "にほんごきょうしつ", "にっぽんご"),
    *("日本語教室", "日本語学習", "日本語講座", "日本語", "日语", "日語", "教室", "学習", "講座"),
)
SERVICE_WORDS = (
    *("international", "association", "exchange", "center", "centre", "office", "hall"),
    *("desk", "foreign", "foreigner", "foreigners", "resident", "residents", "support", "help"),
    *("consultation", "information", "kokusai", "koryu", "kyokai", "shiyakusho", "yakusho"),
    *("kuyakusho", "yakuba", "madoguchi", "the", "in", "near", "for", "a", "and"),
    *("こくさい", "こうりゅう", "しやくしょ", "やくしょ", "やくば", "まどぐち"),
    *("国際交流協会", "国際交流", "国际交流", "国際", "国际", "交流", "協会", "协会"),
    *("市役所", "区役所", "役所", "役場", "窓口", "相談", "外国人", "市政府"),
)
_KANJI_PHRASES = sorted(
    (w for w in CLASS_WORDS + SERVICE_WORDS if re.match(r"[\u4e00-\u9fff]", w)),
    key=len,
    reverse=True,
)
# Kunrei-shiki (taught in Japanese schools: "Hukusima", "Tiba") and its Hepburn spelling.
_KUNREI = re.compile(r"[stzd]y(?=[auo])|si|ti|tu|(?<![sc])hu|zi|di|du")
_KUNREI_AS_HEPBURN = {
    "sy": "sh",
    "ty": "ch",
    "zy": "j",
    "dy": "j",
    "si": "shi",
    "ti": "chi",
    "tu": "tsu",
    "hu": "fu",
    "zi": "ji",
    "di": "ji",
    "du": "zu",
}


def to_hiragana(text):
    """Katakana (after NFKC, so half-width too) to hiragana; other characters unchanged."""
    return "".join(
        chr(ord(char) - 0x60) if "ァ" <= char <= "ヶ" else char
        for char in unicodedata.normalize("NFKC", text)
    )


def kana_to_romaji(kana):
    """Hepburn romaji of a kana reading, e.g. "こおりやまし" -> "kooriyamashi"."""
    out = []
    double_next = False
    for char in to_hiragana(kana):
        if char == "っ":
            double_next = True
            continue
        if char == "ー":
            continue  # a long-vowel mark; long vowels are folded away anyway
        if char in _SMALL and out:
            previous = out[-1]
            small = _SMALL[char]
            palatal = next((k for k in _PALATAL if previous.endswith(k)), None)
            if palatal and small.startswith("y"):  # しゃ is "sha", っちゃ is "tcha"
                out[-1] = previous.removesuffix(palatal) + _PALATAL[palatal] + small[1:]
            else:  # きゃ is "kya", ファ is "fa"
                out[-1] = previous[:-1] + small
            continue
        syllable = _KANA.get(char, char)
        if double_next and syllable and syllable[0] not in "aiueon":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double_next = False
        out.append(syllable)
    return "".join(out)


def kunrei_to_hepburn(word):
    """A romaji word in Hepburn, read as Kunrei-shiki: "hukusima" -> "fukushima"."""
    return _KUNREI.sub(lambda match: _KUNREI_AS_HEPBURN[match.group(0)], word)


def fold(text):
    """Fold text so spellings meet: NFKC, lower case, no macrons, hiragana, short vowels."""
    text = to_hiragana(text).lower()
    # Strip Latin diacritics (ō, ô) but keep kana voicing marks, which NFD also splits off.
    text = unicodedata.normalize(
        "NFC",
        "".join(
            char for char in unicodedata.normalize("NFD", text) if not "\u0300" <= char <= "\u036f"
        ),
    )
    return _LONG_VOWELS.sub(lambda match: match.group(0)[0], text)


def compact(text):
    """`fold()` and drop spaces and punctuation, so "Higashi-Osaka" meets "Higashiosaka"."""
    return _SEPARATORS.sub("", fold(text))


def words(query, prefixes=()):
    """The folded place words of a query; "city", "shi" and the like only when nothing else is
    left, and never words about the service ("Japanese class", "市役所"): see `read_query()`."""
    return read_query(query, prefixes)[0]


def read_query(query, prefixes=()):
    """(place words, whether the query asks for Japanese classes) of a folded query.

    A word that begins with one of `prefixes` (folded prefecture names, "福島県") is split
    after it, so an address written the Japanese way, "福島県郡山市", is two words.
    """
    read = [_without_service_words(compact(word)) for word in _SEPARATORS.split(fold(query or ""))]
    classes = any(asked for _word, asked in read)
    folded = [part for word, _asked in read for part in _split_prefix(word, prefixes) if part]
    meaningful = [word for word in folded if word not in _NOISE]
    return meaningful or folded, classes


def _without_service_words(word):
    """The word without the service words in it, and whether one of them asked for classes."""
    if word in CLASS_WORDS or word in SERVICE_WORDS:
        return "", word in CLASS_WORDS
    classes = False
    for phrase in _KANJI_PHRASES:
        if phrase in word:
            classes |= phrase in CLASS_WORDS
            word = word.replace(phrase, "")
    return word, classes


@cache
def _converters():
    return opencc.OpenCC("s2t"), opencc.OpenCC("t2jp")


def japanese_form(word):
    """A word in simplified or traditional Chinese characters written as in Japan ("丰桥" ->
    "豊橋"); other words come back as they are."""
    if not re.search(r"[\u4e00-\u9fff]", word):
        return word
    simplified_to_traditional, traditional_to_japanese = _converters()
    return traditional_to_japanese.convert(simplified_to_traditional.convert(word))


def _split_prefix(word, prefixes):
    prefix = next((prefix for prefix in prefixes if word.startswith(prefix)), None)
    if prefix is None:
        return [word]
    return [prefix, word.removeprefix(prefix)]


def spellings(word):
    """The spellings of a folded word that a city's key may hold: kana also as romaji, Latin
    letters also as Hepburn, Chinese characters also as written in Japan."""
    if _KANA_ONLY.match(word):
        return list(dict.fromkeys([word, compact(kana_to_romaji(word))]))
    return list(dict.fromkeys([*as_typed_or_hepburn(word), japanese_form(word)]))


def as_typed_or_hepburn(word):
    """The word, and its Hepburn spelling when it reads as Kunrei-shiki (kana stays as it is)."""
    return list(dict.fromkeys([word, kunrei_to_hepburn(word)]))
