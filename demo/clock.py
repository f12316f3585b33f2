"""The demo's clock: run real services at a moment in the past.

The demo lives two years of a programme (joins, exams, credentials that expire, appeals within
their window). Rather than writing rows and back-dating them, which the services could never
produce, each event runs through the services *at its own date*: ``at(moment)`` moves the
process's clock there (``time-machine``, ticking from that moment) for the duration of the block,
so every ``timezone.now()`` the services read, every audit row, every signed ``validFrom`` and
``validUntil`` and every webhook signature agree with each other, exactly as if the event had
happened then.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone


def days_ago(days: float, *, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=days)


@contextmanager
def at(moment: datetime) -> Iterator[datetime]:
    """Run the block with the clock at ``moment`` (ticking). A moment in the future is refused:
    the demo only replays the past."""
    hatch = time_machine.escape_hatch
    real_now = (
        datetime.fromtimestamp(hatch.time.time(), tz=UTC)
        if hatch.is_travelling()
        else timezone.now()
    )
    if moment > real_now + timedelta(seconds=1):
        raise ValueError(f"the demo replays the past, not {moment.isoformat()}")
    with time_machine.travel(moment, tick=True):
        yield moment
