"""What the candidate reads as their attempt's grading status, through the API."""

import pytest
from django.utils import timezone

from assessments.models import Attempt, CertificationDecision
from assessments.services.attempts import attempt_start


@pytest.fixture
def decided_attempt(candidate, exam, certification):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    Attempt.objects.filter(pk=attempt.pk).update(
        status=Attempt.Status.SUBMITTED, submitted_at=timezone.now(), submission={}
    )
    decision = CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        attempt=attempt,
        outcome="pass",
        critical_passed=True,
        total=90,
        cut_score=70,
    )
    return attempt, decision


def _statuses(client, attempt) -> set[str]:
    detail = client.get(f"/api/v1/attempts/{attempt.pk}/").json()["grading_status"]
    result = client.get(f"/api/v1/attempts/{attempt.pk}/result/").json()["grading_status"]
    listed = {a["id"]: a for a in client.get("/api/v1/attempts/").json()["results"]}
    return {detail, result, listed[str(attempt.pk)]["grading_status"]}


@pytest.mark.django_db
def test_a_reversed_decision_reads_reversed_to_the_candidate(
    client_for, candidate, programme_admin, decided_attempt
):
    attempt, decision = decided_attempt
    client = client_for(candidate)
    assert _statuses(client, attempt) == {"decided"}

    reversed_ = client_for(programme_admin).post(
        f"/api/v1/decisions/{decision.pk}/reverse/",
        {"reason": "Appeal upheld: misconduct"},
        format="json",
    )
    assert reversed_.status_code == 200

    assert _statuses(client, attempt) == {"reversed"}
    result = client.get(f"/api/v1/attempts/{attempt.pk}/result/").json()
    assert result["decision"]["reversed_at"] is not None


@pytest.mark.django_db
def test_a_new_decision_after_a_reversal_reads_decided(
    client_for, candidate, certification, decided_attempt
):
    attempt, decision = decided_attempt
    CertificationDecision.objects.filter(pk=decision.pk).update(
        reversed_at=timezone.now(), reversal_reason="regrade changed the result"
    )
    CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        attempt=attempt,
        outcome="fail",
        critical_passed=True,
        total=60,
        cut_score=70,
    )

    assert _statuses(client_for(candidate), attempt) == {"decided"}
