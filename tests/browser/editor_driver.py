"""Drives the workflow editor the way a candidate does: toolbar buttons, the step list, the
properties panel's labelled fields and the keyboard. ``build`` takes a design (the plan) and
enters it field by field; nothing is imported as JSON."""

import re

from playwright.sync_api import Page, expect


def panel(page: Page):
    return page.locator(".wf-side")


def select_step(page: Page, step_id: str) -> None:
    page.locator(".wf-steps").get_by_role(
        "button", name=re.compile(rf"^{re.escape(step_id)} ")
    ).click()
    expect(panel(page).get_by_role("heading", name=f"Step {step_id}")).to_be_visible()


def choose(page: Page, label: str, value: str) -> None:
    panel(page).get_by_label(label, exact=True).select_option(value)


def type_into(page: Page, label: str, text: str) -> None:
    field = panel(page).get_by_label(label, exact=True)
    field.fill(str(text))
    field.press("Enter")


def set_conditions(page: Page, legend: str, conditions: list[dict]) -> None:
    for i, condition in enumerate(conditions, start=1):
        if i > 1:
            panel(page).locator("fieldset", has_text=legend).get_by_role(
                "button", name="Add condition"
            ).last.click()
        prefix = f"{legend}: condition {i}"
        choose(page, f"{prefix} attribute", condition["attr"])
        choose(page, f"{prefix} operator", condition["op"])
        value = condition["value"]
        text = (
            ", ".join(map(str, value))
            if isinstance(value, list)
            else str(value).lower()
            if isinstance(value, bool)
            else str(value)
        )
        type_into(page, f"{prefix} value", text)


def add_step(page: Page, step: dict) -> None:
    page.get_by_role("toolbar").get_by_role("button", name=f"Add {step['kind']}").click()
    type_into(page, "Step id", step["id"])
    expect(panel(page).get_by_role("heading", name=f"Step {step['id']}")).to_be_visible()
    choose(page, "Performer type", step["performer"]["type"])
    choose(page, "Performer", step["performer"]["ref"])
    choose(page, "Owner (accountable role)", step["owner"])
    if step.get("task_type"):
        label = "Work checked (task type)" if step["kind"] == "review" else "Task type"
        choose(page, label, step["task_type"])
    if step.get("action"):
        choose(page, "Action approved" if step["kind"] == "approval" else "Action", step["action"])
    for i, system in enumerate(step.get("systems", []), start=1):
        panel(page).get_by_role("button", name="Add system").click()
        choose(page, f"System {i}", system["ref"])
        choose(page, f"System {i} access", system["access"])
    for data_class in step.get("data_classes", []):
        panel(page).get_by_label(data_class, exact=True).check()
    coverage = step.get("coverage")
    if coverage:
        choose(page, "Coverage mode", coverage["mode"])
        if coverage["mode"] == "sample":
            type_into(page, "Sample rate (0\u20131)", coverage["rate"])
        if coverage["mode"] == "rule":
            set_conditions(page, "Check cases when", coverage["when"])
    if step.get("metrics"):
        type_into(page, "Metrics measured here (comma-separated)", ", ".join(step["metrics"]))


def connect_step(page: Page, step: dict) -> None:
    select_step(page, step["id"])
    for i, route in enumerate(step.get("routes", []), start=1):
        panel(page).get_by_role("button", name="Add route").click()
        set_conditions(page, f"Route {i} when", route["when"])
        choose(page, f"Route {i} goes to", route["to"])
    choose(page, "Next (when no route matches)", step.get("next", "end"))
    if step.get("on_reject"):
        choose(page, "On reject, go to", step["on_reject"])
    escalation = step.get("escalation")
    if escalation:
        panel(page).get_by_role("button", name="Add escalation").click()
        choose(page, "Escalate to step", escalation["to"])
        choose(page, "Escalation owner", escalation["owner"])
        type_into(page, "Timeout (minutes)", escalation["timeout_minutes"])


def fill_design_panel(page: Page, design: dict) -> None:
    panel(page).get_by_role("tab", name="Design").click()
    choose(page, "Start step", design["start"])
    choose(page, "Owner after go-live", design["owner_after_go_live"])
    for i, metric in enumerate(design.get("metrics", []), start=1):
        panel(page).get_by_role("button", name="Add metric").click()
        type_into(page, f"Metric {i} name", metric["name"])
        choose(page, f"Metric {i} owner", metric["owner"])
        for key in ("target", "alert"):
            if metric.get(key):
                type_into(page, f"Metric {i} {key}", metric[key])
    rollout = design.get("rollout") or {}
    for i, phase in enumerate(rollout.get("phases", []), start=1):
        panel(page).get_by_role("button", name="Add phase").click()
        type_into(page, f"Phase {i} name", phase["name"])
        if phase.get("mode"):
            choose(page, f"Phase {i} mode", phase["mode"])
        if "share" in phase:
            type_into(page, f"Phase {i} share (0\u20131)", phase["share"])
        if phase.get("exit_criteria"):
            type_into(page, f"Phase {i} exit criteria", phase["exit_criteria"])
    if rollout.get("rollback"):
        panel(page).get_by_label("Rollback plan").fill(rollout["rollback"])
    for topic, text in (design.get("rationale") or {}).items():
        panel(page).get_by_label(f"Rationale: {topic.replace('_', ' ')}").fill(text)


def build(page: Page, design: dict) -> None:
    for step in design["steps"]:
        add_step(page, step)
    for step in design["steps"]:
        connect_step(page, step)
    fill_design_panel(page, design)


def wait_saved(page: Page) -> None:
    expect(page.locator("[data-save-state]")).to_have_attribute(
        "data-save-state", "saved", timeout=15000
    )
