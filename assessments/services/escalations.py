"""Escalations: every waiting state that timed out, and every failure people must look at,
lands here for programme staff. The sweeps that find them live with what they watch; the
periodic sweeper that runs them all is ``sweep.pipeline_sweep``."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict, InvalidRequest

from .. import conf
from ..models import Attempt, Escalation, GradingJob, HumanScore
from .decisions import decision_record_if_complete


def escalation_open(*, kind: str, target, detail: str = "") -> Escalation | None:
    """Open an escalation for programme admins (at most one open per target and kind)."""
    target_type, target_id = target._meta.label_lower, str(target.pk)
    if Escalation.objects.filter(
        kind=kind, target_type=target_type, target_id=target_id, resolved_at__isnull=True
    ).exists():
        return None
    escalation = Escalation.objects.create(
        kind=kind, target_type=target_type, target_id=target_id, detail=detail
    )
    audit_record(actor=None, action="escalation.opened", target=escalation, reason=detail)
    return escalation


def escalation_resolve(*, escalation: Escalation, actor, resolution: str) -> Escalation:
    """Staff close an escalation, saying what they did."""
    if not resolution.strip():
        raise InvalidRequest("Say how the escalation was resolved.", code="resolution_required")
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
            reports__human_scores__status__in=[
                HumanScore.Status.OPEN,
                HumanScore.Status.CLAIMED,
                HumanScore.Status.DISPUTED,  # waiting for adjudication, not missed
            ]
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
