"""What only a real broker, database and worker process can show: nothing is lost or
duplicated when workers die, the broker is away, or submissions arrive all at once."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from assessments.models import Attempt, GradeReport, GradingJob
from assessments.services.attempts import attempt_submit
from assessments.services.jobs import FIRST_SEND_GRACE_SECONDS, grading_sweep
from config.celery import app
from config.errors import Conflict
from tests.support.celery_worker import WorkerProcess

pytestmark = pytest.mark.integration


def _submit_in_thread(attempt):
    try:
        return attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))
    finally:
        connection.close()


def test_a_worker_killed_mid_grading_grades_the_job_exactly_once(
    start_attempts, worker_env, wait_for, settings
):
    worker_env(GRADING_TEST_DELAY_SECONDS=5, GRADING_STALE_AFTER_SECONDS=2)
    settings.GRADING_STALE_AFTER_SECONDS = 2
    worker = WorkerProcess().start()
    try:
        (attempt,) = start_attempts(1)
        attempt_submit(attempt=attempt)
        job = GradingJob.objects.get(attempt=attempt)
        wait_for(
            lambda: GradingJob.objects.filter(pk=job.pk, status="running").exists(),
            message="the worker to claim the job",
        )
        worker.kill()  # SIGKILL: no acknowledgement, no clean-up, mid-grading
    finally:
        worker.stop()
    time.sleep(2.5)
    assert GradingJob.objects.get(pk=job.pk).status == "running"
    assert not GradeReport.objects.exists()

    worker_env(GRADING_TEST_DELAY_SECONDS=0)
    replacement = WorkerProcess().start()
    try:
        assert grading_sweep()["sent"] == 1
        wait_for(
            lambda: GradingJob.objects.filter(pk=job.pk, status="done").exists(),
            timeout=60,
            message="regrade",
        )
    finally:
        replacement.stop()
    job.refresh_from_db()
    assert job.runs == 2
    assert GradeReport.objects.filter(job=job).count() == 1


def _broker_down():
    """Point this process's producer at a port where nothing listens, as if Redis were down."""
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.amqp._producer_pool = None
    return original


def _broker_back(original):
    app.conf.broker_url = original
    app._pool = None
    app.amqp._producer_pool = None


def test_submissions_while_the_broker_is_down_are_kept_and_graded_when_it_returns(
    start_attempts, wait_for
):
    attempts = start_attempts(5)
    original = _broker_down()
    try:
        for attempt in attempts:
            attempt_submit(attempt=attempt)  # must not fail: the submission is what matters
    finally:
        _broker_back(original)
    assert Attempt.objects.filter(status="submitted").count() == 5
    assert GradingJob.objects.filter(status="queued", enqueued_at__isnull=True).count() == 5

    worker = WorkerProcess().start()
    try:
        # The sweeper leaves jobs younger than the grace to their first send; a sweep past it:
        later = timezone.now() + timedelta(seconds=FIRST_SEND_GRACE_SECONDS + 1)
        assert grading_sweep(now=later)["sent"] == 5
        wait_for(
            lambda: GradingJob.objects.filter(status="done").count() == 5,
            timeout=60,
            message="5 graded",
        )
    finally:
        worker.stop()
    assert GradeReport.objects.count() == 5
    assert set(GradingJob.objects.values_list("runs", flat=True)) == {1}


def test_two_hundred_concurrent_submissions_are_each_graded_once(start_attempts, wait_for):
    attempts = start_attempts(200)
    worker = WorkerProcess(concurrency=2).start()
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(_submit_in_thread, attempts))
        assert all(r.status == "submitted" for r in results)
        wait_for(
            lambda: GradingJob.objects.filter(status="done").count() == 200,
            timeout=240,
            interval=0.5,
            message="200 jobs graded",
        )
    finally:
        worker.stop()
    assert GradingJob.objects.count() == 200
    assert GradeReport.objects.count() == 200
    assert GradeReport.objects.values("attempt").distinct().count() == 200
    assert set(GradingJob.objects.values_list("runs", flat=True)) == {1}


def test_two_submits_of_one_attempt_at_once_one_wins(start_attempts):
    (attempt,) = start_attempts(1)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        barrier.wait()
        try:
            attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    original = _broker_down()  # no worker here: only the submissions matter
    try:
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        _broker_back(original)
    assert sorted(outcomes) == ["attempt_submitted", "ok"]
    assert GradingJob.objects.filter(attempt=attempt).count() == 1


def test_two_scenario_jobs_of_one_attempt_finishing_together_record_one_decision(
    transactional_db, wait_for
):
    """An exam of two scenarios: two workers grade an attempt's two jobs at the same moment.
    Each finishing job must see the other's result (the attempt's row lock), so every attempt
    is decided exactly once, without the sweeper's help."""
    from assessments.models import Certification, CertificationDecision, Exam, ExamScenario
    from assessments.services.attempts import attempt_autosave, attempt_start
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR
    from tests.assessments.conftest import published_version_of
    from tests.factories import UserFactory

    parts = [
        ("ap-invoice-processing", "sampled-approvals"),
        ("software-delivery-coding-agent", "agent-runs-migrations"),
    ]
    certification = Certification.objects.create(slug="two-part", name="Two part", cut_score=70)
    exam = Exam.objects.create(
        slug="two-part", title="Two part", certification=certification, max_attempts=5
    )
    packs = {}
    for position, (slug, _) in enumerate(parts, start=1):
        version = published_version_of(slug)
        ExamScenario.objects.create(exam=exam, scenario_version=version, position=position)
        packs[version.pk] = (load_pack(PACKS_DIR / slug), dict(parts)[slug])
    attempts = []
    for _ in range(12):
        attempt, _ = attempt_start(candidate=UserFactory(), exam=exam)
        for version_id in attempt.scenario_version_ids:
            pack, name = packs[version_id]
            design = design_of(pack.resolve(draw_variant(pack, attempt.seed)), name)
            attempt_autosave(attempt=attempt, scenario_version_id=version_id, design=design)
        attempts.append(attempt)

    worker = WorkerProcess(concurrency=2).start()
    try:
        for attempt in attempts:
            attempt_submit(attempt=attempt)
        wait_for(
            lambda: GradingJob.objects.filter(status="done").count() == 24,
            timeout=90,
            message="24 jobs graded",
        )
    finally:
        worker.stop()
    for attempt in attempts:
        decisions = CertificationDecision.objects.filter(attempt=attempt)
        assert decisions.count() == 1, attempt.pk
        decision = decisions.get()
        assert decision.outcome == "fail" and len(decision.report_ids) == 2
