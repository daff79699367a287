"""Pieces of pages kept in each process, for the directory version they were made under.

A page that is not in the cache (a search no one has made before) still shares most of its
pieces with others: the prefecture list of the search form, say. Keyed by the request's
directory token, a kept piece is never used after the directory changes.
"""

from django.conf import settings

from .models import request_token

# Enough for every language's pieces; past it the store starts again, dropping old versions.
LIMIT = 2000

_pieces = {}


def remembered(parts, make):
    """The piece named by `parts` (a tuple) under this request's token, made by `make()` once.

    With DEBUG on (`make run`) nothing is kept, so an edited template shows on the next request.
    """
    if settings.DEBUG:
        return make()
    key = (request_token(), *parts)
    try:
        return _pieces[key]
    except KeyError:
        pass
    piece = make()
    if len(_pieces) >= LIMIT:
        _pieces.clear()
    _pieces[key] = piece
    return piece
