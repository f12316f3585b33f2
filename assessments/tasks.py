"""Celery tasks: thin wrappers that load IDs and call one service. Retry policy: the shared one
(``config.dispatch.RETRY_POLICY``, transient database errors with back-off and a cap)."""

import gc
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.db import DatabaseError, close_old_connections, connection

from config.dispatch import RETRY_POLICY, TRANSIENT_ERRORS

from .services import grading, jobs, regrade_batches
from .services.sweep import pipeline_sweep

logger = logging.getLogger(__name__)


def _refresh_connections(task) -> None:
    """Keep a healthy connection across jobs (opening one costs several ms a job) and replace a
    broken one, as Django does per request; matters when CELERY_DB_REUSE_MAX lets Celery's
    Django fixup keep connections open between tasks. Not when the task runs in the caller's
    process (``make run``, tests): the connection is the caller's, perhaps mid-transaction."""
    if task.request.is_eager or connection.in_atomic_block:
        return
    close_old_connections()


@worker_process_init.connect
def _freeze_startup_objects(**kwargs) -> None:
    """In each pool process: move the ~100k objects Django and the app create at start-up out
    of the garbage collector's sight. The engine allocates heavily, and every full collection
    would otherwise walk them all again (measured: roughly 10-20% of a grading job)."""
    gc.collect()
    gc.freeze()


@shared_task(
    name="assessments.tasks.grade_job",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=120,
    soft_time_limit=100,
    **RETRY_POLICY,
)
def grade_job(job_id: str) -> str:
    """Grade one job. Safe to deliver twice (the job is claimed with a conditional UPDATE); a
    database outage releases the job and retries with backoff, never failing the candidate."""
    _refresh_connections(grade_job)
    try:
        return grading.grading_job_run(job_id=job_id)
    except TRANSIENT_ERRORS:
        try:
            jobs.grading_job_release(job_id=job_id)
        except DatabaseError:
            logger.warning("could not release job %s; the sweeper will find it", job_id)
        raise


@shared_task(name="assessments.tasks.sweep", time_limit=120, soft_time_limit=100)
def sweep() -> dict:
    """Periodic (every 30 s, on the default queue): expire attempts past their deadline,
    re-send lost grading jobs, escalate late jobs and overdue human scoring, record missed
    decisions. Every part is bounded, so a backlog is worked off over several runs."""
    return pipeline_sweep()


@shared_task(
    name="assessments.tasks.grade_regrade_batch_chunk",  # grade_*: the grading queue
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=1200,
    soft_time_limit=1100,
    **RETRY_POLICY,
)
def regrade_batch_preview_chunk(batch_id: str, attempt_ids: list[str]) -> int:
    """Preview one chunk of a batch regrade (safe to deliver twice)."""
    _refresh_connections(regrade_batch_preview_chunk)
    return regrade_batches.regrade_batch_preview_chunk(batch_id=batch_id, attempt_ids=attempt_ids)


@shared_task(
    name="assessments.tasks.regrade_batch_apply",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=1200,
    **RETRY_POLICY,
)
def regrade_batch_apply_run(batch_id: str) -> int:
    """Request the regrades of an applied batch (safe to deliver twice)."""
    _refresh_connections(regrade_batch_apply_run)
    return regrade_batches.regrade_batch_apply_run(batch_id=batch_id)
