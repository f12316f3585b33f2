# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Similarity detection: a renamed and reordered copy of a design is found (identical up to
renaming), a lightly edited copy scores high, a genuinely different design does not; pairs are
flagged after grading, for staff to confirm or dismiss, never failing anyone."""

import copy
import json
import random
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.models import CertificationDecision
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent
from quality import similarity as sim
from quality.similarity_models import DesignFingerprint, SimilarPair
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
from tests.factories import UserFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "scenarios" / "examples"
EXEMPLAR = json.loads((EXAMPLES / "ap-exemplar.json").read_text())
FLAWED = json.loads((EXAMPLES / "ap-flawed-sampled-approvals.json").read_text())


def renamed(design: dict, seed: int) -> dict:
    """The same design with every step id and title changed and steps and routes reordered."""
    rng = random.Random(seed)
    design = copy.deepcopy(design)
    new = {s["id"]: f"step-{rng.randrange(10**9)}-{i}" for i, s in enumerate(design["steps"])}

    def sub(value):
        if isinstance(value, dict):
            return {k: sub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v) for v in value]
        return new.get(value, value) if isinstance(value, str) else value

    design = sub(design)
    rng.shuffle(design["steps"])
    for step in design["steps"]:
        step["name"] = f"Renamed {rng.random()}"
        if "routes" in step:
            rng.shuffle(step["routes"])
    design["title"] = "A different title"
    return design


@given(seed=st.integers(min_value=0, max_value=10**6))
@settings(max_examples=25, deadline=None)
def test_a_renamed_reordered_copy_has_the_same_fingerprint(seed):
    original, copied = sim.features(EXEMPLAR), sim.features(renamed(EXEMPLAR, seed))
    assert sim.canonical_hash(original) == sim.canonical_hash(copied)
    assert sim.jaccard(original, copied) == 1.0
    assert sim.bands(sim.minhash(original)) == sim.bands(sim.minhash(copied))


def test_a_genuinely_different_design_is_not_similar():
    a, b = sim.features(EXEMPLAR), sim.features(FLAWED)
    assert sim.canonical_hash(a) != sim.canonical_hash(b)
    assert sim.jaccard(a, b) < 0.5


def test_a_lightly_edited_copy_is_closer_than_a_different_design_and_is_a_candidate():
    edited = renamed(EXEMPLAR, 1)
    edited["steps"][0].setdefault("data_classes", []).append("extra-data")  # one step changed
    a, b = sim.features(EXEMPLAR), sim.features(edited)
    assert sim.canonical_hash(a) != sim.canonical_hash(b)
    assert sim.jaccard(a, sim.features(FLAWED)) < sim.jaccard(a, b) < 1.0
    # It shares an LSH band, so it is compared (the flag then depends on the threshold).
    assert set(sim.bands(sim.minhash(a))) & set(sim.bands(sim.minhash(b)))


def test_a_changed_route_target_changes_the_fingerprint():
    rewired = copy.deepcopy(EXEMPLAR)
    routed = next(s for s in rewired["steps"] if s.get("routes"))
    ids = [s["id"] for s in rewired["steps"]]
    target = routed["routes"][0]["to"]
    routed["routes"][0]["to"] = next(i for i in ids if i not in (target, routed["id"]))
    assert sim.canonical_hash(sim.features(rewired)) != sim.canonical_hash(sim.features(EXEMPLAR))


def test_rationale_similarity_uses_shingles():
    assert sim.text_similarity("the agent keys every invoice", "the agent keys every invoice") == 1
    assert sim.text_similarity("the agent keys every invoice", "clerks approve payments") == 0


# --- the pipeline ---------------------------------------------------------------------------


def _submit(candidate, exam, design):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    return attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})


@pytest.mark.django_db
def test_a_renamed_copy_by_another_candidate_is_flagged_after_grading(
    client_for, candidate, other_candidate, exam, exemplar_for, programme_admin, grader
):
    attempt_a, _ = attempt_start(candidate=candidate, exam=exam)
    design = exemplar_for(attempt_a, "sampled-approvals")  # decided at once (critical fail)
    attempt_submit(attempt=attempt_a, designs={attempt_a.scenario_version_ids[0]: design})
    attempt_b = _submit(other_candidate, exam, renamed(design, 7))
    unrelated = _submit(UserFactory(email="third@example.test"), exam, exemplar_for(attempt_a))
    assert CertificationDecision.objects.filter(attempt=attempt_b).exists()

    assert DesignFingerprint.objects.count() >= 2  # fingerprinted after the decision
    pair = SimilarPair.objects.get()
    assert {pair.first.attempt_id, pair.second.attempt_id} == {attempt_a.pk, attempt_b.pk}
    assert pair.identical_structure and pair.structural == 1.0
    assert unrelated.pk not in {pair.first.attempt_id, pair.second.attempt_id}
    assert AuditEvent.objects.filter(action="similarity.flagged").count() == 1
    # Never an automatic fail: the copy's decision is what its grading decided.
    assert CertificationDecision.objects.get(attempt=attempt_b).reversed_at is None

    admin = client_for(programme_admin)
    listed = admin.get("/api/v1/quality/similarity/pairs/").json()
    assert listed["count"] == 1 and listed["results"][0]["structural"] == 1.0
    assert listed["results"][0]["first"]["design"]["steps"]
    for user in (grader, candidate):
        assert client_for(user).get("/api/v1/quality/similarity/pairs/").status_code == 403
        page = Client()
        page.force_login(user)
        assert page.get("/quality/similarity/").status_code == 403
    staff = Client()
    staff.force_login(programme_admin)
    assert f'data-pair="{pair.pk}"' in staff.get("/quality/similarity/").content.decode()

    url = f"/api/v1/quality/similarity/pairs/{pair.pk}/review/"
    blank = admin.post(url, {"verdict": "confirmed", "note": " "}, format="json")
    assert blank.status_code == 400
    done = admin.post(url, {"verdict": "dismissed", "note": "Both from the public playbook."})
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    assert AuditEvent.objects.filter(action="similarity.dismissed").exists()
    again = admin.post(url, {"verdict": "confirmed", "note": "x"}, format="json")
    assert again.status_code == 409


@pytest.mark.django_db
def test_the_same_candidate_resubmitting_their_design_is_not_flagged(
    candidate, exam, exemplar_for, certification
):
    exam.cooldown_hours_after_fail = 0
    exam.save()
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    design = exemplar_for(attempt, "sampled-approvals")
    attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})
    _submit(candidate, exam, renamed(design, 3))
    assert DesignFingerprint.objects.count() == 2
    assert not SimilarPair.objects.exists()
