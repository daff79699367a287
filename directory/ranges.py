"""Ranges of days and times as the public pages write them, in pieces a line breaks between."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
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
    return with_units("".join(pieces), [piece.rstrip() for piece in pieces])


# What a line may not start with, in the pages' languages: kept at the end of the box before it.
_CLOSING = re.compile(r"[)\]}»”’,.;:!?、。，．：；！？）］｝」』〕】〉》…।॥၊။]*")


def with_units(text, units):
    """`text` as HTML in which each of `units`, found in order, is a box a line does not break
    inside (`boxed`)."""
    spans, at = [], 0
    for unit in units:
        start = text.find(unit, at) if unit else -1
        if start >= 0:  # else not written as given: left to wrap as text does
            at = start + len(unit)
            spans.append((start, at))
    return boxed(text, spans)


def boxed(text, spans):
    """`text` as HTML in which each (start, end) of `spans`, in order, is a box a line does not
    break inside, with the closing punctuation right after it: "Friday)," stays whole."""
    html, at = [], 0
    for start, end in spans:
        if start < at:  # inside the closing punctuation of the box before
            continue
        end = _CLOSING.match(text, end).end()
        box = format_html('<span class="unit">{}</span>', text[start:end])
        html += [escape(text[at:start]), box]
        at = end
    # Safe: what is not a box is escaped, and format_html escapes each box's text.
    return mark_safe("".join(html) + escape(text[at:]))  # noqa: S308
