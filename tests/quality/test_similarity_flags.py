# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Similarity flags through the pipeline: after grading, a disguised copy by another candidate
is flagged (saying which signal fired), a candidate's own resubmission is not, a flag changes
no decision, only programme staff see and review flags, and a new design is compared only with
the designs that share an LSH band or its canonical hash."""

import random

import pytest
from django.test import Client

from assessments.models import CertificationDecision
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent
from quality import similarity_edits as edits
from quality import similarity_services as services
from quality.similarity_models import DesignFingerprint, FingerprintBand, SimilarPair
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
from tests.factories import UserFactory

OTHER_RATIONALE = {
    "summary": "We start small: a pilot lane for low-risk vendors, measured weekly.",
    "controls": "Dual control on payments over the limit and a vendor call-back register.",
    "change_management": "Team leads run the new queues and hold a weekly retro for a quarter.",
}


def _submit(candidate, exam, design):
    """Submit the design and fingerprint it (a design waiting for human scores has no decision
    yet, so the listener has not run; the service is idempotent either way)."""
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt = attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})
    services.similarity_check(attempt=attempt)
    return attempt


def _person(email):
    return UserFactory(email=email)


@pytest.mark.django_db
def test_a_renamed_copy_by_another_candidate_is_flagged_on_both_signals(
    candidate, other_candidate, exam, exemplar_for
):
    attempt_a, _ = attempt_start(candidate=candidate, exam=exam)
    design = exemplar_for(attempt_a, "sampled-approvals")  # decided at once (critical fail)
    attempt_submit(attempt=attempt_a, designs={attempt_a.scenario_version_ids[0]: design})
    decision = CertificationDecision.objects.get(attempt=attempt_a)
    attempt_b, _ = attempt_start(candidate=other_candidate, exam=exam)
    copied = edits.renamed(design, random.Random(7))
    attempt_submit(attempt=attempt_b, designs={attempt_b.scenario_version_ids[0]: copied})
    other_strategy = _submit(
        _person("third@example.test"), exam, exemplar_for(attempt_a, "agent-coding-tiered-approval")
    )

    assert DesignFingerprint.objects.count() == 3  # the listener fingerprinted both decided
    pair = SimilarPair.objects.get()
    assert {pair.first.attempt_id, pair.second.attempt_id} == {attempt_a.pk, attempt_b.pk}
    assert pair.identical_structure and pair.structural == 1.0 and pair.rationale == 1.0
    assert pair.signals == ["structure", "rationale"]
    assert pair.components == {"f": 1.0, "0": 1.0, "s1": 1.0, "s2": 1.0}
    assert other_strategy.pk not in {pair.first.attempt_id, pair.second.attempt_id}
    flagged = AuditEvent.objects.get(action="similarity.flagged")
    assert flagged.data["signals"] == ["structure", "rationale"]
    # Never an automatic fail: both decisions are what grading decided, unchanged.
    after = CertificationDecision.objects.get(attempt=attempt_a)
    assert (after.outcome, after.reversed_at, after.total) == (
        decision.outcome,
        decision.reversed_at,
        decision.total,
    )
    assert CertificationDecision.objects.get(attempt=attempt_b).reversed_at is None


@pytest.mark.django_db
def test_a_lightly_edited_copy_with_its_own_rationale_is_flagged_by_structure(
    candidate, other_candidate, exam, exemplar_for
):
    first = _submit(candidate, exam, design := exemplar_for(_start_only(candidate, exam)))
    rng = random.Random(12)
    copied = edits.edited(edits.renamed(design, rng), rng, 2)
    copied["rationale"] = OTHER_RATIONALE
    second = _submit(other_candidate, exam, copied)

    pair = SimilarPair.objects.get()
    assert {pair.first.attempt_id, pair.second.attempt_id} == {first.pk, second.pk}
    assert pair.signals == ["structure"] and not pair.identical_structure
    assert 0.5 <= pair.structural < 1.0 and pair.rationale < 0.4


@pytest.mark.django_db
def test_a_reworded_rationale_on_a_different_design_is_flagged_by_text(
    candidate, other_candidate, exam, exemplar_for
):
    attempt = _start_only(candidate, exam)
    original = exemplar_for(attempt)
    _submit(candidate, exam, original)
    mine = exemplar_for(attempt, "agent-coding-tiered-approval")  # another strategy
    mine["rationale"] = {
        key: edits.reworded(value, random.Random(key), per_sentence=1)
        for key, value in original["rationale"].items()
    }
    assert mine["rationale"] != original["rationale"]
    _submit(other_candidate, exam, mine)

    pair = SimilarPair.objects.get()
    assert pair.signals == ["rationale"]
    assert pair.structural < 0.5 <= pair.rationale


@pytest.mark.django_db
def test_the_same_candidate_resubmitting_their_design_is_not_flagged(candidate, exam, exemplar_for):
    exam.cooldown_hours_after_fail = 0
    exam.save()
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    design = exemplar_for(attempt, "sampled-approvals")
    attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    copied = edits.renamed(design, random.Random(3))
    attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: copied})
    assert DesignFingerprint.objects.count() == 2
    assert not SimilarPair.objects.exists()


@pytest.mark.django_db
def test_raising_the_threshold_in_settings_stops_an_edited_copy_being_flagged(
    settings, candidate, other_candidate, exam, exemplar_for
):
    settings.QUALITY_SIMILARITY_THRESHOLD = 0.99
    design = exemplar_for(_start_only(candidate, exam))
    _submit(candidate, exam, design)
    rng = random.Random(12)
    copied = edits.edited(edits.renamed(design, rng), rng, 2)
    copied["rationale"] = OTHER_RATIONALE
    _submit(other_candidate, exam, copied)
    assert not SimilarPair.objects.exists()


def _start_only(candidate, exam):
    """An attempt of the exam, only to resolve designs for its variant (then abandoned)."""
    from assessments.models import Attempt

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    Attempt.objects.filter(pk=attempt.pk).delete()
    return attempt


# --- the index ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_design_is_compared_only_with_designs_sharing_a_band_or_its_hash(
    candidate, exam, exemplar_for, django_assert_num_queries
):
    attempt = _start_only(candidate, exam)
    today = exemplar_for(attempt, "baseline")  # the current process, as a design
    today["rationale"] = OTHER_RATIONALE
    near = exemplar_for(attempt)
    for i in range(3):
        _submit(_person(f"far{i}@example.test"), exam, edits.renamed(today, random.Random(i)))
    _submit(_person("near@example.test"), exam, edits.renamed(near, random.Random(1)))
    mine = _submit(candidate, exam, near)

    fingerprint = DesignFingerprint.objects.get(attempt=mine)
    keys = list(
        FingerprintBand.objects.filter(fingerprint=fingerprint).values_list("band", "value")
    )
    with django_assert_num_queries(3):  # band aggregate, same hash, the fingerprints
        found = services.neighbours(fingerprint, keys)
    shares = set(
        FingerprintBand.objects.filter(
            value__in=[v for _, v in keys], fingerprint__scenario_id=fingerprint.scenario_id
        ).values_list("fingerprint__attempt__candidate__email", flat=True)
    )
    assert [f.candidate.email for f in found] == ["near@example.test"]
    assert shares - {candidate.email} == {"near@example.test"}  # the far ones share no band


# --- who sees and reviews flags --------------------------------------------------------------


@pytest.fixture
def pair(candidate, other_candidate, exam, exemplar_for):
    design = exemplar_for(_start_only(candidate, exam))
    _submit(candidate, exam, design)
    _submit(other_candidate, exam, edits.renamed(design, random.Random(2)))
    return SimilarPair.objects.get()


@pytest.mark.django_db
def test_only_programme_staff_list_and_review_flags(
    pair, client_for, candidate, partner_manager, grader, programme_admin
):
    url = f"/api/v1/quality/similarity/pairs/{pair.pk}/review/"
    body = {"verdict": "confirmed", "note": "copied"}
    for user, status in ((None, 401), (candidate, 403), (partner_manager, 403), (grader, 403)):
        client = client_for(user)
        assert client.get("/api/v1/quality/similarity/pairs/").status_code == status, user
        assert client.post(url, body, format="json").status_code == status, user
        page = Client()
        if user is not None:
            page.force_login(user)
        response = page.get("/quality/similarity/")
        assert response.status_code == (302 if user is None else 403), user
    assert SimilarPair.objects.get().status == SimilarPair.Status.FLAGGED

    listed = client_for(programme_admin).get("/api/v1/quality/similarity/pairs/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["signals"] == ["structure", "rationale"]
    assert listed["results"][0]["first"]["design"]["steps"]


@pytest.mark.django_db
def test_reviewing_a_flag_is_audited_changes_no_decision_and_refuses_bad_input(
    pair, client_for, programme_admin
):
    decisions = list(CertificationDecision.objects.values_list("pk", "outcome", "reversed_at"))
    admin = client_for(programme_admin)
    url = f"/api/v1/quality/similarity/pairs/{pair.pk}/review/"
    for body in (
        {"verdict": "confirmed", "note": " "},
        {"verdict": "fail-them", "note": "x"},
        {"verdict": "confirmed"},
        {"verdict": "confirmed", "note": "x" * 5001},
    ):
        response = admin.post(url, body, format="json")
        assert response.status_code == 400 and response.json()["code"], body
    missing = admin.post(
        "/api/v1/quality/similarity/pairs/999999/review/",
        {"verdict": "dismissed", "note": "x"},
        format="json",
    )
    assert missing.status_code == 404 and missing.json()["code"] == "pair_not_found"

    done = admin.post(url, {"verdict": "confirmed", "note": "Same design, same words."})
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    event = AuditEvent.objects.get(action="similarity.confirmed")
    assert event.actor_id == programme_admin.pk and event.reason == "Same design, same words."
    again = admin.post(url, {"verdict": "dismissed", "note": "x"}, format="json")
    assert again.status_code == 409
    assert (
        list(CertificationDecision.objects.values_list("pk", "outcome", "reversed_at")) == decisions
    )


@pytest.mark.django_db
def test_the_page_shows_both_designs_and_the_signals_and_takes_a_verdict(pair, programme_admin):
    staff = Client()
    staff.force_login(programme_admin)
    page = staff.get("/quality/similarity/").content.decode()
    assert f'data-pair="{pair.pk}"' in page
    assert 'data-signals="structure rationale"' in page
    assert page.count("<ol>") == 2  # both designs' steps, side by side
    bad = staff.post("/quality/similarity/", {"pair": "nope", "verdict": "confirmed", "note": "x"})
    assert bad.status_code == 200 and "No such pair." in bad.content.decode()
    staff.post("/quality/similarity/", {"pair": pair.pk, "verdict": "dismissed", "note": "Course."})
    assert SimilarPair.objects.get().status == SimilarPair.Status.DISMISSED
    # Reviewed pairs leave the waiting list and are found under their status.
    waiting = staff.get("/quality/similarity/").content.decode()
    assert f'data-pair="{pair.pk}"' not in waiting
    assert "Dismissed (1)" in waiting
    dismissed = staff.get("/quality/similarity/?status=dismissed").content.decode()
    assert f'data-pair="{pair.pk}"' in dismissed and "Course." in dismissed


@pytest.mark.django_db
def test_a_design_like_many_flags_only_the_closest_and_says_how_many(
    monkeypatch, candidate, exam, exemplar_for
):
    monkeypatch.setattr(services, "FLAGS_PER_DESIGN", 2)
    design = exemplar_for(_start_only(candidate, exam))
    rng = random.Random(4)
    _submit(_person("exact@example.test"), exam, edits.renamed(design, rng))
    for i in range(2):
        edited = edits.renamed(design, rng)
        assert edits._nudge_threshold(edited, rng)  # (one light edit that keeps it valid)
        edited["rationale"] = OTHER_RATIONALE
        _submit(_person(f"edited{i}@example.test"), exam, edited)
    assert SimilarPair.objects.count() == 3  # among the first three

    mine = _submit(candidate, exam, design)
    newest = SimilarPair.objects.filter(second__attempt=mine)
    assert newest.count() == 2 and {p.similar_designs for p in newest} == {3}
    closest = newest.get(first__candidate__email="exact@example.test")
    assert closest.structural == 1.0 and closest.signals == ["structure", "rationale"]
    event = AuditEvent.objects.filter(action="similarity.flagged").order_by("pk").last()
    assert event.data["similar_designs"] == 3
