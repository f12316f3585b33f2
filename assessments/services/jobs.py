"""Grading job rows: one per scenario of a submission (or of a regrade), created in the
submission's transaction, sent to the grading queue after it commits, re-sent by the sweeper
when lost, released after an infrastructure error, retried by staff after a failure. Running a
job is ``grading.grading_job_run``.

Locking: before a transaction looks at whether an attempt's work is complete (after a job's
report, a human score) it takes the attempt's row lock (``lock_attempt``), so of two pieces of
work finishing at once the second waits for the first to commit and sees it: one of them always
completes the round. Job rows are only ever locked by their own claim and finish, before the
attempt's lock; the human scores, reports and decisions of an attempt only after it. (That fixed
order is why there is no deadlock between a job finishing and a grader scoring.)
"""

import hashlib
import json
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from config.dispatch import send, send_after_commit
from config.errors import Conflict

from .. import conf
from ..models import Attempt, Escalation, GradingJob
from .escalations import escalation_open

GRADE_JOB = "assessments.tasks.grade_job"
# A job whose first send has not happened yet is left alone this long (its transaction may be
# committing right now) before the sweeper sends it.
FIRST_SEND_GRACE_SECONDS = 5


def design_sha256(design: dict) -> str:
    return hashlib.sha256(json.dumps(design, sort_keys=True).encode()).hexdigest()


def grading_jobs_create(*, attempt: Attempt, regrade=None, actor=None) -> list[GradingJob]:
    """One job per scenario of the attempt (for a regrade: per scenario version it names), sent
    to the grading queue once the caller's transaction commits."""
    jobs = []
    designs = submitted_designs(attempt)
    version_ids = regrade.scenario_version_ids if regrade else attempt.scenario_version_ids
    for version_id, design in zip(version_ids, designs, strict=True):
        job = GradingJob.objects.create(
            attempt=attempt,
            scenario_version_id=version_id,
            design_sha256=design_sha256(design),
            regrade=regrade,
        )
        audit_record(actor=actor, action="grading_job.requested", target=job)
        jobs.append(job)
        send_after_commit(GRADE_JOB, str(job.id), on_sent=partial(_mark_enqueued, job.id))
    return jobs


def submitted_designs(attempt: Attempt) -> list[dict]:
    """The frozen designs in exam order. (Not ``submission.values()``: PostgreSQL's jsonb does
    not keep the order of an object's keys.)"""
    return [attempt.submission[str(v)] for v in attempt.scenario_version_ids]


def design_for_job(job: GradingJob) -> dict:
    """The frozen design a job grades: the submission's design for the same position in the
    exam (a regrade may grade it against a newer version of the scenario)."""
    if job.regrade_id is None:
        return job.attempt.submission[str(job.scenario_version_id)]
    return submitted_designs(job.attempt)[_position(job)]


def _position(job: GradingJob) -> int:
    return job.regrade.scenario_version_ids.index(job.scenario_version_id)


def given_version_id(job: GradingJob) -> int:
    """The version of the job's scenario the candidate was given (for a regrade against a
    newer version, the attempt's own one at the same position: its variant is kept)."""
    if job.regrade_id is None:
        return job.scenario_version_id
    return job.attempt.scenario_version_ids[_position(job)]


def lock_attempt(attempt_id) -> None:
    """Take the attempt's row lock (the module docstring gives the lock order)."""
    list(Attempt.objects.select_for_update().filter(pk=attempt_id).values_list("pk", flat=True))


def grading_jobs_send(*, job_ids: list[str]) -> int:
    """Put jobs on the grading queue now (the sweeper). A broker that is down is logged, not
    raised: the jobs stay queued in the database and the next sweep sends them."""
    sent = 0
    for job_id in job_ids:
        if send(GRADE_JOB, job_id):
            _mark_enqueued(job_id)
            sent += 1
    return sent


def _mark_enqueued(job_id) -> None:
    GradingJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


def grading_job_release(*, job_id: str) -> None:
    """An infrastructure error interrupted the run: put the job back in the queue state so a
    retry (or the sweeper) can claim it. The candidate's attempt is untouched."""
    with transaction.atomic():
        job = GradingJob.objects.filter(pk=job_id).first()
        if job and GradingJob.objects.filter(pk=job_id, status=GradingJob.Status.RUNNING).update(
            status=GradingJob.Status.QUEUED, claim_token=None
        ):
            audit_record(
                actor=None,
                action="grading_job.released",
                target=job,
                reason="infrastructure error; queued for another run",
            )


def grading_job_retry(*, job: GradingJob, actor) -> GradingJob:
    """Staff: run a failed job again from scratch (after an engine fix, say)."""
    with transaction.atomic():
        if not GradingJob.objects.filter(pk=job.pk, status=GradingJob.Status.FAILED).update(
            status=GradingJob.Status.QUEUED,
            runs=0,
            claim_token=None,
            started_at=None,
            finished_at=None,
            enqueued_at=None,
            error="",
        ):
            raise Conflict("Only a failed job can be retried.", code="job_not_failed")
        job.refresh_from_db()
        audit_record(actor=actor, action="grading_job.retried", target=job)
        send_after_commit(GRADE_JOB, str(job.pk), on_sent=partial(_mark_enqueued, job.pk))
    return job


def grading_sweep(*, now=None) -> dict:
    """Find jobs that were lost and send them again; escalate jobs that keep failing or have
    waited too long. Bounded: at most 500 jobs re-sent and 100 escalated a sweep."""
    now = now or timezone.now()
    requeue_before = now - timedelta(seconds=conf.requeue_after_seconds())
    stale_before = now - timedelta(seconds=conf.stale_after_seconds())
    lost_queued = GradingJob.objects.filter(status=GradingJob.Status.QUEUED).filter(
        Q(
            enqueued_at__isnull=True,
            requested_at__lt=now - timedelta(seconds=FIRST_SEND_GRACE_SECONDS),
        )
        | Q(enqueued_at__lt=requeue_before)
    )
    lost_running = GradingJob.objects.filter(
        status=GradingJob.Status.RUNNING, started_at__lt=stale_before
    )
    ids = [str(i) for i in lost_queued.values_list("id", flat=True)[:500]]
    ids += [str(i) for i in lost_running.values_list("id", flat=True)[:500]]
    already = set(
        Escalation.objects.filter(
            kind=Escalation.Kind.GRADING_STUCK,
            target_type=GradingJob._meta.label_lower,
            resolved_at__isnull=True,
        ).values_list("target_id", flat=True)
    )
    overdue = GradingJob.objects.filter(
        Q(runs__gte=conf.max_runs(), pk__in=ids)
        | Q(requested_at__lt=now - timedelta(seconds=conf.escalate_after_seconds())),
        status__in=[GradingJob.Status.QUEUED, GradingJob.Status.RUNNING],
    )
    escalated = 0
    for job in overdue.order_by("requested_at")[:100]:
        if str(job.pk) in already:
            continue
        waited = int((now - job.requested_at).total_seconds())
        with transaction.atomic():
            if escalation_open(
                kind=Escalation.Kind.GRADING_STUCK,
                target=job,
                detail=f"{job.status} for {waited} s after {job.runs} run(s)",
            ):
                escalated += 1
    sent = grading_jobs_send(job_ids=ids) if ids else 0
    return {"found": len(ids), "sent": sent, "escalated": escalated}
