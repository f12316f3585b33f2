"""Certification decisions: the only thing that can lead to a credential.

A decision is recorded once an attempt's grading is complete (every job done, every human
criterion that could change the outcome scored), with both parts of the rule, who or what decided
and the reports it rests on, an audit row, and the decision hook fired in the same transaction.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict, InvalidRequest
from scenarios.models import ScenarioVersion

from ..hooks import notify_decision
from ..models import Attempt, CertificationDecision, GradeReport, GradingJob, HumanScore


def combine(reports: list[dict], *, cut_score: float) -> dict:
    """The certification rule over an attempt's reports: every critical checkpoint of every
    scenario passed (conjunctive), and the mean total reaches the certification's cut score
    (compensatory). Domain scores are averaged over the scenarios that test them."""
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
        "cut_score": cut_score,
        "domain_scores": {d: round(sum(v) / len(v), 2) for d, v in sorted(domains.items())},
    }


def exam_cut_score(*, certification, reports: list[dict]) -> float:
    """The cut score the compensatory rule applies to these reports: the certification's,
    except for a scenario version whose cut score a standard-setting study set (its rubric
    says ``standard_setting``, docs/quality/standard-setting.md): that scenario's own cut score
    is the standard there. Averaged over the exam's scenarios as the total is, so a
    one-scenario exam passes at exactly its scenario's standard."""
    if not reports:
        return float(certification.cut_score)
    keys = {(r["scenario"]["slug"], r["scenario"]["version"]) for r in reports}
    query = Q()
    for slug, version in keys:
        query |= Q(scenario__slug=slug, version=version)
    standard_set = {
        (slug, version)
        for slug, version, basis in ScenarioVersion.objects.filter(query).values_list(
            "scenario__slug", "version", "content__rubric__standard_setting"
        )
        if basis
    }
    cuts = [
        float(r["cut_score"])
        if (r["scenario"]["slug"], r["scenario"]["version"]) in standard_set
        else float(certification.cut_score)
        for r in reports
    ]
    return round(sum(cuts) / len(cuts), 2)


def conclusive(reports: list[dict]) -> bool:
    """Whether these reports decide the attempt: nothing is pending with people, or a critical
    checkpoint already failed (the conjunctive rule fails the attempt whatever people score)."""
    if any(r["critical_failures"] for r in reports):
        return True
    return not any(r["pending_human"] for r in reports)


def active_decision(*, attempt: Attempt) -> CertificationDecision | None:
    return CertificationDecision.objects.filter(attempt=attempt, reversed_at__isnull=True).first()


def round_reports(jobs: list[GradingJob]) -> list[GradeReport] | None:
    """The reports of one grading round (the submission's jobs, or one regrade's), in exam
    order, or None while any job is unfinished."""
    if not jobs or any(j.status != GradingJob.Status.DONE for j in jobs):
        return None
    by_job = {r.job_id: r for r in GradeReport.objects.filter(job__in=jobs)}
    if len(by_job) != len(jobs):
        return None
    return [by_job[j.pk] for j in sorted(jobs, key=lambda j: (j.requested_at, str(j.pk)))]


def decision_record(
    *,
    attempt: Attempt,
    reports: list[GradeReport],
    decided_by=None,
    rationale_prefix: str = "",
) -> CertificationDecision:
    """Record a decision on ``reports``. Call inside a transaction that holds the attempt's row
    lock. Raises IntegrityError when the attempt already has an unreversed decision."""
    certification = attempt.exam.certification
    bodies = [r.report for r in reports]
    result = combine(bodies, cut_score=exam_cut_score(certification=certification, reports=bodies))
    rationale = (
        "Critical checkpoints failed: " + ", ".join(result["critical_failures"])
        if result["critical_failures"]
        else f"Total {result['total']} against a cut score of {result['cut_score']}."
    )
    with transaction.atomic():
        decision = CertificationDecision.objects.create(
            user=attempt.candidate,
            certification=certification,
            attempt=attempt,
            outcome=result["outcome"],
            critical_passed=result["critical_passed"],
            total=result["total"],
            cut_score=result["cut_score"],
            domain_scores=result["domain_scores"],
            decided_at=timezone.now(),
            decided_by=decided_by,
            report_ids=[r.pk for r in reports],
            rationale=f"{rationale_prefix}{rationale}",
        )
    audit_record(actor=decided_by, action="decision.recorded", target=decision, data=result)
    # Human criteria that can no longer change the outcome are withdrawn from the graders' queue
    # (a critical failure in another scenario of the exam decided it).
    moot = HumanScore.objects.filter(
        report__attempt=attempt,
        status__in=[
            HumanScore.Status.OPEN,
            HumanScore.Status.CLAIMED,
            HumanScore.Status.DISPUTED,  # double marking: awaiting adjudication
        ],
    )
    for item in moot:
        if HumanScore.objects.filter(pk=item.pk, status=item.status).update(
            status=HumanScore.Status.CANCELLED, lease_expires_at=None
        ):
            audit_record(
                actor=None,
                action="human_score.cancelled",
                target=item,
                reason=f"decision {decision.pk} recorded without it",
            )
    notify_decision(decision.id, "recorded")
    return decision


def decision_record_if_complete(*, attempt: Attempt) -> CertificationDecision | None:
    """Record the decision once the submission's grading is conclusive. Called after each job,
    each human score and by the sweeper; idempotent (never a second automatic decision)."""
    with transaction.atomic():
        # The attempt's row lock serialises the jobs and scores of one attempt, so two jobs
        # finishing at once cannot each see the other unfinished and both skip the decision.
        locked = (
            Attempt.objects.select_for_update()
            .select_related("exam__certification", "candidate")
            .get(pk=attempt.pk)
        )
        if CertificationDecision.objects.filter(attempt=locked).exists():
            return None
        reports = round_reports(list(GradingJob.objects.filter(attempt=locked, regrade=None)))
        if reports is None or not conclusive([r.report for r in reports]):
            return None
        try:
            return decision_record(attempt=locked, reports=reports)
        except IntegrityError:  # pragma: no cover - the row lock makes this unreachable
            return None


def decision_reverse(
    *, decision: CertificationDecision, actor, reason: str
) -> CertificationDecision:
    """Reverse a decision (appeal upheld, misconduct, a regrade that changed the result). Any
    credential it issued is withdrawn through the decision hook, in this transaction."""
    if not reason.strip():
        raise InvalidRequest("Say why the decision is reversed.", code="reason_required")
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
