"""The client's address, and the DRF throttles that count by it.

Every rate limit and the login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) identify a
client with ``client_ip``. ``X-Forwarded-For`` is read only when ``TRUSTED_PROXY_COUNT`` says
how many proxies of ours stand in front; otherwise anyone could name a fresh address per request
and never be counted twice.
"""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpResponse
from rest_framework import throttling


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of whoever sent ``request`` (a Django or DRF request).

    With N trusted proxies, each appends the address it received the request from, so the
    client is the N-th entry from the right of ``X-Forwarded-For``; what the client wrote
    itself sits further left and is ignored. A header with fewer entries than proxies (the
    request did not come through them all) or an entry that is not an IP address falls back to
    ``REMOTE_ADDR``, the peer of this process.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote


class ClientIpMixin:
    """Count anonymous clients by ``client_ip`` instead of DRF's own reading of the header."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonRateThrottle(ClientIpMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientIpMixin, throttling.UserRateThrottle):
    pass


class LoginRateThrottle(ClientIpMixin, throttling.SimpleRateThrottle):
    """Scope ``login``: password attempts per client address, whichever login path they take
    (the API token endpoint and the admin login share one count). Runs before the password is
    checked, so a flood costs a cache increment, not a hash."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def login_throttled(view):
    """Wrap a form login view (the admin's) in the ``login`` rate: each POST is counted with
    the API token endpoint's, and one over the limit gets a 429 page without its password being
    checked. Showing the form is not counted."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            throttle = LoginRateThrottle()
            if not throttle.allow_request(request, None):
                wait = int(throttle.wait() or 0) + 1
                response = HttpResponse(
                    "Too many login attempts from your address; try again in a minute or two.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapped
