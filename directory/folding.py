"""Fold what visitors type so that spellings meet: any script, any case, long vowels or not.

Plain Python with no Django in it: the search key stored on each city and the words of a query
are both folded here, so "Kooriyama", "Kōriyama", "Koriyama" and "こおりやま" become one spelling.
"""

import re
import unicodedata
from functools import cache, lru_cache
from itertools import pairwise

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
# Characters not seen inside a word, which would otherwise split it in two: the joiners a Nepali
# keyboard types into Devanagari (ZWJ, ZWNJ), and what text copied from a web page may hold
# (soft hyphen, zero-width space, word joiner, byte order mark).
_UNSEEN = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# Word characters are letters, digits and the marks that belong to them: Devanagari's and
# Burmese's vowel signs are combining marks, which `\w` alone would take for word breaks.
_MARKS = "".join(
    chr(code) for code in range(0x0300, 0x10000) if unicodedata.category(chr(code))[0] == "M"
)
_SEPARATORS = re.compile(f"[^\\w{re.escape(_MARKS)}]|_", re.UNICODE)
# The commas between the parts of an address ("Fukushima, City of Koriyama"), as `fold()` leaves
# them (NFKC makes "，" and "；" ASCII), and the word that stands where one was until the kinds of
# place are read, so that no kind reaches across it: a folded word never holds a comma.
_COMMAS = frozenset(",;、")
_COMMA = ","
_SEPARATORS_AND_COMMAS = re.compile(f"([{''.join(_COMMAS)}])|{_SEPARATORS.pattern}", re.UNICODE)
_KANA_ONLY = re.compile(r"^[ぁ-ゖー]+$")
# Where a folded word goes on from Latin letters to kana or Chinese characters, or back.
_LATIN_BESIDE_JAPANESE = re.compile(
    r"(?<=[a-z])(?=[ぁ-ゖー\u3400-\u9fff])|(?<=[ぁ-ゖー\u3400-\u9fff])(?=[a-z])"
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# A name in kana with its kind of place in kanji after it ("なは市").
_KANA_THEN_KIND = re.compile(r"(?:[ぁ-ゖー]+[市区町村県都府])+")
_KIND_KANJI = re.compile(r"([市区町村県都府])")
# Scripts written without spaces between words, or that no Japanese place name is written in
# (Chinese characters, Hangul, Devanagari, Burmese): their service words are also cut out of a
# longer word ("郡山日本語教室", "일본어교실"). Other service words go only as whole words.
_CUT_OUT = re.compile(r"[\u4e00-\u9fff\uac00-\ud7af\u0900-\u097f\u1000-\u109f]")
# The words that say a prefecture in any language, as a kind of place.
_PREFECTURE_WORDS = (
    *("prefecture", "pref", "tỉnh", "현", "provinsi", "prefektur", "província", "lalawigan"),
    *("province", "probinsya", "prepektura", "prefektura", "प्रान्त"),
)
# Words that say what kind of place, and narrow nothing; dropped when the query has other words,
# as are numbers (a street number, or a postal code beside the place's name).
_NOISE_WORDS = (
    *("city", "shi", "of", "市", "し", "ken", "to", "fu", "ku", "ward", "town", "village", "の"),
    *("cho", "machi", "mura", "gun", "県", "都", "府", "区", "町", "村", "县", "thành", "phố"),
    *("quận", "huyện", "cidade", "município", "시", "구", "도시", "kabupaten", "lungsod"),
    *("bayan", "शहर", "सहर", "जिल्ला", "မြို့", "မြို့နယ်", "tp", *_PREFECTURE_WORDS),
    # Nepali's words for city also as Nepali write them in Latin letters; no place is named so.
    *("नगर", "sahar", "shahar", "nagar"),
    # And "in the city", one word in Nepali (सहरमा).
    *("शहरमा", "सहरमा"),
    # The country, which a map ends an address with, in the site's languages.
    *("japan", "日本", "nhật bản", "일본", "jepang", "japão", "hapon", "जापान", "ဂျပန်"),
)
# Words that say a prefecture, with the kind of prefecture each is ("" for any), that make the
# name beside them the prefecture's, not a city's of that name ("Fukushima-ken", "tỉnh
# Fukushima", "ふくしま県"): Japanese kinds come after the name, the other languages' words on
# either side ("Fukushima Prefecture", "Provinsi Fukushima").
_PREFECTURE_KINDS_AFTER = {
    "ken": "県",
    "県": "県",
    "县": "県",
    "to": "都",
    "都": "都",
    "fu": "府",
    "府": "府",
}
# Words that say the kind of municipality after its name ("Fukushima City", "Kori-machi",
# "こおり町", "후쿠시마 시"), with the romaji its reading ends with, the visitor's own first: 町 is
# read まち or ちょう, 村 むら or そん.
_MUNICIPALITY_KINDS_AFTER = {
    **dict.fromkeys(("shi", "city", "市", "시", "शहर", "सहर", "शहरमा", "सहरमा", "မြို့"), ("shi",)),
    **dict.fromkeys(("machi", "town", "町"), ("machi", "cho")),
    "cho": ("cho", "machi"),
    **dict.fromkeys(("mura", "village", "村"), ("mura", "son")),
    "son": ("son", "mura"),
}
# Words that say the kind of municipality before its name, in the languages that write it so
# ("City of Fukushima", "thành phố Fukushima", "tp Fukushima", "Kota Fukushima", "Lungsod ng
# Fukushima", "cidade de Fukushima"; "ng" and "de" go as service words). Kōta (幸田町) is also
# "Kota", which is therefore no noise word: like each of these, a kind only before the name of
# a municipality of that kind, so "Kota" or "Kota, Aichi" is still the town.
_MUNICIPALITY_KINDS_BEFORE = {
    **dict.fromkeys(("city of", "thành phố", "tp", "kota", "lungsod", "cidade"), ("shi",)),
    "town of": ("machi", "cho"),
    "village of": ("mura", "son"),
}
# Korean writes the kind onto the name (후쿠시마현, 오사카부).
_HANGUL_PREFECTURE_KINDS = {"현": "県", "부": "府"}
# The words of a street address in romaji beside its numbers: 丁目 and 番地 ("1-chōme").
_STREET_WORDS = frozenset({"chome", "choume", "banchi"})
_POSTAL_CODE_WORDS = re.compile(r" \d{3} \d{4}(?= )")
# An address in romaji writes its kind of place after the name, the largest first here: the
# street's name beside it ("Asahi") is no place's name.
_ADDRESS_KINDS = (("shi", "city"), ("ku", "ward"), ("machi", "cho", "mura", "son", "town"))
# Words that describe the service asked for rather than the place, as visitors of each of the
# site's languages write them: always dropped from a query's place words. Words of several
# words ("quốc tế") go when they come together. Class words also ask for cities with Japanese
# class links. None is a word of a Japanese place name (tests/test_search.py checks them all).
CLASS_WORDS = (
    *("japanese", "nihongo", "class", "classes", "lesson", "lessons", "course", "courses"),
    *("school", "language", "learn", "learning", "study", "kyoshitsu", "kyositu"),
    *("にほんご", "きょうしつ", "にほんごきょうしつ", "にっぽんご", "くらす"),
    *("日本語教室", "日本語学習", "日本語講座", "日本語", "日语", "日語", "教室", "学習", "講座"),
    # Chinese: 日语课 (Japanese lesson), 日语班 (class), 课程 (course), 培训 (training).
    *("日语课程", "日语课", "日语班", "日语学校", "日语学习", "日语培训", "日本语", "日文"),
    *("课程", "课", "培训班", "培训", "学日语"),
    # The same in traditional characters, as Taiwan and Hong Kong write them.
    *("日語課程", "日語課", "日語班", "日語學校", "日語學習", "日語培訓", "課程", "課"),
    *("培訓班", "培訓", "學日語"),
    # Vietnamese, as folded without its diacritics: lớp tiếng Nhật, khóa học, trường.
    *("lớp", "học", "tiếng", "nhật", "nhật bản", "khóa", "trường", "dạy"),
    # Portuguese: aula de japonês, curso de língua japonesa, escola.
    *("aula", "aulas", "curso", "cursos", "escola", "escolas", "japonês", "japonesa"),
    *("língua", "idioma", "estudar", "aprender", "ensino"),
    # Korean: 일본어 교실 (class), 수업 (lesson), 강좌 (course), 학원 (language school).
    *("일본어", "일어", "교실", "수업", "강좌", "강의", "학원", "학교", "공부", "어학"),
    *("클래스", "코스", "레슨"),
    # Indonesian: kelas bahasa Jepang, kursus, belajar; Filipino: klase ng wikang Hapon.
    *("kelas", "kursus", "bahasa", "jepang", "les", "belajar", "sekolah", "pelajaran"),
    *("klase", "kurso", "wika", "wikang", "hapon", "hapones", "nihonggo", "aralin"),
    *("paaralan", "pag-aaral", "pagaaral", "mag-aral"),
    # Nepali: जापानी भाषा कक्षा; Burmese: ဂျပန်ဘာသာ သင်တန်း (Japanese language course).
    *("जापानी", "भाषा", "कक्षा", "पाठ", "कोर्स", "क्लास", "विद्यालय", "स्कूल", "सिक्ने"),
    *("अध्ययन", "ဂျပန်", "ဂျပန်စာ", "ဘာသာစကား", "ဘာသာ", "သင်တန်း", "အတန်း", "စာသင်ခန်း"),
    *("ကျောင်း",),
    *("သင်ခန်းစာ", "လေ့လာ"),
)
SERVICE_WORDS = (
    *("international", "association", "exchange", "center", "centre", "office", "hall"),
    *("desk", "foreign", "foreigner", "foreigners", "resident", "residents", "support", "help"),
    *("consultation", "information", "kokusai", "koryu", "kyokai", "shiyakusho", "yakusho"),
    *("kuyakusho", "yakuba", "madoguchi", "the", "in", "near", "nearby", "for", "a", "and"),
    # "Near" in the site's other languages, beside the words for it above.
    *("近く", "附近", "gần", "근처", "malapit", "नजिक", "အနီး"),
    *("こくさい", "こうりゅう", "しやくしょ", "やくしょ", "やくば", "まどぐち"),
    *("国際交流協会", "国際交流", "国际交流", "国際", "国际", "交流", "協会", "协会"),
    *("市役所", "区役所", "役所", "役場", "窓口", "相談", "外国人", "市政府"),
    # Chinese.
    *("国际交流协会", "市政厅", "市厅", "区政府", "政府", "咨询", "窗口", "服务中心"),
    *("國際交流協會", "國際交流", "國際", "協會", "市政廳", "市廳", "區政府", "諮詢", "服務中心"),
    # Chinese's "of", "at" and "located in", written on the words they join: 丰田市的日语教室.
    *("的", "在", "位于", "位於"),
    # Vietnamese: giao lưu quốc tế, hiệp hội, trung tâm, văn phòng, tòa thị chính, hỗ trợ.
    *("giao lưu", "quốc tế", "hiệp hội", "trung tâm", "văn phòng", "ủy ban", "tòa thị chính"),
    *("thị chính", "hỗ trợ", "tư vấn", "người nước ngoài", "nước ngoài", "của", "ở", "tại"),
    # Portuguese: associação internacional, intercâmbio, prefeitura, estrangeiros.
    *("associação", "internacional", "intercâmbio", "centro", "prefeitura", "apoio"),
    *("atendimento", "consulta", "ajuda", "estrangeiro", "estrangeiros", "escritório", "balcão"),
    *("de", "do", "da", "dos", "das", "em", "para", "perto"),
    # Korean: 국제교류협회, 시청 (city hall), 구청 (ward office), 외국인 상담 창구.
    *("국제교류협회", "국제교류", "국제", "교류", "협회", "시청", "구청", "외국인", "상담"),
    *("창구", "센터", "지원"),
    # Korean's "of" and "at", written on the word before (도요타의, 도요타시에서), and "which is
    # in" (있는); "at" alone (에) also ends names (가니에, Kanie), and goes only after "city".
    *("의", "에서", "시에", "있는"),
    # Indonesian: asosiasi pertukaran internasional, balai kota, kantor, orang asing, di.
    *("internasional", "pertukaran", "asosiasi", "perhimpunan", "pusat", "kantor", "balai"),
    *("walikota", "bantuan", "layanan", "konsultasi", "orang asing", "di", "untuk", "dekat"),
    # Filipino: samahang pandaigdigan, munisipyo, tanggapan, dayuhan, sa, ng.
    *("pandaigdigan", "internasyonal", "samahan", "samahang", "palitan", "tanggapan"),
    *("opisina", "munisipyo", "bulwagan", "tulong", "dayuhan", "banyaga", "sa", "ng", "mga"),
    *("ang",),
    # Nepali and Burmese: international, exchange, association, office, city hall, foreigners.
    *("अन्तर्राष्ट्रिय", "अन्तर्राष्ट्रीय", "अन्तरराष्ट्रिय", "आदानप्रदान", "संघ", "कार्यालय"),
    *("नगरपालिका", "सहायता", "परामर्श", "विदेशी", "နိုင်ငံတကာ", "ဖလှယ်ရေး", "အသင်း"),
    # Nepali's municipality, metropolitan and sub-metropolitan city (their offices), also in
    # Latin letters: whole, not a नगरपालिका cut out of them leaving "महा".
    *("महानगरपालिका", "उपमहानगरपालिका", "nagarpalika", "mahanagarpalika"),
    *("upamahanagarpalika",),
    *("မြို့တော်ခန်းမ", "ရုံး", "အကူအညီ", "နိုင်ငံခြားသား"),
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


# Hangul as Korean writes Japanese names (the 1986 rules for foreign words, and the common 츠).
# A word's first consonant is written unvoiced whatever it is (기후 Gifu, 고베 Kobe), so it may
# be read either way; later ones are written as they sound (가고시마 Kagoshima). Long vowels are
# not written. By a syllable's parts, in Unicode's order: its first consonant (at the start of
# a word, then later), its vowel, and what ends it.
_HANGUL_FIRST = ["k g", "k", "n", "t d", "t", "r", "m", "b", "p", "s", "s", "", "ch j z", "ch"]
_HANGUL_FIRST += ["ch", "k", "t", "p", "h"]
_HANGUL_LATER = ["g", "k", "n", "d", "t", "r", "m", "b", "p", "s", "s", "", "j z", "ch", "ch"]
_HANGUL_LATER += ["k", "t", "p", "h"]
_HANGUL_VOWELS = ["a", "e", "ya", "ye", "o", "e", "yo", "ye", "o", "wa", "we", "e", "yo", "u"]
_HANGUL_VOWELS += ["wo", "we", "i", "yu", "u", "i", "i"]
# ㄴ (and ㅁ, ㅇ) is ん; ㅅ is っ, which doubles the next consonant.
_HANGUL_N = {4, 16, 21}
_HANGUL_SOKUON = 19
_HANGUL_SYLLABLES = {
    "si": "shi", "sya": "sha", "syu": "shu", "syo": "sho", "sye": "she", "ti": "chi", "di": "ji",
    "chya": "cha", "chyu": "chu", "chyo": "cho", "zi": "ji", "jya": "ja", "zya": "ja",
    "jyu": "ju", "zyu": "ju", "jyo": "jo", "zyo": "jo", "hu": "fu",
}  # fmt: skip
_HANGUL_TSU = {10, 13, 14}  # ㅆ, ㅉ, ㅊ before ㅡ: 쓰, 쯔, 츠 are つ
_HANGUL_U = 18  # ㅡ, the vowel of 스 (す) and 즈 (ず)
_MOST_READINGS = 12
# Korean's words for prefecture and ward, written onto the name (후쿠시마현, 신주쿠구); no Japanese
# name ends in the sounds they would stand for.
_HANGUL_KIND = re.compile(r"(?<=[\uac00-\ud7a3])[현부구]$")


def hangul_to_romaji(word):
    """The Hepburn readings of a Japanese name written in Hangul, as Korean writes them:
    "하코다테" -> ["hakodate"], "기후" -> ["kifu", "gifu"]. Other characters stay as they are."""
    readings, doubled = [""], False
    for index, char in enumerate(_HANGUL_KIND.sub("", word)):
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            readings, doubled = [reading + char for reading in readings], False
            continue
        initial, vowel, final = code // 588, code % 588 // 28, code % 28
        syllables = []
        for consonant in (_HANGUL_FIRST if index == 0 else _HANGUL_LATER)[initial].split(" "):
            if vowel == _HANGUL_U and initial in _HANGUL_TSU:
                syllable = "tsu"
            elif vowel == _HANGUL_U and consonant in ("j", "z"):
                syllable = "zu"
            else:
                syllable = consonant + _HANGUL_VOWELS[vowel]
                syllable = _HANGUL_SYLLABLES.get(syllable, syllable)
            if doubled and syllable[0] not in "aiueo":
                syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            syllables.append(syllable + ("n" if final in _HANGUL_N else ""))
        doubled = final == _HANGUL_SOKUON
        readings = [r + s for r in readings for s in dict.fromkeys(syllables)]
        readings = readings[:_MOST_READINGS]
    return readings


# Devanagari as Nepali writes Japanese names, each letter by its sound. Nepali's pairs that
# Japanese does not tell apart (त ट, द ड, aspirated or not) are one; ज is both じ and ず, श both
# "s" and "sh" (Nepali says it "s", and writes it for "sh"); Japanese has no "l". A consonant
# with no vowel sign has the vowel "a", except at the end of a word, where Nepali drops it
# (कोनान Konan).
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_DEVANAGARI_CONSONANTS = {
    "क": "k", "ख": "k", "ग": "g", "घ": "g", "ङ": "n", "च": "ch", "छ": "ch", "ज": "j z",
    "झ": "j z", "ञ": "n", "ट": "t", "ठ": "t", "ड": "d", "ढ": "d", "ण": "n", "त": "t",
    "थ": "t", "द": "d", "ध": "d", "न": "n", "प": "p", "फ": "f", "ब": "b", "भ": "b", "म": "m",
    "य": "y", "र": "r", "ल": "r", "व": "w", "श": "s sh", "ष": "s sh", "स": "s", "ह": "h",
}  # fmt: skip
# A dot under a letter (nukta) writes sounds Nepali lacks: ज़ "z", फ़ "f", ड़ a flap like "r".
_DEVANAGARI_NUKTA = {"ज": "z", "फ": "f", "ड": "r", "ढ": "r"}
_DEVANAGARI_VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e", "ऐ": "ai",
    "ओ": "o", "औ": "au", "ऍ": "e", "ऑ": "o",
    # The same vowels as signs on a consonant.
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o",
    "ौ": "au", "ॅ": "e", "ॉ": "o",
}  # fmt: skip
_NUKTA = "\u093c"
# Anusvara and chandrabindu are ん; visarga is no sound of a Japanese name, nor are a virama or
# nukta on no letter.
_DEVANAGARI_MARKS = {"\u0902": "n", "\u0901": "n", "\u0903": "", "\u094d": "", _NUKTA: ""}
# What may follow a consonant and still be part of its syllable: its vowel sign, a virama
# (no vowel), a nukta.
_DEVANAGARI_SIGNS = {char for char in _DEVANAGARI_VOWELS if unicodedata.category(char)[0] == "M"}
_DEVANAGARI_SIGNS |= {"\u094d", _NUKTA}
# Nepali often writes きょ as "kiyo" (टोकियो Tokyo), and a "y" after "ch" or "j" is no sound.
_KIYO = re.compile(r"(?<=[^aiueo])iy(?=[auo])")
_CHY = re.compile(r"(?:(?<=ch)|(?<=j))y(?=[auo])")


def devanagari_to_romaji(word):
    """The romaji readings of a Japanese name written in Devanagari, as Nepali writes them:
    "कुरुमे" -> ["kurume"], "टोकियो" -> ["tokiyo", "tokyo"]. Other characters stay as they are."""
    readings, letter = [""], None  # letter: a consonant (and nukta) waiting for its vowel
    for char in word:
        if letter and char not in _DEVANAGARI_SIGNS:  # no vowel sign: the vowel "a"
            readings, letter = _joined(readings, _sounds(letter), "a"), None
        if char == _NUKTA and letter:
            letter += char
        elif char in _DEVANAGARI_CONSONANTS:
            letter = char
        elif letter:  # its vowel sign, or a virama
            readings = _joined(readings, _sounds(letter), _DEVANAGARI_VOWELS.get(char, ""))
            letter = None
        else:
            vowel = _DEVANAGARI_VOWELS.get(char, _DEVANAGARI_MARKS.get(char, char))
            readings = _joined(readings, [""], vowel)
    if letter:  # Nepali drops a last consonant's "a"
        readings = _joined(readings, _sounds(letter), "")
    readings += [_KIYO.sub("y", reading) for reading in readings]
    return list(dict.fromkeys(_CHY.sub("", reading) for reading in readings))[:_MOST_READINGS]


def _sounds(letter):
    if letter.endswith(_NUKTA):
        return [_DEVANAGARI_NUKTA.get(letter[0], _DEVANAGARI_CONSONANTS[letter[0]].split(" ")[0])]
    return _DEVANAGARI_CONSONANTS[letter].split(" ")


def _joined(readings, sounds, vowel):
    joined = (reading + sound + vowel for reading in readings for sound in sounds)
    return list(dict.fromkeys(joined))[:_MOST_READINGS]


# Burmese as Myanmar writes Japanese names (တိုကျို Tokyo, ဖူကူအိုကာ Fukuoka), syllable by
# syllable: a consonant, its medials, its vowel signs (none is the vowel "a"), and a consonant
# ended by an asat. Letters Japanese does not tell apart (aspirated or not; ရ and လ) are one; ရ
# is also "y", as Burmese says it, ဖ "f" or "p". Tone marks are no sound.
_BURMESE = re.compile(r"[\u1000-\u109f]")
_BURMESE_CONSONANTS = {
    "က": "k", "ခ": "k", "ဂ": "g", "ဃ": "g", "င": "n", "စ": "s", "ဆ": "s", "ဇ": "z", "ဈ": "z",
    "ဉ": "n", "ည": "n", "ဋ": "t", "ဌ": "t", "ဍ": "d", "ဎ": "d", "ဏ": "n", "တ": "t", "ထ": "t",
    "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "f p", "ဗ": "b", "ဘ": "b", "မ": "m", "ယ": "y",
    "ရ": "r y", "လ": "r", "ဝ": "w", "သ": "s", "ဟ": "h", "ဠ": "r", "အ": "",
}  # fmt: skip
# A consonant with the medial ျ or ြ ("y"), or ှ: ကျ is "ky" or "ch" (Burmese says it "ch").
_BURMESE_CLUSTERS = {
    "ကy": "ky ch", "ခy": "ch", "ဂy": "j gy", "ရှ": "sh", "သyှ": "sh", "ယှ": "sh", "လyှ": "sh",
}  # fmt: skip
_BURMESE_MEDIALS = {"\u103b": "y", "\u103c": "y", "\u103d": "", "\u103e": "ှ"}
_BURMESE_VOWELS = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "o", "ဪ": "o"}
_ASAT = "\u103a\u1039"  # a consonant with no vowel (and one stacked on the next)
_BURMESE_SIGNS = "\u102b\u102c\u102d\u102e\u102f\u1030\u1031\u1032\u1036\u1037\u1038"
# Burmese's words for city, township and prefecture, written onto the name (နာဂိုယာမြို့).
_BURMESE_KIND = re.compile(r"(?<=[\u1000-\u109f])(?:မြို့နယ်|မြို့|ခရိုင်|စီရင်စု)$")


def burmese_to_romaji(word):
    """The romaji readings of a Japanese name written in Burmese, as Myanmar writes them:
    "တိုကျို" -> ["tokyo", "tocho"], "ရှင်ဂျူကု" -> ["shinjuku", ...]. Other characters stay."""
    chars, readings, index = _BURMESE_KIND.sub("", word), [""], 0
    while index < len(chars):
        char, index = chars[index], index + 1
        if char not in _BURMESE_CONSONANTS and char not in _BURMESE_VOWELS:
            readings = _joined(readings, [""], "" if char in _ASAT + _BURMESE_SIGNS else char)
            continue
        onset = char
        while index < len(chars) and chars[index] in _BURMESE_MEDIALS:
            onset, index = onset + _BURMESE_MEDIALS[chars[index]], index + 1
        signs = ""
        while index < len(chars) and (
            chars[index] in _BURMESE_SIGNS or (chars[index] in _ASAT and signs)
        ):
            signs, index = signs + chars[index], index + 1
        final = ""
        if index + 1 < len(chars) and chars[index + 1] in _ASAT:
            final, index = chars[index], index + 2
        if char in _BURMESE_VOWELS:
            sounds, vowel = [""], _BURMESE_VOWELS[char]
        else:
            sounds, vowel = _burmese_onset(onset), _burmese_vowel(signs, final)
        # A nasal end is ん, but not after ိုင် ("ai", ကိုင် Kai); a stop is its consonant.
        nasal = "\u1036" in signs or final in "နမငဉ" and final
        end = "n" if nasal and vowel != "ai" else ""
        end = end if nasal else _BURMESE_CONSONANTS.get(final, "").split(" ")[0]
        readings = _joined(readings, sounds, vowel + end)
    return readings


def _burmese_onset(onset):
    cluster = _BURMESE_CLUSTERS.get(onset) or _BURMESE_CLUSTERS.get(onset[0] + onset[1:2])
    if cluster:
        return cluster.split(" ")
    medials = onset[1:].replace("ှ", "")
    return [sound + medials for sound in _BURMESE_CONSONANTS[onset[0]].split(" ")]


def _burmese_vowel(signs, final):
    # ော and ို are "o", ေ and ဲ "e"; no sign is "a", "i" before a final င (ရှင် "shin").
    if "\u1031" in signs and ("\u102c" in signs or "\u102b" in signs):
        return "o"
    if "\u102d" in signs and "\u102f" in signs:
        return "ai" if final == "င" else "o"
    for marks, vowel in (("\u102b\u102c", "a"), ("\u102d\u102e", "i"), ("\u102f\u1030", "u")):
        if any(mark in signs for mark in marks):
            return vowel
    if "\u1031" in signs or "\u1032" in signs:
        return "e"
    return "i" if final in "ငဉည" and final else "a"


def kunrei_to_hepburn(word):
    """A romaji word in Hepburn, read as Kunrei-shiki: "hukusima" -> "fukushima"."""
    return _KUNREI.sub(lambda match: _KUNREI_AS_HEPBURN[match.group(0)], word)


def fold(text):
    """Fold text so spellings meet: NFKC, lower case, no macrons, hiragana, short vowels, no
    characters that are not seen (`_UNSEEN`)."""
    text = to_hiragana(text.translate(_UNSEEN)).lower()
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


def words(query, prefixes=(), places=()):
    """The folded place words of a query; "city", "shi" and the like only when nothing else is
    left, and never words about the service ("Japanese class", "市役所"): see `read_query()`."""
    return read_query(query, prefixes, places)[0]


def read_query(query, prefixes=(), places=(), prefecture=None, municipality=None):
    """(place words, whether the query asks for Japanese classes) of a folded query.

    A word that begins with one of `prefixes` (folded prefecture names, "福島県") is split
    after it, so an address written the Japanese way, "福島県郡山市", is two words. A word that
    begins with one of `places` (folded municipality names, "郡山市") and goes on with a street
    ("郡山市朝日1") is read as that name: see `_place_named()`. A word named as a prefecture
    ("Fukushima-ken") is read as `prefecture` gives it: see `_as_prefectures()`; one named as a
    municipality ("Fukushima City") as `municipality` gives it: see `_as_municipalities()`.
    No kind is read across a comma (",", "、", ";"): "Fukushima, City of Koriyama" names
    Koriyama City, not Fukushima City. Latin letters and Japanese written on each other are two
    words: "Koriyama市".
    """
    split = _SEPARATORS_AND_COMMAS.split(_LATIN_BESIDE_JAPANESE.sub(" ", fold(query or "")))
    parts = [_COMMA if part in _COMMAS else compact(part) for part in split if part]
    parts, classes = _without_phrases([part for part in parts if part])
    read = [_without_service_words(word) for word in parts]
    classes = classes or any(asked for _word, asked in read)
    folded = [
        _place_named(name, places)
        for word, _asked in read
        for part in _split_prefix(word, prefixes)
        for name in _kana_then_kind(part, places)
        if name
    ]
    # A street a comma sets apart goes first: the kind of place after it may be a ward's whose
    # city follows ("1-1 Tenjin, Chuo Ward, Fukuoka"), which `_address_place` would drop.
    folded = _without_street(folded, prefecture)
    address = _address_place(folded)
    if address:
        return address, classes
    folded = _without_district(folded)
    # Municipalities first: the first Fukushima of "thành phố Fukushima, tỉnh Fukushima" is the
    # city its kind before it says, though a prefecture's word (read either side) follows it.
    if municipality is not None:
        folded = _as_municipalities(folded, municipality)
    if prefecture is not None:
        folded = _as_prefectures(folded, prefecture)
    folded = [word for word in folded if word != _COMMA]
    meaningful = [word for word in folded if word not in _NOISE and not word.isdecimal()]
    return meaningful or folded, classes


def _without_district(words):
    """The words without a district named before its kind ("Date-gun Kori-machi", as a residence
    card writes a town), when a place's name is left: a place's key holds its district only in
    kanji (伊達郡桑折町), so the district's name in romaji would find nothing beside it."""
    kept = [word for word, after in pairwise([*words, ""]) if "gun" not in (word, after)]
    return kept if any(word not in _NOISE and not word.isdecimal() for word in kept) else words


def _without_street(words, prefecture=None):
    """The words without the street of an address whose parts a comma ends, as a map writes it
    ("1 Chome-23-7 Asahi, Koriyama, Fukushima 963-8024"): the part holding its street number,
    and the district beside it when that part is the last and holds nothing else ("Fukushima,
    Koriyama, Asahi, 1 Chome-23-7"), when a place's name other than a prefecture's (as
    `prefecture(word, "")` reads it) is left. A district's name ("Asahi") is often a
    municipality's too, and found beside the other it would find nothing."""
    parts = [[]]
    for word in words:
        if word == _COMMA:
            parts.append([])
        else:
            parts[-1].append(word)
    streets = {index for index, part in enumerate(parts) if _holds_a_street_number(part)}
    if len(parts) < 2 or not streets:
        return words
    last = len(parts) - 1
    if last in streets and all(w.isdecimal() or w in _STREET_WORDS for w in parts[last]):
        streets.add(last - 1)
    kept = [
        word for index, part in enumerate(parts) if index not in streets for word in (*part, _COMMA)
    ][:-1]
    names = [word for word in kept if word not in _NOISE and not word.isdecimal()]
    # A prefecture alone left is too little: "Fukushima, Koriyama 1-23-7" names Koriyama.
    if not names or (prefecture is not None and all(prefecture(word, "") for word in names)):
        return words
    return kept


def _holds_a_street_number(part):
    """Whether the words of a part of an address hold a street number ("1-23-7", "1-chōme"),
    not only a postal code ("963-8024": three digits, then four)."""
    words = _POSTAL_CODE_WORDS.sub(" ", f" {' '.join(part)} ").split()
    return any(word.isdecimal() or word in _STREET_WORDS for word in words)


def _as_municipalities(words, municipality):
    """The words, each said to be a municipality's name by the kind beside it ("Fukushima City",
    "City of Fukushima") read with its kind as `municipality(word, ending)` gives it
    ("fukushimashi"), trying each romaji `ending` the kind is read with; a word it gives nothing
    for stays, its kind beside it. A kind after a name is its own: "Koriyama City of Fukushima"."""
    read, index = [], 0
    while index < len(words):
        found = next(
            (
                (named, size)
                for name, endings, size in _kinds_at(words, index)
                for ending in endings
                if (named := municipality(name, ending))
            ),
            None,
        )
        read.append(found[0] if found else words[index])
        index += found[1] if found else 1
    return read


def _kinds_at(words, index):
    """(name, the romaji endings of its kind, how many words they are) for the name a kind of
    municipality at `index` may say: the word there with its kind after it, then the word after
    a kind there."""
    word, after = words[index], words[index + 1 : index + 2]
    if word not in _NOISE and after and after[0] in _MUNICIPALITY_KINDS_AFTER:
        yield word, _MUNICIPALITY_KINDS_AFTER[after[0]], 2
    for kind, endings in _MUNICIPALITY_NAMING_BEFORE.items():
        named = index + len(kind)
        if tuple(words[index:named]) == kind and named < len(words) and words[named] not in _NOISE:
            yield words[named], endings, len(kind) + 1


def _as_prefectures(words, prefecture):
    """The words but "of", each said to be a prefecture's name by a word beside it ("Fukushima-ken",
    "tỉnh Fukushima") or on it (후쿠시마현) as `prefecture(word, kind)` reads it: the folded
    Japanese name of the prefecture it names, of that kind ("県", or "" for any), else None.
    `prefecture(word, None)` reads any other word, which may be such a name whole (ふくしまけん)."""
    # "Prefecture of Fukushima": "of" says nothing.
    said = [word for word in words if word != "of"]
    read = []
    for index, word in enumerate(said):
        before = said[index - 1] if index else ""
        after = said[index + 1] if index + 1 < len(said) else ""
        kind = _PREFECTURE_KINDS_AFTER.get(after)
        if kind is None and (before in _PREFECTURE_NAMING or after in _PREFECTURE_NAMING):
            kind = ""
        hangul = _HANGUL_KIND.search(word)
        if kind is None and hangul:
            kind = _HANGUL_PREFECTURE_KINDS.get(hangul[0])
        read.append(prefecture(word, kind) or word)
    return read or words


def _address_place(words):
    """The words naming the place of an address written in romaji, those before its largest
    kind of place ("koriyama" of "1-23-7 Asahi, Koriyama-shi"); None for words with no street
    number or no such kind, which are no such address."""
    if not any(word.isdecimal() for word in words):
        return None
    for kinds in _ADDRESS_KINDS:
        named = [
            word
            for word, after in pairwise(words)
            if after in kinds and word not in _NOISE and not word.isdecimal()
        ]
        if named:
            return named
    return None


def _without_phrases(parts):
    """The words without the service words of several words among them ("quoc", "te"), and
    whether one of those asked for classes."""
    kept, classes, index = [], False, 0
    while index < len(parts):
        phrase = next(
            (phrase for phrase in _PHRASES if tuple(parts[index : index + len(phrase)]) == phrase),
            None,
        )
        if phrase is None:
            kept.append(parts[index])
            index += 1
        else:
            classes |= _PHRASES[phrase]
            index += len(phrase)
    return kept, classes


def _without_service_words(word):
    """The word without the service words in it, and whether one of them asked for classes."""
    if word in _CLASS or word in _SERVICE:
        return "", word in _CLASS
    classes = False
    # Those written onto its end first, as particles are: "도요하시에서" is 도요하시 and 에서
    # ("at"), not the 시에 ("at the city") of 도요하시시에, which would leave 도요하서.
    while ending := next((p for p in _CUT_OUT_PHRASES if word.endswith(p)), None):
        classes |= ending in _CLASS
        word = word.removesuffix(ending)
    for phrase in _CUT_OUT_PHRASES:
        if phrase in word:
            classes |= phrase in _CLASS
            word = word.replace(phrase, "")
    if word in _CLASS or word in _SERVICE:  # "日本語クラス": what is left is one too
        return "", classes or word in _CLASS
    return word, classes


def _kana_then_kind(word, places):
    """A name in kana followed by its kind in kanji ("とよはし市", "ふくしま県こおりやま市") as
    the names and the kinds, as "Toyohashi City" is read; a place so named ("いわき市") stays."""
    if word in places or not _KANA_THEN_KIND.fullmatch(word):
        return [word]
    return _KIND_KANJI.split(word)


def _place_named(word, places):
    """A word read as the place whose name it begins with, the rest being its street:
    "郡山市朝日1" is "郡山市" (the longest such name: "横浜市鶴見区鶴見中央" is "横浜市鶴見区").
    A word that is a name, or the beginning of one ("東村山", not the village 東村), stays."""
    if word.isascii() or word in places or word in _beginnings(frozenset(places)):
        return word
    return next((word[:end] for end in range(len(word) - 1, 1, -1) if word[:end] in places), word)


@lru_cache(maxsize=4)
def _beginnings(places):
    # Every beginning of every name, made once: each word of each query was otherwise compared
    # with the beginning of every municipality's name.
    return frozenset(name[:end] for name in places for end in range(1, len(name)))


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
    letters also as Hepburn, Chinese characters also as written in Japan, Hangul, Devanagari and
    Burmese as the romaji they may stand for."""
    if _KANA_ONLY.match(word):
        return list(dict.fromkeys([word, compact(kana_to_romaji(word))]))
    if _HANGUL.search(word) or _DEVANAGARI.search(word) or _BURMESE.search(word):
        return romaji_of(word)
    return list(dict.fromkeys([word, kunrei_to_hepburn(word), japanese_form(word)]))


def romaji_of(word):
    """The Hepburn romaji a folded word in Hangul, Devanagari or Burmese may stand for, scripts
    no key holds ("नाहा" -> ["naha"]); any other word as it is."""
    if _HANGUL.search(word):
        return list(dict.fromkeys(compact(reading) for reading in hangul_to_romaji(word)))
    for script, to_romaji in ((_DEVANAGARI, devanagari_to_romaji), (_BURMESE, burmese_to_romaji)):
        if script.search(word):
            return list(dict.fromkeys(kunrei_to_hepburn(compact(r)) for r in to_romaji(word)))
    return [word]


def _read_words(entries):
    # Each entry folded as a query's words are: one word, or a phrase of several ("quoc te").
    read = (tuple(compact(word) for word in _SEPARATORS.split(fold(entry))) for entry in entries)
    return [tuple(word for word in entry if word) for entry in read]


# Where a comma was names nothing either: no kind of place is read as its name.
_NOISE = frozenset({_COMMA, *(word for entry in _read_words(_NOISE_WORDS) for word in entry)})
_PREFECTURE_NAMING = frozenset(entry[0] for entry in _read_words(_PREFECTURE_WORDS))
_MUNICIPALITY_NAMING_BEFORE = dict(
    zip(_read_words(_MUNICIPALITY_KINDS_BEFORE), _MUNICIPALITY_KINDS_BEFORE.values(), strict=True)
)
_CLASS = frozenset(entry[0] for entry in _read_words(CLASS_WORDS) if len(entry) == 1)
_SERVICE = frozenset(entry[0] for entry in _read_words(SERVICE_WORDS) if len(entry) == 1)
# Longest first, so "toa thi chinh" goes whole before "thi chinh" is looked for.
_PHRASES = dict(
    sorted(
        (
            (entry, asked)
            for entries, asked in ((SERVICE_WORDS, False), (CLASS_WORDS, True))
            for entry in _read_words(entries)
            if len(entry) > 1
        ),
        key=lambda item: len(item[0]),
        reverse=True,
    )
)
# Longest first; in one order in every process, whatever its hash seed.
_CUT_OUT_PHRASES = sorted(
    (word for word in _CLASS | _SERVICE if _CUT_OUT.match(word)),
    key=lambda word: (-len(word), word),
)
