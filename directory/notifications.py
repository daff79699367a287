"""E-mail to staff: a new problem report to its city's editors, and the weekly digest.

Each message is written in its recipient's language (`email_language`) and sent to them alone,
so nobody sees another's address; a mail server that fails is logged, never raised.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import NEWLY_BROKEN_DAYS, City, ClassLink, Department, LinkCheck, email_language
from .roles import DIRECTORY_EDITORS

logger = logging.getLogger(__name__)

# A city nobody confirmed for this long is listed in its editors' digest.
UNVERIFIED_DAYS = 365


# --- Who hears of what ---


def reachable(users):
    """Those of `users` who can be mailed: active staff with an address, in a stable order."""
    return users.filter(is_active=True, is_staff=True).exclude(email="").order_by("pk")


def city_editors(city):
    """The editors assigned to `city` who can be mailed."""
    return reachable(get_user_model().objects.filter(assigned_cities__city=city))


def directory_editors():
    """Members of "Directory editors" who can be mailed; the superusers only when there are none,
    so that a report or a digest always reaches someone who can act on it."""
    users = get_user_model().objects
    editors = reachable(users.filter(groups__name=DIRECTORY_EDITORS))
    return editors if editors.exists() else reachable(users.filter(is_superuser=True))


def digest_recipients():
    """Who may get a digest: every city editor with a city, and the directory editors."""
    users = get_user_model().objects
    return reachable(
        users.filter(
            Q(pk__in=users.filter(assigned_cities__isnull=False).values("pk"))
            | Q(pk__in=directory_editors().values("pk"))
        )
    )


# --- Writing and sending ---


def absolute(path):
    """`path` on this site, as a link that works from an e-mail."""
    return f"{settings.SITE_URL}{path}"


def change_url(record):
    """The admin page where staff change `record`, as a link that works from an e-mail."""
    return absolute(reverse(admin_urlname(record._meta, "change"), args=[record.pk]))


def message_to(user, template, context):
    """One e-mail to `user` in their language, from `template`_subject.txt and `template`.txt;
    `context(user)` is called in that language, so names and labels come out in it."""
    with translation.override(email_language(user)):
        values = {"user": user, "site_url": settings.SITE_URL, **context(user)}
        subject = " ".join(render_to_string(f"{template}_subject.txt", values).split())
        body = render_to_string(f"{template}.txt", values)
    return EmailMessage(subject, body, to=[user.email])


def send_each(messages):
    """Send each message on one connection to the mail server; return how many were sent.

    A message the server refuses, or a server that cannot be reached, is logged and skipped."""
    if not messages:
        return 0
    sent = 0
    try:
        with get_connection() as connection:
            for message in messages:
                try:
                    sent += connection.send_messages([message])
                except Exception:
                    logger.exception("E-mail %r to %s not sent", message.subject, message.to)
    except Exception:
        logger.exception("Mail server unreachable: %d of %d e-mails sent", sent, len(messages))
    return sent


# --- A new problem report ---


def report_message(report, user, fallback=False):
    """The e-mail telling `user` of `report`; `fallback` when the city has no editor of its own."""

    def context(user):
        return {
            "report": report,
            "city_name": str(report.city),
            "kind": report.get_kind_display(),
            "report_url": change_url(report),
            "page_url": absolute(report.city.get_absolute_url()),
            "fallback": fallback,
        }

    return message_to(user, "staff_email/problem_report", context)


def notify_new_report(report):
    """E-mail the report's city's editors about it, or the directory editors if it has none;
    return how many e-mails were sent."""
    editors = city_editors(report.city)
    fallback = not editors.exists()
    users = directory_editors() if fallback else editors
    return send_each([report_message(report, user, fallback) for user in users])


# --- The weekly digest ---


@dataclass
class Digest:
    """What one editor's digest lists, in their cities: (desk or class, its LinkCheck) pairs and
    cities."""

    broken: list
    unverified: list

    def __bool__(self):
        return bool(self.broken or self.unverified)


def digest_for(user):
    """`user`'s digest: links of their cities that broke lately (LinkCheck.newly_broken), and
    their cities nobody confirmed for a year. Desks and classes have no date of their own."""
    cities = City.objects.editable_by(user)
    checks = {check.url: check for check in LinkCheck.objects.newly_broken()}
    broken = [
        (record, checks[record.url])
        for model in (Department, ClassLink)
        for record in model.objects.filter(city__in=cities, url__in=checks).select_related("city")
    ]
    broken.sort(key=lambda pair: (pair[0].city.code, pair[0]._meta.model_name, pair[0].pk))
    unverified = list(cities.not_verified_since(UNVERIFIED_DAYS).order_by("code"))
    return Digest(broken=broken, unverified=unverified)


def digest_message(user, digest):
    """The e-mail carrying `digest` to `user`."""

    def context(user):
        return {
            "broken": [
                {
                    "city_name": str(record.city),
                    "kind": record._meta.verbose_name,
                    "name": str(record),
                    "url": record.url,
                    "problem": check.get_error_display(),
                    "status": check.status_code,
                    "since": check.broken_since,
                    "admin_url": change_url(record),
                }
                for record, check in digest.broken
            ],
            "unverified": [
                {
                    "city_name": str(city),
                    "last_verified": city.last_verified,
                    "admin_url": change_url(city),
                }
                for city in digest.unverified
            ],
            "days_broken": NEWLY_BROKEN_DAYS,
        }

    return message_to(user, "staff_email/digest", context)


def send_digests(dry_run=False):
    """Send each digest recipient their digest, unless it would be empty.

    Return [(user, digest)] for every recipient, empty digests included, and how many were sent."""
    digests = [(user, digest_for(user)) for user in digest_recipients()]
    if dry_run:
        return digests, 0
    return digests, send_each([digest_message(user, digest) for user, digest in digests if digest])
