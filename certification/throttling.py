"""Per-client rate limits for the public verification surfaces (pages and API), scope
``verify`` (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["verify"]), counted in the shared cache.

A fixed-window counter (one atomic increment a request) rather than DRF's default sliding
history, whose cost grows with the number of requests allowed in the window.
"""

import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


def client_ident(request) -> str:
    """The client address. X-Forwarded-For is trusted only when NUM_PROXIES says how many
    proxies stand in front; otherwise anyone could pick a fresh address per request."""
    if api_settings.NUM_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(api_settings.NUM_PROXIES, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


_clients: dict[int, object] = {}


def _redis_client(backend: RedisCache):
    """One client object per process and cache backend: Django builds a new one for every
    call, and building one costs more than the round trip."""
    client = _clients.get(id(backend))
    if client is None:
        client = _clients[id(backend)] = backend._cache.get_client(None, write=True)
    return client


class FixedWindowThrottle(SimpleRateThrottle):
    scope = "verify"
    prefix = "verify"

    def get_cache_key(self, request, view):
        window = int(time.time() // self.duration)
        self.window_ends = (window + 1) * self.duration
        return f"throttle:{self.prefix}:{client_ident(request)}:{window}"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            # One round trip (INCR + EXPIRE in a pipeline) instead of add, exists and incr.
            full_key = backend.make_and_validate_key(key)
            pipe = _redis_client(backend).pipeline()
            pipe.incr(full_key)
            pipe.expire(full_key, int(self.duration) + 1, nx=True)
            count, _ = pipe.execute()
            return count <= self.num_requests
        if cache.add(key, 1, timeout=self.duration + 1):
            return True
        try:
            return cache.incr(key) <= self.num_requests
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=self.duration + 1)
            return True

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
