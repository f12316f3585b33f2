"""The attempt list and the attempt detail read one source, so they never disagree; results
name their jobs; a scenario version's id and its number are never confused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.services.attempts import attempt_start
from tests.factories import MembershipFactory, UserFactory

from .test_regrade import _score_everything, _submit

pytestmark = pytest.mark.django_db


def _states(client) -> dict:
    listed = client.get("/api/v1/attempts/").json()["results"]
    return {
        a["id"]: (a["grading_status"], client.get(f"/api/v1/attempts/{a['id']}/").json())
        for a in listed
    }


def test_list_and_detail_agree_on_every_grading_state(
    client_for, candidate, grader, exam, exemplar_for
):
    decided = _submit(candidate, exam, exemplar_for, "agent-extraction-with-callback")
    _score_everything(grader)
    other = UserFactory(email="waiting@example.test")
    MembershipFactory(user=other, organisation=candidate.memberships.get().organisation)
    waiting = _submit(other, exam, exemplar_for, "agent-extraction-with-callback")

    for user, attempt, expected in [
        (candidate, decided, "decided"),
        (other, waiting, "awaiting_human"),
    ]:
        states = _states(client_for(user))
        listed, detail = states[str(attempt.pk)]
        assert listed == detail["grading_status"] == expected
        summary = {k: v for k, v in detail.items() if k != "parts"}
        row = next(a for a in client_for(user).get("/api/v1/attempts/").json()["results"])
        assert row == summary, "the list shows exactly the detail's fields and values"


def test_the_attempt_list_costs_the_same_queries_for_one_attempt_or_many(
    client_for, programme_admin, candidate, exam, exemplar_for, firm
):
    admin = client_for(programme_admin)
    _submit(candidate, exam, exemplar_for, "agent-extraction-with-callback")
    with CaptureQueriesContext(connection) as one:
        assert admin.get("/api/v1/attempts/").status_code == 200
    for n in range(3):
        user = UserFactory(email=f"c{n}@example.test")
        MembershipFactory(user=user, organisation=firm)
        _submit(user, exam, exemplar_for, "agent-extraction-with-callback")
    with CaptureQueriesContext(connection) as many:
        body = admin.get("/api/v1/attempts/").json()
    assert body["count"] == 4
    assert len(many.captured_queries) == len(one.captured_queries)


def test_result_jobs_carry_the_id_staff_retry_with(
    client_for, candidate, programme_admin, exam, exemplar_for
):
    attempt = _submit(candidate, exam, exemplar_for, "agent-extraction-with-callback")
    job = client_for(candidate).get(f"/api/v1/attempts/{attempt.pk}/result/").json()["jobs"][0]
    assert job["id"] == str(attempt.jobs.get().pk)
    retry = client_for(programme_admin).post(f"/api/v1/admin/grading-jobs/{job['id']}/retry/")
    assert retry.status_code == 409 and retry.json()["code"] == "job_not_failed"


def test_a_part_names_its_version_id_and_its_version_number_apart(
    client_for, candidate, exam, ap_version
):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    client = client_for(candidate)
    part = client.get(f"/api/v1/attempts/{attempt.pk}/").json()["parts"][0]
    assert part["scenario_version_id"] == ap_version.pk
    assert part["version"] == ap_version.version

    versions = client.get("/api/v1/scenarios/ap-invoice-processing/versions/").json()["results"]
    assert [(v["scenario_version_id"], v["version"]) for v in versions] == [
        (ap_version.pk, ap_version.version)
    ]
    detail = client.get("/api/v1/scenarios/ap-invoice-processing/").json()
    assert detail["scenario_version_id"] == ap_version.pk
