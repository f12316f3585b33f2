"""Item statistics tasks (imported by QualityConfig.ready so the worker knows them)."""

from celery import shared_task

from config.dispatch import RETRY_POLICY


@shared_task(
    name="quality.tasks.item_statistics_refresh",
    acks_late=True,  # safe: a snapshot is recomputed from the database each time
    time_limit=1800,
    soft_time_limit=1750,
    **RETRY_POLICY,
)
def item_statistics_refresh(version_id: int) -> int:
    """Recompute one scenario version's item statistics snapshot; the attempts it covers."""
    from scenarios.models import ScenarioVersion

    from .item_stats_data import item_statistics_refresh as refresh

    version = ScenarioVersion.objects.filter(pk=version_id).first()
    return refresh(version=version).attempts if version else 0
