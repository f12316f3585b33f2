"""Regrading is a replay, previewed first; a regrade that changes the result replaces the
decision (old one reversed, new one recorded, both announced through the hook)."""

import copy
import hashlib
import json

import pytest

from assessments.models import CertificationDecision, GradeReport, HumanScore, Regrade
from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.human_scoring import human_item_claim_next, human_item_score
from audit.models import AuditEvent


def _submit(candidate, exam, design_for, name):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    return attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: design_for(attempt, name)}
    )


def _score_everything(grader, points="top"):
    while (item := human_item_claim_next(grader=grader)) is not None:
        cp = next(
            c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id
        )
        levels = [float(level["points"]) for level in cp["evidence"]["levels"]]
        human_item_score(
            item=item, grader=grader, points=max(levels) if points == "top" else 0.0, comment=""
        )


def publish_next_version(ap_version, edit_checkpoint):
    """The next version of the AP pack, with ``edit_checkpoint`` applied to each checkpoint."""
    from scenarios.models import ScenarioVersion

    content = copy.deepcopy(ap_version.content)
    content["version"] = ap_version.version + 1
    for cp in content["rubric"]["checkpoints"]:
        edit_checkpoint(cp)
    return ScenarioVersion.objects.create(
        scenario=ap_version.scenario,
        version=ap_version.version + 1,
        title=ap_version.title,
        content=content,
        content_sha256=hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest(),
        engine_version=ap_version.engine_version,
        selftest={"ok": True},
    )


def _publish_fixed_rubric(ap_version):
    """The next version of the AP pack: the rubric was fixed so that approving by sample is no longer
    a critical failure (a policy change, say)."""

    def fix(cp):
        if cp["id"] == "payment-approval":
            cp["critical"] = False
            cp["weight"] = 0.5

    return publish_next_version(ap_version, fix)


@pytest.mark.django_db
def test_a_replay_against_the_same_version_changes_nothing(
    client_for, candidate, grader, programme_admin, exam, exemplar_for
):
    attempt = _submit(candidate, exam, exemplar_for, "agent-extraction-with-callback")
    _score_everything(grader)
    decision = CertificationDecision.objects.get(attempt=attempt)
    admin = client_for(programme_admin)

    preview = admin.post(
        f"/api/v1/admin/attempts/{attempt.pk}/regrade-preview/", {"to_latest": False}, format="json"
    )
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert body["would_change"] is False and body["outcome_flips"] is False
    assert body["checkpoints_changed"] == []
    assert body["proposed"]["total"] == decision.total  # human scores reused, same result

    response = admin.post(
        f"/api/v1/admin/attempts/{attempt.pk}/regrades/",
        {"to_latest": False, "reason": "audit replay"},
        format="json",
    )
    assert response.status_code == 202, response.json()
    regrade = Regrade.objects.get(pk=response.json()["id"])
    assert regrade.status == "unchanged"  # tasks run in-process on the fast tier
    assert CertificationDecision.objects.get(attempt=attempt, reversed_at=None) == decision
    # The human scores were carried over, not asked for again.
    new_report = GradeReport.objects.get(job__regrade=regrade)
    assert set(new_report.human_scores.values_list("carried_over", flat=True)) == {True}
    assert new_report.final_report["total"] == decision.total


@pytest.mark.django_db
def test_a_fixed_rubric_flips_a_fail_to_a_pass_after_preview(
    client_for, candidate, grader, programme_admin, exam, exemplar_for, ap_version, decisions_seen
):
    attempt = _submit(candidate, exam, exemplar_for, "sampled-approvals")
    failed = CertificationDecision.objects.get(attempt=attempt)
    assert failed.outcome == "fail" and not HumanScore.objects.exists()
    v2 = _publish_fixed_rubric(ap_version)
    admin = client_for(programme_admin)

    preview = admin.post(f"/api/v1/admin/attempts/{attempt.pk}/regrade-preview/", {}, format="json")
    body = preview.json()
    assert body["scenario_version_ids"] == [v2.pk]
    assert body["current"]["outcome"] == "fail"
    # Nobody has scored the rationale yet (a critical failure made it moot): the preview says
    # the result would no longer be a critical fail, but is not conclusive until people score.
    assert body["proposed"]["critical_passed"] is True and body["proposed"]["conclusive"] is False
    assert not Regrade.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="regrade").exists()

    response = admin.post(
        f"/api/v1/admin/attempts/{attempt.pk}/regrades/",
        {"reason": "payment-approval rubric corrected (appeal 17)"},
        format="json",
    )
    regrade = Regrade.objects.get(pk=response.json()["id"])
    assert regrade.status == "pending"  # waiting for the human criteria of the new report
    again = admin.post(
        f"/api/v1/admin/attempts/{attempt.pk}/regrades/", {"reason": "twice"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "regrade_pending"

    # The grader sees the frozen design (the regrade's report is on the new version, the
    # submission was made on the old one).
    item = client_for(grader).post("/api/v1/grading/items/claim-next/").json()
    assert item["design"] == attempt.submission[str(ap_version.pk)]
    top = max(level["points"] for level in item["criterion"]["levels"])
    scored = client_for(grader).post(
        f"/api/v1/grading/items/{item['id']}/score/", {"points": top}, format="json"
    )
    assert scored.status_code == 200, scored.json()
    _score_everything(grader)

    regrade.refresh_from_db()
    failed.refresh_from_db()
    new = CertificationDecision.objects.get(attempt=attempt, reversed_at=None)
    assert regrade.status == "changed"
    assert regrade.previous_decision == failed and regrade.new_decision == new
    assert failed.reversed_at and "appeal 17" in failed.reversal_reason
    assert new.outcome == "pass" and new.decided_by == programme_admin
    assert new.report_ids == [GradeReport.objects.get(job__regrade=regrade).pk]
    assert decisions_seen[-2:] == [(failed.pk, "reversed"), (new.pk, "recorded")]
    result = client_for(candidate).get(f"/api/v1/attempts/{attempt.pk}/result/").json()
    assert result["decision"]["outcome"] == "pass"
    assert result["reports"][0]["scenario"]["version"] == v2.version


@pytest.mark.django_db
def test_only_submitted_attempts_can_be_regraded(client_for, candidate, programme_admin, exam):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    response = client_for(programme_admin).post(
        f"/api/v1/admin/attempts/{attempt.pk}/regrades/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "attempt_not_submitted"


@pytest.mark.django_db
def test_a_regrade_pairs_each_design_with_its_own_scenario_whatever_the_key_order(
    candidate, programme_admin, certification
):
    """PostgreSQL's jsonb does not keep an object's key order; a regrade must not rely on it."""
    from assessments.models import Attempt, Exam, ExamScenario, GradingJob
    from assessments.services.regrades import regrade_request
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR
    from tests.assessments.conftest import published_version_of

    exam = Exam.objects.create(slug="two", title="Two", certification=certification)
    plan = [
        ("ap-invoice-processing", "sampled-approvals"),
        ("software-delivery-coding-agent", "agent-runs-migrations"),
    ]
    versions = []
    for position, (slug, _) in enumerate(plan, start=1):
        versions.append(published_version_of(slug))
        ExamScenario.objects.create(exam=exam, scenario_version=versions[-1], position=position)
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    designs = {}
    for version, (slug, name) in zip(versions, plan, strict=True):
        pack = load_pack(PACKS_DIR / slug)
        designs[version.pk] = design_of(pack.resolve(draw_variant(pack, attempt.seed)), name)
    attempt_submit(attempt=attempt, designs=designs)
    reordered = dict(reversed(list(Attempt.objects.get(pk=attempt.pk).submission.items())))
    Attempt.objects.filter(pk=attempt.pk).update(submission=reordered)
    attempt.refresh_from_db()

    regrade = regrade_request(
        attempt=attempt, actor=programme_admin, reason="replay", to_latest=False
    )

    original = dict(
        GradingJob.objects.filter(regrade=None).values_list("scenario_version", "design_sha256")
    )
    replayed = dict(regrade.jobs.values_list("scenario_version", "design_sha256"))
    assert replayed == original
    regrade.refresh_from_db()
    assert regrade.status == "unchanged"  # a pure replay reproduces the decision
