"""A desk's details as the public pages word them: hours, open now, languages, in the page's
language; the sentences a visitor can show to staff."""

from datetime import datetime, time, timedelta

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import hours, ranges, spoken_languages
from .models import Weekday


def day_name(number):
    """The weekday's name in the page's language (0 = Monday)."""
    return str(Weekday(number).label)


def hours_rows(periods):
    """[(days, times)] in the page's language, e.g. ("Monday – Friday", "08:30–17:15"), as HTML
    whose day names and ranges a line does not break inside (`ranges.unbroken`)."""
    rows = []
    for first, last, times in hours.grouped(periods):
        days = [day_name(first)] if first == last else ranges.days(day_name(first), day_name(last))
        spans = [ranges.times(opens, closes) for opens, closes in times]
        spans = [span + ", " for span in spans[:-1]] + spans[-1:]
        rows.append((ranges.unbroken(days), ranges.unbroken(spans)))
    return rows


def status_line(status, now):
    """(state, headline, detail) of a `hours.Status`, e.g. ("open", "Open now", "until 17:15");
    state is "open" or "closed", for the page's styles."""
    if status.open_now:
        return "open", _("Open now"), _("until %(time)s") % {"time": f"{status.closes:%H:%M}"}
    if status.new_year and status.closed_today:
        closed = _("Closed today: year-end and New Year holidays")
    elif status.holiday and status.closed_today:
        closed = _("Closed today: national holiday")
    elif status.closed_today:
        closed = _("Closed today")
    else:
        closed = _("Closed now")
    if status.opens is None:
        return "closed", closed, ""
    if status.opens.date() == now.date():
        opens = _("opens today at %(time)s") % {"time": f"{status.opens:%H:%M}"}
    else:
        day, at = day_name(status.opens.weekday()), f"{status.opens:%H:%M}"
        if (status.opens.date() - now.date()).days >= 7:
            # "Wednesday" would be read as the coming one, which holidays close: give the date.
            month_day = formats.date_format(status.opens.date(), "MONTH_DAY_FORMAT")
            opens = _("opens %(weekday)s, %(date)s at %(time)s") % {
                "weekday": day,
                "date": month_day,
                "time": at,
            }
        else:
            opens = _("opens %(day)s at %(time)s") % {"day": day, "time": at}
    return "closed", closed, opens


def languages(codes):
    """[(code, name in the page's language, own name or None when the same)]."""
    named = []
    for code in codes:
        name = spoken_languages.name_in(code)
        own = spoken_languages.autonym(code)
        named.append((code, name, None if own is None or own.lower() == name.lower() else own))
    return named


# The card's first line, to the person at the counter.
TO_STAFF = gettext_lazy("To the staff at the desk: please read this.")

# What a visitor can show to staff, by its key: the card shows ?say=... first, #say-... on a tap.
SENTENCES = {
    "advice": gettext_lazy("I need advice in my language."),
    "learn": gettext_lazy("I would like to learn Japanese. Where is a Japanese class?"),
    "interpreter": gettext_lazy("I would like an interpreter, please."),
    "slowly": gettext_lazy("Please speak slowly, in easy Japanese."),
    "write": gettext_lazy("Please write it down for me."),
}


def on_a_japanese_page():
    """Whether the page is in Japanese or Easy Japanese: the visitor reads the card as it is."""
    return translation.get_language() in ("ja", "ja-easy")


def card_sentences():
    """[(key, the sentence in Japanese, in the page's language or None on a Japanese page)]."""
    own = not on_a_japanese_page()
    return [(key, in_japanese(text), str(text) if own else None) for key, text in SENTENCES.items()]


def visitor_language():
    """(the page's language named in Japanese, its own name) for the card to tell staff which
    interpreter to ask for, e.g. ("ネパール語", "नेपाली"); None on a Japanese page."""
    if on_a_japanese_page():
        return None
    code = spoken_languages.babel_locale().language
    with translation.override("ja"):
        named = spoken_languages.name_in(code)
    own = spoken_languages.autonym(code)
    return named, own if own and own != named else None


def extension_in_japanese(number):
    """A phone extension as the Japanese card words it, or "" for none."""
    return in_japanese(gettext_lazy("ext. %(number)s")) % {"number": number} if number else ""


def in_japanese(text):
    """A translatable text as the Japanese catalogue has it, whatever the page's language."""
    with translation.override("ja"):
        return str(text)


def seconds_unchanged(statuses, now):
    """Whole seconds from `now` while `status_line` reads the same for these `hours.Status`es
    (taken at `now`): until an opening or closing today, or Tokyo midnight; None for none."""
    if not statuses:
        return None
    now = now.astimezone(hours.TOKYO)
    changes = [datetime.combine(now.date() + timedelta(days=1), time(), hours.TOKYO)]
    for status in statuses:
        if status.open_now:
            changes.append(datetime.combine(now.date(), status.closes, hours.TOKYO))
        elif status.opens is not None:
            changes.append(status.opens)
    # Rounded down: a page must never be kept past the change, and 0 keeps it not at all.
    return int((min(changes) - now).total_seconds())
