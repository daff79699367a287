"""A desk's phone numbers in one line of text, as staff type them in a spreadsheet's cell.

Plain Python (no Django). Numbers are separated by ";" (or a line break), each written
`label: number ext. 123`, label and extension optional: `代表: 024-924-0000; 相談: 024-924-0001
内線 123`. The extension may be written `ext.`, `内線` or `x`; numbers are read as Japanese ones
(phonenumbers, region JP) and kept in international form (E.164).
"""

import re
from dataclasses import dataclass

import phonenumbers

REGION = "JP"
_EXTENSION = re.compile(r"\s*(?:ext\.?|内線|x)\s*(\d+)\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[;\n]")


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


def parse_phones(text):
    """The phones in `text` in the order written (see the module's docstring for the form)."""
    phones = []
    for part in (part.strip() for part in _SEPARATORS.split(text or "")):
        if not part:
            continue
        label, _colon, rest = part.rpartition(":")  # no colon: no label, all of it the rest
        found = _EXTENSION.search(rest)
        number = (rest[: found.start()] if found else rest).strip()
        try:
            parsed = phonenumbers.parse(number, REGION)
        except phonenumbers.NumberParseException:
            raise PhoneError(number) from None
        if not phonenumbers.is_valid_number(parsed) or parsed.extension:
            raise PhoneError(number)
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        phones.append(Phone(e164, found[1] if found else "", label.strip()))
    return phones


def national(number):
    """An E.164 number as written in Japan, e.g. +81249240000 -> 024-924-0000."""
    parsed = phonenumbers.parse(number, REGION)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


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
