"""A desk's phone numbers in one line of text, as staff type them in a spreadsheet's cell.

Plain Python (no Django). Numbers are separated by ";" or "；" (or a line break), each written
`label: number ext. 123`, label and extension optional: `代表: 024-924-0000; 相談: 024-924-0001
内線 123`. The extension may be written `ext.`, `内線` or `x`; numbers are read as Japanese ones
(phonenumbers, region JP) and kept in international form (E.164); a number outside Japan is
refused. Full-width digits and signs are read as the plain ones in the number and extension; a
label is kept as written, and may hold a colon of either width but no separator, nor a number
(two numbers with no ";" between them are refused). A label with no
colon is the text before the number (`FAX 024-924-0009`).
"""

import re
from dataclasses import dataclass

import phonenumbers

from .importexport.plain import plain_width

REGION = "JP"
# At the end, read on the plain-width text: "内線 123", "内線：123", "(内線12)", "ext.5", "x 5".
_EXTENSION = re.compile(
    r"\s*\(?\s*(?<![a-z])(?:ext\.?|内線|x)\s*:?\s*(\d+)\s*\)?\s*$", re.IGNORECASE
)
# Either width, as a Japanese keyboard types them: a label cannot hold a separator.
SEPARATORS = ";；"
_SEPARATORS = re.compile(f"[{SEPARATORS}\n]")
# The label's colon is the last one before the number: a number has none, a label may.
_LABEL_END = re.compile(r"^(.*)[:：]")
# Without a colon, the label is what comes before the number: "FAX 024-924-0009".
_NUMBER_START = re.compile(r"[0-9+(]")


@dataclass(frozen=True)
class Phone:
    """One number: `number` in E.164 (+81...), its extension's digits and its label."""

    number: str
    extension: str = ""
    label: str = ""


class PhoneError(ValueError):
    """A number phonenumbers does not read as a Japanese one; `number` is what was written."""

    def __init__(self, number):
        self.number = number
        super().__init__(f'"{number}" is not a phone number in Japan: write e.g. 024-924-0000.')


class TwoNumbers(PhoneError):
    """Two numbers written in one part, without ";" between them; `number` is that part."""

    def __init__(self, part):
        super().__init__(part)
        self.args = (f'"{part}" holds two phone numbers: put ";" between them.',)


def parse_phones(text):
    """The phones in `text` in the order written (see the module's docstring for the form)."""
    phones = []
    for part in (part.strip() for part in _SEPARATORS.split(text or "")):
        if not part:
            continue
        plain = plain_width(part)  # one character for one: positions in it are the part's
        found = _EXTENSION.search(plain)
        end = found.start() if found else len(part)
        labelled = _LABEL_END.match(part, 0, end)
        if labelled:
            start = labelled.end()
        else:
            first = _NUMBER_START.search(plain, 0, end)
            start = first.start() if first else 0
        label, number = part[:start].removesuffix(":").removesuffix("："), plain[start:end].strip()
        if _holds_a_number(label):
            # "代表: 0138-21-0000、相談: 0120-123-456": the first number would be kept as the
            # label of the second, and look right in a preview that writes it back as typed.
            raise TwoNumbers(part.strip())
        try:
            parsed = phonenumbers.parse(number, REGION)
        except phonenumbers.NumberParseException:
            raise PhoneError(number) from None
        if not phonenumbers.is_valid_number(parsed) or parsed.extension or not in_japan(parsed):
            raise PhoneError(number)
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        phones.append(Phone(e164, found[1] if found else "", label.strip()))
    return phones


def split_extension(text):
    """A number typed with its extension after it, as `parse_phones` reads one ("024-924-0000
    内線123"): (the number's text, the extension's digits); ("...", "") without one."""
    plain = plain_width(text or "")
    found = _EXTENSION.search(plain)
    if not found or not found.start():
        return text, ""
    return text[: found.start()], found[1]


def read_extension(text):
    """An extension typed alone, as `parse_phones` reads one after a number ("内線123",
    "内線 １２３", "ext. 5"): its digits. Anything else is returned as typed, plain width, for the
    extension's validator to refuse."""
    plain = plain_width(text).strip()
    found = _EXTENSION.search(plain)
    return found[1] if found and found.start() == 0 else plain


def _holds_a_number(text):
    """Whether text (a label) holds a phone number in Japan."""
    found = phonenumbers.PhoneNumberMatcher(plain_width(text), REGION)
    return any(in_japan(match.number) for match in found)


def tel_uri(number, extension=""):
    """The tel: link a phone dials: E.164, with the extension (RFC 3966)."""
    return f"tel:{number};ext={extension}" if extension else f"tel:{number}"


def tel_uri_of(text):
    """The tel: link of one number as staff wrote it ("03-6258-1210 内線 12"), or "" when the
    text is not one number in Japan (then it is shown, not linked)."""
    try:
        found = parse_phones(text)
    except PhoneError:
        return ""
    return tel_uri(found[0].number, found[0].extension) if len(found) == 1 else ""


def read_number(text):
    """One number in Japan, as typed in a search box ("024-924-0000", full width, "+81 24 924
    0000", or copied with its label, "電話：024-924-0000"): its E.164 form, or None when the text
    is not that."""
    try:
        found = parse_phones(text)
    except PhoneError:
        return None
    return found[0].number if len(found) == 1 else None


# A number as said within its area, without the area code: "924-1111" (exchange and line).
_LOCAL_NUMBER = re.compile(r"(\d{2,4})-(\d{4})")


def local_digits(text):
    """The digits of a number typed without its area code, "924-1111" (full width too), which
    end the whole number's: "9241111"; None for any other text."""
    found = _LOCAL_NUMBER.fullmatch(plain_width(text).strip())
    return found[1] + found[2] if found else None


def in_japan(number):
    """Whether a parsed number (phonenumbers') is one in Japan, +81: the only ones a desk has."""
    return number.country_code == phonenumbers.country_code_for_region(REGION)


def national(number):
    """An E.164 number as written in Japan, e.g. +81249240000 -> 024-924-0000. One outside Japan
    (saved before they were refused) keeps its country code, +1 202-555-0100: shown as dialled,
    and named by an import rather than read as another, Japanese, number."""
    parsed = phonenumbers.parse(number, REGION)
    form = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(
        parsed, form.NATIONAL if in_japan(parsed) else form.INTERNATIONAL
    )


def format_phones(phones, extension_word="ext."):
    """The text `parse_phones` reads, numbers in the Japanese form, e.g. `代表: 024-924-0000`;
    `extension_word` is "ext." or "内線"."""
    parts = []
    for phone in phones:
        text = national(phone.number)
        if phone.label:
            text = f"{phone.label}: {text}"
        if phone.extension:
            text = f"{text} {extension_word} {phone.extension}"
        parts.append(text)
    return "; ".join(parts)
