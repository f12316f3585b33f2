"""Per-client rate limits for the public verification surfaces (pages and API), scope
``verify`` (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["verify"]), counted in the shared cache.

A fixed-window counter (one atomic increment a request) rather than DRF's default sliding
history, whose cost grows with the number of requests allowed in the window.
"""

import time

from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from config.cache import Pending, RoundTrip, cache_unreachable
from config.throttling import client_ip


def client_ident(request) -> str:
    """The client address, by the project's one rule (``config.throttling.client_ip``)."""
    return client_ip(request)


class FixedWindowThrottle(SimpleRateThrottle):
    scope = "verify"
    prefix = "verify"

    def get_cache_key(self, request, view):
        window = int(time.time() // self.duration)
        self.window_ends = (window + 1) * self.duration
        return f"throttle:{self.prefix}:{client_ident(request)}:{window}"

    def allow_request(self, request, view):
        with RoundTrip() as trip:
            hits = self.count(request, trip)
        return self.allows(hits)

    def count(self, request, trip: RoundTrip) -> Pending:
        """Count this request in ``trip`` (one INCR, with the window's expiry)."""
        if self.rate is None:
            return Pending(0)
        return trip.count(self.get_cache_key(request, None), ttl=int(self.duration) + 1)

    def allows(self, hits: Pending) -> bool:
        """No count (the cache could not be reached) allows: verification stays up."""
        return self.rate is None or hits.value is None or hits.value <= self.num_requests

    def wait(self):
        return max(0.0, self.window_ends - time.time())


class VerifyThrottle(FixedWindowThrottle):
    """The verification API's limit, per client address (the API takes no login)."""

    prefix = "verify-api"


class _PageThrottle(FixedWindowThrottle):
    prefix = "verify-page"


def page_allowed(request) -> tuple[bool, int | None]:
    """(allowed, seconds to wait) for an HTML page or download, with the API's rate."""
    throttle = _PageThrottle()
    if throttle.allow_request(request, None):
        return True, None
    return False, int(throttle.wait()) + 1


class BulkVerifyThrottle(FixedWindowThrottle):
    """Bulk verification's limit counts *items*, not requests (scope ``verify_bulk``, e.g.
    ``20000/hour``): one request of 10,000 IDs costs what 10,000 single verifications would,
    per client address, pages and API together."""

    scope = "verify_bulk"
    prefix = "verify-bulk"

    def allow_items(self, request, count: int) -> bool:
        """Add ``count`` to this window's counter; False when it goes over the rate (the
        items are counted all the same, as an over-limit single request is)."""
        if self.rate is None:
            return True
        key = self.get_cache_key(request, None)
        ttl = int(self.duration) + 1
        try:
            cache.add(key, 0, timeout=ttl)
            hits = cache.incr(key, count)
        except ValueError:  # expired between add and incr
            cache.add(key, count, timeout=ttl)
            hits = count
        except RedisError as error:  # no count: verification stays up
            cache_unreachable(error)
            return True
        return hits <= self.num_requests
