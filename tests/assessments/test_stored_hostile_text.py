"""Designs stored before the JSON parsing layer refused them: a lone surrogate or a NUL in a
saved draft or a submission must not break the pages that show it.

Only SQLite ever stored such text (PostgreSQL refuses it, and ``config.parsers`` now refuses
it before either database sees it), so these tests write it past the API, as the old code
did, on SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Attempt, Draft, GradeReport, HumanScore
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent

pytestmark = [
    pytest.mark.sqlite_only,  # `make test-fast-pg` deselects them
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL never stored such text"),
]

HOSTILE_TITLES = {"lone surrogate": "Redesign \ud800", "NUL": "Redesign \x00 AP"}


@pytest.fixture(params=sorted(HOSTILE_TITLES))
def hostile_title(request):
    return HOSTILE_TITLES[request.param]


def _submitted(candidate, exam, exemplar_for, title: str) -> Attempt:
    """An attempt submitted (past the API, as before the parsing layer) with this title."""
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    design = {**exemplar_for(attempt), "title": title}
    return attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})


@pytest.mark.django_db
def test_a_stored_draft_with_hostile_text_shows_in_the_attempt_and_submits(
    client_for, candidate, exam, exemplar_for, hostile_title
):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    design = {**exemplar_for(attempt), "title": hostile_title}
    Draft.objects.create(
        attempt=attempt, scenario_version_id=attempt.scenario_version_ids[0], design=design
    )
    client = client_for(candidate)

    detail = client.get(f"/api/v1/attempts/{attempt.pk}/")
    assert detail.status_code == 200
    assert detail.json()["parts"][0]["draft"]["title"] == hostile_title

    submitted = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json")
    assert submitted.status_code == 202, submitted.content[:300]
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED


@pytest.mark.django_db
def test_an_invalid_stored_draft_with_hostile_text_gets_its_errors_back(
    client_for, candidate, exam, exemplar_for, hostile_title
):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    design = exemplar_for(attempt)
    design["steps"][0]["performer"]["ref"] = hostile_title  # named in the error message
    Draft.objects.create(
        attempt=attempt, scenario_version_id=attempt.scenario_version_ids[0], design=design
    )
    response = client_for(candidate).post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, "json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_design"


@pytest.mark.django_db
def test_a_grader_claims_and_sees_a_submission_with_hostile_text(
    client_for, candidate, grader, exam, exemplar_for, hostile_title
):
    attempt = _submitted(candidate, exam, exemplar_for, hostile_title)
    assert HumanScore.objects.filter(report__attempt=attempt).exists()

    claimed = client_for(grader).post("/api/v1/grading/items/claim-next/")
    assert claimed.status_code == 200, claimed.content[:300]
    assert claimed.json()["design"]["title"] == hostile_title
    result = client_for(candidate).get(f"/api/v1/attempts/{attempt.pk}/result/")
    assert result.status_code == 200


@pytest.mark.django_db
def test_the_admin_pages_show_a_submission_with_hostile_text(
    client, programme_admin, candidate, exam, exemplar_for, hostile_title
):
    attempt = _submitted(candidate, exam, exemplar_for, hostile_title)
    programme_admin.is_staff = programme_admin.is_superuser = True
    programme_admin.save()
    client.force_login(programme_admin)
    shown = [
        ("assessments", "attempt", attempt.pk),
        ("assessments", "gradereport", GradeReport.objects.get(attempt=attempt).pk),
        ("audit", "auditevent", AuditEvent.objects.filter(action="attempt.submitted").get().pk),
    ]
    for app, model, pk in shown:
        assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200, model
        page = client.get(reverse(f"admin:{app}_{model}_change", args=[pk]))
        assert page.status_code == 200, model
