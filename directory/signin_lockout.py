"""Sign-in lockout (django-axes) per account, and per address at a higher limit, with a page
that tells staff when they may try again.

Axes compares one count with one limit. With AXES_LOCKOUT_PARAMETERS = ["username"] it locks an
account after AXES_FAILURE_LIMIT wrong passwords from anywhere. A whole office shares one
address, so the address has its own, higher limit (settings.LOGIN_FAILURES_PER_ADDRESS), added
here; one person's typos lock only their own account. A successful sign-in clears only that
account's failures, so nobody can wipe an address's count (or a colleague's) by signing in.
"""

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def _recent_attempts(request):
    # The failures axes still counts: each row's failures expire together, a cool-off after
    # its latest one (axes stores one row per username, address and browser).
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def _address_attempts(request):
    return _recent_attempts(request).filter(ip_address=request.axes_ip_address or None)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, which locks the account, plus a lock on the address."""

    def address_is_locked(self, request):
        failures = _address_attempts(request).aggregate(total=Sum("failures_since_start"))
        return (failures["total"] or 0) >= settings.LOGIN_FAILURES_PER_ADDRESS

    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        return settings.AXES_LOCK_OUT_AT_FAILURE and self.address_is_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if settings.AXES_LOCK_OUT_AT_FAILURE and self.address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_ends(request, credentials=None):
    """When each lock in force on this sign-in ends: {"account": datetime, "address": datetime}."""
    username = get_client_username(request, credentials)
    locks = {
        "account": (
            _recent_attempts(request).filter(username=username),
            get_failure_limit(request, credentials),
        ),
        "address": (_address_attempts(request), settings.LOGIN_FAILURES_PER_ADDRESS),
    }
    ends = {}
    for lock, (attempts, limit) in locks.items():
        # Newest first: the lock lifts when the row that brought the count to the limit expires.
        counted = 0
        for failures, latest in attempts.order_by("-attempt_time").values_list(
            "failures_since_start", "attempt_time"
        ):
            counted += failures
            if counted >= limit:
                ends[lock] = _next_minute(latest + get_cool_off(request))
                break
    return ends


def _next_minute(moment):
    # The page shows minutes: round up, so "from 15:43" is never a minute too early.
    if moment.second or moment.microsecond:
        moment += timedelta(minutes=1)
    return moment.replace(second=0, microsecond=0)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): which lock, and until when."""
    ends = lockout_ends(request, credentials)
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in paused"),
        "username": get_client_username(request, credentials) or "",
        "locked_address": "address" in ends,
        "until": max(ends.values(), default=None),
    }
    return render(
        request,
        "admin/signin_locked.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
