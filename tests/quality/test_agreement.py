# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Agreement statistics from double marks: planted figures, the task's stored report, the staff
page, the API and the command, for every role."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Role
from assessments.models import HumanScore
from assessments.services import human_scoring
from assessments.services.attempts import attempt_start, attempt_submit
from quality import agreement
from quality.agreement import Pair
from quality.agreement_models import AgreementReport
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
URL = "/api/v1/quality/agreement/"


def _pair(g1, g2, a, b, checkpoint="c1"):
    return Pair("s", checkpoint, 3, g1, g2, a, b)


def test_a_planted_unreliable_grader_is_flagged_and_a_reliable_one_is_not():
    """Graders 1 and 2 give the same level on 30 items; grader 3, paired with grader 1 on 30
    more, gives the opposite end of the scale whenever grader 1 does not give the middle."""
    levels = [0, 1, 2] * 10
    pairs = [_pair(1, 2, x, x) for x in levels]
    pairs += [_pair(1, 3, x, 2 - x, checkpoint="c2") for x in levels]

    figures = agreement.statistics(pairs, cut=0.7)

    graders = {row["grader_id"]: row for row in figures["graders"]}
    assert graders[2]["kappa"] == pytest.approx(1.0) and not graders[2]["flagged"]
    assert graders[3]["kappa"] == pytest.approx(-1.0) and graders[3]["flagged"]
    assert graders[3]["exact"] == pytest.approx(1 / 3, abs=1e-4)
    assert graders[3]["adjacent"] == pytest.approx(1 / 3, abs=1e-4)
    assert graders[1]["n"] == 60
    criteria = {row["checkpoint"]: row for row in figures["criteria"]}
    assert criteria["c1"]["kappa"] == pytest.approx(1.0) and criteria["c1"]["exact"] == 1.0
    assert criteria["c2"]["kappa"] == pytest.approx(-1.0)
    assert criteria["c1"]["n"] == criteria["c2"]["n"] == 30


def test_the_threshold_decides_the_flag():
    pairs = [_pair(1, 2, x, min(2, x + (i % 3 == 0))) for i, x in enumerate([0, 1, 2] * 8)]
    value = agreement.statistics(pairs, cut=0.0)["graders"][0]["kappa"]
    assert 0 < value < 1
    assert not agreement.statistics(pairs, cut=value - 0.01)["graders"][0]["flagged"]
    assert agreement.statistics(pairs, cut=value + 0.01)["graders"][0]["flagged"]


@pytest.fixture
def double_marked(settings, candidate, other_candidate, exam, exemplar_for):
    """Two attempts, every item marked by two graders: they agree on the controls rationale
    and disagree by one level on the change plan."""
    settings.HUMAN_SCORING_DOUBLE_MARK_SHARE = 1.0
    first = UserFactory(email="first@example.test", full_name="Fay First", role=Role.GRADER)
    second = UserFactory(email="second@example.test", full_name="Sid Second", role=Role.GRADER)
    marks = {"rationale-controls": (2, 2), "rationale-change": (1, 0.5)}
    for person in (candidate, other_candidate):
        attempt, _ = attempt_start(candidate=person, exam=exam)
        attempt_submit(
            attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
        )
        for item in HumanScore.objects.filter(report__attempt=attempt):
            for grader, points in zip((first, second), marks[item.checkpoint_id], strict=True):
                held = human_scoring.human_item_claim(item=item, grader=grader)
                human_scoring.human_item_score(item=held, grader=grader, points=points, comment="")
    return first, second


def test_pairs_come_from_the_stored_marks_as_level_indices(double_marked):
    pairs = agreement.pairs_of("ap-invoice-processing")
    assert len(pairs) == 4
    by_cp = {(p.checkpoint, p.first, p.second) for p in pairs}
    assert by_cp == {("rationale-controls", 2, 2), ("rationale-change", 2, 1)}
    assert agreement.pairs_of("no-such-scenario") == []


def test_the_task_stores_a_report_the_api_and_page_show(double_marked, client_for, programme_admin):
    from quality.agreement_tasks import compute_agreement

    admin = client_for(programme_admin)
    assert admin.get(URL).status_code == 404
    assert admin.get(URL).json()["code"] == "no_report"

    assert admin.post(URL, {"scenario": ""}, format="json").status_code == 202  # runs eagerly
    report_id = compute_agreement("ap-invoice-processing")

    report = AgreementReport.objects.get(pk=report_id)
    assert report.pairs == 4 and report.threshold == 0.7
    body = admin.get(URL, {"scenario": "ap-invoice-processing"}).json()
    criteria = {row["checkpoint"]: row for row in body["criteria"]}
    assert criteria["rationale-controls"]["exact"] == 1.0
    assert criteria["rationale-change"]["exact"] == 0.0
    assert criteria["rationale-change"]["adjacent"] == 1.0
    assert AgreementReport.objects.filter(scenario_slug="").exists()

    browser = Client()
    browser.force_login(programme_admin)
    page = browser.get("/quality/agreement/", {"scenario": "ap-invoice-processing"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-criterion="rationale-change"' in html and "Fay First" in html


def test_bad_input_gets_a_structured_error(client_for, programme_admin):
    response = client_for(programme_admin).post(URL, {"scenario": "not a slug!"}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize("role", [Role.GRADER, Role.CANDIDATE, Role.PARTNER_MANAGER, None])
def test_only_programme_staff_read_agreement(role, client_for):
    user = UserFactory(role=role) if role else None
    client = client_for(user)
    assert client.get(URL).status_code in (401, 403)
    assert client.post(URL, {}, format="json").status_code in (401, 403)
    assert not AgreementReport.objects.exists()


def test_the_command_prints_and_stores_the_figures(double_marked):
    out = StringIO()
    call_command("grading_agreement", "--scenario", "ap-invoice-processing", stdout=out)
    text = out.getvalue()
    assert "4 double-marked items" in text
    assert "ap-invoice-processing/rationale-controls: n=2" in text
    assert "Fay First" in text and "Sid Second" in text

    out = StringIO()
    call_command("grading_agreement", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["pairs"] == 4 and len(data["graders"]) == 2
    assert AgreementReport.objects.count() == 2
