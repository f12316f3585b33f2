"""Grading jobs: created with the submission, sent after commit, claimed by exactly one worker,
re-sent by the sweeper when lost. An infrastructure failure never counts against the candidate.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from scenarios import engine
from scenarios.selectors import pack_for_version

from .. import conf
from ..models import Attempt, Escalation, GradeReport, GradingJob, HumanScore
from .attempts import design_sha256

logger = logging.getLogger(__name__)


def grading_jobs_create(*, attempt: Attempt) -> list[GradingJob]:
    """One job per scenario of the attempt, sent to the grading queue once the caller's
    transaction commits."""
    jobs = []
    for version_id, design in attempt.submission.items():
        job = GradingJob.objects.create(
            attempt=attempt,
            scenario_version_id=int(version_id),
            design_sha256=design_sha256(design),
        )
        audit_record(actor=None, action="grading_job.requested", target=job)
        jobs.append(job)
    ids = [str(job.id) for job in jobs]
    transaction.on_commit(lambda: grading_jobs_send(job_ids=ids))
    return jobs


def grading_jobs_send(*, job_ids: list[str]) -> int:
    """Put jobs on the grading queue. A broker that is down is logged, not raised: the jobs
    stay queued in the database and the sweeper sends them when the broker is back."""
    from ..tasks import grade_job

    sent = 0
    for job_id in job_ids:
        try:
            grade_job.apply_async(args=[job_id], retry=False)
        except Exception:  # kombu/redis raise several types; any failure means "not sent"
            logger.warning(
                "grading job %s could not be sent; the sweeper will retry", job_id, exc_info=True
            )
            continue
        GradingJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
        sent += 1
    return sent


def grading_job_run(*, job_id: str) -> str:
    """Grade one job. Idempotent: a job that is done (or being graded by a live worker) is left
    alone, so a second delivery of the same message does nothing. Returns what happened."""
    token = uuid.uuid4()
    now = timezone.now()
    stale = now - timedelta(seconds=conf.stale_after_seconds())
    claimable = Q(status=GradingJob.Status.QUEUED) | Q(
        status=GradingJob.Status.RUNNING, started_at__lt=stale
    )
    from django.db.models import F

    claimed = GradingJob.objects.filter(claimable, pk=job_id).update(
        status=GradingJob.Status.RUNNING, started_at=now, claim_token=token, runs=F("runs") + 1
    )
    if not claimed:
        return "skipped"
    job = GradingJob.objects.select_related("attempt", "scenario_version").get(pk=job_id)
    if job.runs > conf.max_runs():
        _fail(job, token, "gave up after repeated lost runs")
        return "failed"
    delay = conf.test_delay_seconds()
    if delay:
        time.sleep(delay)
    design = job.attempt.submission[str(job.scenario_version_id)]
    try:
        report = engine.grade(
            pack_for_version(job.scenario_version), job.attempt.seed, design
        ).to_dict()
    except engine.InvalidDesign as exc:  # cannot happen for a validated submission; staff look
        _fail(job, token, f"design no longer validates: {[e.to_dict() for e in exc.errors][:3]}")
        return "failed"
    with transaction.atomic():
        finished = GradingJob.objects.filter(
            pk=job.pk, claim_token=token, status=GradingJob.Status.RUNNING
        ).update(
            status=GradingJob.Status.DONE,
            finished_at=timezone.now(),
            engine_version=report["engine_version"],
            error="",
        )
        if not finished:  # another worker took over a job we were too slow on; it records
            return "superseded"
        stored = GradeReport.objects.create(
            job=job,
            attempt=job.attempt,
            scenario_version=job.scenario_version,
            engine_report=report,
            decision=report["decision"],
            total=report["total"],
        )
        audit_record(
            actor=None,
            action="grading_job.done",
            target=job,
            data={"decision": report["decision"], "total": report["total"]},
        )
        audit_record(actor=None, action="grade_report.created", target=stored)
        _open_human_items(stored)
        from .decisions import decision_record_if_complete

        decision_record_if_complete(attempt=job.attempt)
    return "graded"


def _open_human_items(report: GradeReport) -> None:
    due = timezone.now() + timedelta(hours=conf.scoring_due_hours())
    for pending in report.engine_report["pending_human"]:
        cp = next(c for c in report.engine_report["checkpoints"] if c["id"] == pending["id"])
        HumanScore.objects.create(
            report=report, checkpoint_id=cp["id"], max_points=cp["max_points"], due_at=due
        )


def grading_job_release(*, job_id: str) -> None:
    """An infrastructure error interrupted the run: put the job back in the queue state so a
    retry (or the sweeper) can claim it. The candidate's attempt is untouched."""
    GradingJob.objects.filter(pk=job_id, status=GradingJob.Status.RUNNING).update(
        status=GradingJob.Status.QUEUED, claim_token=None
    )


def _fail(job: GradingJob, token, error: str) -> None:
    with transaction.atomic():
        GradingJob.objects.filter(pk=job.pk, claim_token=token).update(
            status=GradingJob.Status.FAILED, finished_at=timezone.now(), error=error
        )
        audit_record(actor=None, action="grading_job.failed", target=job, reason=error)
        escalation_open(kind=Escalation.Kind.GRADING_FAILED, target=job, detail=error)


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


def grading_sweep(*, now=None) -> dict:
    """Find jobs that were lost and send them again; escalate what keeps failing. Bounded: at
    most 500 jobs a sweep."""
    now = now or timezone.now()
    requeue_before = now - timedelta(seconds=conf.requeue_after_seconds())
    stale_before = now - timedelta(seconds=conf.stale_after_seconds())
    lost_queued = GradingJob.objects.filter(status=GradingJob.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True, requested_at__lt=now - timedelta(seconds=5))
        | Q(enqueued_at__lt=requeue_before)
    )
    lost_running = GradingJob.objects.filter(
        status=GradingJob.Status.RUNNING, started_at__lt=stale_before
    )
    ids = [str(i) for i in lost_queued.values_list("id", flat=True)[:500]]
    ids += [str(i) for i in lost_running.values_list("id", flat=True)[:500]]
    for job in GradingJob.objects.filter(pk__in=ids, runs__gte=conf.max_runs()):
        escalation_open(
            kind=Escalation.Kind.GRADING_STUCK,
            target=job,
            detail=f"{job.runs} runs without finishing",
        )
    sent = grading_jobs_send(job_ids=ids) if ids else 0
    return {"found": len(ids), "sent": sent}
