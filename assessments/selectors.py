"""Reads, with the access rules in one place: candidates see their own attempts, graders the
items they hold (anonymised), programme admins everything, partner managers no exam content."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from config.errors import InvalidRequest

from . import conf, hooks
from .models import (
    Attempt,
    Certification,
    CertificationDecision,
    Escalation,
    Exam,
    GradeReport,
    GradingJob,
    HumanScore,
    RegradeBatchItem,
)


def certifications() -> QuerySet[Certification]:
    return Certification.objects.order_by("name")


def open_exams() -> QuerySet[Exam]:
    return Exam.objects.filter(is_active=True).select_related("certification").order_by("title")


def attempts_for_user(*, user) -> QuerySet[Attempt]:
    # decisions and jobs come along: grading_status reads them for every attempt listed
    qs = Attempt.objects.select_related("exam", "exam__certification").prefetch_related(
        "decisions", "jobs"
    )
    if user.is_programme_admin:
        return qs
    return qs.filter(candidate=user)


def attempts_past_deadline() -> QuerySet[Attempt]:
    grace = timedelta(seconds=conf.submit_grace_seconds())
    return Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lt=timezone.now() - grace
    ).select_related("exam")


def items_held_by(*, grader) -> QuerySet[HumanScore]:
    return HumanScore.objects.filter(
        grader=grader, status=HumanScore.Status.CLAIMED
    ).select_related(
        "report__scenario_version__scenario", "report__job__attempt", "report__job__regrade"
    )


def escalations(*, state: str = "open") -> QuerySet[Escalation]:
    qs = Escalation.objects.order_by("-created_at")
    if state == "open":
        return qs.filter(resolved_at__isnull=True)
    if state == "resolved":
        return qs.filter(resolved_at__isnull=False)
    return qs


def grading_status(*, attempt: Attempt) -> str:
    """One word for the candidate: not_submitted, queued, grading, awaiting_human, decided,
    abandoned, or needs_staff (an escalated failure: never the candidate's fault). Reads the
    attempt's decisions and jobs through ``.all()``, so a prefetched list costs no query."""
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return "not_submitted"
    if attempt.status == Attempt.Status.ABANDONED:
        return "abandoned"
    if any(d.reversed_at is None for d in attempt.decisions.all()):
        return "decided"
    if attempt.decisions.all():
        return "reversed"  # every decision reversed (appeal, misconduct), none recorded since
    jobs = list(attempt.jobs.all())
    if any(j.status == GradingJob.Status.FAILED for j in jobs):
        return "needs_staff"
    if any(j.status == GradingJob.Status.QUEUED for j in jobs):
        return "queued"
    if any(j.status == GradingJob.Status.RUNNING for j in jobs):
        return "grading"
    return "awaiting_human"


def attempt_summary(attempt: Attempt) -> dict:
    """What the attempt list and the attempt detail both show: the one source of its state."""
    return {
        "id": attempt.id,
        "exam": attempt.exam,
        "status": attempt.status,
        "grading_status": grading_status(attempt=attempt),
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "auto_submitted": attempt.auto_submitted,
    }


def attempt_view(attempt: Attempt) -> dict:
    """An attempt as its candidate sees it: state, server deadline, and for each scenario the
    brief rendered with the attempt's own variant and the latest draft (or the submission)."""
    from scenarios.engine import draw_variant, public_variant, render_brief
    from scenarios.models import ScenarioVersion
    from scenarios.selectors import pack_for_version

    from .services.attempts import latest_drafts

    drafts = latest_drafts(attempt) if attempt.submission is None else {}
    parts = []
    for version in ScenarioVersion.objects.filter(
        pk__in=attempt.scenario_version_ids
    ).select_related("scenario"):
        pack = pack_for_version(version)
        variant = draw_variant(pack, attempt.seed)
        parts.append(
            {
                "scenario_version_id": version.pk,
                "scenario": version.scenario.slug,
                "version": version.version,
                "title": version.title,
                "brief": render_brief(pack, variant),
                "variant": public_variant(pack, variant),  # not the hidden cases' numbers
                "draft": (attempt.submission or {}).get(str(version.pk)) or drafts.get(version.pk),
            }
        )
    parts.sort(key=lambda p: attempt.scenario_version_ids.index(p["scenario_version_id"]))
    return {**attempt_summary(attempt), "parts": parts}


def attempt_result(*, attempt: Attempt) -> dict:
    """Grading progress and results: the jobs, the reports the current decision rests on (or,
    before a decision, the submission's reports so far), and the latest decision."""
    decision = CertificationDecision.objects.filter(attempt=attempt).order_by("-decided_at").first()
    if decision and decision.report_ids:
        reports = GradeReport.objects.filter(pk__in=decision.report_ids)
    else:
        reports = GradeReport.objects.filter(attempt=attempt, job__regrade=None)
    return {
        "grading_status": grading_status(attempt=attempt),
        "jobs": attempt.jobs.filter(regrade=None).select_related("scenario_version__scenario"),
        "reports": [r.report for r in reports.order_by("job__requested_at")],
        "decision": decision,
    }


def credential_of_decision(decision: CertificationDecision) -> dict | None:
    """``{id, url, status}`` of the credential the decision issued, from the credential layer
    (through ``hooks``: this app does not know how credentials are stored)."""
    return hooks.credential_links([decision.pk]).get(decision.pk)


def regrade_batch_items(*, batch, effect: str | None = None, affected: bool = False):
    """A batch's previews, filtered by effect, or to those the fix changes."""
    items = batch.items.all()
    if effect:
        if effect not in RegradeBatchItem.Effect.values:
            raise InvalidRequest(
                f"effect is one of {', '.join(RegradeBatchItem.Effect.values)}.",
                code="invalid_filter",
            )
        items = items.filter(effect=effect)
    if affected:
        items = items.exclude(effect=RegradeBatchItem.Effect.NONE)
    return items.order_by("id")


def exam_standing(*, candidate, exam: Exam, now) -> dict:
    """Where a candidate stands against an exam's policy: the prerequisites they lack, the
    attempts they used in the rolling window, when a cooldown after a fail ends (None when it
    has), and the attempts started in the window. ``attempt_start`` enforces it; the
    candidate's pages state it."""
    missing = [
        c.name
        for c in exam.certification.prerequisites.all()
        if not CertificationDecision.objects.filter(
            user=candidate, certification=c, outcome="pass", reversed_at__isnull=True
        ).exists()
    ]
    attempts = Attempt.objects.filter(
        exam=exam, candidate=candidate, started_at__gte=now - timedelta(days=exam.window_days)
    )
    last_fail = (
        CertificationDecision.objects.filter(
            attempt__exam=exam, user=candidate, outcome="fail", reversed_at__isnull=True
        )
        .order_by("-decided_at")
        .first()
    )
    cooldown_until = None
    if last_fail:
        ready = last_fail.decided_at + timedelta(hours=exam.cooldown_hours_after_fail)
        cooldown_until = ready if now < ready else None
    return {
        "missing_prerequisites": missing,
        "attempts": attempts,
        "attempts_used": attempts.exclude(status=Attempt.Status.IN_PROGRESS).count(),
        "cooldown_until": cooldown_until,
    }
