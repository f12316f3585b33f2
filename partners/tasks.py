"""Partner tasks: thin wrappers over services, idempotent."""

from celery import shared_task

from config.dispatch import RETRY_POLICY

from . import snapshots


@shared_task(
    name="partners.tasks.refresh_dashboards",
    acks_late=True,  # safe: a snapshot is recomputed from the database each time
    time_limit=1800,
    soft_time_limit=1750,
    **RETRY_POLICY,
)
def refresh_dashboards() -> int:
    """Recompute the dashboard snapshots that are due (see ``partners.snapshots``)."""
    return snapshots.refresh_due()
