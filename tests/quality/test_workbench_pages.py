# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""The grader's workbench pages: queue, claim, the anonymised item, score, release, lease,
adjudication; every role; a grader never sees their own firm's work."""

import json
import re

import pytest
from django.test import Client

from accounts.models import Membership, Role
from assessments.models import CertificationDecision, HumanMark, HumanScore
from assessments.services import human_scoring
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent
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

pytestmark = pytest.mark.django_db

QUEUE = "/quality/grading/"
CLAIM = "/quality/grading/claim/"


@pytest.fixture
def submitted(candidate, exam, exemplar_for):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    return attempt


def browser_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _claim(client) -> tuple[str, int]:
    """The claimed item's page handle (its work ticket) and the item's id."""
    response = client.post(CLAIM)
    assert response.status_code == 302
    match = re.search(r"/quality/grading/items/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    ticket = WorkTicket.objects.get(handle=match.group(1))
    return match.group(1), ticket.live_item_id


def test_a_grader_claims_sees_the_anonymised_item_and_scores_it(submitted, grader, candidate, firm):
    client = browser_for(grader)
    assert client.get(QUEUE).status_code == 200
    handle, item_id = _claim(client)

    page = client.get(f"/quality/grading/items/{handle}/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "data-workflow-diagram" in html and 'id="item-design"' in html
    diagram = json.loads(re.search(r'id="item-design"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert set(diagram) == {"design", "resources"} and diagram["design"]["steps"]
    item = HumanScore.objects.get(pk=item_id)
    levels = item.report.engine_report["checkpoints"]
    descriptors = next(c for c in levels if c["id"] == item.checkpoint_id)["evidence"]["levels"]
    for level in descriptors:
        assert level["descriptor"] in html
    assert "Machine-scored checkpoints" in html and "data-seconds-left" in html
    for secret in (candidate.email, candidate.full_name, firm.name, firm.slug):
        assert secret not in html

    top = max(float(level["points"]) for level in descriptors)
    scored = client.post(
        f"/quality/grading/items/{handle}/score/", {"points": str(top), "comment": "Clear."}
    )

    assert scored.status_code == 302
    item.refresh_from_db()
    assert item.status == HumanScore.Status.SCORED and item.points == top
    assert item.comment == "Clear." and item.resolution == "single"
    assert AuditEvent.objects.filter(action="human_score.scored", target_id=str(item_id)).exists()


def test_points_off_the_rubric_are_refused_and_the_item_stays_held(submitted, grader):
    client = browser_for(grader)
    handle, item_id = _claim(client)

    for bad in ("0.7", "nonsense", "", "NaN"):
        response = client.post(f"/quality/grading/items/{handle}/score/", {"points": bad})
        assert response.status_code == 400
        assert "data-error" in response.content.decode()
    item = HumanScore.objects.get(pk=item_id)
    assert item.status == HumanScore.Status.CLAIMED and item.points is None


def test_release_puts_the_item_back_and_the_lease_fragment_counts_down(submitted, grader):
    client = browser_for(grader)
    handle, item_id = _claim(client)
    lease = client.get(f"/quality/grading/items/{handle}/lease/")
    assert lease.status_code == 200
    seconds = int(re.search(r'data-seconds-left="(\d+)"', lease.content.decode()).group(1))
    assert 0 < seconds <= 30 * 60

    assert client.post(f"/quality/grading/items/{handle}/release/").status_code == 302

    item = HumanScore.objects.get(pk=item_id)
    assert item.status == HumanScore.Status.OPEN and item.grader is None
    assert client.get(f"/quality/grading/items/{handle}/").status_code == 404


def test_another_graders_item_is_not_shown(submitted, grader):
    handle, _item_id = _claim(browser_for(grader))
    other = browser_for(UserFactory(role=Role.GRADER))
    assert other.get(f"/quality/grading/items/{handle}/").status_code == 404
    assert other.post(f"/quality/grading/items/{handle}/score/", {"points": "1"}).status_code == 404


def test_a_grader_of_the_candidates_firm_is_never_given_the_item(submitted, firm):
    same_firm = UserFactory(role=Role.GRADER)
    Membership.objects.create(user=same_firm, organisation=firm)
    client = browser_for(same_firm)

    queue = client.get(QUEUE).content.decode()
    assert 'data-waiting="0"' in queue
    response = client.post(CLAIM)
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert not HumanScore.objects.filter(grader=same_firm).exists()
    HumanScore.objects.filter(report__attempt=submitted).first()


@pytest.mark.parametrize("role", ["candidate", "partner_manager"])
def test_candidates_and_partner_managers_are_refused(submitted, role, candidate, partner_manager):
    user = {"candidate": candidate, "partner_manager": partner_manager}[role]
    client = browser_for(user)
    for url in (QUEUE, "/quality/grading/adjudication/", "/quality/agreement/"):
        assert client.get(url).status_code == 403
    assert client.post(CLAIM).status_code == 403
    assert not HumanScore.objects.filter(grader=user).exists()


def test_anonymous_visitors_are_sent_to_sign_in(submitted):
    client = browser_for(None)
    for url in (QUEUE, "/quality/grading/adjudication/", "/quality/agreement/"):
        response = client.get(url)
        assert response.status_code == 302 and "/signin/" in response["Location"]
    assert client.post(CLAIM).status_code == 302
    assert not HumanScore.objects.exclude(grader=None).exists()


def test_a_programme_admin_grades_too_and_a_grader_cannot_adjudicate(
    submitted, programme_admin, grader
):
    client = browser_for(programme_admin)
    handle, _item_id = _claim(client)
    assert client.get(f"/quality/grading/items/{handle}/").status_code == 200
    assert browser_for(grader).get("/quality/grading/adjudication/").status_code == 403


def test_a_disputed_item_is_adjudicated_through_the_pages(
    submitted, grader, programme_admin, settings
):
    settings.HUMAN_SCORING_DOUBLE_MARK_SHARE = 1.0
    # items opened before the setting changed: mark them for double marking like the sampler
    HumanScore.objects.filter(report__attempt=submitted).update(marks_required=2)
    second = UserFactory(role=Role.GRADER)
    items = list(HumanScore.objects.filter(report__attempt=submitted).order_by("id"))
    for item in items:
        levels = sorted(
            float(level["points"])
            for level in next(
                c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id
            )["evidence"]["levels"]
        )
        for marker, points in ((grader, levels[0]), (second, levels[-1])):
            held = human_scoring.human_item_claim(item=item, grader=marker)
            human_scoring.human_item_score(item=held, grader=marker, points=points, comment="")
    assert set(
        HumanScore.objects.filter(report__attempt=submitted).values_list("status", flat=True)
    ) == {"disputed"}

    admin = browser_for(programme_admin)
    listing = admin.get("/quality/grading/adjudication/").content.decode()
    for item in items:
        assert f'data-item="{item.pk}"' in listing
        page = admin.get(f"/quality/grading/adjudication/{item.pk}/").content.decode()
        assert 'data-mark="first"' in page and 'data-mark="second"' in page
        top = max(m.points for m in HumanMark.objects.filter(item=item))
        assert (
            admin.post(
                f"/quality/grading/adjudication/{item.pk}/", {"points": str(top), "comment": "ok"}
            ).status_code
            == 302
        )

    assert CertificationDecision.objects.filter(attempt=submitted).exists()
    assert set(
        HumanScore.objects.filter(report__attempt=submitted).values_list("resolution", flat=True)
    ) == {"adjudicated"}


def test_a_grader_signed_in_at_home_finds_the_grading_queue(grader):
    page = browser_for(grader).get("/home/")
    assert page.status_code == 403
    assert 'href="/quality/grading/"' in page.content.decode()
