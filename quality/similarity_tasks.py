"""Similarity tasks (imported by QualityConfig.ready so the worker knows them)."""

from celery import shared_task

from config.dispatch import RETRY_POLICY


@shared_task(name="quality.tasks.similarity_check", acks_late=True, **RETRY_POLICY)
def similarity_check(attempt_id: str) -> int:
    """Fingerprint an attempt's designs and flag similar ones; the pairs flagged. Idempotent."""
    from assessments.models import Attempt

    from .similarity_services import similarity_check as check

    attempt = Attempt.objects.filter(pk=attempt_id).first()
    return len(check(attempt=attempt)) if attempt else 0
