"""Symbolic exploration of a design's routes, for structural checkpoints.

A *region* is a set of cases described by constraints on their attributes (numeric intervals,
allowed or excluded values). Walking the graph from the start, each route narrows the region; the
default route gets what the earlier routes did not take. A checkpoint such as "every case over the
threshold passes a human approval before payment" then asks: is there a path, feasible for some
case in the region, that reaches a payment step without passing an approval? If so, that path and
the region are the counterexample.
"""

import json
from dataclasses import dataclass

MAX_STATES = 20000
_COMPLEMENT = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


@dataclass(frozen=True)
class Num:
    lo: float = float("-inf")
    lo_inc: bool = False
    hi: float = float("inf")
    hi_inc: bool = False

    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_inc and self.hi_inc))


@dataclass(frozen=True)
class Values:
    allowed: frozenset | None = None  # None = anything not excluded
    excluded: frozenset = frozenset()

    def empty(self) -> bool:
        return self.allowed is not None and not (self.allowed - self.excluded)


@dataclass(frozen=True)
class Absent:
    """The attribute has no value yet (``confidence`` before any agent reported one): every
    condition on it is false, so only routes that do not test it can be taken."""

    def empty(self) -> bool:
        return False


ABSENT = Absent()
FLAGS = Values(frozenset((True, False)))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def narrow(region: dict, cond: tuple) -> dict | None:
    """``region`` ∩ the cases satisfying ``cond``; None when no case can."""
    attr, op, value = cond
    current = region.get(attr)
    if isinstance(current, Absent):
        return None
    if op in ("<", "<=", ">", ">="):
        if not _is_number(value) or isinstance(current, Values):
            return region  # refused by validation; over-approximate
        num = current if isinstance(current, Num) else Num()
        if op in ("<", "<="):
            inc = op == "<="
            if value < num.hi or (value == num.hi and num.hi_inc and not inc):
                num = Num(num.lo, num.lo_inc, value, inc)
        else:
            inc = op == ">="
            if value > num.lo or (value == num.lo and num.lo_inc and not inc):
                num = Num(value, inc, num.hi, num.hi_inc)
        new = num
    elif op in ("==", "in"):
        wanted = frozenset(value) if op == "in" else frozenset([value])
        if isinstance(current, Num):
            inside = sorted(v for v in wanted if _is_number(v) and _in_num(current, v))
            if not inside:
                return None
            new = Num(inside[0], True, inside[-1], True)
        else:
            vals = current if isinstance(current, Values) else Values()
            allowed = wanted if vals.allowed is None else vals.allowed & wanted
            new = Values(allowed - vals.excluded)
    elif op == "!=":
        if isinstance(current, Num):
            point = current.lo == current.hi == value and current.lo_inc and current.hi_inc
            return None if point else region
        vals = current if isinstance(current, Values) else Values()
        if vals.allowed is not None:
            new = Values(vals.allowed - {value})
        else:
            new = Values(None, vals.excluded | {value})
    else:
        return region
    if new.empty():
        return None
    return {**region, attr: new}


def _in_num(num: Num, v: float) -> bool:
    above = v > num.lo or (v == num.lo and num.lo_inc)
    below = v < num.hi or (v == num.hi and num.hi_inc)
    return above and below


def narrow_all(region: dict, conds) -> dict | None:
    for cond in conds:
        region = narrow(region, cond)
        if region is None:
            return None
    return region


def subtract(region: dict, conds) -> list[dict]:
    """Cases in ``region`` that do NOT satisfy all of ``conds``, as a union of regions:
    not (A and B) = (not A) or (not B)."""
    if any(isinstance(region.get(attr), Absent) for attr, _op, _value in conds):
        return [region]  # a condition on a missing value is false for every case
    pieces = []
    for attr, op, value in conds:
        if op == "in":
            piece = region
            for v in value:
                piece = narrow(piece, (attr, "!=", v)) if piece is not None else None
        else:
            piece = narrow(region, (attr, _COMPLEMENT[op], value))
        if piece is not None:
            pieces.append(piece)
    return pieces


def _show(value) -> str:
    return json.dumps(value) if isinstance(value, bool) or value is None else str(value)


def _num_text(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def describe(region: dict, domain: dict | None = None) -> dict:
    """A region as readable conditions per attribute, e.g. {"amount": ">= 10000"}; attributes
    still at their whole ``domain`` are left out."""
    out = {}
    domain = domain or {}
    for attr, c in sorted(region.items()):
        if domain.get(attr) == c or isinstance(c, Absent):
            continue
        if isinstance(c, Num):
            whole = domain.get(attr) if isinstance(domain.get(attr), Num) else Num()
            parts = []
            if (c.lo, c.lo_inc) != (whole.lo, whole.lo_inc) and c.lo != float("-inf"):
                parts.append(f"{'>=' if c.lo_inc else '>'} {_num_text(c.lo)}")
            if (c.hi, c.hi_inc) != (whole.hi, whole.hi_inc) and c.hi != float("inf"):
                parts.append(f"{'<=' if c.hi_inc else '<'} {_num_text(c.hi)}")
            if c.lo == c.hi:
                parts = [f"== {_num_text(c.lo)}"]
            out[attr] = " and ".join(parts) or "any"
        elif c.allowed is not None:
            values = sorted(map(_show, c.allowed - c.excluded))
            out[attr] = f"== {values[0]}" if len(values) == 1 else f"in [{', '.join(values)}]"
        elif c.excluded:
            values = sorted(map(_show, c.excluded))
            out[attr] = f"!= {values[0]}" if len(values) == 1 else f"not in [{', '.join(values)}]"
    return out


def after_step(step, region: dict) -> dict:
    """The cases as they leave ``step``: any check may have set or cleared ``flagged``, and an
    agent's task reports a new confidence within the agent's declared ranges."""
    region = {**region, "flagged": FLAGS}
    if step.kind == "task" and step.perf_type == "agent":
        lo = min(step.conf_ok[0], step.conf_bad[0])
        hi = max(step.conf_ok[1], step.conf_bad[1])
        region["confidence"] = Num(float(lo), True, float(hi), True)
    return region


MAX_PIECES = 32


def exits(step, region: dict):
    """(route index or None for next, next step index or -1 for end, region) for the normal
    ways out of ``step``, for cases that entered it in ``region`` and were let through."""
    after = after_step(step, region)
    remaining = [after]
    for i, (conds, to) in enumerate(step.routes):
        for piece in remaining:
            taken = narrow_all(piece, conds)
            if taken is not None:
                yield (i, to, taken)
        remaining = [r for piece in remaining for r in subtract(piece, conds)]
        if len(remaining) > MAX_PIECES:  # keep the search bounded; over-approximate
            remaining = [after]
        if not remaining:
            break
    for piece in remaining:
        yield (None, step.next_idx, piece)


def edges(step, region: dict):
    """(label, next step index or -1 for end, region) for every way out of ``step``."""
    for route, to, reg in exits(step, region):
        yield ("route" if route is not None else "next", to, reg)
    if step.reject_idx >= 0:
        yield ("reject", step.reject_idx, after_step(step, region))
    if step.esc_idx >= 0:
        yield ("escalation", step.esc_idx, region)  # abstained or timed out: nothing changed


class TooComplex(Exception):
    """The search met its bound before it could prove the property either way."""


def find_ungated_path(steps, start: int, region: dict, is_target, is_gate):
    """A path from ``start`` to a target step on which no gate step checks the cases.

    Returns (path of step indices, region) for the first counterexample found, else None;
    raises TooComplex when the search would exceed MAX_STATES (a design cannot pass by being
    too large to check). A review or approval that only checks some cases (sampling, or a
    rule narrower than the region) is a gate only for the cases it checks; the rest go on
    looking for a way through. Checked cases leave a gate through its approved exits (routes,
    next); its reject exit and its escalation (a case that timed out waiting was never checked)
    are not gated, so a rejected or timed-out case that can still reach the target without
    passing another gate is a counterexample.
    """
    stack = [(start, region, (start,))]
    seen = 0
    while stack:
        idx, reg, path = stack.pop()
        seen += 1
        if seen > MAX_STATES or len(stack) > MAX_STATES:
            raise TooComplex
        step = steps[idx]
        if is_target(step):
            return list(path), reg
        out = list(edges(step, reg))
        if is_gate(step):
            uncovered = _uncovered(step, reg) or []
            out = [e for piece in uncovered for e in edges(step, piece)]
            out += [e for e in edges(step, reg) if e[0] in ("reject", "escalation")]
        for _label, nxt, nreg in out:
            if nxt < 0 or nxt in path:
                continue
            stack.append((nxt, nreg, (*path, nxt)))
    return None


def _uncovered(step, region: dict) -> list[dict] | None:
    """The part of ``region`` that ``step``'s coverage lets through unchecked."""
    if step.coverage is None:
        return None
    mode, rate, conds = step.coverage
    if mode == "all":
        return None
    if mode == "sample":
        return None if rate >= 1.0 else [region]
    return subtract(region, conds) or None


def reachable_states(steps, start: int, region: dict):
    """Every (step index, region) a case can be in on entering a step, starting from
    ``region`` at ``start``. Raises TooComplex past MAX_STATES distinct states."""
    seen: set = set()
    stack = [(start, region)]
    while stack:
        idx, reg = stack.pop()
        key = (idx, frozenset(reg.items()))
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > MAX_STATES:
            raise TooComplex
        yield idx, reg
        for _label, nxt, nreg in edges(steps[idx], reg):
            if nxt >= 0:
                stack.append((nxt, nreg))
