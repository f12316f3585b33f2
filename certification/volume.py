"""Counting verifications (issue 13: programme admins see verification volume over time).

``record`` adds to today's counter for a surface and account with one upsert a request (a bulk
request adds its number of items at once). It never stands in the way of a verification: a
database error is logged and swallowed, inside a savepoint so that a surrounding transaction
survives it.
"""

import logging
from datetime import date, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

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


def record(surface: str, *, count: int = 1, account: int = ANONYMOUS) -> None:
    """Add ``count`` verifications to today's row for (``surface``, ``account``)."""
    if count <= 0:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_upsert_sql(), [timezone.now().date(), surface, account, count])
    except DatabaseError:
        log.exception("verification volume not recorded (%s, %s, %s)", surface, account, count)


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
