"""The workflow design format: JSON Schema (structure) plus semantic checks against a pack
(references, reachability, cycles that can never finish). Never raises on hostile input."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .errors import DesignError, json_path

DESIGN_SCHEMA_VERSION = "1"
MAX_DESIGN_BYTES = 256 * 1024
MAX_DEPTH = 12
_SCHEMA_PATH = Path(__file__).parent / "schemas" / "design-v1.json"


@cache
def design_json_schema() -> dict:
    return json.loads(_SCHEMA_PATH.read_text())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(design_json_schema())


def parse_design_bytes(raw: bytes | str, *, max_bytes: int = MAX_DESIGN_BYTES):
    """Parse an uploaded design. Returns (design, errors); design is None when unusable."""
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > max_bytes:
        return None, [
            DesignError("$", f"The design is {size} bytes; the limit is {max_bytes}.", "too_large")
        ]
    try:
        return json.loads(raw), []
    except (ValueError, RecursionError) as exc:
        return None, [DesignError("$", f"The design is not valid JSON: {exc}", "invalid_json")]


def _depth_ok(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def validate_design(
    design: object, pack, *, max_bytes: int = MAX_DESIGN_BYTES
) -> list[DesignError]:
    """Every problem with ``design`` for ``pack``, each with a JSON path and what to fix.

    An empty list means the design can be simulated and graded.
    """
    if not isinstance(design, dict):
        return [DesignError("$", "A design must be a JSON object.", "type")]
    if not _depth_ok(design, MAX_DEPTH):
        return [DesignError("$", f"The design nests deeper than {MAX_DEPTH} levels.", "too_deep")]
    try:
        size = len(json.dumps(design))
    except (TypeError, ValueError, RecursionError):
        return [DesignError("$", "The design contains values that are not JSON.", "type")]
    if size > max_bytes:
        return [
            DesignError("$", f"The design is {size} bytes; the limit is {max_bytes}.", "too_large")
        ]

    errors = [
        DesignError(json_path(err.absolute_path), _schema_message(err), "schema")
        for err in sorted(
            _validator().iter_errors(design), key=lambda e: list(map(str, e.absolute_path))
        )
    ]
    if errors:
        return errors[:100]
    return _semantic_errors(design, pack)


def _schema_message(err) -> str:
    if err.validator == "additionalProperties":
        return f"{err.message}. Remove the unknown field or check its spelling."
    if err.validator == "required":
        return f"{err.message}."
    if err.validator == "enum":
        return f"{err.instance!r} is not allowed here; use one of {err.validator_value}."
    return err.message if len(err.message) < 300 else err.message[:297] + "..."


def _semantic_errors(design: dict, pack) -> list[DesignError]:
    errors: list[DesignError] = []
    add = lambda path, msg, code: errors.append(DesignError(path, msg, code))
    steps = design["steps"]
    ids: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step["id"] in ids:
            add(
                f"$.steps[{i}].id",
                f"Step id {step['id']!r} is used twice; ids must be unique.",
                "duplicate",
            )
        ids.setdefault(step["id"], i)
    if design["start"] not in ids:
        add(
            "$.start",
            f"The start step {design['start']!r} is not one of the steps.",
            "unknown_step",
        )

    roles, agents, systems = pack.role_ids, pack.agent_ids, pack.system_ids
    known_by_type = {"role": roles, "agent": agents, "system": systems}

    def role_ref(path: str, ref: str, what: str) -> None:
        if ref not in roles:
            add(
                path,
                f"{what} {ref!r} is not a role in this scenario (roles: {', '.join(sorted(roles))}).",
                "unknown_role",
            )

    def step_ref(path: str, ref: str) -> None:
        if ref not in ids:
            add(path, f"{ref!r} is not a step in this design.", "unknown_step")

    for i, step in enumerate(steps):
        base = f"$.steps[{i}]"
        performer = step["performer"]
        if performer["ref"] not in known_by_type[performer["type"]]:
            choices = ", ".join(sorted(known_by_type[performer["type"]]))
            add(
                f"{base}.performer.ref",
                f"{performer['ref']!r} is not a {performer['type']} in this scenario ({choices}).",
                f"unknown_{performer['type']}",
            )
        role_ref(f"{base}.owner", step["owner"], "Owner")
        kind = step["kind"]
        if kind in ("task", "review") and "task_type" not in step:
            add(
                base,
                f"A {kind} step needs task_type (one of {', '.join(sorted(pack.task_types))}).",
                "missing_task_type",
            )
        if "task_type" in step and step["task_type"] not in pack.task_types:
            add(
                f"{base}.task_type",
                f"Unknown task type {step['task_type']!r}; use one of {', '.join(sorted(pack.task_types))}.",
                "unknown_task_type",
            )
        if kind == "action" and "action" not in step:
            add(base, "An action step needs action (what it does, e.g. payment).", "missing_action")
        if "action" in step and step["action"] not in pack.action_kinds:
            add(
                f"{base}.action",
                f"Unknown action {step['action']!r}; use one of {', '.join(sorted(pack.action_kinds))}.",
                "unknown_action",
            )
        if kind in ("review", "approval") and "coverage" not in step:
            add(
                base,
                f"A {kind} step needs coverage (all, sample with rate, or rule with when).",
                "missing_coverage",
            )
        coverage = step.get("coverage")
        if coverage:
            if coverage["mode"] == "sample" and "rate" not in coverage:
                add(f"{base}.coverage", "Sampling needs a rate between 0 and 1.", "missing_rate")
            if coverage["mode"] == "rule" and "when" not in coverage:
                add(
                    f"{base}.coverage",
                    "A rule-based check needs when (the conditions that select cases).",
                    "missing_when",
                )
            for j, cond in enumerate(coverage.get("when", [])):
                _check_condition(f"{base}.coverage.when[{j}]", cond, pack, add)
        for j, sys_ref in enumerate(step.get("systems", [])):
            if sys_ref["ref"] not in systems:
                add(
                    f"{base}.systems[{j}].ref",
                    f"{sys_ref['ref']!r} is not a system in this scenario ({', '.join(sorted(systems))}).",
                    "unknown_system",
                )
        for j, dc in enumerate(step.get("data_classes", [])):
            if dc not in pack.data_classes:
                add(
                    f"{base}.data_classes[{j}]",
                    f"Unknown data class {dc!r}; use one of {', '.join(sorted(pack.data_classes))}.",
                    "unknown_data_class",
                )
        for j, route in enumerate(step.get("routes", [])):
            step_ref(f"{base}.routes[{j}].to", route["to"])
            for k, cond in enumerate(route["when"]):
                _check_condition(f"{base}.routes[{j}].when[{k}]", cond, pack, add)
        if "next" not in step:
            add(
                base,
                "Say where cases go after this step: next (a step id, or 'end').",
                "missing_next",
            )
        elif step["next"] != "end":
            step_ref(f"{base}.next", step["next"])
        if "on_reject" in step:
            if kind not in ("review", "approval"):
                add(
                    f"{base}.on_reject", "Only review and approval steps reject cases.", "misplaced"
                )
            step_ref(f"{base}.on_reject", step["on_reject"])
        if "escalation" in step:
            step_ref(f"{base}.escalation.to", step["escalation"]["to"])
            role_ref(f"{base}.escalation.owner", step["escalation"]["owner"], "Escalation owner")
    for i, metric in enumerate(design.get("metrics", [])):
        role_ref(f"$.metrics[{i}].owner", metric["owner"], "Metric owner")
    role_ref("$.owner_after_go_live", design["owner_after_go_live"], "Owner after go-live")
    if not errors:
        errors.extend(_cycle_errors(steps))
    return errors[:100]


def _check_condition(path: str, cond: dict, pack, add) -> None:
    attr = cond["attr"]
    if attr != "confidence" and attr not in pack.case_attributes:
        add(
            f"{path}.attr",
            f"Unknown case attribute {attr!r}; use confidence or one of {', '.join(sorted(pack.case_attributes))}.",
            "unknown_attribute",
        )
    if cond["op"] == "in" and not isinstance(cond["value"], list):
        add(f"{path}.value", "The 'in' operator needs a list of values.", "type")
    if cond["op"] in ("<", "<=", ">", ">=") and not isinstance(cond["value"], (int, float)):
        add(f"{path}.value", f"{cond['op']} compares numbers; give a number.", "type")


def successors(step: dict) -> list[str]:
    out = [route["to"] for route in step.get("routes", [])]
    if step.get("next") and step["next"] != "end":
        out.append(step["next"])
    if step.get("on_reject"):
        out.append(step["on_reject"])
    if step.get("escalation"):
        out.append(step["escalation"]["to"])
    return out


def _cycle_errors(steps: list[dict]) -> list[DesignError]:
    """A set of steps that cases can enter but never leave (no route to 'end') is an error."""
    by_id = {s["id"]: s for s in steps}
    can_finish = {s["id"] for s in steps if s.get("next") == "end"}
    changed = True
    while changed:  # backwards closure: a step can finish if some successor can
        changed = False
        for s in steps:
            if s["id"] not in can_finish and any(n in can_finish for n in successors(s)):
                can_finish.add(s["id"])
                changed = True
    errors = []
    for i, s in enumerate(steps):
        if s["id"] not in can_finish and s["id"] in by_id:
            errors.append(
                DesignError(
                    f"$.steps[{i}]",
                    f"Cases that reach {s['id']!r} can never finish: every way out loops back. "
                    "Give the loop an exit (a route or next leading to 'end').",
                    "never_terminates",
                )
            )
    return errors
