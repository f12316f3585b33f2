"""Regrading: replaying an attempt's frozen designs, previewed before anything changes.

Grading is a pure function of (scenario version, seed, design, engine version), so a regrade is
a replay: against the same versions it reproduces the report; against a newer version of the same
scenario (a fixed rubric) it shows what the fix does. The preview runs the engine in-process and
changes nothing; the regrade itself runs as ordinary grading jobs and, when they are done,
either leaves the decision alone or reverses it and records the new one (the decision hook tells
the credential layer, which withdraws or issues accordingly).
"""

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict, InvalidRequest
from scenarios import engine
from scenarios.models import ScenarioVersion
from scenarios.selectors import pack_for_version

from ..hooks import notify_regrade_concluded
from ..models import Attempt, GradeReport, HumanScore, Regrade
from .decisions import (
    active_decision,
    combine,
    conclusive,
    decision_record,
    decision_reverse,
    exam_cut_score,
    round_reports,
)
from .jobs import grading_jobs_create, lock_attempt, submitted_designs


def regrade_versions(*, attempt: Attempt, to_latest: bool) -> list[ScenarioVersion]:
    """The versions a regrade grades against, in exam order: the attempt's own (a pure replay)
    or the latest published version of each of its scenarios."""
    own = {v.pk: v for v in ScenarioVersion.objects.filter(pk__in=attempt.scenario_version_ids)}
    versions = [own[pk] for pk in attempt.scenario_version_ids]
    if not to_latest:
        return versions
    latest = []
    for version in versions:
        newest = (
            ScenarioVersion.objects.filter(scenario_id=version.scenario_id)
            .order_by("-version")
            .first()
        )
        latest.append(newest)
    return latest


def _summary(decision) -> dict | None:
    if decision is None:
        return None
    return {
        "id": str(decision.pk),
        "outcome": decision.outcome,
        "critical_passed": decision.critical_passed,
        "total": decision.total,
    }


def _changed(current, result: dict) -> bool:
    if current is None:
        return True
    return (
        current.outcome != result["outcome"]
        or current.critical_passed != result["critical_passed"]
        or abs(current.total - result["total"]) > 0.005
    )


def regrade_preview(*, attempt: Attempt, to_latest: bool = True) -> dict:
    """What a regrade would decide, without changing anything. Human scores already given to
    the same criteria are reused; criteria nobody has scored yet leave the result pending."""
    if attempt.status != Attempt.Status.SUBMITTED:
        raise Conflict("Only a submitted attempt can be regraded.", code="attempt_not_submitted")
    versions = regrade_versions(attempt=attempt, to_latest=to_latest)
    given = regrade_versions(attempt=attempt, to_latest=False)
    designs = submitted_designs(attempt)
    reports = []
    for version, own, design in zip(versions, given, designs, strict=True):
        # The organisation the candidate was given (its variant), the rubric as fixed.
        pack, given_pack = pack_for_version(version), pack_for_version(own)
        report = engine.grade(pack, attempt.seed, design, variant_from=given_pack).to_dict()
        scored = {
            s.checkpoint_id: {"points": s.points, "comment": s.comment}
            for s in HumanScore.objects.filter(
                report__attempt=attempt,
                report__scenario_version__scenario_id=version.scenario_id,
                status=HumanScore.Status.SCORED,
            ).order_by("scored_at")
        }
        pending = {p["id"] for p in report["pending_human"]}
        reuse = {k: v for k, v in scored.items() if k in pending}
        if reuse:
            report = engine.finalize(report, reuse)
        reports.append(report)
    current = active_decision(attempt=attempt)
    certification = attempt.exam.certification
    result = combine(
        reports, cut_score=exam_cut_score(certification=certification, reports=reports)
    )
    decidable = conclusive(reports)
    return {
        "attempt": str(attempt.pk),
        "scenario_version_ids": [v.pk for v in versions],
        "engine_version": engine.ENGINE_VERSION,
        "current": _summary(current),
        "proposed": {**result, "conclusive": decidable},
        "would_change": decidable and _changed(current, result),
        "outcome_flips": bool(decidable and current and current.outcome != result["outcome"]),
        "checkpoints_changed": _checkpoint_changes(attempt, reports),
    }


def _checkpoint_changes(attempt: Attempt, reports: list[dict]) -> list[dict]:
    current = active_decision(attempt=attempt)
    old_reports = (
        [r.report for r in GradeReport.objects.filter(pk__in=current.report_ids)] if current else []
    )
    old = {
        (r["scenario"]["slug"], c["id"]): c["status"] for r in old_reports for c in r["checkpoints"]
    }
    changes = []
    for report in reports:
        for cp in report["checkpoints"]:
            key = (report["scenario"]["slug"], cp["id"])
            if old.get(key) != cp["status"]:
                changes.append(
                    {
                        "scenario": key[0],
                        "checkpoint": key[1],
                        "from": old.get(key),
                        "to": cp["status"],
                    }
                )
    return changes


def regrade_request(*, attempt: Attempt, actor, reason: str, to_latest: bool = True) -> Regrade:
    """Queue a regrade of a submitted attempt. One at a time per attempt."""
    if not reason.strip():
        raise InvalidRequest("Say why the attempt is regraded.", code="reason_required")
    if attempt.status != Attempt.Status.SUBMITTED:
        raise Conflict("Only a submitted attempt can be regraded.", code="attempt_not_submitted")
    versions = regrade_versions(attempt=attempt, to_latest=to_latest)
    with transaction.atomic():
        lock_attempt(attempt.pk)
        if Regrade.objects.filter(attempt=attempt, status=Regrade.Status.PENDING).exists():
            raise Conflict("A regrade of this attempt is already running.", code="regrade_pending")
        regrade = Regrade.objects.create(
            attempt=attempt,
            requested_by=actor,
            reason=reason,
            scenario_version_ids=[v.pk for v in versions],
        )
        audit_record(
            actor=actor,
            action="regrade.requested",
            target=regrade,
            reason=reason,
            data={"scenario_version_ids": regrade.scenario_version_ids},
        )
        grading_jobs_create(attempt=attempt, regrade=regrade, actor=actor)
    return regrade


def regrade_conclude_if_complete(*, regrade: Regrade) -> Regrade | None:
    """Once the regrade's reports are conclusive: keep the decision if nothing changed, else
    reverse it and record the regrade's decision (decided by the staff member who asked).
    Called inside the transaction that finished the last job or score, attempt row locked."""
    reports = round_reports(list(regrade.jobs.all()))
    if reports is None or not conclusive([r.report for r in reports]):
        return None
    attempt = Attempt.objects.select_related("exam__certification", "candidate").get(
        pk=regrade.attempt_id
    )
    bodies = [r.report for r in reports]
    certification = attempt.exam.certification
    result = combine(bodies, cut_score=exam_cut_score(certification=certification, reports=bodies))
    current = active_decision(attempt=attempt)
    changed = _changed(current, result)
    status = Regrade.Status.CHANGED if changed else Regrade.Status.UNCHANGED
    with transaction.atomic():
        if not Regrade.objects.filter(pk=regrade.pk, status=Regrade.Status.PENDING).update(
            status=status, result=result, finished_at=timezone.now(), previous_decision=current
        ):
            return None  # concluded already
        regrade.refresh_from_db()
        if changed:
            if current is not None:
                decision_reverse(
                    decision=current,
                    actor=regrade.requested_by,
                    reason=f"Regrade {regrade.pk}: {regrade.reason}",
                )
            new = decision_record(
                attempt=attempt,
                reports=reports,
                decided_by=regrade.requested_by,
                rationale_prefix=f"Regrade ({regrade.reason}). ",
            )
            Regrade.objects.filter(pk=regrade.pk).update(new_decision=new)
            regrade.new_decision = new
        audit_record(
            actor=None,
            action=f"regrade.{status}",
            target=regrade,
            data={"result": result, "previous": _summary(current)},
        )
        notify_regrade_concluded(regrade.attempt_id)
    return regrade
