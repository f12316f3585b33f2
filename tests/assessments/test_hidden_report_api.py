"""Hidden stays hidden at the API (issue 9, part 7): a candidate's GET of their attempt and its
result carries no hidden-case label, parameter or count; staff's GET of the same result does."""

import json

import pytest

from assessments.models import Attempt

HIDDEN = ("bank_detail_fraud", "adversarial_cases", "fraud_rate", "hidden_kinds", '"adversarial"')


@pytest.mark.django_db
def test_candidate_sees_the_counterexample_without_hidden_labels_and_staff_sees_all(
    client_for, candidate, programme_admin, exam, exemplar_for
):
    client = client_for(candidate)
    started = client.post(f"/api/v1/exams/{exam.slug}/attempts/")
    assert started.status_code in (200, 201), started.json()
    attempt = Attempt.objects.get(pk=started.json()["id"])
    assert not any(name in json.dumps(started.json()) for name in HIDDEN)
    version_id = started.json()["parts"][0]["scenario_version_id"]
    design = exemplar_for(attempt, "no-callback-on-bank-change")
    submitted = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/",
        {"designs": {str(version_id): design}},
        format="json",
    )
    assert submitted.status_code == 202, submitted.json()

    mine = client.get(f"/api/v1/attempts/{attempt.pk}/result/")
    assert mine.status_code == 200
    text = json.dumps(mine.json())
    assert not [name for name in HIDDEN if name in text]
    fraud = next(c for c in mine.json()["reports"][0]["checkpoints"] if c["id"] == "fraud-caught")
    assert fraud["status"] == "fail"
    trace = fraud["evidence"]["counterexample"]
    assert trace["case_id"] and trace["path"] and trace["attributes"]["bank_change"] is True
    attempt_page = client.get(f"/api/v1/attempts/{attempt.pk}/")
    assert not [name for name in HIDDEN if name in json.dumps(attempt_page.json())]

    staff = client_for(programme_admin).get(f"/api/v1/attempts/{attempt.pk}/result/")
    assert staff.status_code == 200
    staff_fraud = next(
        c for c in staff.json()["reports"][0]["checkpoints"] if c["id"] == "fraud-caught"
    )
    assert staff_fraud["evidence"]["counterexample"]["adversarial"] == "bank_detail_fraud"
    assert staff_fraud["evidence"]["counterexample"]["case_id"] == trace["case_id"]
    assert "fraud_rate" in staff.json()["reports"][0]["variant"]
