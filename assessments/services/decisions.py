"""Certification decisions: the only thing that can lead to a credential."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from config.api import Conflict

from ..hooks import notify_decision
from ..models import Attempt, CertificationDecision, GradeReport, GradingJob


def combine(reports: list[dict], *, cut_score: float) -> dict:
    """The certification rule over an attempt's final reports: every critical checkpoint of
    every scenario passed (conjunctive), and the mean total reaches the certification's cut
    score (compensatory). Domain scores are averaged over the scenarios that test them."""
    critical_failures = sorted(
        {f"{r['scenario']['slug']}:{c}" for r in reports for c in r["critical_failures"]}
    )
    total = round(sum(r["total"] for r in reports) / len(reports), 2)
    domains: dict[str, list[float]] = {}
    for r in reports:
        for domain, score in r["domain_scores"].items():
            domains.setdefault(domain, []).append(score)
    critical_passed = not critical_failures
    return {
        "outcome": "pass" if critical_passed and total >= cut_score else "fail",
        "critical_passed": critical_passed,
        "critical_failures": critical_failures,
        "total": total,
        "domain_scores": {d: round(sum(v) / len(v), 2) for d, v in sorted(domains.items())},
    }


def decision_record_if_complete(*, attempt: Attempt) -> CertificationDecision | None:
    """Record the decision once every job is done and every human criterion scored. Called
    after each job and each score; idempotent (one decision per attempt)."""
    jobs = list(GradingJob.objects.filter(attempt=attempt))
    if not jobs or any(j.status != GradingJob.Status.DONE for j in jobs):
        return None
    reports = list(GradeReport.objects.filter(attempt=attempt).order_by("job__requested_at"))
    if len(reports) != len(jobs) or any(r.report["decision"] == "awaiting_human" for r in reports):
        return None
    if CertificationDecision.objects.filter(attempt=attempt).exists():
        return None
    certification = attempt.exam.certification
    result = combine([r.report for r in reports], cut_score=certification.cut_score)
    try:
        with transaction.atomic():
            decision = CertificationDecision.objects.create(
                user=attempt.candidate,
                certification=certification,
                attempt=attempt,
                outcome=result["outcome"],
                critical_passed=result["critical_passed"],
                total=result["total"],
                cut_score=certification.cut_score,
                domain_scores=result["domain_scores"],
                decided_at=timezone.now(),
                report_ids=[r.pk for r in reports],
                rationale=(
                    "Critical checkpoints failed: " + ", ".join(result["critical_failures"])
                    if result["critical_failures"]
                    else f"Total {result['total']} against a cut score of {certification.cut_score}."
                ),
            )
            audit_record(actor=None, action="decision.recorded", target=decision, data=result)
            notify_decision(decision.id, "recorded")
    except IntegrityError:  # decided concurrently by the other scenario's job
        return None
    return decision


def decision_reverse(
    *, decision: CertificationDecision, actor, reason: str
) -> CertificationDecision:
    """Reverse a decision (appeal upheld, misconduct). Any credential it issued is withdrawn
    through the decision hook."""
    if not reason.strip():
        from config.api import ServiceError

        raise ServiceError("Say why the decision is reversed.", code="reason_required")
    with transaction.atomic():
        updated = CertificationDecision.objects.filter(
            pk=decision.pk, reversed_at__isnull=True
        ).update(reversed_at=timezone.now(), reversal_reason=reason)
        if not updated:
            raise Conflict("This decision was already reversed.", code="already_reversed")
        decision.refresh_from_db()
        audit_record(actor=actor, action="decision.reversed", target=decision, reason=reason)
        notify_decision(decision.id, "reversed")
    return decision
