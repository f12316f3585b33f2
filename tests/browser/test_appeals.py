"""Appeals in a real browser: a consultant whose attempt failed appeals from the results page,
sees the appeal under review, and after the reviewer decides on the appeal page, sees the
outcome and its reasons. Every page is watched for CSP violations and script errors."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.services.attempts import attempt_start, attempt_submit
from tests.conftest import PASSWORD

from .conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def failed(candidate, exam):
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    design = design_of(pack.resolve(draw_variant(pack, attempt.seed)), "sampled-approvals")
    return attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})


def sign_in(page, user, landing: str):
    page.goto("/signin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(landing)


def test_a_consultant_appeals_from_the_results_page_and_follows_it(
    page, browser, live_server, failed, grader
):
    results = reverse("candidate-results", kwargs={"attempt_id": failed.pk})
    sign_in(page, failed.candidate, "**/home/")
    page.goto(results)
    expect(page.locator("[data-decision]")).to_have_attribute("data-decision", "fail")
    form = page.locator("form[data-appeal-form]")
    expect(form).to_be_visible()
    # The reason is required: without it the browser does not send the form.
    form.get_by_role("button", name="Appeal this decision").click()
    expect(page.locator("[data-appeal-state]")).to_have_count(0)
    form.get_by_label("Why the decision is wrong").fill("Sampling is our firm's approved policy.")
    form.get_by_role("button", name="Appeal this decision").click()
    page.wait_for_url(f"**{results}")
    expect(page.locator("[data-appeal-state]")).to_have_attribute(
        "data-appeal-state", "under_review"
    )
    expect(page.locator("form[data-appeal-form]")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "appeal-under-review")

    # The reviewer (a grader from another firm who did not grade it) decides on the appeal page.
    reviewer = browser.new_context(base_url=live_server.url).new_page()
    errors = []
    reviewer.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(reviewer, grader, "**/quality/grading/")
    reviewer.goto(reverse("quality-appeals"))
    reviewer.get_by_role("link", name="Open").first.click()
    decide = reviewer.locator("form[data-decide-form]")
    decide.get_by_label("Upheld: the decision stands").check()
    decide.get_by_label("Reasons (the candidate reads them)").fill(
        "Sampled approvals let a changed bank account through: the rule stands."
    )
    decide.get_by_role("button", name="Record the outcome").click()
    expect(reviewer.locator("[data-outcome]")).to_have_attribute("data-outcome", "upheld")
    screenshot(reviewer, "appeal-decided")
    assert errors == []

    page.goto(results)
    expect(page.locator("[data-appeal-state]")).to_have_attribute("data-appeal-state", "upheld")
    expect(page.locator("[data-appeal-outcome]")).to_contain_text("the rule stands")
