"""Taking an exam end to end through the API, with tasks running in-process."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Attempt, CertificationDecision, Draft, GradingJob, HumanScore
from audit.models import AuditEvent


def _start(client, exam):
    response = client.post(f"/api/v1/exams/{exam.slug}/attempts/")
    assert response.status_code in (200, 201), response.json()
    return response.json()


@pytest.mark.django_db
def test_exam_end_to_end_through_the_api(
    client_for, candidate, grader, published_exam, exemplar_for
):
    exam = published_exam
    ap_version = exam.parts.get().scenario_version
    client = client_for(candidate)
    body = _start(client, exam)
    attempt = Attempt.objects.get(pk=body["id"])
    part = body["parts"][0]
    assert part["scenario"] == "ap-invoice-processing" and "${" not in part["brief"]
    assert body["grading_status"] == "not_submitted"

    design = exemplar_for(attempt)
    saved = client.put(
        f"/api/v1/attempts/{attempt.pk}/drafts/{ap_version.pk}/", {"design": design}, format="json"
    )
    assert saved.status_code == 200
    submitted = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", {}, format="json")
    assert submitted.status_code == 202, submitted.json()

    result = client.get(f"/api/v1/attempts/{attempt.pk}/result/").json()
    assert result["grading_status"] == "awaiting_human"
    job = result["jobs"][0]
    assert job["status"] == "done" and job["finished_at"] and job["engine_version"]
    report = result["reports"][0]
    assert report["decision"] == "awaiting_human"
    assert {"metrics", "baseline_metrics", "domain_scores", "total"} <= set(report)
    checkpoint = report["checkpoints"][0]
    assert {"id", "status", "points", "max_points", "feedback", "evidence"} <= set(checkpoint)
    assert result["decision"] is None
    # The submitted design is frozen: saving again is refused.
    late = client.put(
        f"/api/v1/attempts/{attempt.pk}/drafts/{ap_version.pk}/", {"design": {}}, format="json"
    )
    assert late.status_code == 409 and late.json()["code"] == "attempt_submitted"

    grading = client_for(grader)
    for _ in range(2):
        item = grading.post("/api/v1/grading/items/claim-next/").json()
        assert candidate.email not in str(item) and candidate.full_name not in str(item)
        top = max(level["points"] for level in item["criterion"]["levels"])
        scored = grading.post(
            f"/api/v1/grading/items/{item['id']}/score/",
            {"points": top, "comment": "clear"},
            format="json",
        )
        assert scored.status_code == 200, scored.json()
    assert grading.post("/api/v1/grading/items/claim-next/").status_code == 204

    result = client.get(f"/api/v1/attempts/{attempt.pk}/result/").json()
    assert result["grading_status"] == "decided"
    assert result["decision"]["outcome"] == "pass"
    assert result["decision"]["critical_passed"] is True
    decision = CertificationDecision.objects.get(attempt=attempt)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "attempt.started",
        "attempt.submitted",
        "grading_job.done",
        "human_score.scored",
        "decision.recorded",
    } <= actions
    assert decision.report_ids


@pytest.mark.django_db
def test_invalid_design_returns_errors_and_does_not_consume_the_attempt(
    client_for, candidate, exam, exemplar_for
):
    client = client_for(candidate)
    attempt = Attempt.objects.get(pk=_start(client, exam)["id"])
    design = exemplar_for(attempt)
    design["steps"][0]["performer"]["ref"] = "ghost"
    response = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/",
        {"designs": {str(attempt.scenario_version_ids[0]): design}},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_design"
    assert body["errors"][0]["path"] == "$.steps[0].performer.ref"
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS and not GradingJob.objects.exists()


@pytest.mark.django_db
def test_second_submit_is_refused_with_a_clear_code(client_for, candidate, exam, exemplar_for):
    client = client_for(candidate)
    attempt = Attempt.objects.get(pk=_start(client, exam)["id"])
    payload = {"designs": {str(attempt.scenario_version_ids[0]): exemplar_for(attempt)}}
    assert (
        client.post(f"/api/v1/attempts/{attempt.pk}/submit/", payload, format="json").status_code
        == 202
    )
    again = client.post(f"/api/v1/attempts/{attempt.pk}/submit/", payload, format="json")
    assert again.status_code == 409 and again.json()["code"] == "attempt_submitted"
    assert GradingJob.objects.count() == 1


@pytest.mark.django_db
def test_save_after_the_deadline_is_refused(client_for, candidate, exam, ap_version):
    client = client_for(candidate)
    attempt = Attempt.objects.get(pk=_start(client, exam)["id"])
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = client.put(
        f"/api/v1/attempts/{attempt.pk}/drafts/{ap_version.pk}/",
        {"design": {"a": 1}},
        format="json",
    )
    assert response.status_code == 409 and response.json()["code"] == "deadline_passed"
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_saves_are_kept_and_the_last_wins(client_for, candidate, exam, ap_version):
    client = client_for(candidate)
    attempt_id = _start(client, exam)["id"]
    for n in range(3):
        client.put(
            f"/api/v1/attempts/{attempt_id}/drafts/{ap_version.pk}/",
            {"design": {"n": n}},
            format="json",
        )
    assert Draft.objects.count() == 3
    assert client.get(f"/api/v1/attempts/{attempt_id}/").json()["parts"][0]["draft"] == {"n": 2}


@pytest.mark.django_db
def test_starting_twice_returns_the_same_attempt(client_for, candidate, exam):
    client = client_for(candidate)
    assert _start(client, exam)["id"] == _start(client, exam)["id"]
    assert Attempt.objects.count() == 1


@pytest.mark.django_db
def test_attempt_policy_limits_and_cooldown(client_for, candidate, exam, certification):
    client = client_for(candidate)
    for _ in range(2):
        attempt = Attempt.objects.get(pk=_start(client, exam)["id"])
        Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.ABANDONED)
    response = client.post(f"/api/v1/exams/{exam.slug}/attempts/")
    assert response.status_code == 403 and response.json()["code"] == "attempts_exhausted"

    exam.max_attempts = 5
    exam.save()
    CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        attempt=attempt,
        outcome="fail",
        critical_passed=False,
        total=40,
        cut_score=70,
    )
    response = client.post(f"/api/v1/exams/{exam.slug}/attempts/")
    assert response.status_code == 403 and response.json()["code"] == "cooldown"


@pytest.mark.django_db
def test_expiry_submits_valid_drafts_or_abandons(candidate, exam, exemplar_for):
    from assessments.services.attempts import attempt_autosave, attempt_expire, attempt_start

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_autosave(
        attempt=attempt,
        scenario_version_id=attempt.scenario_version_ids[0],
        design=exemplar_for(attempt),
    )
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    attempt.refresh_from_db()
    attempt = attempt_expire(attempt=attempt)
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted

    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.ABANDONED)
    second, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_autosave(
        attempt=second, scenario_version_id=second.scenario_version_ids[0], design={"half": "done"}
    )
    Attempt.objects.filter(pk=second.pk).update(deadline=timezone.now() - timedelta(hours=1))
    second.refresh_from_db()
    assert attempt_expire(attempt=second).status == Attempt.Status.ABANDONED


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_candidate", "partner_manager", "grader"])
def test_others_cannot_see_an_attempt(request, client_for, candidate, exam, role):
    attempt_id = _start(client_for(candidate), exam)["id"]
    client = client_for(request.getfixturevalue(role))
    for url in (f"/api/v1/attempts/{attempt_id}/", f"/api/v1/attempts/{attempt_id}/result/"):
        assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db
def test_programme_admin_sees_attempts_and_escalations(
    client_for, candidate, programme_admin, exam
):
    attempt_id = _start(client_for(candidate), exam)["id"]
    admin = client_for(programme_admin)
    assert admin.get(f"/api/v1/attempts/{attempt_id}/").status_code == 200
    assert admin.get("/api/v1/admin/escalations/").status_code == 200
    assert client_for(candidate).get("/api/v1/admin/escalations/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status", [("anonymous", (401, 403)), ("grader", (403,)), ("partner_manager", (201,))]
)
def test_who_may_start_an_attempt(request, client_for, exam, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    assert client_for(user).post(f"/api/v1/exams/{exam.slug}/attempts/").status_code in status


@pytest.mark.django_db
def test_grader_from_the_candidates_firm_is_never_assigned(
    client_for, candidate, firm, exam, exemplar_for
):
    from accounts.models import Membership, Role
    from assessments.services.attempts import attempt_start, attempt_submit
    from tests.factories import UserFactory

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    colleague = UserFactory(role=Role.GRADER)
    Membership.objects.create(user=colleague, organisation=firm)
    client = client_for(colleague)
    assert client.post("/api/v1/grading/items/claim-next/").status_code == 204
    item = HumanScore.objects.first()
    assert (
        client.post(
            f"/api/v1/grading/items/{item.pk}/score/", {"points": 1}, format="json"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_lease_expiry_frees_an_item_and_the_old_holder_cannot_score(
    client_for, candidate, grader, exam, exemplar_for
):
    from accounts.models import Role
    from assessments.services.attempts import attempt_start, attempt_submit
    from tests.factories import UserFactory

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    first = client_for(grader).post("/api/v1/grading/items/claim-next/").json()
    HumanScore.objects.filter(pk=first["id"]).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    other = UserFactory(role=Role.GRADER)
    taken = client_for(other).post("/api/v1/grading/items/claim-next/").json()
    assert taken["id"] == first["id"]
    late = client_for(grader).post(
        f"/api/v1/grading/items/{first['id']}/score/", {"points": 1}, format="json"
    )
    assert late.status_code == 404


@pytest.mark.django_db
def test_points_must_be_a_rubric_level(client_for, candidate, grader, exam, exemplar_for):
    from assessments.services.attempts import attempt_start, attempt_submit

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    item = client_for(grader).post("/api/v1/grading/items/claim-next/").json()
    response = client_for(grader).post(
        f"/api/v1/grading/items/{item['id']}/score/", {"points": 0.3}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_points"


@pytest.mark.django_db
def test_overdue_scoring_escalates_once(candidate, exam, exemplar_for):
    from assessments.models import Escalation
    from assessments.services.attempts import attempt_start, attempt_submit
    from assessments.services.human_scoring import scoring_sweep

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    later = timezone.now() + timedelta(days=10)
    assert scoring_sweep(now=later) == 2
    assert scoring_sweep(now=later) == 0
    assert Escalation.objects.filter(kind="scoring_overdue").count() == 2


@pytest.mark.django_db
def test_decision_reversal_notifies_the_hook_and_is_audited(
    client_for, programme_admin, candidate, certification, decisions_seen
):
    decision = CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        outcome="pass",
        critical_passed=True,
        total=90,
        cut_score=70,
    )
    url = f"/api/v1/decisions/{decision.pk}/reverse/"
    assert client_for(candidate).post(url, {"reason": "x"}, format="json").status_code == 403
    response = client_for(programme_admin).post(
        url, {"reason": "Appeal upheld: misconduct"}, format="json"
    )
    assert response.status_code == 200 and response.json()["reversed_at"]
    assert (decision.pk, "reversed") in decisions_seen
    assert AuditEvent.objects.filter(
        action="decision.reversed", target_id=str(decision.pk)
    ).exists()
    assert (
        client_for(programme_admin).post(url, {"reason": "again"}, format="json").status_code == 409
    )
