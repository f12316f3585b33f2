"""The workflow design format: JSON Schema (structure) plus semantic checks against a pack
(references, reachability, cycles that can never finish). Never raises on hostile input."""

import json
import math
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .design_checks import check_condition, reserved_id_problems, rollout_order_problems
from .errors import DesignError, json_path
from .labels import label_problems
from .wording import with_article

DESIGN_SCHEMA_VERSION = "1"
MAX_DESIGN_BYTES = 256 * 1024
MAX_DEPTH = 12
MAX_NODES = 50_000
MAX_ERRORS = 100
MAX_NUMBER = 10**15  # no threshold, amount or timeout is larger; keeps arithmetic exact
_SCHEMA_PATH = Path(__file__).parent / "schemas" / "design-v1.json"


@cache
def design_json_schema() -> dict:
    return json.loads(_SCHEMA_PATH.read_text())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(design_json_schema())


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_design_bytes(raw: bytes | str, *, max_bytes: int = MAX_DESIGN_BYTES):
    """Parse an uploaded design, checking its size before parsing anything.

    Returns (design, errors); design is None when unusable. Never raises."""
    if not isinstance(raw, (bytes, bytearray, str)):
        return None, [DesignError("$", "Send the design as a JSON document.", "invalid_json")]
    size = len(raw) if not isinstance(raw, str) else len(raw.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return None, [
            DesignError("$", f"The design is {size} bytes; the limit is {max_bytes}.", "too_large")
        ]
    try:
        design = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        message = str(exc)[:200]
        return None, [DesignError("$", f"The design is not valid JSON: {message}", "invalid_json")]
    if design is None:  # JSON null: None would read as "unusable" with no error to say why
        return None, [DesignError("$", "A design must be a JSON object, not null.", "type")]
    return design, []


def design_size(design) -> int:
    """The bytes of the design as compact UTF-8 JSON: never more than any JSON text that
    parses to it, so a design sent within the limit is never refused after parsing."""
    text = json.dumps(design, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8", "surrogatepass"))


def _shape_problem(value) -> DesignError | None:
    """The first structural problem that makes a value unsafe to look at further: nesting too
    deep, too many values, keys that are not strings, numbers that are not finite. Iterative,
    and it stops early, so hostile input costs little."""
    stack = [(value, 1, "$")]
    nodes = 0
    while stack:
        item, depth, path = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return DesignError("$", f"The design has more than {MAX_NODES:,} values.", "too_large")
        if depth > MAX_DEPTH:
            return DesignError(
                path, f"The design nests deeper than {MAX_DEPTH} levels.", "too_deep"
            )
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    return DesignError(path, f"Key {key!r} is not a string.", "type")
                stack.append((child, depth + 1, f"{path}.{key}"))
        elif isinstance(item, (list, tuple)):
            stack.extend((child, depth + 1, f"{path}[{i}]") for i, child in enumerate(item))
        elif isinstance(item, float) and not math.isfinite(item):
            return DesignError(path, "Numbers must be finite (no NaN or Infinity).", "type")
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            if abs(item) > MAX_NUMBER:
                return DesignError(
                    path, "Numbers must lie between -10^15 and 10^15.", "out_of_range"
                )
        elif item is not None and not isinstance(item, (str, int, float, bool)):
            return DesignError(path, f"{type(item).__name__} is not a JSON value.", "type")
    return None


def validate_design(
    design: object, pack, *, max_bytes: int = MAX_DESIGN_BYTES
) -> list[DesignError]:
    """Every problem with ``design`` for ``pack``, each with a JSON path, a plain message that
    says what to fix, and a stable code. An empty list means the design can be simulated and
    graded. Never raises, whatever ``design`` is.
    """
    if not isinstance(design, dict):
        return [DesignError("$", "A design must be a JSON object.", "type")]
    problem = _shape_problem(design)
    if problem is not None:
        return [problem]
    try:
        size = design_size(design)
    except (TypeError, ValueError, RecursionError):
        return [DesignError("$", "The design contains values that are not JSON.", "type")]
    if size > max_bytes:
        return [
            DesignError("$", f"The design is {size} bytes; the limit is {max_bytes}.", "too_large")
        ]

    errors = [
        DesignError(json_path(err.absolute_path), _schema_message(err), _schema_code(err))
        for err in sorted(
            _validator().iter_errors(design), key=lambda e: list(map(str, e.absolute_path))
        )
    ]
    if errors:
        return errors[:MAX_ERRORS]
    return _semantic_errors(design, pack)


_SCHEMA_CODES = {
    "required": "missing_field",
    "additionalProperties": "unknown_field",
    "type": "wrong_type",
    "anyOf": "wrong_type",
    "enum": "not_allowed",
    "const": "not_allowed",
    "pattern": "invalid_id",
    "maxLength": "too_long",
    "maxItems": "too_long",
    "maxProperties": "too_long",
    "minItems": "too_short",
    "minLength": "too_short",
    "minimum": "out_of_range",
    "maximum": "out_of_range",
    "exclusiveMinimum": "out_of_range",
    "exclusiveMaximum": "out_of_range",
}


def _schema_code(err) -> str:
    return _SCHEMA_CODES.get(err.validator, "schema")


_TYPE_WORDS = {
    "object": "an object ({...})",
    "array": "a list ([...])",
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
}


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _schema_message(err) -> str:
    """A plain message that says what to fix (jsonschema's own messages name schema keywords
    and repeat the whole offending value)."""
    v, expected = err.validator, err.validator_value
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        names = ", ".join(_short(k, 40) for k in extra[:5])
        message = f"Unknown field(s) {names}. Remove them or check the spelling"
        allowed = sorted(err.schema.get("properties", {}))
        message += f" (allowed: {', '.join(allowed)})." if allowed else "."
    elif v == "required":
        field = err.message.split(" is a required property")[0]  # one error per missing field
        message = f"Add the required field {field}."
    elif v == "enum":
        message = f"{_short(err.instance)} is not allowed here; use one of {', '.join(map(str, expected))}."
    elif v == "const":
        message = f"Must be {expected!r}."
    elif v == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
        message = f"Expected {words}, got {_short(err.instance, 40)}."
    elif v == "pattern":
        if "a-z0-9" in expected:
            message = (
                f"{_short(err.instance)} is not a valid identifier: use 1-64 lowercase letters, "
                "digits, '-' or '_', starting with a letter or digit"
                + (" (or 'end')." if "end" in expected else ".")
            )
        else:
            message = f"{_short(err.instance)} does not have the expected form."
    elif v in ("maxLength", "maxItems", "maxProperties"):
        unit = {"maxLength": "characters", "maxItems": "items", "maxProperties": "fields"}[v]
        message = f"Too long: at most {expected} {unit} allowed here."
    elif v in ("minItems", "minLength"):
        message = f"Too short: at least {expected} item(s) needed here."
    elif v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[v]
        message = f"{_short(err.instance, 30)} is out of range: must be {words} {expected}."
    elif v == "anyOf":
        message = (
            f"{_short(err.instance, 40)} is not a number, string, true/false or a list of them."
        )
    else:
        message = err.message
    return message if len(message) < 300 else message[:297] + "..."


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
    reserved_id_problems(steps, add)
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
                f"{performer['ref']!r} is not {with_article(performer['type'])} in this scenario "
                f"({choices}).",
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
        if kind in ("action", "approval") and "action" not in step:
            what = "what it does" if kind == "action" else "the action it approves"
            add(base, f"An {kind} step needs action ({what}, e.g. payment).", "missing_action")
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
                check_condition(f"{base}.coverage.when[{j}]", cond, pack, add)
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
                check_condition(f"{base}.routes[{j}].when[{k}]", cond, pack, add)
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
    if not errors:  # labels are judged against a graph whose references hold
        label_problems(pack.data, steps, add)
    for path, message in rollout_order_problems(design.get("rollout", {})):
        add(path, message, "rollout_order")
    if not errors:
        errors.extend(_cycle_errors(steps))
    return errors[:MAX_ERRORS]


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
