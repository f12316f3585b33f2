# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Calibration: staff mark scored items with agreed scores; a new grader gets no live item
until their latest set of calibration scores is within tolerance; a calibrated grader is
checked again after a number of live scores; results per grader for staff."""

import pytest
from django.test import Client

from accounts.models import Role
from assessments.models import HumanScore
from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.human_scoring import human_item_claim_next, human_item_score
from audit.models import AuditEvent
from config.errors import Conflict, Forbidden
from quality import calibration
from quality.calibration_models import CalibrationItem
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
from tests.assessments.test_regrade import _score_everything
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def settings_small(settings):
    settings.QUALITY_CALIBRATION_SET_SIZE = 2
    settings.QUALITY_CALIBRATION_TOLERANCE_PERCENT = 25
    settings.QUALITY_CALIBRATION_EVERY = 1
    return settings


def _attempt(candidate, exam, exemplar_for):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    return attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )


def _levels(item):
    cp = next(c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id)
    return sorted(float(level["points"]) for level in cp["evidence"]["levels"])


@pytest.fixture
def pool(candidate, exam, exemplar_for, grader, programme_admin):
    """Two candidates' scored rationale items (two criteria each), marked as calibration items
    at the top level."""
    solo = UserFactory(email="solo@example.test")  # a consultant with no firm
    _attempt(candidate, exam, exemplar_for)
    _attempt(solo, exam, exemplar_for)
    _score_everything(grader)
    items = []
    for source in HumanScore.objects.filter(status="scored"):
        items.append(
            calibration.calibration_item_create(
                source_item=source,
                agreed_points=max(_levels(source)),
                actor=programme_admin,
                notes="Names the control and the residual risk.",
            )
        )
    assert len(items) == 4
    return items


@pytest.fixture
def new_grader(db):
    return UserFactory(email="new.grader@example.test", role=Role.GRADER)


def test_a_new_grader_gets_no_live_item_until_calibrated(
    client_for, settings_small, pool, new_grader, other_candidate, exam, exemplar_for
):
    _attempt(other_candidate, exam, exemplar_for)  # live work waiting
    client = client_for(new_grader)
    refused = client.post("/api/v1/grading/items/claim-next/")
    assert refused.status_code == 403 and refused.json()["code"] == "calibration_required"

    # One miss: the latest two are not both within tolerance yet.
    served = client.post("/api/v1/quality/calibration/next/").json()
    assert "agreed_points" not in served and served["criterion"]["levels"]
    assert served["design"]  # shown like a live item
    first = CalibrationItem.objects.get(pk=served["id"])
    low = client.post(
        f"/api/v1/quality/calibration/items/{first.pk}/score/", {"points": 0}, format="json"
    ).json()
    assert low["within_tolerance"] is False and low["agreed_points"] == first.agreed_points
    for _ in range(2):
        served = client.post("/api/v1/quality/calibration/next/").json()
        item = CalibrationItem.objects.get(pk=served["id"])
        assert item.pk != first.pk  # never the same item twice to one grader
        assert client.post("/api/v1/grading/items/claim-next/").status_code == 403
        response = client.post(
            f"/api/v1/quality/calibration/items/{item.pk}/score/",
            {"points": item.agreed_points},
            format="json",
        )
        assert response.json()["within_tolerance"] is True
    assert calibration.grader_status(grader=new_grader)["calibrated"] is True
    settings_small.QUALITY_CALIBRATION_EVERY = 0  # no re-check in this test
    claimed = client.post("/api/v1/grading/items/claim-next/")
    assert claimed.status_code == 200, claimed.json()


def test_a_grader_within_tolerance_on_the_set_receives_live_items(
    client_for, settings_small, pool, new_grader, other_candidate, exam, exemplar_for
):
    _attempt(other_candidate, exam, exemplar_for)
    for item in pool[:2]:
        calibration.calibration_score(item=item, grader=new_grader, points=item.agreed_points)
    assert calibration.grader_status(grader=new_grader)["calibrated"] is True
    settings_small.QUALITY_CALIBRATION_EVERY = 0  # no re-check in this test
    assert human_item_claim_next(grader=new_grader) is not None


def test_tolerance_is_a_share_of_the_maximum(settings):
    settings.QUALITY_CALIBRATION_TOLERANCE_PERCENT = 25
    assert calibration.within_tolerance(points=3, agreed=4, max_points=4)
    assert not calibration.within_tolerance(points=2, agreed=4, max_points=4)
    settings.QUALITY_CALIBRATION_TOLERANCE_PERCENT = 0
    assert not calibration.within_tolerance(points=3, agreed=4, max_points=4)


def test_a_calibrated_grader_long_without_a_check_is_asked_openly(
    settings_small, pool, new_grader, other_candidate, exam, exemplar_for, monkeypatch
):
    """The backstop behind the unannounced checks (test_calibration_mixing.py): after
    OVERDUE_FACTOR x EVERY live scores without one, live items are refused openly."""
    monkeypatch.setattr(calibration, "OVERDUE_FACTOR", 2)
    _attempt(other_candidate, exam, exemplar_for)  # two live items
    for item in pool[:2]:
        calibration.calibration_score(item=item, grader=new_grader, points=item.agreed_points)
    for expected_due in (False, True):
        assert calibration.grader_status(grader=new_grader)["check_due"] is False
        live = human_item_claim_next(grader=new_grader)
        human_item_score(item=live, grader=new_grader, points=max(_levels(live)), comment="")
        # EVERY=1, factor 2: due after the second live score, not after the first.
        assert calibration.grader_status(grader=new_grader)["check_due"] is expected_due
    _attempt(UserFactory(email="third@example.test"), exam, exemplar_for)
    with pytest.raises(Forbidden) as error:
        human_item_claim_next(grader=new_grader)
    assert error.value.code == "calibration_due"
    item = calibration.calibration_next(grader=new_grader)
    calibration.calibration_score(item=item, grader=new_grader, points=item.agreed_points)
    assert calibration.grader_status(grader=new_grader)["check_due"] is False
    assert human_item_claim_next(grader=new_grader) is not None


def test_the_gate_is_open_while_the_pool_is_smaller_than_the_set(
    settings, new_grader, other_candidate, exam, exemplar_for
):
    settings.QUALITY_CALIBRATION_SET_SIZE = 3
    _attempt(other_candidate, exam, exemplar_for)
    assert calibration.claim_gate(new_grader) is None
    assert human_item_claim_next(grader=new_grader) is not None


def test_graders_never_calibrate_on_their_own_firms_candidates(
    settings_small, pool, candidate, firm
):
    from tests.factories import MembershipFactory

    firm_grader = UserFactory(email="firm.grader2@example.test", role=Role.GRADER)
    MembershipFactory(user=firm_grader, organisation=firm)
    served = set()
    while (item := calibration.calibration_next(grader=firm_grader)) is not None:
        served.add(item.source_item.report.attempt.candidate_id)
        calibration.calibration_score(item=item, grader=firm_grader, points=item.agreed_points)
    assert served and candidate.pk not in served


def test_only_staff_mark_items_and_only_scored_ones(
    client_for, pool, grader, candidate, partner_manager, programme_admin
):
    source = pool[0].source_item
    for user in (grader, candidate, partner_manager):
        response = client_for(user).post(
            "/api/v1/quality/calibration/items/",
            {"source_item": source.pk, "agreed_points": 0},
            format="json",
        )
        assert response.status_code == 403
    again = client_for(programme_admin).post(
        "/api/v1/quality/calibration/items/",
        {"source_item": source.pk, "agreed_points": max(_levels(source))},
        format="json",
    )
    assert again.status_code == 409
    off_level = client_for(programme_admin).post(
        "/api/v1/quality/calibration/items/",
        {"source_item": source.pk, "agreed_points": 0.123},
        format="json",
    )
    assert off_level.status_code == 400 and off_level.json()["code"] == "invalid_points"
    assert AuditEvent.objects.filter(action="calibration.item_created").count() == len(pool)
    open_item = HumanScore(status=HumanScore.Status.OPEN)
    with pytest.raises(Conflict):
        calibration.calibration_item_create(
            source_item=open_item, agreed_points=0, actor=programme_admin
        )


def test_results_per_grader_on_the_staff_page_and_api(
    client_for, settings_small, pool, new_grader, grader, candidate, programme_admin
):
    calibration.calibration_score(item=pool[0], grader=new_grader, points=0)
    calibration.calibration_score(item=pool[1], grader=new_grader, points=pool[1].agreed_points)
    rows = client_for(programme_admin).get("/api/v1/quality/calibration/graders/").json()
    row = next(r for r in rows["results"] if r["grader"]["email"] == new_grader.email)
    assert row["scored"] == 2 and row["within_tolerance"] == 1 and row["share_within"] == 0.5
    assert row["calibrated"] is False
    assert row["mean_distance"] == round(pool[0].agreed_points / pool[0].max_points / 2, 3)
    for user in (grader, candidate):
        assert client_for(user).get("/api/v1/quality/calibration/graders/").status_code == 403

    staff = Client()
    staff.force_login(programme_admin)
    page = staff.get("/quality/calibration/").content.decode()
    assert f'data-grader="{new_grader.email}"' in page
    for user in (grader, candidate):
        other = Client()
        other.force_login(user)
        assert other.get("/quality/calibration/").status_code == 403
