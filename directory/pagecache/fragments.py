"""Pieces of pages kept in each process, for the directory version they were made under.

A page that is not in the cache (a search no one has made before) still shares most of its
pieces with others: the prefecture list of the search form, say. Keyed by the request's
directory token, a kept piece is never used after the directory changes.
"""

from collections import OrderedDict

from django.conf import settings

from .models import request_token

# Every page of the published directory in its 11 languages, with the search form for each
# region and prefecture, makes about 2,000 pieces; at 100 times the data the city cards alone
# would make 68,000. Past the limit the least recently used piece goes (an old version's
# first, as nothing asks for them), so the pieces every page uses stay.
LIMIT = 10_000

_pieces = OrderedDict()


def remembered(parts, make):
    """The piece named by `parts` (a tuple) under this request's token, made by `make()` once.

    With DEBUG on (`make run`) nothing is kept, so an edited template shows on the next request.
    """
    if settings.DEBUG:
        return make()
    key = (request_token(), *parts)
    # Each step is one call into OrderedDict, which holds the GIL throughout; another thread
    # dropping the key between two steps costs this one a KeyError, so a piece made again.
    try:
        piece = _pieces[key]
        _pieces.move_to_end(key)
        return piece
    except KeyError:
        pass
    piece = make()
    _pieces[key] = piece
    while len(_pieces) > LIMIT:
        try:
            _pieces.popitem(last=False)
        except KeyError:
            break
    return piece
