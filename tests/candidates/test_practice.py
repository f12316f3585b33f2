"""The practice room: practice packs only, graded at once, nothing recorded; a certification
pack is never open for practice and a practice pack never enters an exam."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Attempt, Draft, ExamScenario, GradingJob
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "scenarios" / "examples"


def _simulate(client, slug, design):
    return client.post(
        reverse("practice-simulate", kwargs={"slug": slug}),
        data=json.dumps({"design": design}),
        content_type="application/json",
    )


def test_the_practice_room_lists_practice_packs_only(
    client, candidate, practice_version, ap_version
):
    client.force_login(candidate)
    page = client.get(reverse("practice-index")).content.decode()
    assert reverse("practice-room", kwargs={"slug": "ap-practice"}) in page
    assert reverse("practice-room", kwargs={"slug": ap_version.scenario.slug}) not in page
    response = client.get(reverse("practice-room", kwargs={"slug": ap_version.scenario.slug}))
    assert response.status_code == 404


def test_a_certification_pack_cannot_be_simulated(client, candidate, ap_version):
    client.force_login(candidate)
    design = json.loads((EXAMPLES / "ap-exemplar.json").read_text())
    assert _simulate(client, ap_version.scenario.slug, design).status_code == 404


def test_simulate_grades_at_once_and_records_nothing(client, candidate, practice_version):
    client.force_login(candidate)
    design = json.loads((EXAMPLES / "ap-flawed-sampled-approvals.json").read_text())
    counts = [m.objects.count() for m in (Attempt, Draft, GradingJob, AuditEvent)]
    response = _simulate(client, "ap-practice", design)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-checkpoint="payment-approval"' in html
    assert 'data-decision="fail"' in html
    assert [m.objects.count() for m in (Attempt, Draft, GradingJob, AuditEvent)] == counts
    # The candidate's view: the generator's labels never reach the page.
    assert "bank_detail_fraud" not in html and "adversarial_cases" not in html


def test_simulate_refuses_an_invalid_design_with_its_errors(client, candidate, practice_version):
    client.force_login(candidate)
    response = _simulate(client, "ap-practice", {"schema_version": "1", "steps": []})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_design" and body["errors"]


@pytest.mark.parametrize("role", ["grader", "programme_admin"])
def test_only_consultants_practise(client, request, role, practice_version):
    client.force_login(request.getfixturevalue(role))
    design = json.loads((EXAMPLES / "ap-exemplar.json").read_text())
    assert _simulate(client, "ap-practice", design).status_code == 403
    assert client.get(reverse("practice-room", kwargs={"slug": "ap-practice"})).status_code == 403


def test_simulating_is_rate_limited(client, candidate, practice_version, settings):
    settings.THROTTLE_SIMULATE = "2/minute"
    client.force_login(candidate)
    design = {"schema_version": "1", "steps": []}
    statuses = [_simulate(client, "ap-practice", design).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_a_practice_pack_never_enters_an_exam(exam, practice_version):
    with pytest.raises(ValidationError, match="practice pack"):
        ExamScenario.objects.create(exam=exam, scenario_version=practice_version, position=2)
    assert exam.parts.count() == 1


def test_each_consultant_practises_one_variant_per_scenario(candidate, other_candidate):
    from candidates.practice import practice_seed

    assert practice_seed(user=candidate, slug="a") == practice_seed(user=candidate, slug="a")
    assert practice_seed(user=candidate, slug="a") != practice_seed(user=other_candidate, slug="a")


# --- The shipped practice pack (scenarios/packs/expense-claims-practice) ---

SHIPPED_PRACTICE = "expense-claims-practice"


@pytest.fixture
def shipped_practice(db):
    """The shipped practice pack, published as `publish_scenarios` (and the demo) publishes it:
    self-tested first."""
    from scenarios.services import PACKS_DIR, scenario_version_publish

    version, _ = scenario_version_publish(path=PACKS_DIR / SHIPPED_PRACTICE)
    return version


def test_the_shipped_practice_pack_is_a_practice_pack():
    from scenarios.engine import load_pack
    from scenarios.services import PACKS_DIR

    assert load_pack(PACKS_DIR / SHIPPED_PRACTICE).data["purpose"] == "practice"


def test_the_shipped_practice_pack_is_listed_and_opens_in_the_practice_room(
    client, candidate, shipped_practice, ap_version
):
    from scenarios.selectors import practice_version, practice_versions

    assert [v.scenario.slug for v in practice_versions()] == [SHIPPED_PRACTICE]
    assert practice_version(SHIPPED_PRACTICE).pk == shipped_practice.pk
    client.force_login(candidate)
    page = client.get(reverse("practice-index")).content.decode()
    assert reverse("practice-room", kwargs={"slug": SHIPPED_PRACTICE}) in page
    room = client.get(reverse("practice-room", kwargs={"slug": SHIPPED_PRACTICE}))
    assert room.status_code == 200
    html = room.content.decode()
    assert (
        "Tidewater Advisory" in html and "${" not in html
    )  # the brief, with this variant's numbers
    # The hidden attacks and the rubric's own designs stay hidden in practice too.
    assert "fabricated_receipt" not in html and "checker-with-receipt-verification" not in html


def test_the_shipped_practice_pack_never_enters_an_exam(exam, shipped_practice):
    with pytest.raises(ValidationError, match="practice pack"):
        ExamScenario.objects.create(exam=exam, scenario_version=shipped_practice, position=2)
    assert exam.parts.count() == 1
