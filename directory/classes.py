"""A Japanese class's structured details: their choices, checks, and how they read on a page."""

import re
from urllib.parse import urlsplit

from babel.lists import format_list
from babel.numbers import format_currency
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import addresses, hours, ranges, spoken_languages
from .validators import NOT_A_LANGUAGE, visible


class Attendance(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    BOTH = "both", _("In person and online")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    ALL = "all", _("All levels")


class Audience(models.TextChoices):
    ADULTS = "adults", _("Adults")
    CHILDREN = "children", _("Children")
    PARENTS = "parents", _("Parents and children")


class Status(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


def today():
    """Today's date in Japan, where every listed class meets."""
    return hours.tokyo_now().date()


def ended(on=None):
    """The one rule of whether a class has ended, as a condition on class links: its status is
    "ended" and its date, if staff gave one, has passed in Japan (`on`, today by default).

    A class that ends on a later date (or today) still runs until then, and a paused one may
    start again: neither has ended. Every count, filter, page and export asks this, through
    `ClassLinkQuerySet.running()` or the `ended` that `.with_ended()` gives each link.
    """
    return models.Q(status=Status.ENDED) & (
        models.Q(status_date__isnull=True) | models.Q(status_date__lt=on or today())
    )


class LinkKind(models.TextChoices):
    PAGE = "page", _("Web page")
    PDF = "pdf", _("PDF")
    IMAGE = "image", _("Image")


# iCalendar's day codes (RFC 5545 BYDAY), which HSDS schedules use too; Monday first, as babel.
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def detect_link_kind(url):
    """What a URL points to when its path makes it obvious (a .pdf, a .jpg...), else a page."""
    path = urlsplit(url or "").path.lower()
    if path.endswith(".pdf"):
        return LinkKind.PDF
    if path.endswith(_IMAGE_SUFFIXES):
        return LinkKind.IMAGE
    return LinkKind.PAGE


# --- Languages of support: ISO 639 codes, named by babel (CLDR) in every page language ---


def validate_language_codes(codes):
    """Every item a known ISO 639 code; the error names the first unknown one."""
    # Not code "invalid": a JSONField would show its own "Value must be valid JSON." instead.
    if not isinstance(codes, list):
        raise ValidationError(_("Give a list of language codes."), code="language_code")
    for code in codes:
        if not isinstance(code, str) or code not in spoken_languages.known_codes():
            # Cut short and control characters written out, as the desk's field names a word.
            shown = visible(str(code))
            raise ValidationError(NOT_A_LANGUAGE, code="language_code", params={"value": shown})


def validate_weekdays(days):
    """Every item one of MO, TU, WE, TH, FR, SA, SU."""
    if not isinstance(days, list) or any(day not in WEEKDAYS for day in days):
        raise ValidationError(_("Choose days of the week."), code="weekdays")


class LanguageCodesFormField(forms.CharField):
    """Languages typed as "vi, en, pt" or "ベトナム語、英語"; kept as codes, once each, in order."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    # Checked by the model field's validator, as every other field is.
    def to_python(self, value):
        return value if isinstance(value, list) else spoken_languages.split_codes(value or "")


class LanguageCodesField(models.JSONField):
    """A list of ISO 639 codes (JSON, so it reads the same on SQLite and PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_language_codes])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return LanguageCodesFormField(
            required=not self.blank, label=capfirst(self.verbose_name), help_text=self.help_text
        )


class WeekdaysField(models.JSONField):
    """Days of the week as RFC 5545 codes ["MO", "TH"], chosen with checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_weekdays])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=lambda: list(zip(WEEKDAYS, weekday_names(), strict=True)),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )


# --- How the details read on a page ---


def weekday_names():
    """Monday to Sunday in the page's language, e.g. "Monday", "月曜日", "げつようび": our
    catalogue's, as the desks' hours on the same page name them (CLDR's Nepali spells Thursday
    "बिहिबार", our catalogue "बिहीबार")."""
    from .models import Weekday

    return [str(day.label) for day in Weekday]


def when(link):
    """Days and times, e.g. "Monday and Thursday 18:30–20:30", as HTML whose time range a line
    does not break inside (`ranges.unbroken`); "" when neither is known."""
    # Whole names, as desks' hours write them: "Sel" and "Kam" are read out as words.
    named = zip(WEEKDAYS, weekday_names(), strict=True)
    days = [name for day, name in named if day in link.weekdays]
    parts = [format_list(days, locale=spoken_languages.babel_locale())] if days else []
    if link.starts_at and link.ends_at:
        parts.append(ranges.unbroken([ranges.times(link.starts_at, link.ends_at)]))
    elif link.starts_at:
        parts.append(f"{link.starts_at:%H:%M}")
    return format_html_join(" ", "{}", ((part,) for part in parts))


def fee(link):
    """ "Free", an amount in yen in the page's way of writing it, or "" when not known."""
    if link.fee is None:
        return ""
    if link.fee == 0:
        return gettext("Free")
    return format_currency(link.fee, "JPY", locale=spoken_languages.babel_locale())


def audience(link):
    """Who the class is for and whether children are looked after, e.g. "Adults · Childcare
    available"."""
    parts = [link.get_audience_display()] if link.audience else []
    if link.childcare is True:
        parts.append(gettext("Childcare available"))
    elif link.childcare is False:
        parts.append(gettext("No childcare"))
    return " · ".join(str(part) for part in parts)


def languages(link):
    """The languages of support, named and listed as the page's language lists them (CLDR):
    "Vietnamese, English, and Nepali", 「越南语、英语和尼泊尔语」, as HTML in which a line does not
    break inside a name ("Tiếng | Việt")."""
    names = [spoken_languages.name_in(code) for code in link.languages]
    listed = format_list(names, locale=spoken_languages.babel_locale()) if names else ""
    return ranges.with_units(listed, names)


def status(link):
    """ "Running", "Paused since 1 April 2026", "Ended on ...", "Ends on ..." for a class
    that has not ended yet, as HTML whose date a line does not break inside; "" when not known.
    `link` carries `ended` (`with_ended()`)."""
    if not link.status:
        return ""
    if not link.status_date:
        return str(link.get_status_display())
    # A box, not no-break spaces: a date wider than the line ("31 tháng 12 năm 2026" at twice
    # the text size) may still wrap inside it rather than push the page sideways.
    date = formats.date_format(link.status_date, "DATE_FORMAT")
    messages = {
        Status.RUNNING: gettext("Running since %(date)s"),
        Status.PAUSED: gettext("Paused since %(date)s"),
        Status.ENDED: gettext("Ended on %(date)s") if link.ended else gettext("Ends on %(date)s"),
    }
    return ranges.with_units(messages[link.status] % {"date": date}, [date])


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def text_language(text):
    """ "ja" for staff text written in Japanese script, so it is read in a Japanese voice on a
    page in another language; "" for any other text, which carries no mark."""
    return "ja" if _JAPANESE.search(text or "") else ""


def title(link):
    """The name on the class's button: its name, else its provider, else "Japanese class"."""
    return link.name or link.label or gettext("Japanese class")


def facts(link):
    """What a class card shows under its link: [(label, [(text, lang)])], known details only.

    Structured values are in the page's language (no `lang`); staff text keeps its own.
    """

    def staff(text):
        return (text, text_language(text))

    rows = [
        (gettext("Run by"), [staff(link.label)] if link.name and link.label else []),
        (gettext("When"), [(when(link), ""), staff(link.schedule_note)]),
        # The venue is an address: a line breaks around its numbers (2階, 1-2-3), not inside.
        (
            gettext("Where"),
            [
                (link.get_attendance_display(), ""),
                (addresses.numbers_unbroken(link.venue), text_language(link.venue)),
            ],
        ),
        (gettext("Fee"), [(fee(link), "")]),
        (gettext("Level"), [(link.get_level_display(), "")]),
        (gettext("Who it is for"), [(audience(link), "")]),
        (gettext("Support in"), [(languages(link), "")]),
        (gettext("How to sign up"), [staff(link.sign_up)]),
        (gettext("Status"), [(status(link), "")]),
    ]
    known = ((label, [(str(text), lang) for text, lang in parts if text]) for label, parts in rows)
    return [(label, parts) for label, parts in known if parts]
