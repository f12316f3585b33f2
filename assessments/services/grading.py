"""Grading jobs: created with the submission, sent after commit, claimed by exactly one worker,
re-sent by the sweeper when lost. An infrastructure failure never counts against the candidate.

Locking: before a transaction looks at whether an attempt's work is complete (after a job's
report, a human score) it takes the attempt's row lock, so of two pieces of work finishing at
once the second waits for the first to commit and sees it: one of them always completes the
round. Job rows are only ever locked by their own claim and finish, before the attempt's lock;
the human scores, reports and decisions of an attempt only after it. (That fixed order is why
there is no deadlock between a job finishing and a grader scoring.)
"""

import logging
import time
import uuid
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.services import audit_record
from scenarios import engine
from scenarios.selectors import pack_for_version, pack_for_version_id

from .. import conf
from ..models import Attempt, Escalation, GradeReport, GradingJob, HumanScore
from .attempts import design_sha256

logger = logging.getLogger(__name__)
# A job whose first send has not happened yet is left alone this long (its transaction may be
# committing right now) before the sweeper sends it.
FIRST_SEND_GRACE_SECONDS = 5


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
    ids = [str(job.id) for job in jobs]
    transaction.on_commit(lambda: grading_jobs_send(job_ids=ids))
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
    with transaction.atomic():
        claimed = GradingJob.objects.filter(claimable, pk=job_id).update(
            status=GradingJob.Status.RUNNING, started_at=now, claim_token=token, runs=F("runs") + 1
        )
        if not claimed:
            return "skipped"
        job = (
            GradingJob.objects.select_related("attempt", "scenario_version", "regrade")
            # The pack's content is only read on this process's first job for the version
            # (pack_for_version caches the parsed pack by content hash).
            .defer("scenario_version__content", "scenario_version__selftest")
            .get(pk=job_id)
        )
        audit_record(actor=None, action="grading_job.started", target=job, data={"run": job.runs})
    if job.runs > conf.max_runs():
        _fail(job, token, "gave up after repeated lost runs")
        return "failed"
    delay = conf.test_delay_seconds()
    if delay:
        time.sleep(delay)
    design = design_for_job(job)
    pack = pack_for_version(job.scenario_version)
    given = given_version_id(job)
    variant_from = None if given == job.scenario_version_id else pack_for_version_id(given)
    started = time.perf_counter()
    try:
        report = engine.grade(pack, job.attempt.seed, design, variant_from=variant_from).to_dict()
    except DatabaseError:
        raise  # infrastructure: the task releases the job and retries
    except SoftTimeLimitExceeded:
        # Too slow this time (an overloaded machine): back to the queue for another run. The
        # runs counter bounds this; a design that is always too slow ends with staff.
        grading_job_release(job_id=str(job.pk))
        raise
    except engine.InvalidDesign as exc:  # cannot happen for a validated submission; staff look
        _fail(job, token, f"design no longer validates: {[e.to_dict() for e in exc.errors][:3]}")
        return "failed"
    except Exception as exc:  # an engine bug: deterministic, so retrying cannot help
        logger.exception("grading job %s: the engine failed", job.pk)
        _fail(job, token, f"engine error: {type(exc).__name__}: {exc}"[:2000])
        return "failed"
    engine_seconds = time.perf_counter() - started
    inputs = {
        "scenario_version_id": job.scenario_version_id,
        "content_sha256": job.scenario_version.content_sha256,
        "seed": job.attempt.seed,
        "design_sha256": job.design_sha256,
        "engine_version": report["engine_version"],
    }
    with transaction.atomic():
        finished = GradingJob.objects.filter(
            pk=job.pk, claim_token=token, status=GradingJob.Status.RUNNING
        ).update(
            status=GradingJob.Status.DONE,
            finished_at=timezone.now(),
            engine_version=report["engine_version"],
            engine_seconds=engine_seconds,
            error="",
        )
        if not finished:  # another worker took over a job we were too slow on; it records
            return "superseded"
        stored = GradeReport.objects.create(
            job=job,
            attempt=job.attempt,
            scenario_version=job.scenario_version,
            inputs=inputs,
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
        audit_record(actor=None, action="grade_report.created", target=stored, data=inputs)
        from .human_scoring import human_items_open

        items = human_items_open(report=stored)
        waiting_for_people = any(i.status == HumanScore.Status.OPEN for i in items)
        if not (waiting_for_people and len(job.attempt.scenario_version_ids) == 1):
            # (A one-scenario attempt whose report now waits for graders cannot be decided yet;
            # with several scenarios, another report's critical failure may decide it.)
            round_complete(job=job)
    return "graded"


def lock_attempt(attempt_id) -> None:
    """Take the attempt's row lock (see the module docstring for the lock order)."""
    list(Attempt.objects.select_for_update().filter(pk=attempt_id).values_list("pk", flat=True))


def round_complete(*, job: GradingJob) -> None:
    """Work that follows a finished job or score: decide the attempt, or conclude its regrade."""
    from .decisions import decision_record_if_complete
    from .regrades import regrade_conclude_if_complete

    lock_attempt(job.attempt_id)
    if job.regrade_id:
        regrade_conclude_if_complete(regrade=job.regrade)
    else:
        decision_record_if_complete(attempt=job.attempt)


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
    from config.api import Conflict

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
        ids = [str(job.pk)]
        transaction.on_commit(lambda: grading_jobs_send(job_ids=ids))
    return job


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
