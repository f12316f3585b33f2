"""Standard-setting tasks (imported by QualityConfig.ready so the worker knows them)."""

from celery import shared_task

from config.dispatch import RETRY_POLICY


@shared_task(
    name="quality.tasks.angoff_adoption_run",
    acks_late=True,  # safe: it does nothing unless the study is still "adopting"
    time_limit=900,
    soft_time_limit=870,
    **RETRY_POLICY,
)
def angoff_adoption_run(study_id: int) -> str:
    """Publish an adopted study's new version and start its preview; the study's status."""
    from .angoff_adoption import angoff_adoption_run as run

    study = run(study_id=study_id)
    return study.status if study else "missing"
