"""Ranges of days and times as the public pages write them, in pieces a line breaks between."""

from django.utils.html import format_html_join
from django.utils.translation import pgettext


def days(first, last):
    """A range of days as pieces, the dash kept with the first: ["Monday – ", "Friday"];
    ["月曜日～", "金曜日"] as Japanese writes a range."""
    written = pgettext("range of days", "%(first)s – %(last)s")
    head, _end, tail = written.partition("%(last)s")
    return [head % {"first": first}, last + tail]


def times(opens, closes):
    """A range of times of day, e.g. "08:30–17:15", "08:30～17:15" in Japanese."""
    written = pgettext("range of times", "%(opens)s–%(closes)s")
    return written % {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"}


def unbroken(pieces):
    """The pieces as HTML boxes a line breaks between, not inside unless one alone is wider than
    the line: "9:00–" never ends a line with "17:00" on the next. A piece's trailing space stays
    between the boxes."""
    return format_html_join(
        "",
        '<span class="unit">{}</span>{}',
        ((piece.rstrip(), piece[len(piece.rstrip()) :]) for piece in pieces),
    )
