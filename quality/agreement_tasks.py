"""Agreement statistics task (imported by QualityConfig.ready so the worker knows it)."""

from celery import shared_task

from config.dispatch import RETRY_POLICY


@shared_task(
    name="quality.tasks.compute_agreement",
    acks_late=True,  # safe: a report is recomputed from the marks each time
    time_limit=1800,
    soft_time_limit=1750,
    **RETRY_POLICY,
)
def compute_agreement(scenario_slug: str = "") -> int:
    """Compute and store agreement statistics (one scenario, or all when empty)."""
    from .agreement import report_compute

    return report_compute(scenario_slug=scenario_slug).pk
