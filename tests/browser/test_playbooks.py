"""Playbooks in a real browser: a consultant shares a passing design from the results page,
sees it drawn in the firm's library, their manager finds it by searching, and after the
consultant withdraws it the library is empty. Every page is watched for CSP violations."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.human_scoring import human_item_claim_next, human_item_score
from tests.conftest import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CREDENTIAL_SIGNING_KEY = ""


@pytest.fixture
def passed(candidate, exam, grader):
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    design = design_of(
        pack.resolve(draw_variant(pack, attempt.seed)), "agent-extraction-with-callback"
    )
    design["rationale"] = {"summary": "A callback confirms every change of bank details."}
    attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})
    while (item := human_item_claim_next(grader=grader)) is not None:
        cp = next(
            c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id
        )
        top = max(float(level["points"]) for level in cp["evidence"]["levels"])
        human_item_score(item=item, grader=grader, points=top, comment="")
    return attempt


def sign_in(page, user):
    page.goto("/signin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")


def test_a_consultant_shares_a_passing_design_and_the_firm_finds_it(
    page, browser, live_server, passed, partner_manager, firm
):
    sign_in(page, passed.candidate)
    page.goto(reverse("candidate-results", kwargs={"attempt_id": passed.pk}))
    form = page.locator("form[data-playbook-share]")
    expect(form).to_be_visible()
    form.get_by_label("Title").fill("Callback before paying new bank details")
    # The box is required: without it the browser does not send the form.
    form.get_by_role("button", name="Share as a playbook").click()
    assert "/results/" in page.url
    form.get_by_label("I agree to share this design with the firm").check()
    form.get_by_role("button", name="Share as a playbook").click()
    page.wait_for_url(f"**/partners/{firm.slug}/playbooks/*/")
    expect(page.locator("[data-playbook-title]")).to_have_text(
        "Callback before paying new bank details"
    )
    # The design is drawn read-only by the editor bundle, under the CSP.
    expect(page.locator('[data-workflow-diagram] [data-step-id="pay"]')).to_have_count(1)
    expect(page.get_by_text("A callback confirms every change of bank details.")).to_be_visible()
    screenshot(page, "playbook-detail")

    manager = browser.new_context(base_url=live_server.url).new_page()
    manager_errors = []
    manager.on("pageerror", lambda error: manager_errors.append(str(error)))
    manager.on(
        "console",
        lambda m: (
            manager_errors.append(m.text)
            if m.type == "error" and ("Content Security Policy" in m.text or "Refused to" in m.text)
            else None
        ),
    )
    sign_in_manager(manager, partner_manager)
    manager.goto(f"/partners/{firm.slug}/playbooks/")
    manager.get_by_label("Search").fill("bank details")
    manager.get_by_role("button", name="Find").click()
    expect(
        manager.get_by_role("link", name="Callback before paying new bank details")
    ).to_be_visible()
    screenshot(manager, "playbook-library")

    page.goto("/partners/playbooks/mine/")
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_url("**/playbooks/mine/")
    expect(page.get_by_text("You have not shared any design.")).to_be_visible()
    manager.reload()
    expect(manager.get_by_text("No playbooks match.")).to_be_visible()
    assert not manager_errors


def sign_in_manager(page, user):
    page.goto("/signin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
