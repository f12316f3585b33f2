"""Semantic rules of a design that go beyond references: conditions typed by the attribute's
declared domain, reserved ids, and a rollout that progresses. Each rule reports through
``add(path, message, code)`` and never raises."""

from .domains import BOOLEAN, ENUM, NUMBER

RESERVED_IDS = frozenset({"end"})
ROLLOUT_ORDER = {"shadow": 0, "pilot": 1, "partial": 2, "full": 3}
_ORDERING = ("<", "<=", ">", ">=")
_KIND_WORDS = {
    BOOLEAN: "true or false",
    NUMBER: "a number",
}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_condition(path: str, cond: dict, pack, add) -> None:
    """A condition names a known attribute and compares it with values of its declared
    domain: numbers with numbers, booleans with true/false, enumerations with their values."""
    attr, op, value = cond["attr"], cond["op"], cond["value"]
    kind = pack.attribute_kinds.get(attr)
    if kind is None or (attr not in pack.case_attributes and attr != "confidence"):
        add(
            f"{path}.attr",
            f"Unknown case attribute {attr!r}; use confidence or one of "
            f"{', '.join(sorted(pack.case_attributes))}.",
            "unknown_attribute",
        )
        return
    if op == "in" and not isinstance(value, list):
        add(f"{path}.value", "The 'in' operator needs a list of values.", "type")
        return
    if op != "in" and isinstance(value, list):
        add(f"{path}.value", f"{op} compares with one value; use 'in' for a list.", "type")
        return
    if op in _ORDERING:
        if kind != NUMBER:
            add(f"{path}.op", f"{attr} is {_describe(pack, attr)}; {op} compares numbers.", "type")
        elif not _is_number(value):
            add(f"{path}.value", f"{op} compares numbers; give a number.", "type")
        return
    for j, item in enumerate(value if isinstance(value, list) else [value]):
        where = f"{path}.value[{j}]" if isinstance(value, list) else f"{path}.value"
        _check_value(where, attr, kind, item, pack, add)


def _describe(pack, attr: str) -> str:
    kind = pack.attribute_kinds[attr]
    if kind == ENUM:
        return f"one of {', '.join(map(str, pack.enum_values[attr]))}"
    return _KIND_WORDS[kind]


def _check_value(where: str, attr: str, kind: str, item, pack, add) -> None:
    if kind == NUMBER and not _is_number(item):
        add(where, f"{attr} is a number; compare it with a number, not {_short(item)}.", "type")
    elif kind == BOOLEAN and not isinstance(item, bool):
        add(where, f"{attr} is true or false, not {_short(item)}.", "type")
    elif kind == ENUM and item not in pack.enum_values[attr]:
        if isinstance(item, str):
            message = f"{_short(item)} is not a value of {attr}; use {_describe(pack, attr)}."
            add(where, message, "unknown_value")
        else:
            message = f"{attr} is text ({_describe(pack, attr)}), not {_short(item)}."
            add(where, message, "type")


def reserved_id_problems(steps: list, add) -> None:
    for i, step in enumerate(steps):
        if step["id"] in RESERVED_IDS:
            add(
                f"$.steps[{i}].id",
                f"{step['id']!r} is reserved (next: 'end' completes a case); choose another id.",
                "reserved_id",
            )


def rollout_order_problems(rollout: dict) -> list[tuple[str, str]]:
    """(JSON path, message) for each phase that goes back: modes go shadow, pilot, partial,
    full (a mode may repeat) and the share of cases never falls."""
    problems = []
    mode_before = share_before = None
    for j, phase in enumerate(rollout.get("phases", [])):
        mode, share = phase.get("mode"), phase.get("share")
        if mode in ROLLOUT_ORDER:
            if mode_before is not None and ROLLOUT_ORDER[mode] < ROLLOUT_ORDER[mode_before]:
                problems.append(
                    (
                        f"$.rollout.phases[{j}].mode",
                        f"A {mode} phase cannot follow a {mode_before} phase: phases go "
                        "shadow, pilot, partial, full.",
                    )
                )
            else:
                mode_before = mode
        if _is_number(share):
            if share_before is not None and share < share_before:
                problems.append(
                    (
                        f"$.rollout.phases[{j}].share",
                        f"The share falls from {share_before:g} to {share:g}; each phase "
                        "covers at least the share of the one before.",
                    )
                )
            else:
                share_before = share
    return problems
