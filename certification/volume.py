"""Counting verifications (issue 13: programme admins see verification volume over time).

``record`` adds to today's counter for a surface and account with one upsert a request (a bulk
request adds its number of items at once). It never stands in the way of a verification: a
database error is logged and swallowed, inside a savepoint so that a surrounding transaction
survives it.

The one exception is by-ID verification, the public hot path, which answers a warm request
with one Redis round trip and no query: a write per request there would add a query and make
every request update the same row (one hot row a day). It counts in its round trip instead
(``count_in``: an INCR on a per-day key), and ``flush`` (a Celery beat task every minute)
moves the buffered counts into the table with one upsert per key.
"""

import logging
from datetime import date, timedelta

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from redis.exceptions import RedisError

from config.cache import Pending, RoundTrip, cache_unreachable

from .volume_models import VerificationVolume

log = logging.getLogger(__name__)
ANONYMOUS = 0
Surface = VerificationVolume.Surface


def _upsert_sql() -> str:
    table = connection.ops.quote_name(VerificationVolume._meta.db_table)
    # PostgreSQL and SQLite (3.24+) both speak INSERT ... ON CONFLICT ... DO UPDATE. The only
    # interpolated name is the model's own table; values go as parameters.
    sql = "INSERT INTO {t} (day, surface, account, count) VALUES (%s, %s, %s, %s) "
    sql += "ON CONFLICT (day, surface, account) DO UPDATE SET count = {t}.count + excluded.count"
    return sql.format(t=table)


def record(
    surface: str, *, count: int = 1, account: int = ANONYMOUS, day: date | None = None
) -> bool:
    """Add ``count`` verifications to ``day``'s (today's) row for (``surface``, ``account``).
    False (logged) when the database refused it."""
    if count <= 0:
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_upsert_sql(), [day or timezone.now().date(), surface, account, count])
    except DatabaseError:
        log.exception("verification volume not recorded (%s, %s, %s)", surface, account, count)
        return False
    return True


BUFFER_TTL = 3 * 24 * 3600  # a flush missed for two days still finds yesterday's counts


def _buffer_key(day: date, surface: str) -> str:
    return f"verify-volume:{day.isoformat()}:{surface}"


def count_in(trip: RoundTrip, surface: str) -> Pending:
    """Count one anonymous verification of ``surface`` today, in the caller's round trip."""
    return trip.count(_buffer_key(timezone.now().date(), surface), ttl=BUFFER_TTL)


def flush(*, today: date | None = None) -> int:
    """Move the buffered counts of today and yesterday into the table: for each key, take
    what it holds off it (DECRBY, so counts arriving meanwhile stay) and upsert that; if the
    upsert fails, give it back. Returns how many verifications moved."""
    today = today or timezone.now().date()
    moved = 0
    for day in (today - timedelta(days=1), today):
        for surface in Surface:
            key = _buffer_key(day, surface.value)
            try:
                held = int(cache.get(key) or 0)
                if held <= 0:
                    continue
                cache.decr(key, held)
            except (RedisError, ValueError) as error:
                if isinstance(error, RedisError):
                    cache_unreachable(error)
                continue
            if record(surface.value, count=held, day=day):
                moved += held
            else:
                cache.incr(key, held)
    return moved


def daily(*, days: int, today: date | None = None) -> list[dict]:
    """One entry per day of the last ``days`` (oldest first, days without any included): the
    total and its split by surface, anonymous and by employers."""
    today = today or timezone.now().date()
    first = today - timedelta(days=days - 1)
    rows = (
        VerificationVolume.objects.filter(day__gte=first, day__lte=today)
        .values("day", "surface", "account")
        .annotate(n=Sum("count"))
    )
    out = {
        first + timedelta(n): {
            "day": first + timedelta(n),
            "total": 0,
            "anonymous": 0,
            "employers": 0,
            **{s.value: 0 for s in Surface},
        }
        for n in range(days)
    }
    for row in rows:
        entry = out[row["day"]]
        entry["total"] += row["n"]
        entry[row["surface"]] += row["n"]
        entry["anonymous" if row["account"] == ANONYMOUS else "employers"] += row["n"]
    return list(out.values())


def by_account(*, days: int, today: date | None = None) -> dict[int, int]:
    """Verifications per employer account (not anonymous) over the last ``days``."""
    today = today or timezone.now().date()
    first = today - timedelta(days=days - 1)
    rows = (
        VerificationVolume.objects.filter(day__gte=first, day__lte=today)
        .exclude(account=ANONYMOUS)
        .values("account")
        .annotate(n=Sum("count"))
    )
    return {row["account"]: row["n"] for row in rows}
