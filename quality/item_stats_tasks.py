"""Item statistics tasks (imported by QualityConfig.ready so the worker knows them). Each loads
its rows and calls one service; all are idempotent, so a redelivered message is harmless."""

from celery import shared_task

from config.dispatch import RETRY_POLICY


@shared_task(
    name="quality.tasks.item_statistics_count",
    acks_late=True,  # safe: the ledger counts each report once
    time_limit=60,
    soft_time_limit=50,
    **RETRY_POLICY,
)
def item_statistics_count(attempt_id: str) -> list[int]:
    """Count a decided or regraded attempt's current reports into the sums; the versions
    changed (their snapshots are republished, debounced)."""
    from .item_stats_services import item_stats_count_attempt

    return sorted(item_stats_count_attempt(attempt_id=attempt_id))


@shared_task(
    name="quality.tasks.item_statistics_publish",
    acks_late=True,  # safe: the snapshot is recomputed from the sums each time
    time_limit=60,
    soft_time_limit=50,
    **RETRY_POLICY,
)
def item_statistics_publish(version_id: int) -> int:
    """Republish one version's snapshot from its sums; the attempts it covers."""
    from .item_stats_services import item_stats_publish

    snapshot = item_stats_publish(version_id=version_id)
    return snapshot.attempts if snapshot else 0


@shared_task(
    name="quality.tasks.item_statistics_sweep",
    time_limit=600,
    soft_time_limit=570,
    **RETRY_POLICY,
)
def item_statistics_sweep() -> dict:
    """Beat: count what lost messages missed, publish every version whose sums changed."""
    from .item_stats_services import item_stats_sweep

    return item_stats_sweep()


@shared_task(
    name="quality.tasks.item_statistics_refresh",
    acks_late=True,  # safe: a rebuild recomputes everything from the reports
    time_limit=1800,
    soft_time_limit=1750,
    **RETRY_POLICY,
)
def item_statistics_refresh(version_id: int, actor_id: int | None = None) -> int:
    """Rebuild the item statistics of the version's scenario from the reports (SQL
    aggregates) and publish; the reports counted for this version."""
    from django.contrib.auth import get_user_model

    from scenarios.models import ScenarioVersion

    from .item_stats_rebuild import item_stats_rebuild

    version = ScenarioVersion.objects.select_related("scenario").filter(pk=version_id).first()
    if version is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    counts = item_stats_rebuild(scenario=version.scenario, actor=actor, reason="requested")
    return counts.get(version_id, 0)
