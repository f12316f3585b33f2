"""Per-account login lockout with back-off, through django-axes (settings ``AXES_*``).

Axes records every failed login (``AccessAttempt`` rows, by account, address and user agent)
and its authentication backend, first in ``AUTHENTICATION_BACKENDS``, refuses a locked account
before any password is hashed. This module supplies what axes leaves to the project:

- who the account is (``username_of``: the email, lower-cased as logins are);
- when a lockout ends (``BackoffDatabaseHandler``): failures are remembered for
  ``AXES_COOLOFF_TIME`` after the last one; once they reach ``AXES_FAILURE_LIMIT`` the account
  is locked for ``LOGIN_LOCKOUT_BASE`` from the last failure, and every further failure after a
  lockout has ended doubles the next one, up to the memory window. Attempts refused while locked
  are not counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``), so waiting it out
  is always enough; a successful login forgets the failures (``AXES_RESET_ON_SUCCESS``);
- what a locked-out client sees (``lockout_response``): a page, or JSON under ``/api/``.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_DETAIL = "Too many failed logins for this account; try again later."


def username_of(request, credentials: dict | None) -> str | None:
    """The account a login names (``AXES_USERNAME_CALLABLE``). Emails are stored lower-case,
    so ``Ada@x`` and ``ada@x`` are one account for the lockout too.

    Axes' own checks pass ``{"email": ...}``; Django's ``user_login_failed`` signal passes the
    keywords ``authenticate`` was called with (``username=`` on every login path here)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        value = source.get(field) or source.get("username")
        if value:
            return str(value).strip().lower()
    return None


def lockout_duration(extra_failures: int) -> timedelta:
    """How long a lockout lasts after ``extra_failures`` failures beyond the limit."""
    longest = settings.AXES_COOLOFF_TIME
    base = settings.LOGIN_LOCKOUT_BASE
    if extra_failures >= 32 or base * 2**extra_failures >= longest:
        return longest
    return base * 2**extra_failures


class BackoffDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler, with lockouts that grow with the failures remembered."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        return self.lockout_remaining(request, credentials) > timedelta(0)

    def lockout_remaining(self, request, credentials: dict | None = None) -> timedelta:
        """How long until this login may be tried again (zero: it may be now)."""
        limit = get_failure_limit(request, credentials)
        now = request.axes_attempt_time
        remaining = timedelta(0)
        for attempts in self.get_user_attempts(request, credentials):
            seen = attempts.aggregate(
                failures=Sum("failures_since_start"), last=Max("attempt_time")
            )
            failures = seen["failures"] or 0
            if failures >= limit:
                ends = seen["last"] + lockout_duration(failures - limit)
                remaining = max(remaining, ends - now)
        return remaining


def lockout_seconds(request, credentials: dict | None) -> int:
    """Whole seconds until the account named in ``request`` may try again (at least 1)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    remaining = handler.lockout_remaining(request, credentials)
    return max(1, int(remaining.total_seconds() + 0.999))


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: what a locked-out login gets, with ``Retry-After``."""
    seconds = lockout_seconds(request, credentials)
    if request.path.startswith("/api/"):
        body = {"code": "account_locked", "detail": LOCKED_DETAIL, "retry_after_seconds": seconds}
        response = JsonResponse(body, status=settings.AXES_HTTP_RESPONSE_CODE)
    else:
        context = {"retry_after_minutes": max(1, (seconds + 59) // 60)}
        response = render(
            request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
        )
    response["Retry-After"] = str(seconds)
    return response
