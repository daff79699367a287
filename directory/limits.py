"""Limits shared by every worker and node, and the client address they are counted by.

Counts live in the database (LimitCounter), not the cache: Django's local-memory cache is per
process and a Redis outage empties it, and the database cache's incr() is a get() then a set(),
so two workers can both read 9 and both write 10. A conditional UPDATE counts and checks in one
statement on SQLite and PostgreSQL alike.
"""

import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import LimitCounter


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the entry in X-Forwarded-For that our own proxies
    added when settings.TRUSTED_PROXY_COUNT says how many sit in front of the site.

    Entries further left are written by the client and can be forged, so they are never used;
    an entry that is not an address (a request that bypassed the proxy) is ignored as well.
    Used by the report form's limit and by the sign-in lockout (AXES_CLIENT_IP_CALLABLE).
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if trusted and len(forwarded) >= trusted and _is_address(forwarded[-trusted]):
        return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "")


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def allow(key, limit, window):
    """Count one use of `key`; False once it has been used `limit` times in the `window` (a
    timedelta) that began with its first use. A refused use is not counted."""
    if limit < 1:
        return False
    now = timezone.now()
    running = LimitCounter.objects.filter(key=key, resets_at__gt=now)
    for _ in range(2):
        if running.filter(count__lt=limit).update(count=F("count") + 1):
            return True
        if running.exists():
            return False
        # No window is running for this key: sweep the ended ones (this key's too), start one.
        LimitCounter.objects.filter(resets_at__lte=now).delete()
        try:
            with transaction.atomic():
                LimitCounter.objects.create(key=key, count=1, resets_at=now + window)
        except IntegrityError:
            continue  # another request started it a moment ago: count against that one
        return True
    return False
