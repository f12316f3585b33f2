"""Verification volume for programme admins: the day-by-day counters kept by
``certification.volume``, with employers' names put to their accounts."""

from certification import volume as counters
from config.errors import InvalidRequest

from .models import Employer

DEFAULT_DAYS = 30
MAX_DAYS = 366


def days_param(raw: str | None) -> int:
    """``?days=``: a whole number from 1 to ``MAX_DAYS``; InvalidRequest saying so otherwise."""
    if raw in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise InvalidRequest(
            f"days must be a whole number from 1 to {MAX_DAYS}.", code="invalid_days"
        )
    return days


def figures(*, days: int) -> dict:
    """Per day (oldest first) and per employer (most first) over the last ``days``."""
    per_day = counters.daily(days=days)
    per_account = counters.by_account(days=days)
    names = Employer.objects.in_bulk(list(per_account))
    employers = sorted(
        (
            {
                "slug": names[pk].slug if pk in names else f"#{pk}",
                "name": names[pk].name if pk in names else "(deleted employer)",
                "count": count,
            }
            for pk, count in per_account.items()
        ),
        key=lambda e: (-e["count"], e["name"]),
    )
    return {
        "days": per_day,
        "employers": employers,
        "total": sum(d["total"] for d in per_day),
    }


def chart_data(data: dict) -> dict:
    """What the page's chart draws (static/employers/volume-chart.js)."""
    return {
        "labels": [d["day"].isoformat() for d in data["days"]],
        "anonymous": [d["anonymous"] for d in data["days"]],
        "employers": [d["employers"] for d in data["days"]],
    }
