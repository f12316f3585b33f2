"""Per-client rate limits for the public verification surfaces (pages and API)."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle


class VerifyThrottle(ScopedRateThrottle):
    scope_attr = "throttle_scope"


def page_allowed(request, scope: str = "verify") -> bool:
    """The same limit for HTML pages, counted per client address in the shared cache."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    count, _, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    window = int(time.time() // seconds)
    client = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip() or request.META.get(
        "REMOTE_ADDR", ""
    )
    key = f"throttle:page:{scope}:{client}:{window}"
    added = cache.add(key, 1, timeout=seconds)
    used = 1 if added else cache.incr(key)
    return used <= int(count)
