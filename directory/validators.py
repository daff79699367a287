"""Validators shared by the models, the forms and the importers."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

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


def normalize_email(value):
    """Turn the published `name[at]host` form into an address; leave others as they are."""
    return value.strip().replace("[at]", "@")
