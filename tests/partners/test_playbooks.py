# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Playbooks: a consultant shares a passing design with their firm (only by their own explicit
action, audited), the firm's members and managers find it in the library by workflow type and
words, nobody else sees it, and a withdrawn playbook is gone from every list, page and API."""

import json
import re

import pytest
from django.urls import reverse

from assessments.models import Attempt, CertificationDecision
from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.human_scoring import human_item_claim_next, human_item_score
from audit.models import AuditEvent
from config.errors import Conflict, InvalidRequest, NotFound
from partners import playbook_selectors, playbooks
from partners.models import Playbook
from tests.assessments.conftest import (  # noqa: F401  (shared fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    exam,
    exemplar_for,
)

pytestmark = pytest.mark.django_db

SCENARIO = "ap-invoice-processing"


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CREDENTIAL_SIGNING_KEY = ""


def _score_everything(grader):
    while (item := human_item_claim_next(grader=grader)) is not None:
        cp = next(
            c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id
        )
        top = max(float(level["points"]) for level in cp["evidence"]["levels"])
        human_item_score(item=item, grader=grader, points=top, comment="")


def _graded(candidate, exam, design, grader):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design(attempt)})
    _score_everything(grader)
    return attempt


@pytest.fixture
def passed(candidate, exam, exemplar_for, grader):
    def design(attempt):
        found = exemplar_for(attempt)
        found["rationale"] = {"summary": "Agents extract; a callback confirms new bank details."}
        return found

    attempt = _graded(candidate, exam, design, grader)
    assert CertificationDecision.objects.get(attempt=attempt).outcome == "pass"
    return attempt


@pytest.fixture
def failed(candidate, exam, exemplar_for, grader):
    def design(attempt):
        found = exemplar_for(attempt)
        for step in found["steps"]:
            if step["kind"] == "approval" and step.get("action") == "payment":
                step["coverage"] = {"mode": "sample", "rate": 0.25}
        return found

    attempt = _graded(candidate, exam, design, grader)
    assert CertificationDecision.objects.get(attempt=attempt).outcome == "fail"
    return attempt


def _share(attempt, firm, **fields):
    return playbooks.playbook_share(
        user=attempt.candidate,
        attempt_id=attempt.pk,
        scenario=SCENARIO,
        organisation_slug=firm.slug,
        consent=fields.pop("consent", True),
        **fields,
    )


# --- The service -----------------------------------------------------------------------------


def test_sharing_copies_the_diagram_rationale_outcomes_and_scenario_and_is_audited(passed, firm):
    playbook = _share(passed, firm, title="Callback before paying new bank details")
    assert (
        playbook.design["start"] == passed.submission[str(passed.scenario_version_ids[0])]["start"]
    )
    assert {r["id"] for r in playbook.resources["roles"]} >= {"ap-clerk"}
    assert playbook.rationale == {
        "summary": "Agents extract; a callback confirms new bank details."
    }
    assert playbook.workflow_type == SCENARIO
    assert set(playbook.metrics) == set(playbook.baseline_metrics) >= {"cost_per_case"}
    event = AuditEvent.objects.get(action="playbook.share", target_id=str(playbook.pk))
    assert event.actor == passed.candidate
    assert event.data["organisation"] == firm.slug


def test_nothing_is_shared_without_consent(passed, firm):
    with pytest.raises(InvalidRequest) as error:
        _share(passed, firm, consent=False)
    assert error.value.code == "consent_required"
    assert not Playbook.objects.exists()
    assert not AuditEvent.objects.filter(action="playbook.share").exists()


def test_a_design_that_did_not_pass_cannot_be_shared(failed, firm):
    with pytest.raises(Conflict) as error:
        _share(failed, firm)
    assert error.value.code == "not_passed"


def test_only_the_author_may_share_and_only_with_their_own_firm(passed, firm, other_firm):
    with pytest.raises(NotFound):
        _share(passed, other_firm)
    with pytest.raises(NotFound):
        playbooks.playbook_share(
            user=passed.candidate,
            attempt_id=passed.pk,
            scenario="no-such-scenario",
            organisation_slug=firm.slug,
            consent=True,
        )
    assert not Playbook.objects.exists()


def test_the_same_design_is_shared_once_per_firm(passed, firm):
    _share(passed, firm)
    with pytest.raises(Conflict) as error:
        _share(passed, firm)
    assert error.value.code == "already_shared"


def test_withdrawing_erases_the_copy_and_is_audited(passed, firm):
    playbook = _share(passed, firm)
    playbooks.playbook_withdraw(user=passed.candidate, playbook_id=playbook.pk)
    playbook.refresh_from_db()
    assert playbook.withdrawn_at is not None
    assert playbook.design == playbook.rationale == playbook.metrics == {}
    assert playbook.search_text == ""
    assert (
        AuditEvent.objects.filter(action="playbook.withdraw", target_id=str(playbook.pk)).count()
        == 1
    )
    assert not playbook_selectors.library(firm=firm).exists()
    # Withdrawn, it may be shared afresh (consent given again).
    assert _share(passed, firm).pk != playbook.pk


def test_only_the_author_may_withdraw(passed, firm, partner_manager):
    playbook = _share(passed, firm)
    with pytest.raises(NotFound):
        playbooks.playbook_withdraw(user=partner_manager, playbook_id=playbook.pk)
    assert playbook_selectors.library(firm=firm).count() == 1


def test_a_reversed_decision_takes_the_playbook_out_of_the_library(passed, firm):
    _share(passed, firm)
    CertificationDecision.objects.filter(attempt=passed).update(reversed_at="2026-01-01T00:00Z")
    assert not playbook_selectors.library(firm=firm).exists()


def test_the_library_searches_words_and_filters_by_workflow_type(passed, firm, ap_version):
    _share(passed, firm, title="Vendor Callback playbook")
    assert playbook_selectors.library(firm=firm, query="callback VENDOR").count() == 1
    assert playbook_selectors.library(firm=firm, query="bank details").count() == 1  # rationale
    assert playbook_selectors.library(firm=firm, query="payroll").count() == 0
    assert playbook_selectors.library(firm=firm, workflow_type=SCENARIO).count() == 1
    assert playbook_selectors.library(firm=firm, workflow_type="customer-support").count() == 0
    assert playbook_selectors.workflow_types(firm=firm) == [
        {"workflow_type": SCENARIO, "count": 1, "scenario_title": ap_version.title}
    ]


# --- Who sees what, pages and API ------------------------------------------------------------

ROLES = [
    "anonymous",
    "author",
    "colleague",
    "partner_manager",
    "other_manager",
    "other_candidate",
    "grader",
    "programme_admin",
]
SEES = {"author", "colleague", "partner_manager"}


@pytest.fixture
def people(
    passed,
    member_of,
    firm,
    partner_manager,
    other_manager,
    other_candidate,
    grader,
    programme_admin,
):
    return {
        "anonymous": None,
        "author": passed.candidate,
        "colleague": member_of(firm, email="colleague@example.test"),
        "partner_manager": partner_manager,
        "other_manager": other_manager,
        "other_candidate": other_candidate,
        "grader": grader,
        "programme_admin": programme_admin,
    }


@pytest.mark.parametrize("role", ROLES)
def test_library_pages_and_api_for_every_role(client, api_client, people, passed, firm, role):
    playbook = _share(passed, firm)
    pages = [f"/partners/{firm.slug}/playbooks/", f"/partners/{firm.slug}/playbooks/{playbook.pk}/"]
    apis = [
        f"/api/v1/partners/{firm.slug}/playbooks/",
        f"/api/v1/partners/{firm.slug}/playbooks/{playbook.pk}/",
    ]
    if people[role]:
        client.force_login(people[role])
        api_client.force_authenticate(people[role])
    for url in pages:
        response = client.get(url)
        expected = 302 if role == "anonymous" else 200 if role in SEES else 404
        assert response.status_code == expected, (url, role)
    for url in apis:
        response = api_client.get(url)
        expected = 401 if role == "anonymous" else 200 if role in SEES else 404
        assert response.status_code == expected, (url, role)
        if expected == 404:
            assert response.json()["code"] == "firm_not_found"


def test_the_detail_page_draws_the_diagram_with_the_rationale_and_outcomes(
    client, passed, firm, partner_manager
):
    playbook = _share(passed, firm)
    client.force_login(partner_manager)
    response = client.get(f"/partners/{firm.slug}/playbooks/{playbook.pk}/")
    page = response.content.decode()
    data = json.loads(
        re.search(
            r'<script id="playbook-diagram" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert data["design"]["start"] == playbook.design["start"]
    assert data["resources"]["roles"]
    assert "a callback confirms new bank details" in page
    assert "Cost per case" in page


def test_the_api_never_shows_checkpoint_scores(api_client, passed, firm, partner_manager):
    playbook = _share(passed, firm)
    api_client.force_authenticate(partner_manager)
    body = api_client.get(f"/api/v1/partners/{firm.slug}/playbooks/{playbook.pk}/").json()
    text = json.dumps(body)
    assert "checkpoints" not in text and "domain_scores" not in text and "total" not in body
    assert body["design"]["start"] and body["outcomes"]


def _more_playbooks(firm, passed, member_of, count):
    """``count`` more playbooks in ``firm``, each from another consultant's attempt."""
    source = Playbook.objects.get()
    for n in range(count):
        author = member_of(firm, email=f"c{n}@example.test")
        attempt = Attempt.objects.create(
            exam=passed.exam,
            candidate=author,
            seed=n,
            status=Attempt.Status.SUBMITTED,
            scenario_version_ids=passed.scenario_version_ids,
            deadline=passed.deadline,
        )
        source.pk, source.author, source.attempt = None, author, attempt
        source.save()


def test_the_library_lists_in_constant_queries(
    api_client, client, passed, firm, partner_manager, member_of
):
    _share(passed, firm)
    api_client.force_authenticate(partner_manager)
    client.force_login(partner_manager)
    url, page = f"/api/v1/partners/{firm.slug}/playbooks/", f"/partners/{firm.slug}/playbooks/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(target, fetch):
        with CaptureQueriesContext(connection) as captured:
            assert fetch(target).status_code == 200
        return len(captured)

    one = (queries(url, api_client.get), queries(page, client.get))
    _more_playbooks(firm, passed, member_of, 6)
    assert len(api_client.get(url).json()["results"]) == 7
    assert (queries(url, api_client.get), queries(page, client.get)) == one


def test_share_and_withdraw_through_the_api(api_client, passed, firm, partner_manager):
    api_client.force_authenticate(passed.candidate)
    body = {
        "attempt": str(passed.pk),
        "scenario": SCENARIO,
        "organisation": firm.slug,
        "consent": False,
    }
    response = api_client.post("/api/v1/partners/playbooks/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "consent_required"
    response = api_client.post(
        "/api/v1/partners/playbooks/", {**body, "consent": True}, format="json"
    )
    assert response.status_code == 201
    playbook_id = response.json()["id"]
    assert [p["id"] for p in api_client.get("/api/v1/partners/playbooks/").json()["results"]] == [
        playbook_id
    ]

    api_client.force_authenticate(partner_manager)
    assert api_client.post(f"/api/v1/partners/playbooks/{playbook_id}/withdraw/").status_code == 404
    api_client.force_authenticate(passed.candidate)
    assert api_client.post(f"/api/v1/partners/playbooks/{playbook_id}/withdraw/").status_code == 204

    api_client.force_authenticate(partner_manager)
    assert api_client.get(f"/api/v1/partners/{firm.slug}/playbooks/").json()["results"] == []
    assert (
        api_client.get(f"/api/v1/partners/{firm.slug}/playbooks/{playbook_id}/").status_code == 404
    )


def test_the_results_page_offers_sharing_only_for_a_pass(client, passed, firm):
    client.force_login(passed.candidate)
    page = client.get(
        reverse("candidate-results", kwargs={"attempt_id": passed.pk})
    ).content.decode()
    assert "data-playbook-share" in page and 'name="consent"' in page


def test_the_results_page_of_a_failed_attempt_has_no_share_form(client, failed):
    client.force_login(failed.candidate)
    page = client.get(
        reverse("candidate-results", kwargs={"attempt_id": failed.pk})
    ).content.decode()
    assert "data-playbook-share" not in page


def test_the_share_form_without_the_box_ticked_shares_nothing(client, passed, firm):
    client.force_login(passed.candidate)
    form = {"attempt": str(passed.pk), "scenario": SCENARIO, "organisation": firm.slug}
    response = client.post(reverse("partner-playbook-share"), form)
    assert response.status_code == 302 and "/results/" in response["Location"]
    assert not Playbook.objects.exists()
    response = client.post(reverse("partner-playbook-share"), {**form, "consent": "yes"})
    playbook = Playbook.objects.get()
    assert response["Location"] == f"/partners/{firm.slug}/playbooks/{playbook.pk}/"


def test_managers_see_nothing_of_a_design_not_shared(
    client, api_client, passed, firm, partner_manager
):
    """The dashboard, roster and library never carry design content or checkpoint scores of a
    design its author did not share."""
    marker = "a callback confirms new bank details"
    client.force_login(partner_manager)
    api_client.force_authenticate(partner_manager)
    for url in (
        f"/partners/{firm.slug}/",
        f"/partners/{firm.slug}/members/",
        f"/partners/{firm.slug}/playbooks/",
    ):
        assert marker not in client.get(url).content.decode()
    for url in (
        f"/api/v1/partners/{firm.slug}/dashboard/",
        f"/api/v1/partners/{firm.slug}/roster/",
        f"/api/v1/partners/{firm.slug}/playbooks/",
    ):
        text = api_client.get(url).content.decode()
        assert marker not in text and "payment-approval" not in text


def test_a_malformed_or_foreign_attempt_is_not_found_on_the_share_form(
    client, passed, firm, other_candidate
):
    form = {"scenario": SCENARIO, "organisation": firm.slug, "consent": "yes"}
    client.force_login(passed.candidate)
    assert (
        client.post(reverse("partner-playbook-share"), {**form, "attempt": "junk"}).status_code
        == 404
    )
    client.force_login(other_candidate)
    response = client.post(reverse("partner-playbook-share"), {**form, "attempt": str(passed.pk)})
    assert response.status_code == 404
    assert not Playbook.objects.exists()
