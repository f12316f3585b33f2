"""Every page a consultant or an employer meets passes axe-core with no serious or critical
violation, and the editor can be worked from the keyboard alone."""

import pytest
from playwright.sync_api import expect

from assessments.services import attempts as attempt_services

from .conftest import screenshot, serious_accessibility_violations
from .test_exam_room import sign_in
from .test_public_pages import issued  # noqa: F401  (an issued credential for the pages)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def graded_attempt(candidate, exam):
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR

    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    attempt, _ = attempt_services.attempt_start(candidate=candidate, exam=exam)
    design = design_of(
        pack.resolve(draw_variant(pack, attempt.seed)), "agent-extraction-with-callback"
    )
    attempt_services.attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: design}, actor=candidate
    )
    return attempt


def test_public_pages_have_no_serious_accessibility_violations(page, issued):  # noqa: F811
    for path in ("/", "/verify/", "/signin/", f"/credentials/{issued.pk}"):
        page.goto(path)
        assert serious_accessibility_violations(page) == [], path


def test_candidate_pages_have_no_serious_accessibility_violations(
    page, candidate, exam, graded_attempt
):
    sign_in(page, candidate)
    for path in ("/home/", f"/exams/{exam.slug}/", f"/attempts/{graded_attempt.pk}/results/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert serious_accessibility_violations(page) == [], path


def test_the_exam_room_has_no_serious_accessibility_violations(page, candidate, exam):
    sign_in(page, candidate)
    page.goto(f"/exams/{exam.slug}/")
    page.get_by_role("button", name="Start the exam now").click()
    page.wait_for_url("**/room/")
    page.get_by_role("toolbar").get_by_role("button", name="Add task").click()
    assert serious_accessibility_violations(page) == []


def test_the_editor_works_from_the_keyboard_alone(page, candidate, exam):
    sign_in(page, candidate)
    page.goto(f"/exams/{exam.slug}/")
    page.get_by_role("button", name="Start the exam now").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/room/")
    toolbar = page.get_by_role("toolbar")
    toolbar.wait_for()
    # Add two steps with the keyboard: focus the toolbar button and press Enter / Space.
    toolbar.get_by_role("button", name="Add task").focus()
    page.keyboard.press("Enter")
    step_id = page.locator(".wf-side").get_by_label("Step id", exact=True)
    expect(step_id).to_have_value("task-1")
    step_id.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("receive")
    page.keyboard.press("Enter")
    expect(page.locator(".wf-side").get_by_role("heading", name="Step receive")).to_be_visible()
    toolbar.get_by_role("button", name="Add action").focus()
    page.keyboard.press(" ")
    expect(page.locator(".wf-side").get_by_role("heading", name="Step action-2")).to_be_visible()
    # Back to the first step from the step list, and connect it to the second with its
    # "Next" field: arrow keys choose the option.
    page.locator(".wf-steps").get_by_role("button", name="receive (task)").focus()
    page.keyboard.press("Enter")
    next_field = page.locator(".wf-side").get_by_label("Next (when no route matches)")
    next_field.focus()
    page.keyboard.press("ArrowDown")
    expect(next_field).to_have_value("action-2")
    edges = page.locator(".wf-canvas .react-flow__edge")
    expect(edges).to_have_count(1)
    screenshot(page, "editor-keyboard")
