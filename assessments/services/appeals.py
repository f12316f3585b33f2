"""What an appeal may do to a certification decision (the appeal itself lives in ``quality``).

A reviewer who decides an appeal either leaves the decision alone (upheld), asks for a regrade
(the ordinary regrade, previewed first: ``regrades.regrade_preview`` / ``regrade_request``), or
overturns it here: the decision is reversed and the opposite outcome recorded, decided by the
reviewer, in one transaction with the attempt's row lock. Both steps go through the decision
hook, so the credential follows (withdrawn with a reversed pass, issued with a recorded pass).
"""

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict, InvalidRequest

from ..hooks import notify_decision
from ..models import CertificationDecision
from .decisions import decision_reverse
from .jobs import lock_attempt


def decision_overturn(
    *, decision: CertificationDecision, actor, reason: str
) -> CertificationDecision:
    """Reverse ``decision`` and record the opposite outcome, decided by ``actor``.

    Overturning a fail to a pass is the reviewer's finding that the candidate met every critical
    checkpoint and the standard; the new decision says so (``critical_passed``) and its rationale
    names the appeal. The scores are kept as they were: they are what the engine and graders
    gave, the overturn is a human judgement on top of them."""
    if not reason.strip():
        raise InvalidRequest("Say why the decision is overturned.", code="reason_required")
    if decision.attempt_id is None:
        raise Conflict("Only a decision on an attempt can be overturned.", code="no_attempt")
    with transaction.atomic():
        lock_attempt(decision.attempt_id)
        current = CertificationDecision.objects.get(pk=decision.pk)
        if current.reversed_at is not None:
            raise Conflict("This decision was already reversed.", code="already_reversed")
        decision_reverse(decision=current, actor=actor, reason=f"Overturned on appeal: {reason}")
        passing = current.outcome == CertificationDecision.Outcome.FAIL
        new = CertificationDecision.objects.create(
            user_id=current.user_id,
            certification_id=current.certification_id,
            attempt_id=current.attempt_id,
            outcome="pass" if passing else "fail",
            critical_passed=True if passing else current.critical_passed,
            total=current.total,
            cut_score=current.cut_score,
            domain_scores=current.domain_scores,
            decided_at=timezone.now(),
            decided_by=actor,
            report_ids=current.report_ids,
            rationale=f"Overturned on appeal (decision {current.pk}): {reason}",
        )
        audit_record(
            actor=actor,
            action="decision.recorded",
            target=new,
            reason=reason,
            data={"overturns": str(current.pk), "outcome": new.outcome},
        )
        notify_decision(new.id, "recorded")
    return new
