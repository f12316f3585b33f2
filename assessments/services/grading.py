"""Grading one job: claimed by exactly one worker, graded by the engine, its report stored
with the inputs that reproduce it, and the round completed. An infrastructure failure never
counts against the candidate: the job is released for another run. The job rows themselves
(creation, sending, the sweeper) are ``jobs``.
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
from ..models import Escalation, GradeReport, GradingJob, HumanScore
from .escalations import escalation_open
from .human_scoring import human_items_open
from .jobs import design_for_job, given_version_id, grading_job_release
from .rounds import round_complete

logger = logging.getLogger(__name__)


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
        items = human_items_open(report=stored)
        waiting_for_people = any(i.status == HumanScore.Status.OPEN for i in items)
        if not (waiting_for_people and len(job.attempt.scenario_version_ids) == 1):
            # (A one-scenario attempt whose report now waits for graders cannot be decided yet;
            # with several scenarios, another report's critical failure may decide it.)
            round_complete(job=job)
    return "graded"


def _fail(job: GradingJob, token, error: str) -> None:
    with transaction.atomic():
        GradingJob.objects.filter(pk=job.pk, claim_token=token).update(
            status=GradingJob.Status.FAILED, finished_at=timezone.now(), error=error
        )
        audit_record(actor=None, action="grading_job.failed", target=job, reason=error)
        escalation_open(kind=Escalation.Kind.GRADING_FAILED, target=job, detail=error)
