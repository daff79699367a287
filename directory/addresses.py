"""Japanese addresses as the public pages write them: a line breaks around their numbers."""

import re

from . import ranges

_DIGIT = "[0-9０-９]"
# A number in a Japanese address: digits joined by hyphens (1-2-3, full-width １－２－３) or by
# counters (1丁目23番地の4, 2階, 2F, a basement's B1階), and a postal code with its mark
# (〒963-8024). Japanese may break a line between any two characters, so "朝日1-2-" could end a
# line with "3" under it.
# Digits in a web or e-mail address (…/map/12, room1@…) are none: a class's venue is linked
# (urlize), and a box inside would cut its link short.
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9/.:@_%#?=&~+-])(?:〒[ \u3000]?|[BＢ])?{_DIGIT}+"
    rf"(?:丁目|番地|番|号|階|[FＦ](?![A-Za-z])|{_DIGIT}+|[-‐‑–—−－ーの](?={_DIGIT}))*"
)


def numbers_unbroken(address):
    """The address as HTML in which a line does not break inside a number: 福島県試験山市朝日
    [1-2-3], [〒963-8024], 本庁舎[2階]. The address is text: any markup in it is escaped."""
    address = str(address)
    # Where each was found: the same digits earlier in a web address are not it.
    return ranges.boxed(address, [found.span() for found in _NUMBER.finditer(address)])
