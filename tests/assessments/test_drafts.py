"""Autosaves are bounded: the newest N distinct designs of each scenario of an attempt, each
stored once, and never the submitted design's loss."""

import importlib

import pytest
from django.apps import apps

from assessments.models import Attempt, Draft, ExamScenario
from assessments.services.attempts import attempt_autosave, attempt_start, attempt_submit
from config.errors import Conflict

from .conftest import published_version_of


def _save(client, attempt, version_id: int, design: dict):
    response = client.put(
        f"/api/v1/attempts/{attempt.pk}/drafts/{version_id}/", {"design": design}, format="json"
    )
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.fixture
def attempt(candidate, exam):
    return attempt_start(candidate=candidate, exam=exam)[0]


@pytest.mark.django_db
def test_a_hundred_saves_keep_the_newest_twenty(client_for, candidate, attempt, ap_version):
    client = client_for(candidate)
    for n in range(100):
        _save(client, attempt, ap_version.pk, {"n": n})
    kept = Draft.objects.filter(attempt=attempt).order_by("saved_at", "id")
    assert [d.design["n"] for d in kept] == list(range(80, 100))
    shown = client.get(f"/api/v1/attempts/{attempt.pk}/").json()["parts"][0]["draft"]
    assert shown == {"n": 99}


@pytest.mark.django_db
def test_how_many_are_kept_comes_from_settings(
    settings, client_for, candidate, attempt, ap_version
):
    settings.DRAFTS_KEPT_PER_PART = 3
    client = client_for(candidate)
    for n in range(10):
        _save(client, attempt, ap_version.pk, {"n": n})
    assert sorted(d.design["n"] for d in Draft.objects.filter(attempt=attempt)) == [7, 8, 9]


@pytest.mark.django_db
def test_an_identical_save_stores_nothing_new(client_for, candidate, attempt, ap_version):
    client = client_for(candidate)
    first = _save(client, attempt, ap_version.pk, {"title": "A", "steps": []})
    again = _save(client, attempt, ap_version.pk, {"steps": [], "title": "A"})  # same design
    assert Draft.objects.filter(attempt=attempt).count() == 1
    assert again["saved_at"] >= first["saved_at"]


@pytest.mark.django_db
def test_returning_to_an_earlier_design_makes_it_the_latest_without_a_copy(
    client_for, candidate, attempt, ap_version
):
    client = client_for(candidate)
    for design in ({"v": "A"}, {"v": "B"}, {"v": "A"}):
        _save(client, attempt, ap_version.pk, design)
    assert Draft.objects.filter(attempt=attempt).count() == 2
    shown = client.get(f"/api/v1/attempts/{attempt.pk}/").json()["parts"][0]["draft"]
    assert shown == {"v": "A"}


@pytest.mark.django_db
def test_pruning_one_scenario_leaves_the_others_drafts(settings, candidate, exam, ap_version):
    settings.DRAFTS_KEPT_PER_PART = 2
    other = published_version_of("support-triage-ai")
    ExamScenario.objects.create(exam=exam, scenario_version=other, position=2)
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_autosave(attempt=attempt, scenario_version_id=other.pk, design={"other": True})
    for n in range(5):
        attempt_autosave(attempt=attempt, scenario_version_id=ap_version.pk, design={"n": n})
    assert Draft.objects.filter(attempt=attempt, scenario_version=other).count() == 1
    assert Draft.objects.filter(attempt=attempt, scenario_version=ap_version).count() == 2


@pytest.mark.django_db
def test_the_submitted_design_survives_pruning(
    settings, client_for, candidate, attempt, ap_version, exemplar_for
):
    settings.DRAFTS_KEPT_PER_PART = 3
    client = client_for(candidate)
    submitted = exemplar_for(attempt)
    _save(client, attempt, ap_version.pk, submitted)
    for n in range(10):  # pushes the submitted design's draft out of the kept three
        _save(client, attempt, ap_version.pk, {"n": n})
    response = client.post(
        f"/api/v1/attempts/{attempt.pk}/submit/",
        {"designs": {str(ap_version.pk): submitted}},
        format="json",
    )
    assert response.status_code == 202, response.content[:300]
    late = client.put(
        f"/api/v1/attempts/{attempt.pk}/drafts/{ap_version.pk}/", {"design": {}}, format="json"
    )
    assert late.status_code == 409
    attempt.refresh_from_db()
    assert attempt.submission == {str(ap_version.pk): submitted}
    assert Draft.objects.filter(attempt=attempt).count() == 3


@pytest.mark.django_db
def test_a_save_racing_a_submit_is_refused_not_stored(candidate, attempt, ap_version, exemplar_for):
    """The save read the attempt while it was in progress; the submit committed before the
    save took its lock. The save must see the submit, not slip a draft in after it."""
    stale = Attempt.objects.get(pk=attempt.pk)
    attempt_submit(attempt=attempt, designs={ap_version.pk: exemplar_for(attempt)})
    drafts_before = Draft.objects.filter(attempt=attempt).count()
    with pytest.raises(Conflict):
        attempt_autosave(attempt=stale, scenario_version_id=ap_version.pk, design={"late": 1})
    assert Draft.objects.filter(attempt=attempt).count() == drafts_before


@pytest.mark.django_db
def test_the_migration_hashes_dedupes_and_prunes_existing_drafts(settings, attempt, ap_version):
    settings.DRAFTS_KEPT_PER_PART = 2
    for n, design in enumerate(({"v": 1}, {"v": 1}, {"v": 2}, {"v": 3}, {"v": 3})):
        Draft.objects.create(
            attempt=attempt, scenario_version=ap_version, design=design, sha256=f"old-{n}"
        )
    migration = importlib.import_module("assessments.migrations.0006_draft_sha256")
    migration.hash_dedupe_and_prune(apps, None)
    kept = Draft.objects.filter(attempt=attempt).order_by("saved_at", "id")
    assert [d.design for d in kept] == [{"v": 2}, {"v": 3}]
    assert all(len(d.sha256) == 64 for d in kept)
