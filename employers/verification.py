"""Bulk verification for an employer: the same answers as everyone gets
(``certification.bulk``), up to ``BULK_VERIFY_MAX_ITEMS`` a request, counted in the
verification volume under the employer's account."""

from certification import bulk
from certification.volume import Surface
from certification.volume import record as record_volume

from .models import Employer


def check_items(items: list) -> None:
    """InvalidRequest for an empty list, TooLarge above ``BULK_VERIFY_MAX_ITEMS``: before the
    rate limit counts anything."""
    bulk.check_count(items, limit=bulk.max_items())


def verify_for(*, employer: Employer, items: list) -> list[dict]:
    results = bulk.verify_many(items, limit=bulk.max_items())
    record_volume(Surface.BULK, count=len(results), account=employer.pk)
    return results


def summary(results: list[dict]) -> dict:
    return {
        "count": len(results),
        "verified": sum(r["verified"] for r in results),
        "results": results,
    }
