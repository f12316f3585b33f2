"""The candidate's exam in a real browser: sign in, read the rules, start, work in the editor,
reload without losing anything, submit and read the results."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/signin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin/" not in url)  # each role lands where its work is


def test_a_candidate_starts_an_exam_and_sees_the_brief_and_todays_workflow(page, candidate, exam):
    sign_in(page, candidate)
    screenshot(page, "candidate-home")
    page.get_by_role("link", name="Rules and start").click()
    screenshot(page, "exam-rules")
    page.get_by_role("button", name="Start the exam now").click()
    page.wait_for_url("**/room/")
    page.locator(".react-flow__node-step").first.wait_for()
    assert page.get_by_role("timer").is_visible()
    # Today's process is drawn read-only: its start step is on the page.
    assert page.locator('[data-workflow-diagram] [data-step-id="key"]').count() == 1
    screenshot(page, "exam-room")


@pytest.fixture
def exemplar_plan():
    """The AP pack's exemplar for the attempt's variant: the plan the test enters by hand."""
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR

    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    return design_of(pack.resolve(draw_variant(pack, 7)), "agent-extraction-with-callback")


def start_exam(page, candidate, exam):
    sign_in(page, candidate)
    page.goto(f"/exams/{exam.slug}/")
    page.get_by_role("button", name="Start the exam now").click()
    page.wait_for_url("**/room/")
    page.get_by_role("toolbar").wait_for()


def test_a_passing_design_built_by_hand_survives_a_reload_and_is_graded(
    page, candidate, exam, exemplar_plan
):
    from .editor_driver import add_step, connect_step, fill_design_panel, wait_saved

    start_exam(page, candidate, exam)
    steps = exemplar_plan["steps"]
    for step in steps[:4]:
        add_step(page, step)
    wait_saved(page)
    page.reload()
    page.get_by_role("toolbar").wait_for()
    for step in steps[:4]:
        expect(page.locator(f'.wf-canvas [data-step-id="{step["id"]}"]')).to_be_visible()
    for step in steps[4:]:
        add_step(page, step)
    for step in steps:
        connect_step(page, step)
    fill_design_panel(page, exemplar_plan)
    expect(page.get_by_role("tab", name="Problems (0)")).to_be_visible(timeout=10000)
    wait_saved(page)
    screenshot(page, "exam-room-built")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit design").click()
    page.wait_for_url("**/results/")
    status = page.locator("[data-grading-status]")
    expect(status).to_have_attribute("data-grading-status", "awaiting_human", timeout=30000)
    assert page.locator("li.checkpoint-fail").count() == 0
    screenshot(page, "results-awaiting-graders")


def test_a_validation_error_shows_on_its_step_and_goes_when_fixed(page, candidate, exam):
    start_exam(page, candidate, exam)
    page.get_by_role("toolbar").get_by_role("button", name="Add approval").click()
    field = page.locator(".wf-side").get_by_label("Step id", exact=True)
    field.fill("Pay Now!")
    field.press("Enter")
    node = page.locator('.wf-canvas [data-step-id="Pay Now!"]')
    expect(node).to_have_class(re.compile("wf-invalid"), timeout=10000)
    expect(page.locator(".wf-side .wf-field-error")).to_contain_text("Step id")
    page.locator(".wf-side").get_by_role("tab", name=re.compile(r"Problems \(\d+\)")).click()
    page.locator(".wf-error-list button", has_text="steps[0].id").first.click()
    field = page.locator(".wf-side").get_by_label("Step id", exact=True)
    field.fill("approve-payment")
    field.press("Enter")
    expect(page.locator('.wf-canvas [data-step-id="approve-payment"]')).not_to_have_class(
        re.compile("wf-invalid"), timeout=10000
    )


def test_a_flawed_designs_failed_checkpoint_is_highlighted_on_its_diagram(
    page, candidate, exam, exemplar_plan
):
    from assessments.services import attempts as attempt_services

    attempt, _ = attempt_services.attempt_start(candidate=candidate, exam=exam)
    design = json.loads(json.dumps(exemplar_plan))
    for step in design["steps"]:
        if step["kind"] == "approval" and step.get("action") == "payment":
            step["coverage"] = {"mode": "sample", "rate": 0.25}
    attempt_services.attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: design}, actor=candidate
    )
    sign_in(page, candidate)
    page.goto(f"/attempts/{attempt.pk}/results/")
    checkpoint = page.locator('[data-checkpoint="payment-approval"]')
    expect(checkpoint.locator(".badge")).to_have_text("fail")
    highlighted = checkpoint.locator(".wf-highlight")
    expect(highlighted.first).to_be_visible(timeout=10000)
    assert checkpoint.locator('.wf-highlight[data-step-id="pay"]').count() == 1
    expect(page.locator(".outcome-chart canvas").first).to_be_visible()
    assert page.locator(".outcome-chart canvas").count() == 5
    screenshot(page, "results-flawed")


def test_a_second_tab_follows_the_first_and_nothing_is_lost(page, candidate, exam):
    from .editor_driver import wait_saved

    start_exam(page, candidate, exam)
    second = page.context.new_page()
    second.goto(page.url)
    second.get_by_role("toolbar").wait_for()
    page.get_by_role("toolbar").get_by_role("button", name="Add task").click()
    # The second tab shows the first tab's new step without a reload, and says why.
    expect(second.locator('.wf-canvas [data-step-id="task-1"]')).to_be_visible()
    expect(second.get_by_text("changes made in another tab")).to_be_visible()
    wait_saved(page)
    second.get_by_role("toolbar").get_by_role("button", name="Add review").click()
    expect(page.locator('.wf-canvas [data-step-id="review-2"]')).to_be_visible()
    wait_saved(second)
    page.reload()
    page.get_by_role("toolbar").wait_for()
    for step in ("task-1", "review-2"):
        expect(page.locator(f'.wf-canvas [data-step-id="{step}"]')).to_be_visible()


def test_the_exam_room_fits_a_1366_by_768_screen_without_sideways_scrolling(page, candidate, exam):
    start_exam(page, candidate, exam)
    assert page.viewport_size == {"width": 1366, "height": 768}
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the room is {overflow}px wider than the screen"
