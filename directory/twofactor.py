"""Two-factor sign-in for staff: who must use it, enrolment, and checking a code.

The devices are django-otp's: a TOTP device (an authenticator app) and a static device holding
the recovery codes. A session is verified once `django_otp.login` has recorded the device that
accepted a code; `django_otp.middleware.OTPMiddleware` reads it back on every request.
"""

import re
from base64 import b32encode

import django_otp
import segno
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import edits_every_city

RECOVERY_CODE_COUNT = 10
# Stored device names; the admin names a device by its kind and owner instead (the proxies below).
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# An authenticator app shows six digits; recovery codes are eight letters and digits.
_APP_CODE = re.compile(r"\d{6}")


class AuthenticatorApp(TOTPDevice):
    """A TOTP device under the name staff know it by; the admin lists these to superusers."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")
        # Managed by superusers alone (admin.SuperuserOnlyMixin): nothing to grant.
        default_permissions = ()

    def __str__(self):
        return _("authenticator app of %(user)s") % {"user": self.user}


class RecoveryCodes(StaticDevice):
    """A static device, holding one user's recovery codes, under the name staff know it by."""

    class Meta:
        proxy = True
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")
        default_permissions = ()

    def __str__(self):
        return _("recovery codes of %(user)s") % {"user": self.user}


def requires_two_factor(user):
    """Directory editors and superusers must use a second factor, and anyone who turned it on."""
    return edits_every_city(user) or django_otp.user_has_device(user)


def needs_second_step(user):
    """True while a signed-in user who must use a second factor has not given a code yet."""
    # The session's device is already loaded; the rule may need a query or two.
    return not user.is_verified() and requires_two_factor(user)


def has_app(user):
    """Whether the user has a confirmed authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_app(user):
    """The unconfirmed authenticator app being enrolled, kept so a reload shows the same QR code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code(device):
    """The app's setup address as a QR code in an SVG data URI (the CSP allows `data:` images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def secret_for_typing(device):
    """The app's secret in base32, in groups of four, for people who cannot scan the QR code."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def normalise(code):
    """A code as typed, without the spaces and hyphens people add, in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def confirm_app(device, code):
    """Confirm an enrolling app with its first code; return the new recovery codes, or None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(device.user)


def new_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones, each good for one sign-in."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    """How many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def device_for_code(user, code):
    """The confirmed device a code belongs to, told apart by its shape, or None."""
    model = TOTPDevice if _APP_CODE.fullmatch(code) else StaticDevice
    return model.objects.devices_for_user(user, confirmed=True).first()
