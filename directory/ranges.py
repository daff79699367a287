"""Ranges of days and times as the public pages write them, in pieces a line breaks between."""

from django.utils.html import format_html_join


def days(first, last):
    """A range of days as pieces, the dash kept with the first: ["Monday – ", "Friday"]."""
    head, _end, tail = "%(first)s – %(last)s".partition("%(last)s")
    return [head % {"first": first}, last + tail]


def times(opens, closes):
    """A range of times of day, e.g. "08:30–17:15"."""
    return f"{opens:%H:%M}–{closes:%H:%M}"


def unbroken(pieces):
    """The pieces as HTML boxes a line breaks between, not inside unless one alone is wider than
    the line: "9:00–" never ends a line with "17:00" on the next. A piece's trailing space stays
    between the boxes."""
    return format_html_join(
        "",
        '<span class="unit">{}</span>{}',
        ((piece.rstrip(), piece[len(piece.rstrip()) :]) for piece in pieces),
    )
