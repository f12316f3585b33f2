# ruff: noqa: F811  (pytest fixtures imported, then requested)
"""Calibration items keep reaching calibrated graders through the workbench queue,
unannounced: a claim is a calibration item with probability 1/EVERY while live work waits, and
its page, URL, form and the message after scoring are those of a live item. A grader still
qualifying is served calibration items openly."""

import re

import pytest
from django.test import Client

from assessments.models import HumanScore
from audit.models import AuditEvent
from quality import calibration
from quality import workbench_work as work
from quality.calibration_models import CalibrationResponse
from quality.workbench_models import WorkTicket
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
from tests.factories import UserFactory
from tests.quality.test_calibration import (  # noqa: F401  (fixtures)
    _attempt,
    new_grader,
    pool,
    settings_small,
)

pytestmark = pytest.mark.django_db

CLAIM = "/quality/grading/claim/"
HANDLE = re.compile(r"/quality/grading/items/([0-9a-f-]{36})/$")


class _Draws:
    """Stands in for the random draw: returns the given numbers in turn."""

    def __init__(self, *values):
        self.values = list(values)

    def random(self):
        return self.values.pop(0)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _claim(client) -> WorkTicket:
    response = client.post(CLAIM)
    assert response.status_code == 302, response.content
    match = HANDLE.search(response["Location"])
    assert match, response["Location"]
    return WorkTicket.objects.get(handle=match.group(1))


def _calibrated(grader, pool):
    for item in pool[:2]:
        calibration.calibration_score(item=item, grader=grader, points=item.agreed_points)
    assert calibration.grader_status(grader=grader)["calibrated"] is True


def _page_shape(html: str) -> list[str]:
    """What tells one item page from another apart from its content: the sections, the form
    fields and the URL shapes."""
    html = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "H", html)
    found = set(re.findall(r'(?:id|name|action|hx-get)="([^"]*)"', html))
    return sorted(f for f in found if not re.fullmatch(r"level-\d+", f))  # as many as levels


def test_a_calibration_item_mixed_in_looks_and_behaves_like_a_live_one(
    settings_small, pool, new_grader, other_candidate, exam, exemplar_for, monkeypatch
):
    _attempt(other_candidate, exam, exemplar_for)  # live work waits
    _calibrated(new_grader, pool)
    client = _signed_in(new_grader)

    settings_small.QUALITY_CALIBRATION_EVERY = 2
    monkeypatch.setattr(work, "_draw", _Draws(0.0, 0.99))  # a check, then live work
    check = _claim(client)
    assert check.is_calibration and not check.announced
    check_page = client.get(f"/quality/grading/items/{check.handle}/").content.decode()
    live = _claim(client)
    assert not live.is_calibration
    live_page = client.get(f"/quality/grading/items/{live.handle}/").content.decode()

    assert "calibrat" not in check_page.lower()
    assert _page_shape(check_page) == _page_shape(live_page)
    queue = client.get("/quality/grading/").content.decode()
    assert "calibrat" not in queue.lower() and queue.count("data-item=") == 2

    agreed = check.calibration_item.agreed_points
    source_before = HumanScore.objects.values().get(pk=check.calibration_item.source_item_id)
    scored = client.post(
        f"/quality/grading/items/{check.handle}/score/", {"points": str(agreed), "comment": "ok"}
    )
    assert scored.status_code == 302
    shown = client.get(scored["Location"]).content.decode()
    assert f"Scored {check.calibration_item.checkpoint_id}" in shown
    assert "toleran" not in shown.lower() and "calibrat" not in shown.lower()
    response = CalibrationResponse.objects.get(grader=new_grader, item=check.calibration_item)
    assert response.within_tolerance and response.points == agreed
    # The live item it was drawn from is untouched.
    assert HumanScore.objects.values().get(pk=source_before["id"]) == source_before
    assert client.get(f"/quality/grading/items/{check.handle}/").status_code == 404


@pytest.mark.parametrize(("draw", "every", "mixed"), [(0.24, 4, True), (0.26, 4, False)])
def test_each_claim_is_a_check_with_probability_one_in_every(
    settings_small,
    pool,
    new_grader,
    other_candidate,
    exam,
    exemplar_for,
    monkeypatch,
    draw,
    every,
    mixed,
):
    _attempt(other_candidate, exam, exemplar_for)
    _calibrated(new_grader, pool)
    settings_small.QUALITY_CALIBRATION_EVERY = every
    monkeypatch.setattr(work, "_draw", _Draws(draw))
    assert work.claim_next(grader=new_grader).is_calibration is mixed


def test_no_check_is_mixed_in_when_no_live_work_waits_or_every_is_zero(
    settings_small, pool, new_grader, other_candidate, exam, exemplar_for, monkeypatch
):
    _calibrated(new_grader, pool)
    monkeypatch.setattr(work, "_draw", _Draws(0.0, 0.0))
    assert work.claim_next(grader=new_grader) is None  # an item now would give the check away
    _attempt(other_candidate, exam, exemplar_for)
    settings_small.QUALITY_CALIBRATION_EVERY = 0
    ticket = work.claim_next(grader=new_grader)
    assert ticket is not None and not ticket.is_calibration


def test_a_grader_qualifying_is_served_calibration_items_openly_then_live_work(
    settings_small, pool, new_grader, other_candidate, exam, exemplar_for
):
    _attempt(other_candidate, exam, exemplar_for)
    settings_small.QUALITY_CALIBRATION_EVERY = 0
    client = _signed_in(new_grader)
    for _ in range(2):
        ticket = _claim(client)
        assert ticket.is_calibration and ticket.announced
        page = client.get(f"/quality/grading/items/{ticket.handle}/").content.decode()
        assert "data-calibration" in page
        assert _claim(client) == ticket  # claiming again gives the same item, not a second
        client.post(
            f"/quality/grading/items/{ticket.handle}/score/",
            {"points": str(ticket.calibration_item.agreed_points)},
        )
    assert calibration.grader_status(grader=new_grader)["calibrated"] is True
    assert not _claim(client).is_calibration


def test_a_grader_is_never_checked_on_an_item_they_marked_live(
    settings_small, pool, grader, new_grader
):
    # The fixture's `grader` scored every source item live: no calibration item is left for them.
    assert calibration.calibration_next(grader=grader) is None
    assert calibration.calibration_next(grader=new_grader) is not None


@pytest.fixture
def held_check(settings_small, pool, new_grader, other_candidate, exam, exemplar_for, monkeypatch):
    """A calibrated grader's browser holding a calibration item mixed into the queue."""
    _attempt(other_candidate, exam, exemplar_for)
    _calibrated(new_grader, pool)
    client = _signed_in(new_grader)
    monkeypatch.setattr(work, "_draw", _Draws(0.0))
    return client, _claim(client)


def test_a_check_held_too_long_or_by_someone_else_cannot_be_scored(held_check, new_grader):
    client, check = held_check

    stranger = _signed_in(UserFactory(email="stranger@example.test", role="grader"))
    assert stranger.get(f"/quality/grading/items/{check.handle}/").status_code == 404
    assert (
        stranger.post(f"/quality/grading/items/{check.handle}/score/", {"points": "0"}).status_code
        == 404
    )

    WorkTicket.objects.filter(pk=check.pk).update(lease_expires_at=check.created_at)
    refused = client.post(
        f"/quality/grading/items/{check.handle}/score/",
        {"points": str(check.calibration_item.agreed_points)},
    )
    assert refused.status_code == 400 and "lease has run out" in refused.content.decode()
    assert not CalibrationResponse.objects.filter(
        item=check.calibration_item, grader=new_grader
    ).exists()


def test_releasing_a_check_leaves_no_score_and_is_audited(held_check, new_grader):
    client, check = held_check
    assert client.post(f"/quality/grading/items/{check.handle}/release/").status_code == 302
    check.refresh_from_db()
    assert check.closed_at is not None
    assert not CalibrationResponse.objects.filter(
        item=check.calibration_item, grader=new_grader
    ).exists()
    assert AuditEvent.objects.filter(action="calibration.released", actor=new_grader).exists()
