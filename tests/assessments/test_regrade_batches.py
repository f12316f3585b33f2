"""A rubric fix across every attempt it touches: previewed on the workers, read, then applied as
one ordinary regrade per affected attempt. Nothing changes before it is applied; nothing is
previewed or regraded twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import CertificationDecision, Regrade, RegradeBatch, RegradeBatchItem
from assessments.services import regrade_batches
from audit.models import AuditEvent
from scenarios.models import ScenarioVersion
from tests.factories import MembershipFactory, UserFactory

from .test_regrade import _score_everything, _submit, publish_next_version

pytestmark = pytest.mark.django_db
URL = "/api/v1/admin/regrade-batches"


def _publish_fix(ap_version) -> ScenarioVersion:
    """The next version: approving by sample is no longer critical, and the written rationale
    weighs ten times more against the rest (so a pass earned without it no longer reaches the
    cut score)."""

    def fix(cp):
        if cp["id"] == "payment-approval":
            cp["critical"] = False
        if cp["kind"] != "human_rubric":
            cp["weight"] = cp["weight"] / 10

    return publish_next_version(ap_version, fix)


@pytest.fixture
def attempts(candidate, other_candidate, grader, exam, exemplar_for, firm):
    """Three decided attempts on the AP pack: a pass with a full rationale, a pass with no
    rationale credit, and a critical fail (approvals by sample; nothing left to score)."""
    full = _submit(candidate, exam, exemplar_for, "agent-extraction-with-callback")
    _score_everything(grader, points="top")
    bare_candidate = UserFactory(email="bare@example.test")
    MembershipFactory(user=bare_candidate, organisation=firm)
    bare = _submit(bare_candidate, exam, exemplar_for, "agent-extraction-with-callback")
    _score_everything(grader, points="none")
    sampled = _submit(other_candidate, exam, exemplar_for, "sampled-approvals")
    outcomes = [CertificationDecision.objects.get(attempt=a).outcome for a in (full, bare, sampled)]
    assert outcomes == ["pass", "pass", "fail"]
    return {"full": full, "bare": bare, "sampled": sampled}


@pytest.fixture
def admin(client_for, programme_admin):
    return client_for(programme_admin)


def _create(admin, ap_version, reason="payment-approval not critical; rationale weighs more"):
    return admin.post(
        f"/api/v1/admin/scenarios/{ap_version.scenario.slug}/regrade-batches/",
        {"reason": reason},
        format="json",
    )


def _effects(batch_id) -> dict:
    return dict(RegradeBatchItem.objects.filter(batch_id=batch_id).values_list("attempt", "effect"))


def test_the_preview_says_what_the_fix_would_do_and_changes_nothing(admin, attempts, ap_version):
    decisions = list(CertificationDecision.objects.values_list("pk", "outcome", "reversed_at"))
    _publish_fix(ap_version)

    response = _create(admin, ap_version)

    assert response.status_code == 202, response.json()
    batch = admin.get(f"{URL}/{response.json()['id']}/").json()
    assert batch["status"] == "previewed"  # the chunks ran in-process on the fast tier
    assert batch["attempts"] == batch["previewed"] == 3
    assert batch["target_version"] == ap_version.version + 1
    assert batch["summary"] == {
        "attempts": 3,
        "affected": 2,
        "none": 1,
        "inconclusive": 1,
        "score": 0,
        "fail_to_pass": 0,
        "pass_to_fail": 1,
        "error": 0,
    }
    assert _effects(batch["id"]) == {
        attempts["full"].pk: "none",  # full marks either way
        attempts["bare"].pk: "pass_to_fail",  # its zero rationale now weighs too much
        attempts["sampled"].pk: "inconclusive",  # no longer a critical fail; rationale unscored
    }
    flips = admin.get(f"{URL}/{batch['id']}/items/", {"effect": "pass_to_fail"}).json()
    assert [i["attempt"] for i in flips["results"]] == [str(attempts["bare"].pk)]
    assert flips["results"][0]["current"]["outcome"] == "pass"
    assert flips["results"][0]["proposed"]["outcome"] == "fail"
    affected = admin.get(f"{URL}/{batch['id']}/items/", {"affected": "true"}).json()
    assert affected["count"] == 2
    bad = admin.get(f"{URL}/{batch['id']}/items/", {"effect": "maybe"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_filter"

    # Nothing changed: no regrade, the same decisions, only the batch's own audit rows.
    assert not Regrade.objects.exists()
    assert list(CertificationDecision.objects.values_list("pk", "outcome", "reversed_at")) == (
        decisions
    )
    actions = set(AuditEvent.objects.filter(action__contains="regrade").values_list("action"))
    assert actions == {("regrade_batch.requested",), ("regrade_batch.previewed",)}


def test_applying_regrades_each_affected_attempt_once(admin, attempts, ap_version, decisions_seen):
    _publish_fix(ap_version)
    batch_id = _create(admin, ap_version).json()["id"]
    bare_decision = CertificationDecision.objects.get(attempt=attempts["bare"])

    response = admin.post(f"{URL}/{batch_id}/apply/")

    assert response.status_code == 202, response.json()
    batch = admin.get(f"{URL}/{batch_id}/").json()
    assert batch["status"] == "applied" and batch["applied_by"] == "admin@example.test"
    regraded = dict(
        RegradeBatchItem.objects.filter(batch_id=batch_id).values_list("attempt", "regrade")
    )
    assert regraded[attempts["full"].pk] is None  # untouched by the fix: left alone
    assert Regrade.objects.count() == 2
    # The bare pass is decided at once (its human scores are carried over): reversed, and a
    # fail recorded, through the hook that withdraws its credential.
    bare = Regrade.objects.get(pk=regraded[attempts["bare"].pk])
    assert bare.status == "changed" and bare.previous_decision == bare_decision
    assert bare.new_decision.outcome == "fail"
    assert (bare_decision.pk, "reversed") in decisions_seen
    assert "batch regrade" in bare.reason
    # The sampled fail waits for people to score the rationale it now needs.
    assert Regrade.objects.get(pk=regraded[attempts["sampled"].pk]).status == "pending"

    again = admin.post(f"{URL}/{batch_id}/apply/")
    assert again.status_code == 409 and again.json()["code"] == "batch_not_previewed"
    assert regrade_batches.regrade_batch_apply_run(batch_id=batch_id) == 0
    assert Regrade.objects.count() == 2


def test_requests_that_cannot_be_taken_are_refused(admin, attempts, ap_version, programme_admin):
    assert _create(admin, ap_version, reason=" ").status_code == 400
    RegradeBatch.objects.create(
        scenario=ap_version.scenario,
        target_version=ap_version,
        requested_by=programme_admin,
        reason="running",
    )
    response = _create(admin, ap_version)
    assert response.status_code == 409 and response.json()["code"] == "batch_running"
    assert admin.post("/api/v1/admin/scenarios/no-such-scenario/regrade-batches/").status_code == (
        404
    )


def test_a_chunk_delivered_twice_previews_each_attempt_once(
    attempts, ap_version, programme_admin, monkeypatch
):
    _publish_fix(ap_version)
    monkeypatch.setattr(regrade_batches, "_send_chunks", lambda batch_id, chunks: None)
    batch = regrade_batches.regrade_batch_create(
        scenario=ap_version.scenario, actor=programme_admin, reason="fix"
    )
    assert batch.status == "previewing" and not batch.items.exists()

    ids = batch.attempt_ids
    assert regrade_batches.regrade_batch_preview_chunk(batch_id=batch.pk, attempt_ids=ids[:2]) == 2
    assert regrade_batches.regrade_batch_preview_chunk(batch_id=batch.pk, attempt_ids=ids[:2]) == 0
    batch.refresh_from_db()
    assert batch.status == "previewing"  # one attempt to go
    assert regrade_batches.regrade_batch_preview_chunk(batch_id=batch.pk, attempt_ids=ids) == 1
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.items.count() == 3
    assert AuditEvent.objects.filter(action="regrade_batch.previewed").count() == 1


def test_the_sweeper_resends_a_stalled_batch_and_leaves_a_busy_one(
    attempts, ap_version, programme_admin, monkeypatch
):
    _publish_fix(ap_version)
    lost, send = [], regrade_batches._send_chunks
    monkeypatch.setattr(regrade_batches, "_send_chunks", lambda batch_id, chunks: lost.append(1))
    batch = regrade_batches.regrade_batch_create(
        scenario=ap_version.scenario, actor=programme_admin, reason="fix"
    )
    assert lost and batch.status == "previewing"  # sent, and the messages were lost
    monkeypatch.setattr(regrade_batches, "_send_chunks", send)

    assert regrade_batches.regrade_batches_sweep() == 0  # still within its time
    batch.refresh_from_db()
    assert batch.status == "previewing"

    RegradeBatch.objects.filter(pk=batch.pk).update(
        touched_at=timezone.now() - regrade_batches.STALLED_AFTER - timedelta(seconds=1)
    )
    assert regrade_batches.regrade_batches_sweep() == 1
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.items.count() == 3


def test_a_scenario_no_attempt_used_is_previewed_at_once(admin, ap_version):
    _publish_fix(ap_version)
    batch = _create(admin, ap_version).json()
    assert batch["status"] == "previewed" and batch["summary"]["attempts"] == 0
    apply = admin.post(f"{URL}/{batch['id']}/apply/")
    assert apply.status_code == 202 and apply.json()["status"] == "applied"


def test_an_attempt_the_new_version_cannot_grade_is_reported_not_regraded(
    admin, attempts, ap_version
):
    """The new version renamed a task type the designs use: their preview says so, staff look,
    and applying leaves them alone."""
    content = ap_version.content
    content["task_types"]["gl_coding"] = content["task_types"].pop("coding")
    later = publish_next_version(ap_version, lambda cp: None)
    # (a new content hash too: the pack cache keys on it)
    ScenarioVersion.objects.filter(pk=later.pk).update(content=content, content_sha256="d" * 64)

    batch = admin.get(f"{URL}/{_create(admin, ap_version).json()['id']}/").json()

    assert batch["status"] == "previewed"
    assert batch["summary"]["error"] == 3 and batch["summary"]["affected"] == 0
    item = admin.get(f"{URL}/{batch['id']}/items/", {"effect": "error"}).json()["results"][0]
    assert "does not validate against the new version" in item["error"]
    admin.post(f"{URL}/{batch['id']}/apply/")
    assert not Regrade.objects.exists()


def test_a_broker_that_is_down_leaves_the_batch_for_the_sweeper(
    admin, attempts, ap_version, monkeypatch, caplog
):
    from assessments import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    _publish_fix(ap_version)
    monkeypatch.setattr(tasks.regrade_batch_preview_chunk, "apply_async", down)
    response = _create(admin, ap_version)
    assert response.status_code == 202 and response.json()["status"] == "previewing"
    assert "the sweeper will send it" in caplog.text
