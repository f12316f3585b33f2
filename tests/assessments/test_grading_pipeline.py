"""The grading pipeline's promises, on the fast tier (tasks in-process): idempotent jobs, an
infrastructure error that never fails the candidate, a sweeper that finds what was lost, late
work escalated, and reports that replay."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from assessments.models import (
    Attempt,
    CertificationDecision,
    Escalation,
    GradeReport,
    GradingJob,
    HumanScore,
)
from assessments.selectors import grading_status
from assessments.services import grading as grading_services
from assessments.services import jobs as job_services
from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.escalations import decisions_sweep
from assessments.services.human_scoring import human_item_claim_next, human_item_score
from assessments.services.sweep import pipeline_sweep
from assessments.tasks import grade_job
from audit.models import AuditEvent


class Broker:
    """``broker.down()`` makes sending fail as it does when Redis is down; ``broker.up()``."""

    def __init__(self):
        self._patch = pytest.MonkeyPatch()

    def down(self):
        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("redis is down")

        self._patch.setattr(grade_job, "apply_async", refuse)

    def up(self):
        self._patch.undo()


@pytest.fixture
def no_broker():
    broker = Broker()
    broker.down()
    yield broker
    broker.up()


@pytest.fixture
def engine_patch():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def _submit(candidate, exam, design_for, name="agent-extraction-with-callback"):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    return attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: design_for(attempt, name)}
    )


def _actions(target) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        ).values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_a_second_delivery_of_a_finished_job_does_nothing(candidate, exam, exemplar_for):
    attempt = _submit(candidate, exam, exemplar_for)
    job = GradingJob.objects.get(attempt=attempt)
    assert job.status == "done" and job.runs == 1

    assert grading_services.grading_job_run(job_id=str(job.pk)) == "skipped"

    job.refresh_from_db()
    assert job.runs == 1 and GradeReport.objects.filter(job=job).count() == 1
    assert sorted(_actions(job)) == sorted(
        ["grading_job.requested", "grading_job.started", "grading_job.done"]
    )


@pytest.mark.django_db
def test_the_report_records_the_pure_inputs_and_replays_identically(
    candidate, exam, exemplar_for, ap_version
):
    from scenarios.services import grade_for_version

    attempt = _submit(candidate, exam, exemplar_for)
    report = GradeReport.objects.get(attempt=attempt)
    assert report.inputs["seed"] == attempt.seed
    assert report.inputs["scenario_version_id"] == ap_version.pk
    assert report.inputs["content_sha256"] == ap_version.content_sha256
    assert report.inputs["design_sha256"] == GradingJob.objects.get(attempt=attempt).design_sha256
    replay = grade_for_version(
        version=ap_version,
        seed=report.inputs["seed"],
        design=attempt.submission[str(ap_version.pk)],
    )
    assert replay == report.engine_report


@pytest.mark.django_db
def test_submitting_while_the_broker_is_down_keeps_the_submission_and_the_job(
    no_broker, candidate, exam, exemplar_for
):
    attempt = _submit(candidate, exam, exemplar_for)

    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.submission
    job = GradingJob.objects.get(attempt=attempt)
    assert job.status == "queued" and job.enqueued_at is None
    assert grading_status(attempt=attempt) == "queued"

    no_broker.up()  # the broker is back; the sweeper sends (tasks run in-process here)
    result = job_services.grading_sweep(now=timezone.now() + timedelta(seconds=10))
    assert result["sent"] == 1
    job.refresh_from_db()
    assert job.status == "done" and job.runs == 1


@pytest.mark.django_db
def test_a_database_outage_mid_job_releases_it_for_a_retry_and_does_not_fail_the_candidate(
    no_broker, candidate, exam, exemplar_for, engine_patch
):
    attempt = _submit(candidate, exam, exemplar_for)
    job = GradingJob.objects.get(attempt=attempt)

    def outage(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    engine_patch.setattr("assessments.services.grading.engine.grade", outage)
    # Called directly, the task's own body runs once; the retry policy then re-sends it.
    with pytest.raises(OperationalError):
        grade_job.run(str(job.pk))

    job.refresh_from_db()
    assert job.status == "queued" and job.claim_token is None
    assert not CertificationDecision.objects.exists()
    assert "grading_job.released" in _actions(job)
    assert OperationalError in grade_job.autoretry_for
    assert grade_job.acks_late and grade_job.reject_on_worker_lost


@pytest.mark.django_db
def test_an_engine_crash_fails_the_job_for_staff_never_the_candidate(
    candidate, exam, exemplar_for, engine_patch
):
    def crash(*args, **kwargs):
        raise ZeroDivisionError("bug in a checkpoint")

    engine_patch.setattr("assessments.services.grading.engine.grade", crash)
    attempt = _submit(candidate, exam, exemplar_for)

    job = GradingJob.objects.get(attempt=attempt)
    assert job.status == "failed" and "ZeroDivisionError" in job.error
    assert grading_status(attempt=attempt) == "needs_staff"
    assert not CertificationDecision.objects.exists()
    escalation = Escalation.objects.get(kind="grading_failed")
    assert escalation.target_id == str(job.pk)

    engine_patch.undo()  # the engine is fixed; staff retry the job
    job_services.grading_job_retry(job=job, actor=None)
    job.refresh_from_db()
    assert job.status == "done" and job.runs == 1
    assert "grading_job.retried" in _actions(job)


@pytest.mark.django_db
def test_the_sweeper_resends_a_job_whose_worker_died_and_it_is_graded_once(
    no_broker, candidate, exam, exemplar_for
):
    attempt = _submit(candidate, exam, exemplar_for)
    job = GradingJob.objects.get(attempt=attempt)
    long_ago = timezone.now() - timedelta(hours=1)
    # As if a worker had claimed it an hour ago and was killed before finishing.
    GradingJob.objects.filter(pk=job.pk).update(status="running", started_at=long_ago, runs=1)
    no_broker.up()

    assert job_services.grading_sweep()["sent"] == 1

    job.refresh_from_db()
    assert job.status == "done" and job.runs == 2
    assert GradeReport.objects.filter(job=job).count() == 1


@pytest.mark.django_db
def test_a_job_that_keeps_being_lost_is_failed_and_escalated(
    no_broker, candidate, exam, exemplar_for, settings
):
    settings.GRADING_MAX_RUNS = 2
    attempt = _submit(candidate, exam, exemplar_for)
    job = GradingJob.objects.get(attempt=attempt)
    GradingJob.objects.filter(pk=job.pk).update(
        status="running", started_at=timezone.now() - timedelta(hours=1), runs=2
    )
    no_broker.up()

    job_services.grading_sweep()

    job.refresh_from_db()
    assert job.status == "failed"
    assert set(Escalation.objects.values_list("kind", flat=True)) == {
        "grading_stuck",
        "grading_failed",
    }


@pytest.mark.django_db
def test_a_late_job_is_escalated_once_while_it_keeps_being_resent(
    no_broker, candidate, exam, exemplar_for
):
    attempt = _submit(candidate, exam, exemplar_for)
    later = timezone.now() + timedelta(hours=1)

    first = job_services.grading_sweep(now=later)
    second = job_services.grading_sweep(now=later)

    assert first["escalated"] == 1 and second["escalated"] == 0
    assert first["found"] == 1 and second["found"] == 1  # still re-sent: the broker is down
    escalation = Escalation.objects.get()
    assert escalation.kind == "grading_stuck"
    assert escalation.target_id == str(GradingJob.objects.get(attempt=attempt).pk)


@pytest.mark.django_db
def test_a_failed_critical_checkpoint_decides_at_once_without_human_scoring(
    candidate, exam, exemplar_for
):
    attempt = _submit(candidate, exam, exemplar_for, name="sampled-approvals")

    decision = CertificationDecision.objects.get(attempt=attempt)
    assert decision.outcome == "fail" and decision.critical_passed is False
    assert "payment-approval" in decision.rationale
    assert not HumanScore.objects.exists()  # nothing for graders to do: people cannot rescue it


@pytest.mark.django_db
def test_the_decision_waits_for_every_human_criterion_and_then_records_both_rules(
    candidate, grader, exam, exemplar_for, decisions_seen
):
    attempt = _submit(candidate, exam, exemplar_for)
    first = human_item_claim_next(grader=grader)
    human_item_score(item=first, grader=grader, points=first.max_points, comment="good")
    assert not CertificationDecision.objects.exists()

    second = human_item_claim_next(grader=grader)
    human_item_score(item=second, grader=grader, points=second.max_points, comment="good")

    decision = CertificationDecision.objects.get(attempt=attempt)
    report = GradeReport.objects.get(attempt=attempt)
    assert decision.outcome == "pass" and decision.critical_passed
    assert decision.total == report.total and decision.cut_score == 70
    assert decision.report_ids == [report.pk] and decision.decided_by is None
    assert report.finalized_at and report.final_report["decision"] == "pass"
    assert decisions_seen == [(decision.pk, "recorded")]
    assert "decision.recorded" in _actions(decision)
    assert "grade_report.finalized" in _actions(report)


@pytest.mark.django_db
def test_the_sweeper_records_a_decision_the_pipeline_missed(candidate, exam, exemplar_for):
    attempt = _submit(candidate, exam, exemplar_for, name="sampled-approvals")
    CertificationDecision.objects.filter(attempt=attempt).delete()  # as if lost
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - timedelta(minutes=5))

    assert decisions_sweep() == 1
    assert decisions_sweep() == 0
    assert CertificationDecision.objects.get(attempt=attempt).outcome == "fail"


@pytest.mark.django_db
def test_the_periodic_sweep_expires_attempts_at_their_deadline(candidate, exam, exemplar_for):
    from assessments.services.attempts import attempt_autosave

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_autosave(
        attempt=attempt,
        scenario_version_id=attempt.scenario_version_ids[0],
        design=exemplar_for(attempt),
    )
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))

    result = pipeline_sweep()

    attempt.refresh_from_db()
    assert result["expired"] == 1
    assert attempt.status == "submitted" and attempt.auto_submitted
    assert GradingJob.objects.get(attempt=attempt).status == "done"
    assert "attempt.auto_submitted" in _actions(attempt)


@pytest.mark.django_db
def test_a_critical_failure_in_one_scenario_decides_and_withdraws_the_others_human_items(
    candidate, grader, certification, exemplar_for
):
    """A two-scenario exam: the first report waits for graders, the second fails a critical
    checkpoint. The decision is recorded at once, and the first report's items are withdrawn
    from the graders' queue (with audit rows): nobody scores work that cannot change anything."""
    from assessments.models import Exam, ExamScenario
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR
    from tests.assessments.conftest import published_version_of

    exam = Exam.objects.create(slug="two", title="Two", certification=certification)
    plan = [
        ("ap-invoice-processing", "agent-extraction-with-callback"),
        ("software-delivery-coding-agent", "agent-runs-migrations"),
    ]
    names = {}
    for position, (slug, name) in enumerate(plan, start=1):
        version = published_version_of(slug)
        ExamScenario.objects.create(exam=exam, scenario_version=version, position=position)
        names[version.pk] = (load_pack(PACKS_DIR / slug), name)
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    designs = {
        version_id: design_of(pack.resolve(draw_variant(pack, attempt.seed)), name)
        for version_id, (pack, name) in names.items()
    }

    attempt_submit(attempt=attempt, designs=designs)

    decision = CertificationDecision.objects.get(attempt=attempt)
    assert decision.outcome == "fail" and not decision.critical_passed
    assert len(decision.report_ids) == 2
    items = HumanScore.objects.filter(report__attempt=attempt)
    assert items.exists() and set(items.values_list("status", flat=True)) == {"cancelled"}
    assert human_item_claim_next(grader=grader) is None
    assert AuditEvent.objects.filter(action="human_score.cancelled").count() == items.count()
