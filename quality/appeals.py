"""Appeal services (writes): filing, assigning a reviewer, deciding, telling the candidate.

Who may review an appeal (enforced here, on assignment and again on deciding): a grader or
programme admin who is not the candidate, did not grade the attempt (no human score or mark of
it, did not decide it or request its regrade) and shares no partner firm with the candidate.
Changes to the decision itself go through assessments services (``decision_overturn``,
``regrade_request``), so the credential follows through the decision hook.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Membership, Role, User
from accounts.selectors import organisation_ids_of
from assessments.models import Attempt, CertificationDecision
from assessments.services.appeals import decision_overturn
from assessments.services.regrades import regrade_request
from audit.services import audit_record
from config.errors import Conflict, Forbidden, InvalidRequest, NotFound

from .appeal_models import Appeal
from .appeal_selectors import attempt_grader_ids

REASON_MAX = 5000


def window_days() -> int:
    return int(getattr(settings, "QUALITY_APPEAL_WINDOW_DAYS", 30))


def window_closes(decision: CertificationDecision):
    return decision.decided_at + timedelta(days=window_days())


def appealable_decision(*, attempt: Attempt, now=None) -> CertificationDecision | None:
    """The attempt's standing failed decision while the appeal window is open, else None."""
    now = now or timezone.now()
    decision = CertificationDecision.objects.filter(
        attempt=attempt, reversed_at__isnull=True
    ).first()
    if decision is None or decision.outcome != CertificationDecision.Outcome.FAIL:
        return None
    return decision if now <= window_closes(decision) else None


def reviewer_conflict(*, reviewer: User, attempt: Attempt) -> str | None:
    """Why ``reviewer`` may not review an appeal on ``attempt`` (None when they may)."""
    staff = reviewer.role in (Role.GRADER, Role.PROGRAMME_ADMIN) or reviewer.is_superuser
    if not (reviewer.is_active and staff):
        return "only graders and programme staff review appeals"
    if reviewer.pk == attempt.candidate_id:
        return "a candidate cannot review their own appeal"
    if reviewer.pk in attempt_grader_ids(attempt_id=attempt.pk):
        return "the reviewer graded or decided this attempt"
    if organisation_ids_of(user=reviewer) & organisation_ids_of(user=attempt.candidate):
        return "the reviewer shares a partner firm with the candidate"
    return None


def eligible_reviewers(*, attempt: Attempt):
    """Reviewers who may take an appeal on ``attempt``, least loaded first."""
    firms = organisation_ids_of(user=attempt.candidate)
    firm_mates = Membership.objects.filter(
        organisation_id__in=firms, left_at__isnull=True
    ).values_list("user_id", flat=True)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=[Role.GRADER, Role.PROGRAMME_ADMIN]) | Q(is_superuser=True))
        .exclude(pk=attempt.candidate_id)
        .exclude(pk__in=attempt_grader_ids(attempt_id=attempt.pk))
        .exclude(pk__in=firm_mates)
        .annotate(
            load=Count("appeals_to_review", filter=Q(appeals_to_review__status__in=Appeal.OPEN))
        )
        .order_by("load", "pk")
    )


def appeal_file(*, attempt: Attempt, candidate: User, reason: str) -> Appeal:
    """The candidate appeals the attempt's standing failed decision, within the window. The
    appeal is assigned at once to the least loaded eligible reviewer (or waits for staff)."""
    reason = (reason or "").strip()
    if attempt.candidate_id != candidate.pk:
        raise NotFound("No such attempt.", code="attempt_not_found")
    if not reason:
        raise InvalidRequest("Say why you appeal the decision.", code="reason_required")
    if len(reason) > REASON_MAX:
        raise InvalidRequest(
            f"Keep the reason under {REASON_MAX} characters.", code="reason_too_long"
        )
    with transaction.atomic():
        decision = appealable_decision(attempt=attempt)
        if decision is None:
            raise Conflict(
                "There is no decision you can appeal: appeals are for a decision that did not "
                f"certify you, within {window_days()} days of it.",
                code="not_appealable",
            )
        if Appeal.objects.filter(decision=decision).exists():
            raise Conflict("You already appealed this decision.", code="already_appealed")
        appeal = Appeal.objects.create(
            attempt=attempt, decision=decision, candidate=candidate, reason=reason
        )
        audit_record(
            actor=candidate,
            action="appeal.filed",
            target=appeal,
            reason=reason,
            data={"decision": str(decision.pk), "attempt": str(attempt.pk)},
        )
        reviewer = eligible_reviewers(attempt=attempt).first()
        if reviewer is not None:
            _assign(appeal, reviewer, actor=None)
        _tell_candidate(appeal, "filed")
    return appeal


def appeal_assign(*, appeal: Appeal, reviewer: User, actor: User) -> Appeal:
    """Programme staff (re)assign an open appeal; the reviewer rule is enforced."""
    if not actor.is_programme_admin:
        raise Forbidden("Only programme staff assign appeals.", code="permission_denied")
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("attempt").get(pk=appeal.pk)
        if not appeal.is_open:
            raise Conflict("This appeal is decided already.", code="appeal_decided")
        conflict = reviewer_conflict(reviewer=reviewer, attempt=appeal.attempt)
        if conflict:
            raise Forbidden(
                f"This reviewer may not take the appeal: {conflict}.", code="reviewer_conflict"
            )
        _assign(appeal, reviewer, actor=actor)
    return appeal


def _assign(appeal: Appeal, reviewer: User, *, actor) -> None:
    appeal.reviewer, appeal.assigned_at = reviewer, timezone.now()
    appeal.status = Appeal.Status.UNDER_REVIEW
    appeal.save(update_fields=["reviewer", "assigned_at", "status"])
    audit_record(
        actor=actor, action="appeal.assigned", target=appeal, data={"reviewer": reviewer.pk}
    )


def appeal_decide(
    *, appeal: Appeal, reviewer: User, outcome: str, reason: str, to_latest: bool = True
) -> Appeal:
    """The assigned reviewer decides: ``upheld``, ``regraded`` (an ordinary regrade is
    requested; it decides when it is done) or ``overturned`` (the decision is reversed and the
    opposite outcome recorded). Each with reasons, an audit row and an email to the candidate."""
    reason = (reason or "").strip()
    if outcome not in Appeal.OUTCOMES:
        raise InvalidRequest(
            "The outcome is one of upheld, regraded, overturned.", code="invalid_outcome"
        )
    if not reason:
        raise InvalidRequest("Give the reasons for the outcome.", code="reason_required")
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update()
            .select_related("attempt__candidate", "decision")
            .get(pk=appeal.pk)
        )
        if appeal.reviewer_id != reviewer.pk:
            raise Forbidden("This appeal is assigned to someone else.", code="not_your_appeal")
        if not appeal.is_open:
            raise Conflict("This appeal is decided already.", code="appeal_decided")
        conflict = reviewer_conflict(reviewer=reviewer, attempt=appeal.attempt)
        if conflict:
            raise Forbidden(
                f"You may no longer decide this appeal: {conflict}.", code="reviewer_conflict"
            )
        if appeal.decision.reversed_at is not None:
            raise Conflict(
                "The appealed decision was replaced since (a regrade?): read the new one first.",
                code="decision_changed",
            )
        if outcome == Appeal.Status.REGRADED:
            appeal.regrade = regrade_request(
                attempt=appeal.attempt,
                actor=reviewer,
                reason=f"Appeal {appeal.pk}: {reason}",
                to_latest=to_latest,
            )
        elif outcome == Appeal.Status.OVERTURNED:
            appeal.new_decision = decision_overturn(
                decision=appeal.decision, actor=reviewer, reason=f"Appeal {appeal.pk}: {reason}"
            )
        appeal.status, appeal.outcome_reason = outcome, reason
        appeal.decided_at = timezone.now()
        appeal.save(
            update_fields=["status", "outcome_reason", "decided_at", "regrade", "new_decision"]
        )
        audit_record(
            actor=reviewer,
            action=f"appeal.{outcome}",
            target=appeal,
            reason=reason,
            data={
                "decision": str(appeal.decision_id),
                "regrade": str(appeal.regrade_id) if appeal.regrade_id else None,
                "new_decision": str(appeal.new_decision_id) if appeal.new_decision_id else None,
            },
        )
        _tell_candidate(appeal, "decided")
    return appeal


def _tell_candidate(appeal: Appeal, event: str) -> None:
    """Email the candidate once the transaction commits (console backend in development)."""
    transaction.on_commit(partial(_send, appeal.pk, event), robust=True)


def _send(appeal_id, event: str) -> None:
    appeal = Appeal.objects.select_related("candidate", "attempt__exam").get(pk=appeal_id)
    subjects = {
        "filed": "We received your appeal",
        "decided": f"Your appeal: {appeal.get_status_display()}",
    }
    send_mail(
        subject=f"{subjects[event]} ({appeal.attempt.exam.title})",
        message=render_to_string(
            f"quality/appeals/email/{event}.txt",
            {"appeal": appeal, "window_days": window_days()},
        ),
        from_email=None,
        recipient_list=[appeal.candidate.email],
    )
