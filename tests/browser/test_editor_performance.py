"""How fast the exam room is, measured in the browser and printed (never asserted as a timing:
these machines vary threefold from hour to hour). Run with ``make test-browser``; the figures
appear in the output as ``PERF ...`` lines."""

import pytest

from assessments.services import attempts as attempt_services

from .test_exam_room import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = 60


def sixty_step_design(roles: list[str]) -> dict:
    steps = []
    for i in range(1, STEPS + 1):
        steps.append(
            {
                "id": f"s{i}",
                "kind": "task",
                "task_type": "coding",
                "performer": {"type": "role", "ref": roles[i % len(roles)]},
                "owner": "ap-manager",
                "next": f"s{i + 1}" if i < STEPS else "end",
            }
        )
    return {
        "schema_version": "1",
        "start": "s1",
        "owner_after_go_live": "ap-manager",
        "steps": steps,
    }


def test_exam_room_load_and_sixty_step_editing_are_measured(page, candidate, exam, capsys):
    attempt, _ = attempt_services.attempt_start(candidate=candidate, exam=exam)
    design = sixty_step_design(["ap-clerk", "ap-manager", "finance-controller"])
    attempt_services.attempt_autosave(
        attempt=attempt, scenario_version_id=attempt.scenario_version_ids[0], design=design
    )
    sign_in(page, candidate)
    page.goto(f"/attempts/{attempt.pk}/room/")
    page.locator('.wf-canvas [data-step-id="s60"]').wait_for()
    interactive_ms = page.evaluate("performance.now()")
    assert page.locator(".wf-canvas .react-flow__node-step").count() == STEPS

    # Frames drawn while the canvas is panned for one second with the mouse.
    canvas = page.locator(".wf-canvas .react-flow__pane")
    box = canvas.bounding_box()
    page.evaluate(
        "window.__frames = 0; (function tick(){ window.__frames++; requestAnimationFrame(tick); })()"
    )
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.mouse.down()
    start = page.evaluate("[performance.now(), window.__frames]")
    for i in range(60):
        page.mouse.move(box["x"] + 200 + i * 3, box["y"] + 200 + (i % 10))
    end = page.evaluate("[performance.now(), window.__frames]")
    page.mouse.up()
    fps = (end[1] - start[1]) / ((end[0] - start[0]) / 1000)

    # One edit on a 60-step design: select a step and rename it, until the canvas shows it.
    page.locator(".wf-steps").get_by_role("button", name="s30 (task)").click()
    field = page.locator(".wf-side").get_by_label("Step id", exact=True)
    before = page.evaluate("performance.now()")
    field.fill("renamed")
    field.press("Enter")
    page.locator('.wf-canvas [data-step-id="renamed"]').wait_for()
    edit_ms = page.evaluate("performance.now()") - before
    with capsys.disabled():
        print(
            f"\nPERF exam room with {STEPS} steps: interactive {interactive_ms:.0f} ms after "
            f"navigation; panning {fps:.0f} frames/s; a rename shown in {edit_ms:.0f} ms"
        )
    assert fps > 0 and edit_ms > 0
