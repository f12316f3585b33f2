"""Per-client rate limits for the public verification surfaces (pages and API), scope
``verify`` (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["verify"]), counted in the shared cache."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


def client_ident(request) -> str:
    """The client address. X-Forwarded-For is trusted only when NUM_PROXIES says how many
    proxies stand in front; otherwise anyone could pick a fresh address per request."""
    if api_settings.NUM_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(api_settings.NUM_PROXIES, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


class VerifyThrottle(ScopedRateThrottle):
    """The API's limit: per client address (the verification API takes no login)."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ident(request)}


class _PageThrottle(SimpleRateThrottle):
    scope = "verify"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": "verify-page", "ident": client_ident(request)}


def page_allowed(request) -> tuple[bool, int | None]:
    """(allowed, seconds to wait) for an HTML page or download, with the API's rate."""
    throttle = _PageThrottle()
    if throttle.allow_request(request, None):
        return True, None
    wait = throttle.wait()
    return False, int(wait) + 1 if wait is not None else None
