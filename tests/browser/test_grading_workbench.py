"""The grader's workbench in a real browser: a grader claims an item, sees the anonymised design
drawn as a diagram, the rationale and the rubric's levels, and scores it. Every page is watched
for CSP violations and script errors (the `page` fixture)."""

import pytest
from playwright.sync_api import expect

from assessments.models import HumanScore
from assessments.services.attempts import attempt_start, attempt_submit

from .conftest import screenshot, serious_accessibility_violations
from .test_appeals import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted(candidate, exam):
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    design = design_of(
        pack.resolve(draw_variant(pack, attempt.seed)), "agent-extraction-with-callback"
    )
    return attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})


def test_a_grader_claims_an_item_sees_the_diagram_and_rubric_and_scores_it(
    page, submitted, grader, candidate
):
    assert HumanScore.objects.filter(report__attempt=submitted, status="open").exists()
    sign_in(page, grader, "**/quality/grading/")
    page.goto("/quality/grading/")
    page.get_by_role("button", name="Claim the next item").click()
    page.wait_for_url("**/quality/grading/items/*/")

    expect(page.locator('[data-workflow-diagram] [data-step-id="pay"]')).to_have_count(1)
    expect(page.get_by_role("table", name="The rubric's levels")).to_be_visible()
    expect(page.locator("[data-seconds-left]")).to_contain_text("min")
    expect(page.locator(".rationale").first).to_be_visible()
    assert candidate.email not in page.content()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "grading-workbench-item")

    page.locator(".score-form input[type=radio]").last.check()
    page.get_by_label("Comment (the candidate reads it)").fill("Explains every control.")
    page.get_by_role("button", name="Record my score").click()
    page.wait_for_url("**/quality/grading/")
    expect(page.get_by_role("status")).to_contain_text("Scored")

    scored = HumanScore.objects.get(report__attempt=submitted, status="scored")
    assert scored.grader == grader and scored.comment == "Explains every control."
    assert scored.points == scored.max_points
