"""Reads, with the access rules in one place: candidates see their own attempts, graders the
items they hold (anonymised), programme admins everything, partner managers no exam content."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from . import conf
from .models import Attempt, Certification, Escalation, Exam, GradingJob, HumanScore


def certifications() -> QuerySet[Certification]:
    return Certification.objects.order_by("name")


def open_exams() -> QuerySet[Exam]:
    return Exam.objects.filter(is_active=True).select_related("certification").order_by("title")


def attempts_for_user(*, user) -> QuerySet[Attempt]:
    qs = Attempt.objects.select_related("exam", "exam__certification")
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
    ).select_related("report", "report__scenario_version__scenario")


def open_escalations() -> QuerySet[Escalation]:
    return Escalation.objects.filter(resolved_at__isnull=True).order_by("-created_at")


def grading_status(*, attempt: Attempt) -> str:
    """One word for the candidate: not_submitted, queued, grading, awaiting_human, decided,
    abandoned, or needs_staff (an escalated failure: never the candidate's fault)."""
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return "not_submitted"
    if attempt.status == Attempt.Status.ABANDONED:
        return "abandoned"
    if hasattr(attempt, "decision"):
        return "decided"
    jobs = list(attempt.jobs.all())
    if any(j.status == GradingJob.Status.FAILED for j in jobs):
        return "needs_staff"
    if any(j.status == GradingJob.Status.QUEUED for j in jobs):
        return "queued"
    if any(j.status == GradingJob.Status.RUNNING for j in jobs):
        return "grading"
    return "awaiting_human"
