"""Direct access to the Redis behind the default cache, for the public hot path that must
make one round trip a request (the verification API's rate limit and the credential state).

Django's RedisCache builds a client object on every call, which costs more than the round trip
itself, and sends each command on its own; ``RoundTrip`` queues commands and sends them
together. With another cache backend (the in-memory one in development and the fast test tier)
each command runs at once through the cache API, so callers have one code path.
"""

import logging
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_last_warning = float("-inf")  # the first outage is always logged

_clients: dict[int, object] = {}


def redis_for_default_cache() -> tuple[RedisCache, object] | tuple[None, None]:
    """(backend, redis client) when the default cache is Redis, else (None, None); the
    client is made once per process and backend. Keys must go through
    ``backend.make_and_validate_key`` so they carry the cache's prefix and version."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None, None
    client = _clients.get(id(backend))
    if client is None:
        client = _clients[id(backend)] = backend._cache.get_client(None, write=True)
    return backend, client


class Pending:
    """A command's result, set when its round trip has been made."""

    __slots__ = ("value",)

    def __init__(self, value=None):
        self.value = value


def cache_unreachable(exc: Exception) -> None:
    """Log that the cache cannot be reached (at most once a minute a process, not once a
    request: an outage would otherwise flood the log)."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 60:
        _last_warning = now
        logger.warning("the cache cannot be reached; serving without it: %s", exc)


class RoundTrip:
    """Cache commands sent together: ``with RoundTrip() as trip: a = trip.get(k)`` and
    ``a.value`` holds the result after the block. Values are stored as given (str or bytes:
    callers encode them), so Redis and the in-memory cache hold the same thing.

    If the cache cannot be reached, every result stays None (a miss, an uncounted request)
    and the outage is logged: callers fall back to the database, so public verification stays
    up through a Redis restart, without its rate limit meanwhile.
    """

    def __init__(self):
        self.backend, client = redis_for_default_cache()
        self._pipe = client.pipeline(transaction=False) if client is not None else None
        self._pending: list[Pending] = []

    def __enter__(self) -> "RoundTrip":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None and self._pipe is not None and self._pending:
            try:
                values = self._pipe.execute()
            except RedisError as error:
                cache_unreachable(error)
                return
            for pending, value in zip(self._pending, values, strict=True):
                pending.value = value

    def _key(self, key: str) -> str:
        return self.backend.make_and_validate_key(key)

    def get(self, key: str) -> Pending:
        if self._pipe is None:
            return Pending(cache.get(key))
        self._pipe.get(self._key(key))
        return self._queued()

    def count(self, key: str, *, ttl: int) -> Pending:
        """Add one to a counter that expires ``ttl`` seconds after its first count."""
        if self._pipe is None:
            if cache.add(key, 1, timeout=ttl):
                return Pending(1)
            try:
                return Pending(cache.incr(key))
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=ttl)
                return Pending(1)
        full_key = self._key(key)
        self._pipe.incr(full_key)
        # No MULTI/EXEC: every count sends EXPIRE NX, so a counter left without a TTL by a
        # broken connection gets one at its next count.
        self._pipe.expire(full_key, ttl, nx=True)
        count = self._queued()
        self._queued()  # EXPIRE's reply
        return count

    def _queued(self) -> Pending:
        pending = Pending()
        self._pending.append(pending)
        return pending


def cache_set(key: str, value: str, *, ttl: int, only_if_absent: bool = False) -> None:
    """Set a value the way ``RoundTrip.get`` reads it back (``only_if_absent``: SET NX); a
    cache that cannot be reached is logged and skipped."""
    backend, client = redis_for_default_cache()
    try:
        if client is None:
            (cache.add if only_if_absent else cache.set)(key, value, timeout=ttl)
        else:
            full_key = backend.make_and_validate_key(key)
            client.set(full_key, value, ex=ttl, nx=only_if_absent)
    except RedisError as error:
        cache_unreachable(error)
