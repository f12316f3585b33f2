"""A batch regrade end to end through a real broker and worker process: the preview chunks and
the apply run are tasks on the grading queue; nothing here runs them in-process."""

import pytest

from assessments.models import GradingJob, Regrade, RegradeBatch
from assessments.services import regrade_batches
from assessments.services.attempts import attempt_submit
from tests.assessments.test_regrade import publish_next_version
from tests.support.celery_worker import WorkerProcess

pytestmark = pytest.mark.integration


def test_a_batch_is_previewed_and_applied_by_the_workers(
    start_attempts, wait_for, reliability_exam, monkeypatch
):
    from tests.factories import UserFactory

    admin = UserFactory(role="programme_admin")
    monkeypatch.setattr(regrade_batches, "CHUNK_SIZE", 2)  # 3 attempts: two chunk tasks
    worker = WorkerProcess().start()
    try:
        attempts = start_attempts(3)
        for attempt in attempts:
            attempt_submit(attempt=attempt)
        wait_for(
            lambda: GradingJob.objects.filter(status="done").count() == 3,
            timeout=60,
            message="the first grading",
        )
        version = reliability_exam.parts.get().scenario_version
        publish_next_version(version, lambda cp: cp.update(weight=cp["weight"]))

        batch = regrade_batches.regrade_batch_create(
            scenario=version.scenario, actor=admin, reason="rubric wording fixed"
        )
        wait_for(
            lambda: RegradeBatch.objects.filter(pk=batch.pk, status="previewed").exists(),
            timeout=60,
            message="the workers to preview both chunks",
        )
        batch.refresh_from_db()
        # Undecided attempts (their rationale is not scored yet) count as affected.
        assert batch.summary["attempts"] == 3 and batch.items.count() == 3

        regrade_batches.regrade_batch_apply(batch=batch, actor=admin)
        wait_for(
            lambda: RegradeBatch.objects.filter(pk=batch.pk, status="applied").exists(),
            timeout=60,
            message="the worker to apply the batch",
        )
        wait_for(
            lambda: (
                GradingJob.objects.filter(regrade__isnull=False, status="done").count()
                == batch.summary["affected"]
            ),
            timeout=60,
            message="the regrade jobs",
        )
    finally:
        worker.stop()
    assert Regrade.objects.count() == batch.summary["affected"]
    assert set(Regrade.objects.values_list("attempt_id", flat=True)) <= {a.pk for a in attempts}
