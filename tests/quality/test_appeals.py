# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Appeals: a candidate appeals a failed decision within the window; a reviewer who did not grade
the attempt and shares no firm with the candidate decides it (upheld, regraded, overturned),
with reasons, audit rows, the decision history, the credential following and an email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from assessments.models import CertificationDecision, HumanMark, HumanScore, Regrade
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent
from config.errors import Conflict, Forbidden, InvalidRequest
from quality import appeals
from quality.appeal_models import Appeal
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    decisions_seen,
    exam,
    exemplar_for,
)
from tests.assessments.test_regrade import _publish_fixed_rubric, _score_everything
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(candidate, exam, exemplar_for):
    """A submitted attempt whose standing decision is a critical fail (no human scoring)."""
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt = attempt_submit(
        attempt=attempt,
        designs={attempt.scenario_version_ids[0]: exemplar_for(attempt, "sampled-approvals")},
    )
    decision = CertificationDecision.objects.get(attempt=attempt)
    assert decision.outcome == "fail"
    return attempt


@pytest.fixture
def firm_grader(firm):
    """A grader from the candidate's own firm: never their reviewer."""
    user = UserFactory(email="firm.grader@example.test", role=Role.GRADER)
    MembershipFactory(user=user, organisation=firm)
    return user


def _file(client_for, user, attempt, reason="The approval step is sampled on purpose."):
    return client_for(user).post(
        "/api/v1/quality/appeals/", {"attempt": str(attempt.pk), "reason": reason}, format="json"
    )


# --- filing ---------------------------------------------------------------------------------


def test_a_candidate_files_an_appeal_and_it_goes_to_an_eligible_reviewer(
    client_for, candidate, failed, grader, firm_grader, programme_admin
):
    response = _file(client_for, candidate, failed)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "under_review" and body["reviewer"] is None  # never named to them
    appeal = Appeal.objects.get(pk=body["id"])
    assert appeal.reviewer in (grader, programme_admin)  # never the firm's own grader
    assert appeal.decision == CertificationDecision.objects.get(attempt=failed)
    assert AuditEvent.objects.filter(action="appeal.filed", target_id=str(appeal.pk)).exists()
    assert AuditEvent.objects.filter(action="appeal.assigned", target_id=str(appeal.pk)).exists()
    assert [m.to for m in mail.outbox] == [[candidate.email]]
    assert "received your appeal" in mail.outbox[0].subject


def test_the_reviewer_is_never_a_grader_of_the_attempt_nor_from_the_candidates_firm(
    candidate, certification, exam, exemplar_for, grader, firm_grader, programme_admin
):
    certification.cut_score = 99.9  # the rationale's low scores fail it on the total
    certification.save()
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt = attempt_submit(
        attempt=attempt,
        designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)},
    )
    _score_everything(grader, points="bottom")  # grader (other firm) scores the rationale
    assert CertificationDecision.objects.get(attempt=attempt).outcome == "fail"

    eligible = set(appeals.eligible_reviewers(attempt=attempt))
    assert eligible == {programme_admin}
    assert "graded" in appeals.reviewer_conflict(reviewer=grader, attempt=attempt)
    assert "firm" in appeals.reviewer_conflict(reviewer=firm_grader, attempt=attempt)
    assert appeals.reviewer_conflict(reviewer=candidate, attempt=attempt)
    assert appeals.reviewer_conflict(reviewer=programme_admin, attempt=attempt) is None

    # A second marker of a double-marked item graded the attempt too.
    second = UserFactory(email="second.marker@example.test", role=Role.GRADER)
    assert appeals.reviewer_conflict(reviewer=second, attempt=attempt) is None
    item = HumanScore.objects.filter(report__attempt=attempt).first()
    HumanMark.objects.create(item=item, kind="second", grader=second, points=0)
    assert "graded" in appeals.reviewer_conflict(reviewer=second, attempt=attempt)

    appeal = appeals.appeal_file(attempt=attempt, candidate=candidate, reason="Too harsh.")
    assert appeal.reviewer == programme_admin
    with pytest.raises(Forbidden) as error:
        appeals.appeal_assign(appeal=appeal, reviewer=grader, actor=programme_admin)
    assert error.value.code == "reviewer_conflict"
    with pytest.raises(Forbidden):
        appeals.appeal_assign(appeal=appeal, reviewer=firm_grader, actor=programme_admin)


def test_with_no_eligible_reviewer_the_appeal_waits_for_staff_to_assign_one(
    client_for, candidate, failed, firm_grader, programme_admin
):
    programme_admin.is_active = False
    programme_admin.save()
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please look.")
    assert appeal.status == "awaiting_reviewer" and appeal.reviewer is None
    staff = UserFactory(email="staff2@example.test", role=Role.PROGRAMME_ADMIN)
    outsider = UserFactory(email="outsider.grader@example.test", role=Role.GRADER)
    response = client_for(staff).post(
        f"/api/v1/quality/appeals/{appeal.pk}/assign/", {"reviewer": firm_grader.pk}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "reviewer_conflict"
    response = client_for(staff).post(
        f"/api/v1/quality/appeals/{appeal.pk}/assign/", {"reviewer": outsider.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "under_review"
    assert response.json()["reviewer"]["id"] == outsider.pk


def test_an_appeal_needs_a_reason_a_failed_decision_and_the_window(
    client_for, candidate, failed, settings
):
    blank = _file(client_for, candidate, failed, reason="  ")
    assert blank.status_code == 400 and blank.json()["code"] == "reason_required"

    decision = CertificationDecision.objects.get(attempt=failed)
    settings.QUALITY_APPEAL_WINDOW_DAYS = 30
    CertificationDecision.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now() - timedelta(days=31)
    )
    late = _file(client_for, candidate, failed)
    assert late.status_code == 409 and late.json()["code"] == "not_appealable"

    settings.QUALITY_APPEAL_WINDOW_DAYS = 45  # configurable
    assert _file(client_for, candidate, failed).status_code == 201
    again = _file(client_for, candidate, failed)
    assert again.status_code == 409 and again.json()["code"] == "already_appealed"


def test_a_pass_cannot_be_appealed(candidate, exam, exemplar_for, grader):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt = attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    _score_everything(grader)
    assert CertificationDecision.objects.get(attempt=attempt).outcome == "pass"
    with pytest.raises(Conflict):
        appeals.appeal_file(attempt=attempt, candidate=candidate, reason="More points please.")


def test_only_the_candidate_may_appeal_their_attempt(
    client_for, failed, other_candidate, partner_manager, grader, programme_admin
):
    assert _file(client_for, other_candidate, failed).status_code == 404
    assert _file(client_for, partner_manager, failed).status_code == 404  # not their attempt
    assert _file(client_for, grader, failed).status_code == 403
    assert _file(client_for, programme_admin, failed).status_code == 403
    assert _file(client_for, None, failed).status_code in (401, 403)
    assert not Appeal.objects.exists()


# --- who sees what --------------------------------------------------------------------------


def test_each_role_sees_only_the_appeals_it_should(
    client_for, candidate, failed, other_candidate, partner_manager, grader, programme_admin
):
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please.")
    other_reviewer = programme_admin if appeal.reviewer == grader else grader
    url = f"/api/v1/quality/appeals/{appeal.pk}/"
    assert client_for(candidate).get(url).status_code == 200
    assert client_for(appeal.reviewer).get(url).status_code == 200
    assert client_for(programme_admin).get(url).status_code == 200
    for outsider in (other_candidate, partner_manager):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).get("/api/v1/quality/appeals/").json()["count"] == 0
    if other_reviewer != programme_admin:
        assert client_for(other_reviewer).get(url).status_code == 404
    history = client_for(candidate).get(url).json()["decision_history"]
    assert [d["outcome"] for d in history] == ["fail"]


def test_only_the_assigned_reviewer_decides(
    client_for, candidate, failed, other_candidate, partner_manager, grader, programme_admin
):
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please.")
    url = f"/api/v1/quality/appeals/{appeal.pk}/decide/"
    body = {"outcome": "upheld", "reason": "The rule is clear."}
    for user in (candidate, other_candidate, partner_manager):
        assert client_for(user).post(url, body, format="json").status_code == 403
    not_assigned = programme_admin if appeal.reviewer == grader else grader
    response = client_for(not_assigned).post(url, body, format="json")
    assert response.status_code in (403, 404)
    appeal.refresh_from_db()
    assert appeal.is_open


def test_a_reviewer_who_joins_the_candidates_firm_can_no_longer_decide(
    candidate, failed, firm, grader, programme_admin
):
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please.")
    MembershipFactory(user=appeal.reviewer, organisation=firm)
    with pytest.raises(Forbidden) as error:
        appeals.appeal_decide(
            appeal=appeal, reviewer=appeal.reviewer, outcome="upheld", reason="Stands."
        )
    assert error.value.code == "reviewer_conflict"


# --- outcomes -------------------------------------------------------------------------------


def test_upheld_keeps_the_decision_and_tells_the_candidate(client_for, candidate, failed, grader):
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please.")
    decision = appeal.decision
    response = client_for(appeal.reviewer).post(
        f"/api/v1/quality/appeals/{appeal.pk}/decide/",
        {"outcome": "upheld", "reason": "Sampling approvals misses fraud: the rule stands."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "upheld"
    decision.refresh_from_db()
    assert decision.reversed_at is None
    assert CertificationDecision.objects.filter(attempt=failed).count() == 1
    event = AuditEvent.objects.get(action="appeal.upheld")
    assert event.actor == appeal.reviewer and "rule stands" in event.reason
    assert "Upheld" in mail.outbox[-1].subject and "rule stands" in mail.outbox[-1].body
    again = client_for(appeal.reviewer).post(
        f"/api/v1/quality/appeals/{appeal.pk}/decide/",
        {"outcome": "overturned", "reason": "Changed my mind."},
        format="json",
    )
    assert again.status_code == 409 and again.json()["code"] == "appeal_decided"


def test_overturned_reverses_the_fail_records_a_pass_and_the_credential_follows(
    client_for, candidate, failed, decisions_seen, programme_admin
):
    from certification.models import Credential

    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please.")
    old = appeal.decision
    response = client_for(appeal.reviewer).post(
        f"/api/v1/quality/appeals/{appeal.pk}/decide/",
        {"outcome": "overturned", "reason": "Sampled approval is within policy here."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    old.refresh_from_db()
    new = CertificationDecision.objects.get(attempt=failed, reversed_at=None)
    assert old.reversed_at is not None and "Overturned on appeal" in old.reversal_reason
    assert new.outcome == "pass" and new.decided_by == appeal.reviewer
    assert str(appeal.pk) in new.rationale
    assert decisions_seen[-2:] == [(old.pk, "reversed"), (new.pk, "recorded")]
    assert Credential.objects.filter(decision=new).exists()  # issued after commit
    body = response.json()
    assert body["new_decision"] == str(new.pk)
    assert [(d["outcome"], bool(d["reversed_at"])) for d in body["decision_history"]] == [
        ("fail", True),
        ("pass", False),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"appeal.overturned", "decision.reversed", "decision.recorded"} <= actions
    assert "Overturned" in mail.outbox[-1].subject and "credential" in mail.outbox[-1].body


def test_regraded_runs_the_ordinary_regrade_with_preview(
    client_for, candidate, failed, ap_version, grader, programme_admin
):
    _publish_fixed_rubric(ap_version)  # the rubric was fixed since the attempt was graded
    staff = UserFactory(email="reviewer@example.test", role=Role.PROGRAMME_ADMIN)
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Rubric is wrong.")
    appeal = appeals.appeal_assign(appeal=appeal, reviewer=staff, actor=programme_admin)
    reviewer = client_for(staff)
    preview = reviewer.post(f"/api/v1/quality/appeals/{appeal.pk}/regrade-preview/", {})
    assert preview.status_code == 200, preview.json()
    assert preview.json()["proposed"]["critical_passed"] is True
    assert not Regrade.objects.exists()  # the preview changed nothing

    response = reviewer.post(
        f"/api/v1/quality/appeals/{appeal.pk}/decide/",
        {"outcome": "regraded", "reason": "The payment-approval rubric was corrected."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    regrade = Regrade.objects.get(attempt=failed)
    assert response.json()["regrade"]["id"] == str(regrade.pk)
    assert str(appeal.pk) in regrade.reason and regrade.requested_by == staff
    _score_everything(grader)  # the new report's human criteria
    regrade.refresh_from_db()
    assert regrade.status == "changed"
    assert CertificationDecision.objects.get(attempt=failed, reversed_at=None).outcome == "pass"
    assert AuditEvent.objects.filter(action="appeal.regraded").exists()


def test_a_decision_replaced_since_the_appeal_cannot_be_decided_on(
    candidate, failed, programme_admin
):
    from assessments.services.decisions import decision_reverse

    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please.")
    decision_reverse(decision=appeal.decision, actor=programme_admin, reason="misconduct review")
    with pytest.raises(Conflict) as error:
        appeals.appeal_decide(
            appeal=appeal, reviewer=appeal.reviewer, outcome="overturned", reason="x"
        )
    assert error.value.code == "decision_changed"


def test_a_decision_needs_an_outcome_and_reasons(client_for, candidate, failed, grader):
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please.")
    url = f"/api/v1/quality/appeals/{appeal.pk}/decide/"
    client = client_for(appeal.reviewer)
    bad = client.post(url, {"outcome": "granted", "reason": "x"}, format="json")
    assert bad.status_code == 400, bad.json()
    blank = client.post(url, {"outcome": "upheld", "reason": " "}, format="json")
    assert blank.status_code == 400 and blank.json()["code"] == "reason_required"
    with pytest.raises(InvalidRequest):
        appeals.appeal_decide(appeal=appeal, reviewer=appeal.reviewer, outcome="x", reason="y")
