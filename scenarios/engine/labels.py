"""What a step does, judged from the scenario's permission model and the step's place in the
graph rather than only from the labels the design gives it.

A pack's optional ``permissions`` section says what each action and each kind of work writes and
touches, and what a performer can write whatever a design declares (its standing credentials)::

    permissions:
      actions: {vendor_bank_update: {writes: [vendor-master], data_classes: [bank-details]}}
      task_types: {bank_verification: {data_classes: [bank-details]}}
      performers: {ap-assistant: {writes: [vendor-master]}}

A step's *effective* labels are the declared ones plus everything implied, so leaving a label out
never helps a design; an approval's effective action is the action it precedes in the graph (the
first action step on each path out of its approved exits), whatever its ``action`` field says.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Labels:
    actions: frozenset  # what an action step does / what an approval guards
    writes: frozenset  # systems written
    data_classes: frozenset


def _permission(pack_data: dict, section: str, key) -> dict:
    return (pack_data.get("permissions") or {}).get(section, {}).get(key) or {}


def implied(pack_data: dict, step: dict) -> tuple[frozenset, frozenset]:
    """(systems written, data classes touched) that the step's action, work and performer imply."""
    writes: set = set()
    data: set = set()
    kind = step.get("kind")
    if kind == "action" and step.get("action"):
        spec = _permission(pack_data, "actions", step["action"])
        writes.update(spec.get("writes", []))
        data.update(spec.get("data_classes", []))
    if kind in ("task", "review") and step.get("task_type"):
        spec = _permission(pack_data, "task_types", step["task_type"])
        if kind == "task":  # a review checks the work; it does not redo the writes
            writes.update(spec.get("writes", []))
        data.update(spec.get("data_classes", []))
    performer = step.get("performer") or {}
    writes.update(_permission(pack_data, "performers", performer.get("ref")).get("writes", []))
    return frozenset(writes), frozenset(data)


def _forward(step: dict, *, escalation: bool = True) -> list[str]:
    """Where a case goes on from ``step`` other than by a rejection (rework)."""
    out = [route["to"] for route in step.get("routes", [])]
    if step.get("next") and step["next"] != "end":
        out.append(step["next"])
    if escalation and step.get("escalation"):
        out.append(step["escalation"]["to"])
    return out


def guarded_actions(steps: list[dict], approval: dict) -> frozenset:
    """The actions an approval precedes: the first action step on every way forward from its
    approved exits (routes, next; later steps' escalations too). Rejections lead to rework,
    not to what the approval lets through."""
    by_id = {s["id"]: s for s in steps}
    found: set = set()
    seen: set = set()
    todo = _forward(approval, escalation=False)
    while todo:
        step_id = todo.pop()
        if step_id in seen or step_id not in by_id:
            continue
        seen.add(step_id)
        step = by_id[step_id]
        if step.get("kind") == "action":
            if step.get("action"):
                found.add(step["action"])
            continue
        todo.extend(_forward(step))
    return frozenset(found)


def effective_labels(pack_data: dict, steps: list[dict]) -> list[Labels]:
    """Per step (in order), the labels checkpoints judge it by."""
    out = []
    for step in steps:
        writes, data = implied(pack_data, step)
        declared = {s["ref"] for s in step.get("systems", []) if s.get("access") != "read"}
        if step.get("kind") == "approval":
            actions = guarded_actions(steps, step)
        elif step.get("kind") == "action" and step.get("action"):
            actions = frozenset([step["action"]])
        else:
            actions = frozenset()
        out.append(
            Labels(
                actions=actions,
                writes=writes | declared,
                data_classes=data | frozenset(step.get("data_classes", [])),
            )
        )
    return out


def label_problems(pack_data: dict, steps: list[dict], add) -> None:
    """Labels the permission model requires, and labels that contradict the graph."""
    for i, step in enumerate(steps):
        base = f"$.steps[{i}]"
        if step.get("kind") == "approval" and "action" in step:
            guarded = guarded_actions(steps, step)
            if step["action"] not in guarded:
                actual = ", ".join(sorted(guarded)) or "no action"
                add(
                    f"{base}.action",
                    f"This approval is labelled {step['action']!r} but the action it precedes is "
                    f"{actual}; label it with what it lets through, or move it.",
                    "action_mismatch",
                )
        writes, data = implied(pack_data, {**step, "performer": {}})
        declared = {s["ref"] for s in step.get("systems", []) if s.get("access") != "read"}
        for system in sorted(writes - declared):
            add(
                f"{base}.systems",
                f"This step writes {system!r} (what its action or work does in this scenario); "
                f"declare it: {{ref: {system}, access: write}}.",
                "undeclared_write",
            )
        for data_class in sorted(data - set(step.get("data_classes", []))):
            add(
                f"{base}.data_classes",
                f"This step handles {data_class!r} (what its action or work touches in this "
                "scenario); list it in data_classes.",
                "undeclared_data_class",
            )
