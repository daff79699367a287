"""Validators shared by the models, the forms and the importers."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.utils import formats
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import dates
from .importexport.plain import plain_width
from .phones import SEPARATORS, in_japan

# Only web links: a javascript:, data: or ftp: URL is refused wherever a URL is entered.
validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://.")
)

CODE_WEIGHTS = (6, 5, 4, 3, 2)


def local_government_check_digit(first_five):
    """Return the check digit of a local government code from its first five digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, CODE_WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def validate_local_government_code(value):
    """Refuse anything but six digits whose last is the check digit of the first five."""
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A local government code is six digits."), code="format")
    if local_government_check_digit(value[:5]) != value[5]:
        raise ValidationError(
            _("%(code)s has a wrong check digit: expected %(digit)s."),
            code="check_digit",
            params={"code": value, "digit": local_government_check_digit(value[:5])},
        )


def validate_desk_of_city(department, city_id):
    """Refuse a class link's desk of another city: the city page lists a class under its own
    desks, so the class would show on no page."""
    if department is not None and department.city_id != city_id:
        raise ValidationError(
            {
                "department": ValidationError(
                    _("This desk belongs to %(city)s. Choose a desk of the class's own city."),
                    code="other_city",
                    params={"city": department.city},
                )
            }
        )


def normalize_email(value):
    """Turn the published `name[at]host` form, and full-width letters and ＠ as a Japanese
    keyboard types them, into an address; leave others as they are."""
    return plain_width(value).strip().replace("[at]", "@")


# Characters that show as nothing in a name or address yet change how it reads or matches: a
# byte-order mark left in mid-text by files joined together, and the bidirectional embeddings,
# overrides and isolates that can show a name reversed (CVE-2021-42574). Text of several lines
# keeps them: a visitor's message pasted from a chat may hold isolates they cannot see.
INVISIBLE = "\ufeff\u202a-\u202e\u2066-\u2069"
# C0 controls, DEL and C1 controls: terminal escapes (ESC), bells and the like, which no name or
# address holds and which would reach staff's screens, spreadsheets and terminals as they are;
# and the invisible characters above.
CONTROL_CHARACTER = re.compile(rf"[\x00-\x1f\x7f-\x9f{INVISIBLE}]")
# Text of several lines keeps its tabs and line breaks (a browser sends CR LF).
CONTROL_CHARACTER_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Those a visitor's text may hold from a PDF or a chat, unseen: NUL is no such paste, and stays
# refused (Django's own check, and config.middleware before it).
PASTED_CONTROL_CHARACTER = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The controls that end a line or a page, as Python's `str.splitlines` reads them.
_LINE_ENDING = "\x0b\x0c\x1c\x1d\x1e\x85"


def as_layout(text):
    """The text with each control character pasted into it (`PASTED_CONTROL_CHARACTER`) as what
    it shows as: a line break for one that ends a line or a page (a PDF's \\x0b, \\x0c), else a
    space. Neither reaches staff's screens, spreadsheets or terminals as a control."""
    return PASTED_CONTROL_CHARACTER.sub(
        lambda found: "\n" if found[0] in _LINE_ENDING else " ", text
    )


def visible(value, length=40):
    """The value shortened for a message, each control character written as <U+XXXX>."""
    shown = CONTROL_CHARACTER.sub(lambda match: f"<U+{ord(match[0]):04X}>", value)
    return Truncator(shown).chars(length)


def _refuse_control_characters(value, pattern):
    found = pattern.search(value)
    if found and found[0] in "\r\n":
        # What a clerk typed with Alt+Enter in an Excel cell: named as they know it.
        raise ValidationError(
            _("“%(value)s” is on more than one line: write it on one line (no line breaks)."),
            code="line_break",
            params={"value": visible(value)},
        )
    if found:
        raise ValidationError(
            _("“%(value)s” contains a control character (%(character)s)."),
            code="control_character",
            params={"value": visible(value), "character": f"U+{ord(found[0]):04X}"},
        )


def validate_single_line_text(value):
    """Refuse control characters, tab and line breaks included, in a name, label or address."""
    _refuse_control_characters(value, CONTROL_CHARACTER)


def validate_multi_line_text(value):
    """Refuse control characters other than tab and line breaks in text of several lines."""
    _refuse_control_characters(value, CONTROL_CHARACTER_BUT_LAYOUT)


class NotLessThan(MinValueValidator):
    """Django's minimum, with a message that names the value refused."""

    message = _("%(value)s is less than %(limit_value)s, the smallest number allowed here.")


class NotMoreThan(MaxValueValidator):
    """Django's maximum, with a message that names the value refused."""

    message = _("%(value)s is more than %(limit_value)s, the largest number allowed here.")


# PostgreSQL's smallint, which SQLite does not enforce: bounded the same on both, so a file
# exported from one imports into the other. Being Min/MaxValueValidators, they stand in for the
# bounds Django would add from the database's range.
small_number_validators = [NotLessThan(0), NotMoreThan(32767)]


def validate_postal_code(value):
    """Refuse a postal code not written NNN-NNNN (the form normalises what staff type)."""
    from .postal_codes import is_well_formed

    if not is_well_formed(value):
        raise ValidationError(
            _("“%(value)s” is not a postal code: write seven digits as 963-8024."),
            code="postal_code",
            params={"value": visible(value)},
        )


# A field of languages: its help, in the forms and the import's template, and its one refusal.
LANGUAGES_HELP = _(
    "The languages, by name or code, separated by commas: 英語, ベトナム語 or en, vi. Kept as "
    "codes."
)
NOT_A_LANGUAGE = _(
    "“%(value)s” is not a language: write its name or its code, as 英語 or en, separated by commas."
)


def validate_extension(value):
    """Refuse an extension that is not digits 0-9 (`phones.read_extension` has taken off 内線 or
    ext. before it)."""
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(
            _(
                "“%(value)s” is not an extension: write its digits 0–9, alone or after 内線 or "
                "ext. (123, 内線123 or ext. 123)."
            ),
            code="extension",
            params={"value": visible(value)},
        )


def held_range():
    """The first and last dates the directory holds (`dates.held`), as the user's language
    writes dates: what the status date's error and help text name."""
    return {
        "first": formats.date_format(dates.FIRST_DAY),
        "last": formats.date_format(dates.LAST_DAY),
    }


def _held_range_help():
    return _("A date from %(first)s to %(last)s.") % held_range()


# Help text for a date `validate_held_date` checks: the range it accepts, in the user's
# language when the form is shown, so staff need not learn it from an error.
HELD_RANGE_HELP = lazy(_held_range_help, str)()


def validate_held_date(value):
    """Refuse a date the directory does not hold (`dates.held`: 2000 to 2099), naming the
    range in the user's language: the admin's and the import's one rule."""
    if not dates.held(value):
        raise ValidationError(
            _("%(date)s is out of range: enter a date from %(first)s to %(last)s."),
            code="date_range",
            params={"date": formats.date_format(value), **held_range()},
        )


INTERNATIONAL = phonenumbers.PhoneNumberFormat.INTERNATIONAL
# One wording for a number abroad and for what is no number at all: staff mean one in Japan.
NOT_A_PHONE_IN_JAPAN = _(
    "“%(number)s” is not a phone number in Japan: enter one such as 024-924-0000."
)


def validate_phone_number(value):
    """Refuse what is not a phone number, naming it as typed: phonenumber_field's own message
    names neither the value nor has a Japanese translation."""
    if isinstance(value, phonenumbers.PhoneNumber) and not phonenumbers.is_valid_number(value):
        # An invalid number's str() is what was typed (its raw input).
        raise ValidationError(
            NOT_A_PHONE_IN_JAPAN, code="phone_number", params={"number": visible(str(value))}
        )


def validate_phone_in_japan(value):
    """Refuse a valid number outside Japan: a desk's numbers are written, exported and imported
    as dialled in Japan, where +1 202-555-0100 would read as 020-2555-0100."""
    if not isinstance(value, phonenumbers.PhoneNumber) or not phonenumbers.is_valid_number(value):
        return  # no number, or not one at all: the field's own validator says so
    if not in_japan(value):
        raise ValidationError(
            NOT_A_PHONE_IN_JAPAN,
            code="phone_outside_japan",
            params={"number": phonenumbers.format_number(value, INTERNATIONAL)},
        )


def validate_phone_label(value):
    """Refuse a phone's label holding ";" or "；", which separate the numbers of an import's
    cell: its export could not be imported back."""
    found = next((character for character in value if character in SEPARATORS), None)
    if found:
        raise ValidationError(
            _(
                "“%(value)s” contains “%(character)s”, which separates phone numbers in an "
                "import file: write the label without it."
            ),
            code="phone_separator",
            params={"value": visible(value), "character": found},
        )
