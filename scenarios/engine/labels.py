"""What a step does, judged from the scenario's permission model and the step's place in the
graph rather than only from the labels the design gives it.

A pack's optional ``permissions`` section says what each action and each kind of work writes and
touches, and what a performer can write whatever a design declares (its standing credentials)::

    permissions:
      actions: {vendor_bank_update: {writes: [vendor-master], data_classes: [bank-details]}}
      task_types:
        bank_verification: {data_classes: [bank-details]}
        pii_redaction: {removes: [customer-pii]}     # work that takes data out of a case
      performers: {ap-assistant: {writes: [vendor-master]}}
      case_data: [customer-pii]                      # what every case carries from the start

A step's *effective* labels are the declared ones plus everything implied (including the data
its cases can still carry when they reach it), so leaving a label out never helps a design; an approval's effective action is the action it precedes in the graph (the
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


def carried_data(pack_data: dict, steps: list[dict], start: str) -> list[frozenset]:
    """Per step, the data classes a case can carry when it arrives there: the permission
    model's ``case_data`` from the start, less what work on the way ``removes`` (a redaction)
    on every path. A step handles what its cases carry, whatever it declares."""
    initial = frozenset((pack_data.get("permissions") or {}).get("case_data", []))
    arriving: list[set] = [set() for _ in steps]
    index = {s["id"]: i for i, s in enumerate(steps)}
    if not initial or start not in index:
        return [frozenset()] * len(steps)
    arriving[index[start]] |= initial
    changed = True
    while changed:  # forward closure over the graph; sets only grow, so it ends
        changed = False
        for i, step in enumerate(steps):
            removed = set()
            if step.get("kind") == "task" and step.get("task_type"):
                removed = set(
                    _permission(pack_data, "task_types", step["task_type"]).get("removes", [])
                )
            done = arriving[i] - removed
            # A rejected or escalated case leaves without the step's work being done.
            exits = [(to, done) for to in _forward(step, escalation=False)]
            for to in (step.get("on_reject"), (step.get("escalation") or {}).get("to")):
                exits.append((to, arriving[i]))
            for to, carried in exits:
                j = index.get(to)
                if j is not None and not carried <= arriving[j]:
                    arriving[j] |= carried
                    changed = True
    return [frozenset(a) for a in arriving]


def effective_labels(pack_data: dict, steps: list[dict], start: str = "") -> list[Labels]:
    """Per step (in order), the labels checkpoints judge it by."""
    out = []
    carried = carried_data(pack_data, steps, start)
    for i, step in enumerate(steps):
        writes, data = implied(pack_data, step)
        data |= carried[i]
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
