"""Double marking: a share of items, and every item of a borderline decision, are scored by two
graders blind to each other; a gap of more than one level goes to a senior grader; the decision
waits for all of it, and the recorded score says how it was reached."""

import pytest

from accounts.models import Role
from assessments.models import CertificationDecision, HumanMark, HumanScore
from assessments.services import adjudication, double_marking, human_scoring
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent
from config.errors import Conflict, Forbidden, InvalidRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_grader(db):
    return UserFactory(email="second.grader@example.test", role=Role.GRADER)


@pytest.fixture
def all_double_marked(settings):
    settings.HUMAN_SCORING_DOUBLE_MARK_SHARE = 1.0
    settings.HUMAN_SCORING_DOUBLE_MARK_BORDERLINE = True


def _cut_score(ap_version, cut: float) -> None:
    """Give the test's pack row another cut score (published versions refuse save(); the row is
    this test's own), under another hash so the in-process pack cache parses it afresh."""
    content = dict(ap_version.content, rubric={**ap_version.content["rubric"], "cut_score": cut})
    type(ap_version).objects.filter(pk=ap_version.pk).update(
        content=content, content_sha256=f"{ap_version.content_sha256[:-8]}cut{cut:05.0f}"
    )


def _submitted(candidate, exam, exemplar_for):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    return attempt


def _items(attempt) -> dict[str, HumanScore]:
    return {
        i.checkpoint_id: i
        for i in HumanScore.objects.filter(
            report__attempt=attempt, status__in=["open", "claimed", "disputed", "scored"]
        )
    }


def _mark(item: HumanScore, grader, points: float, comment: str = ""):
    item = human_scoring.human_item_claim(item=HumanScore.objects.get(pk=item.pk), grader=grader)
    return human_scoring.human_item_score(item=item, grader=grader, points=points, comment=comment)


def _decided(attempt) -> bool:
    return CertificationDecision.objects.filter(attempt=attempt).exists()


def test_the_sample_is_deterministic_and_near_the_configured_share():
    chosen = [i for i in range(1, 20001) if double_marking.sampled(i, 0.2)]
    assert 0.19 < len(chosen) / 20000 < 0.21
    assert chosen == [i for i in range(1, 20001) if double_marking.sampled(i, 0.2)]
    assert not any(double_marking.sampled(i, 0.0) for i in range(1, 500))
    assert all(double_marking.sampled(i, 1.0) for i in range(1, 500))


def test_with_the_share_off_and_a_clear_total_an_item_is_scored_once(
    candidate, grader, exam, exemplar_for, settings
):
    settings.HUMAN_SCORING_DOUBLE_MARK_BORDERLINE = (
        True  # 91 %+ against a cut of 70: not borderline
    )
    attempt = _submitted(candidate, exam, exemplar_for)
    for cp_id, points in (("rationale-controls", 2), ("rationale-change", 1)):
        scored = _mark(_items(attempt)[cp_id], grader, points)
        assert scored.status == HumanScore.Status.SCORED
        assert scored.resolution == HumanScore.Resolution.SINGLE
    assert _decided(attempt)
    assert not HumanMark.objects.exists()


def test_the_first_mark_is_hidden_and_the_item_goes_to_another_grader(
    all_double_marked, candidate, grader, second_grader, exam, exemplar_for, client_for
):
    attempt = _submitted(candidate, exam, exemplar_for)
    item = _items(attempt)["rationale-controls"]
    assert item.marks_required == 2 and item.double_reason == "sample"

    after_first = _mark(item, grader, 2, "First grader's view.")

    assert after_first.status == HumanScore.Status.OPEN
    assert after_first.points is None and after_first.comment == "" and after_first.grader is None
    with pytest.raises(Conflict) as refused:
        human_scoring.human_item_claim(item=after_first, grader=grader)
    assert refused.value.code == "already_marked"
    # claim-next never gives the first grader the same item again
    other = human_scoring.human_item_claim_next(grader=grader)
    assert other is None or other.pk != item.pk
    if other is not None:
        human_scoring.human_item_release(item=other, grader=grader)
    # the second grader is blind: nothing of the first mark in what they are shown
    shown = client_for(second_grader).post("/api/v1/grading/items/claim-next/")
    body = shown.content.decode()
    assert shown.status_code == 200
    assert "First grader" not in body and '"points": 2' not in body
    assert not _decided(attempt)


@pytest.mark.parametrize(
    ("first", "second", "resolution", "recorded"),
    [(2, 2, "agreed", 2.0), (1, 2, "averaged", 1.5), (0, 1, "averaged", 0.5)],
)
def test_marks_within_one_level_are_agreed_or_averaged(
    all_double_marked,
    candidate,
    grader,
    second_grader,
    exam,
    exemplar_for,
    first,
    second,
    resolution,
    recorded,
):
    attempt = _submitted(candidate, exam, exemplar_for)
    item = _items(attempt)["rationale-controls"]
    _mark(item, grader, first, "one")
    resolved = _mark(item, second_grader, second, "two")

    assert resolved.status == HumanScore.Status.SCORED
    assert resolved.resolution == resolution
    assert resolved.points == recorded
    assert [m.kind for m in resolved.marks.order_by("id")] == ["first", "second"]
    assert AuditEvent.objects.filter(
        action="human_score.second_mark", target_id=str(item.pk)
    ).exists()


def test_a_gap_of_two_levels_waits_for_a_senior_grader(
    all_double_marked,
    candidate,
    grader,
    second_grader,
    programme_admin,
    exam,
    exemplar_for,
):
    attempt = _submitted(candidate, exam, exemplar_for)
    items = _items(attempt)
    _mark(items["rationale-change"], grader, 1)
    _mark(items["rationale-change"], second_grader, 1)
    _mark(items["rationale-controls"], grader, 0)
    disputed = _mark(items["rationale-controls"], second_grader, 2)

    assert disputed.status == HumanScore.Status.DISPUTED
    assert disputed.points is None
    assert not _decided(attempt)  # the decision waits for the adjudication
    with pytest.raises(Forbidden):
        adjudication.item_adjudicate(item=disputed, adjudicator=grader, points=1, comment="")
    with pytest.raises(InvalidRequest):
        adjudication.item_adjudicate(
            item=disputed, adjudicator=programme_admin, points=1.5, comment=""
        )

    final = adjudication.item_adjudicate(
        item=disputed, adjudicator=programme_admin, points=1, comment="Names the controls."
    )

    assert final.status == HumanScore.Status.SCORED
    assert final.resolution == HumanScore.Resolution.ADJUDICATED
    assert final.points == 1
    assert _decided(attempt)
    assert AuditEvent.objects.filter(
        action="human_score.adjudicated", target_id=str(final.pk)
    ).exists()
    another_admin = UserFactory(role=Role.PROGRAMME_ADMIN)
    with pytest.raises(Conflict):
        adjudication.item_adjudicate(item=final, adjudicator=another_admin, points=2, comment="")


def test_a_senior_grader_who_marked_the_item_cannot_adjudicate_it(
    all_double_marked, candidate, grader, programme_admin, exam, exemplar_for
):
    attempt = _submitted(candidate, exam, exemplar_for)
    item = _items(attempt)["rationale-controls"]
    _mark(item, grader, 0)
    disputed = _mark(item, programme_admin, 2)
    assert disputed.status == HumanScore.Status.DISPUTED

    with pytest.raises(Forbidden) as refused:
        adjudication.item_adjudicate(
            item=disputed, adjudicator=programme_admin, points=1, comment=""
        )
    assert refused.value.code == "conflict_of_interest"


def test_a_borderline_decision_waits_for_second_marks_of_every_item(
    candidate, grader, second_grader, exam, exemplar_for, ap_version, settings
):
    """Cut score 95: the exemplar's total lies between 91.18 and 100, within one criterion
    (rationale-controls, 2 of 34 points = 5.88) of the cut whatever the graders give."""
    settings.HUMAN_SCORING_DOUBLE_MARK_BORDERLINE = True
    _cut_score(ap_version, 95)
    attempt = _submitted(candidate, exam, exemplar_for)
    items = _items(attempt)
    _mark(items["rationale-controls"], grader, 2, "good")
    _mark(items["rationale-change"], grader, 1)

    assert not _decided(attempt)
    reopened = _items(attempt)
    assert {i.status for i in reopened.values()} == {HumanScore.Status.OPEN}
    assert {i.double_reason for i in reopened.values()} == {"borderline"}
    assert all(i.points is None for i in reopened.values())
    assert HumanMark.objects.filter(kind="first", grader=grader).count() == 2

    _mark(reopened["rationale-controls"], second_grader, 2)
    _mark(reopened["rationale-change"], second_grader, 0.5)

    assert _decided(attempt)
    final = _items(attempt)
    assert final["rationale-controls"].resolution == "agreed"
    assert final["rationale-change"].resolution == "averaged"
    assert final["rationale-change"].points == 0.75


def test_a_clear_decision_is_not_reopened(
    candidate, grader, exam, exemplar_for, ap_version, settings
):
    """Cut score 80: the lowest possible total (91.18) is more than 5.88 above it."""
    settings.HUMAN_SCORING_DOUBLE_MARK_BORDERLINE = True
    _cut_score(ap_version, 80)
    attempt = _submitted(candidate, exam, exemplar_for)
    items = _items(attempt)
    _mark(items["rationale-controls"], grader, 0)
    _mark(items["rationale-change"], grader, 0)

    assert _decided(attempt)
    assert not HumanMark.objects.exists()


def test_a_disputed_item_past_its_due_time_is_escalated(
    all_double_marked, candidate, grader, second_grader, exam, exemplar_for
):
    from datetime import timedelta

    from django.utils import timezone

    attempt = _submitted(candidate, exam, exemplar_for)
    item = _items(attempt)["rationale-controls"]
    _mark(item, grader, 0)
    _mark(item, second_grader, 2)

    opened = human_scoring.scoring_sweep(now=timezone.now() + timedelta(days=30))

    assert opened >= 1
    from assessments.models import Escalation

    assert Escalation.objects.filter(target_id=str(item.pk)).exists()


def _disputed_attempt(candidate, grader, second_grader, exam, exemplar_for):
    attempt = _submitted(candidate, exam, exemplar_for)
    items = _items(attempt)
    _mark(items["rationale-change"], grader, 1)
    _mark(items["rationale-change"], second_grader, 1)  # agreed: only the dispute is left
    item = items["rationale-controls"]
    _mark(item, grader, 0)
    assert _mark(item, second_grader, 2).status == HumanScore.Status.DISPUTED
    return attempt, item


def test_the_decision_sweeper_leaves_attempts_awaiting_adjudication_alone(
    all_double_marked, candidate, grader, second_grader, exam, exemplar_for, monkeypatch
):
    """An attempt waiting for an adjudicator is not a missed decision: the sweeper must not
    spend its 100-a-sweep budget retrying it (100 disputed attempts would starve real misses)."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.services import escalations

    _disputed_attempt(candidate, grader, second_grader, exam, exemplar_for)
    tried = []
    monkeypatch.setattr(
        escalations, "decision_record_if_complete", lambda attempt: tried.append(attempt)
    )

    escalations.decisions_sweep(now=timezone.now() + timedelta(days=1))

    assert tried == []


def test_a_decision_recorded_without_a_disputed_item_withdraws_it(
    all_double_marked, candidate, grader, second_grader, exam, exemplar_for
):
    """When the attempt is decided without the item (a critical failure elsewhere), a disputed
    item is withdrawn like an open one: no adjudicator spends time on work that changes nothing."""
    from django.db import transaction

    from assessments.models import GradeReport
    from assessments.services.decisions import decision_record

    attempt, item = _disputed_attempt(candidate, grader, second_grader, exam, exemplar_for)
    with transaction.atomic():
        decision_record(attempt=attempt, reports=list(GradeReport.objects.filter(attempt=attempt)))

    item.refresh_from_db()
    assert item.status == HumanScore.Status.CANCELLED
    assert not adjudication.disputed_items().exists()
