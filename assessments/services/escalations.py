"""Escalations (every waiting state that timed out lands here for programme staff), and the
periodic sweep that finds them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from config.api import Conflict, ServiceError

from .. import conf
from ..models import Attempt, Escalation, GradingJob, HumanScore
from .grading import escalation_open

__all__ = ["decisions_sweep", "escalation_open", "escalation_resolve", "pipeline_sweep"]


def escalation_resolve(*, escalation: Escalation, actor, resolution: str) -> Escalation:
    """Staff close an escalation, saying what they did."""
    if not resolution.strip():
        raise ServiceError("Say how the escalation was resolved.", code="resolution_required")
    with transaction.atomic():
        if not Escalation.objects.filter(pk=escalation.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
        ):
            raise Conflict("This escalation is already resolved.", code="already_resolved")
        escalation.refresh_from_db()
        audit_record(
            actor=actor, action="escalation.resolved", target=escalation, reason=resolution
        )
    return escalation


def decisions_sweep(*, now=None) -> int:
    """Safety net: record the decision of any attempt whose grading is complete but which was
    left undecided (the process that finished the last job died between commit and decision,
    or a bug). Escalates an attempt it still cannot decide. At most 100 a sweep."""
    from .decisions import decision_record_if_complete

    now = now or timezone.now()
    undecided = (
        Attempt.objects.filter(
            status=Attempt.Status.SUBMITTED,
            decisions__isnull=True,
            submitted_at__lt=now - timedelta(seconds=conf.decision_grace_seconds()),
        )
        .exclude(
            jobs__status__in=[
                GradingJob.Status.QUEUED,
                GradingJob.Status.RUNNING,
                GradingJob.Status.FAILED,
            ]
        )
        .exclude(
            reports__human_scores__status__in=[HumanScore.Status.OPEN, HumanScore.Status.CLAIMED]
        )
        .distinct()
    )
    recorded = 0
    for attempt in undecided[:100]:
        if decision_record_if_complete(attempt=attempt):
            recorded += 1
        elif not attempt.jobs.exists():
            with transaction.atomic():
                escalation_open(
                    kind=Escalation.Kind.DECISION_MISSING,
                    target=attempt,
                    detail="submitted without grading jobs",
                )
    return recorded


def pipeline_sweep() -> dict:
    """Everything the periodic sweeper does, each part bounded: expire attempts past their
    deadline, re-send lost grading jobs and escalate late ones, escalate overdue human
    scoring, and record decisions that were missed."""
    from ..selectors import attempts_past_deadline
    from .attempts import attempt_expire
    from .grading import grading_sweep
    from .human_scoring import scoring_sweep
    from .regrade_batches import regrade_batches_sweep

    expired = 0
    for attempt in attempts_past_deadline()[:200]:
        attempt_expire(attempt=attempt)
        expired += 1
    return {
        "expired": expired,
        "grading": grading_sweep(),
        "scoring_escalated": scoring_sweep(),
        "decisions_recorded": decisions_sweep(),
        "regrade_batches_resent": regrade_batches_sweep(),
    }
