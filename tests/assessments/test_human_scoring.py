"""Human scoring: conflict of interest holds at scoring time too, not only when claiming."""

import pytest

from accounts.models import Membership
from assessments.models import HumanScore
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent


@pytest.fixture
def held_item(client_for, candidate, grader, exam, exemplar_for):
    """An item of ``candidate``'s attempt, claimed by ``grader`` (of the other firm)."""
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    claimed = client_for(grader).post("/api/v1/grading/items/claim-next/")
    assert claimed.status_code == 200
    return claimed.json()


def _score(client, item: dict):
    points = item["criterion"]["levels"][-1]["points"]
    return client.post(
        f"/api/v1/grading/items/{item['id']}/score/",
        {"points": points, "comment": "Clear rationale."},
        format="json",
    )


@pytest.mark.django_db
def test_a_grader_who_joins_the_candidates_firm_cannot_score_the_held_item(
    client_for, grader, firm, held_item
):
    Membership.objects.create(user=grader, organisation=firm)

    response = _score(client_for(grader), held_item)

    assert response.status_code == 403
    assert response.json()["code"] == "conflict_of_interest"
    item = HumanScore.objects.get(pk=held_item["id"])
    assert item.status == HumanScore.Status.OPEN
    assert item.grader_id is None and item.points is None
    released = AuditEvent.objects.get(action="human_score.released", target_id=str(item.pk))
    assert "conflict of interest" in released.reason


@pytest.mark.django_db
def test_the_released_item_goes_to_another_grader(client_for, grader, firm, held_item):
    from accounts.models import Role
    from tests.factories import UserFactory

    Membership.objects.create(user=grader, organisation=firm)
    assert _score(client_for(grader), held_item).status_code == 403
    assert client_for(grader).post("/api/v1/grading/items/claim-next/").status_code == 204

    other = client_for(UserFactory(role=Role.GRADER))
    taken = other.post("/api/v1/grading/items/claim-next/").json()
    assert taken["id"] == held_item["id"]
    assert _score(other, taken).status_code == 200


@pytest.mark.django_db
def test_a_grader_of_another_firm_still_scores(client_for, grader, held_item):
    response = _score(client_for(grader), held_item)

    assert response.status_code == 200
    assert HumanScore.objects.get(pk=held_item["id"]).status == HumanScore.Status.SCORED
