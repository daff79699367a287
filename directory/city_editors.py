"""Adding a city editor: the account, its group and cities, and the e-mail that asks the new
editor to set a password (Django's password-reset token, so the same link form as a reset)."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import CityEditor, StaffProfile
from .notifications import message_to
from .roles import CITY_EDITORS, ensure_groups
from .validators import normalize_email


class EmailTaken(Exception):
    """Another account already has the e-mail address."""


def email_taken(email):
    """Whether an account already has `email` as its address or user name, in any case and
    whatever the width of its letters (the user name is made of it as `create_user` makes it)."""
    email = normalize_email(email)
    name = User.normalize_username(email)
    taken = Q(email__iexact=email) | Q(username__iexact=email) | Q(username__iexact=name)
    return User.objects.filter(taken).exists()


def city_editors_group():
    """The "City editors" group, made again with its permissions if someone deleted it."""
    group = Group.objects.filter(name=CITY_EDITORS).first()
    if group is None:
        ensure_groups()
        group = Group.objects.get(name=CITY_EDITORS)
    return group


def add_city_editor(*, name, email, cities, base_url, language="", invited_by=None):
    """Make a city editor of `cities` and e-mail them a link to set their password.

    All or nothing: if the e-mail cannot be sent, no account is left behind. `base_url` is
    the site's address (scheme and host) the link starts with.
    """
    # ｂｏｓｓ＠example.jp is boss@example.jp: one person, one account.
    email = normalize_email(email)
    with transaction.atomic():
        if email_taken(email):
            raise EmailTaken(email)
        # The e-mail address is the user name: one a person does not forget.
        user = User.objects.create_user(email, email=email, first_name=name, is_staff=True)
        user.groups.add(city_editors_group())
        CityEditor.objects.bulk_create(CityEditor(user=user, city=city) for city in cities)
        if language:
            StaffProfile.objects.create(user=user, language=language)
        send_invitation(user, cities, base_url, invited_by)
    return user


def set_password_url(user, base_url):
    """The address where `user` chooses a password, valid as long as a password-reset link."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def send_invitation(user, cities, base_url, invited_by=None):
    """E-mail `user`, in their language, the cities they keep and the link to set a password."""

    def context(user):
        return {
            "name": user.first_name or user.get_username(),
            "username": user.get_username(),
            # Named by the template, so in the e-mail's language.
            "cities": cities,
            "invited_by": (invited_by.get_full_name() or invited_by.get_username())
            if invited_by
            else "",
            "link": set_password_url(user, base_url),
            "login_url": base_url.rstrip("/") + reverse("admin:login"),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }

    message_to(user, "admin/directory/email/city_editor_invitation", context).send()
