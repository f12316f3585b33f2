"""The consultant's pages: sign-in, home, exam rules, the exam room and results. Each page's
access is checked for every role, and a page shows only what the candidate's API view may."""

import json
import re

import pytest
from django.urls import reverse

from assessments.models import Attempt
from assessments.services import attempts as attempt_services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _config(response, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no #{element_id} on the page"
    return json.loads(match.group(1))


@pytest.fixture
def attempt(candidate, exam):
    attempt, _ = attempt_services.attempt_start(candidate=candidate, exam=exam)
    return attempt


def test_signing_in_takes_a_candidate_to_their_home(client, candidate):
    response = client.post(
        reverse("candidate-signin"), {"username": candidate.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("candidate-home")
    assert client.get(reverse("candidate-home")).status_code == 200


def test_a_wrong_password_is_refused_on_the_page(client, candidate):
    response = client.post(
        reverse("candidate-signin"), {"username": candidate.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["candidate-home", "candidate-exam"])
def test_anonymous_visitors_are_sent_to_sign_in(client, exam, name):
    url = reverse(name, kwargs={"slug": exam.slug} if name == "candidate-exam" else {})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("candidate-signin"))


@pytest.mark.parametrize("role", ["grader", "programme_admin"])
def test_other_roles_get_a_page_that_says_it_is_for_consultants(client, request, role, exam):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("candidate-home"))
    assert response.status_code == 403
    assert b"This page is for consultants" in response.content


def test_home_states_each_exams_rules_and_links_to_start(client, candidate, exam):
    client.force_login(candidate)
    page = client.get(reverse("candidate-home")).content.decode()
    assert exam.title in page
    assert "2 of 2" in page  # attempts left of max_attempts
    assert reverse("candidate-exam", kwargs={"slug": exam.slug}) in page


def test_exam_page_states_the_rules_and_post_starts_the_attempt(client, candidate, exam):
    client.force_login(candidate)
    page = client.get(reverse("candidate-exam", kwargs={"slug": exam.slug})).content.decode()
    assert "120 minutes" in page and "24 hours" in page and "none" in page
    response = client.post(reverse("candidate-exam", kwargs={"slug": exam.slug}))
    attempt = Attempt.objects.get(candidate=candidate)
    assert response["Location"] == reverse("candidate-room", kwargs={"attempt_id": attempt.pk})
    # A double click resumes the same attempt instead of starting a second one.
    client.post(reverse("candidate-exam", kwargs={"slug": exam.slug}))
    assert Attempt.objects.filter(candidate=candidate).count() == 1


def test_exam_room_carries_the_brief_baseline_resources_and_editor_config(client, attempt):
    client.force_login(attempt.candidate)
    response = client.get(reverse("candidate-room", kwargs={"attempt_id": attempt.pk}))
    assert response.status_code == 200
    config = _config(response, "exam-room-config")
    part = config["parts"][0]
    assert config["deadline"] == attempt.deadline.isoformat()
    assert part["draft_url"] == reverse(
        "attempt-draft",
        kwargs={"attempt_id": attempt.pk, "scenario_version_id": part["scenario_version_id"]},
    )
    # Validation while working checks the attempt's own version, as grading will.
    assert part["validate_url"].endswith(
        f"?version={attempt.exam.parts.get().scenario_version.version}"
    )
    assert {r["id"] for r in part["resources"]["roles"]} >= {"ap-clerk", "ap-manager"}
    assert "amount" in part["resources"]["attributes"]
    baseline = _config(response, f"baseline-{part['scenario_version_id']}")
    assert baseline["design"]["start"] == "key"
    page = response.content.decode()
    assert "Today&#x27;s workflow" in page or "Today's workflow" in page
    # Hidden adversarial cases and the pack's exemplars never reach the candidate's page.
    assert "exemplars" not in page and "Vendor impersonation" not in page


def test_nobody_else_opens_a_candidates_room_or_results(client, attempt, other_candidate):
    client.force_login(other_candidate)
    for name in ("candidate-room", "candidate-results"):
        assert client.get(reverse(name, kwargs={"attempt_id": attempt.pk})).status_code == 404


def test_results_show_the_failed_checkpoint_on_the_candidates_own_diagram(
    client, attempt, exemplar_for
):
    design = exemplar_for(attempt)
    # Approvals sampled instead of required by amount: the payment-approval control fails.
    for step in design["steps"]:
        if step["kind"] == "approval" and step.get("action") == "payment":
            step["coverage"] = {"mode": "sample", "rate": 0.25}
    attempt_services.attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: design}, actor=attempt.candidate
    )
    client.force_login(attempt.candidate)
    response = client.get(reverse("candidate-results", kwargs={"attempt_id": attempt.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-checkpoint="payment-approval"' in page
    highlighted = _config(response, "checkpoint-1-1")
    assert highlighted["design"]["start"] == design["start"]
    assert highlighted["highlight"][-1] == "pay"
    assert reverse("candidate-room", kwargs={"attempt_id": attempt.pk}) not in page


def test_a_partner_manager_who_sits_exams_has_the_same_home(client, partner_manager, exam):
    client.force_login(partner_manager)
    response = client.get(reverse("candidate-home"))
    assert response.status_code == 200
    assert exam.title in response.content.decode()


def test_a_grader_signing_in_lands_on_the_grading_queue(client, grader):
    response = client.post(
        reverse("candidate-signin"), {"username": grader.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("quality-workbench")
