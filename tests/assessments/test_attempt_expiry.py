"""Attempts expire at their deadline in every mode: lazily when read or restarted, and by the
periodic sweep, which the embedded mode (no Redis, no Celery beat) runs in-process."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from assessments.models import Attempt
from audit.models import AuditEvent
from config.embedded_beat import Schedule, run_task


def _start(client, exam) -> Attempt:
    response = client.post(f"/api/v1/exams/{exam.slug}/attempts/")
    assert response.status_code in (200, 201), response.json()
    return Attempt.objects.get(pk=response.json()["id"])


def _past_deadline(attempt: Attempt, minutes: int = 5) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_reading_an_attempt_after_its_deadline_expires_it(client_for, candidate, exam):
    client = client_for(candidate)
    attempt = _start(client, exam)
    _past_deadline(attempt)

    response = client.get(f"/api/v1/attempts/{attempt.pk}/")

    assert response.status_code == 200
    assert response.json()["status"] == "abandoned"  # no draft to submit
    assert response.json()["grading_status"] == "abandoned"
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.ABANDONED
    assert AuditEvent.objects.filter(action="attempt.abandoned", target_id=str(attempt.pk)).exists()


@pytest.mark.django_db
def test_reading_within_the_submit_grace_leaves_the_attempt_open(client_for, candidate, exam):
    client = client_for(candidate)
    attempt = _start(client, exam)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))

    assert client.get(f"/api/v1/attempts/{attempt.pk}/").json()["status"] == "in_progress"


@pytest.mark.django_db
def test_the_result_of_an_expired_attempt_reads_as_submitted_drafts(
    client_for, candidate, exam, exemplar_for
):
    client = client_for(candidate)
    attempt = _start(client, exam)
    version_id = attempt.scenario_version_ids[0]
    saved = client.put(
        f"/api/v1/attempts/{attempt.pk}/drafts/{version_id}/",
        {"design": exemplar_for(attempt)},
        format="json",
    )
    assert saved.status_code == 200
    _past_deadline(attempt)

    response = client.get(f"/api/v1/attempts/{attempt.pk}/result/")

    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted
    assert response.json()["grading_status"] != "not_submitted"


@pytest.mark.django_db
def test_starting_again_after_the_deadline_gives_a_fresh_attempt(client_for, candidate, exam):
    client = client_for(candidate)
    first = _start(client, exam)
    _past_deadline(first)

    response = client.post(f"/api/v1/exams/{exam.slug}/attempts/")

    assert response.status_code == 201
    assert response.json()["id"] != str(first.pk)
    first.refresh_from_db()
    assert first.status == Attempt.Status.ABANDONED


@pytest.mark.django_db
def test_the_embedded_beat_expires_attempts_at_their_deadline(client_for, candidate, exam):
    attempt = _start(client_for(candidate), exam)
    _past_deadline(attempt)
    schedule = Schedule(settings.CELERY_BEAT_SCHEDULE)

    ran = schedule.run_due(0.0, run_task)

    assert "assessments-sweep" in ran
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.ABANDONED
