"""Structural checkpoint kinds: properties proved on the workflow graph."""

from ..compiled import compile_conditions
from ..design_checks import rollout_order_problems
from ..paths import (
    MAX_STATES,
    TooComplex,
    describe,
    exits,
    find_ungated_path,
    narrow,
    narrow_all,
    reachable_states,
)
from .base import Context, _offending_steps, kind, matches

_TOO_COMPLEX = (
    f"The routing has more than {MAX_STATES:,} distinct paths to check, so the grader cannot "
    "show that {what}. Simplify the routing (fewer overlapping routes and loops)."
)


@kind("gate_on_all_paths")
def gate_on_all_paths(ctx: Context, params: dict):
    """Every path on which a case in ``when`` reaches a ``target`` step first passes a ``gate``
    step that checks it (e.g. a human approval before an agent-initiated payment)."""
    raw = ctx.design["steps"]
    region = narrow_all(dict(ctx.domain), compile_conditions(params.get("when", [])))
    if region is None:
        return 1.0, {}
    try:
        found = find_ungated_path(
            ctx.steps,
            ctx.start,
            region,
            lambda s: matches(s, raw[s.idx], params["target"]),
            lambda s: matches(s, raw[s.idx], params["gate"]),
        )
    except TooComplex:
        return 0.0, {
            "explanation": _TOO_COMPLEX.format(what="every path passes the required check")
        }
    if found is None:
        return 1.0, {}
    path, reg = found
    return 0.0, {
        "path": [ctx.steps[i].id for i in path],
        "cases": describe(reg, ctx.domain),
        "explanation": f"Cases with {describe(reg, ctx.domain) or 'any attributes'} can reach "
        f"{ctx.steps[path[-1]].id!r} along this path without the required check.",
    }


@kind("agent_steps_guarded")
def agent_steps_guarded(ctx: Context, params: dict):
    """Every agent task step has an escalation route to a person (with owner and timeout),
    sends every case it reports a confidence below the threshold for to a person, and names
    at least one metric. Judged by what cases can do, with the same symbolic search as the
    other structural checks: a low-confidence route that no case can take (its conditions
    contradict each other or the attributes' domains, or an earlier route takes its cases)
    is not a guardrail."""
    raw = ctx.design["steps"]
    threshold = params.get("min_confidence_threshold", 0.0)
    agent_steps = [s for s in ctx.steps if s.perf_type == "agent" and s.kind == "task"]
    if not agent_steps:
        return 1.0, {}
    leaks = {}
    if params.get("require_confidence_route", True):
        try:
            leaks = _low_confidence_leaks(ctx, threshold)
        except TooComplex:
            return 0.0, {
                "explanation": _TOO_COMPLEX.format(
                    what="low-confidence cases at every agent step reach a person"
                )
            }
    problems = []
    for s in agent_steps:
        step = raw[s.idx]
        missing = []
        escalation = step.get("escalation")
        if params.get("require_escalation", True) and not (
            escalation and ctx.steps[s.esc_idx].perf_type == "role"
        ):
            missing.append("an escalation route to a person")
        if params.get("require_metric", True) and not step.get("metrics"):
            missing.append("a metric")
        if s.idx in leaks:
            missing.append(
                f"a route sending every case with confidence below {threshold:g} to a person"
            )
        if missing:
            problem = {"step": s.id, "missing": missing}
            if s.idx in leaks:
                problem["counterexample"] = leaks[s.idx]
            problems.append(problem)
    if not problems:
        return 1.0, {}
    return 0.0, {"steps": problems}


def _low_confidence_leaks(ctx: Context, threshold: float) -> dict:
    """{agent step index: how some case below the confidence threshold leaves it other than by
    a route to a person's step}, over every region in which cases can reach the step.

    A step that leaks nothing for the whole domain leaks nothing for any region that reaches
    it, so only the steps that leak for the whole domain need the search (which then shows
    whether, and for which cases, the leak can really happen)."""
    agent_idx = {s.idx for s in ctx.steps if s.perf_type == "agent" and s.kind == "task"}
    suspects = {i for i in agent_idx if _leak(ctx, ctx.steps[i], dict(ctx.domain), threshold)}
    leaks: dict = {}
    if not suspects:
        return leaks
    for idx, region in reachable_states(ctx.steps, ctx.start, dict(ctx.domain)):
        if idx in suspects and idx not in leaks:
            leak = _leak(ctx, ctx.steps[idx], region, threshold)
            if leak is not None:
                leaks[idx] = leak
                if len(leaks) == len(suspects):
                    break
    return leaks


def _leak(ctx: Context, step, region: dict, threshold: float) -> dict | None:
    for route, to, taken in exits(step, region):
        low = narrow(taken, ("confidence", "<", threshold))
        if low is None or (route is not None and to >= 0 and ctx.steps[to].perf_type == "role"):
            continue  # no low-confidence case here, or a route hands them to a person
        return {
            "cases": describe(low, ctx.domain),
            "goes_to": ctx.steps[to].id if to >= 0 else "end",
            "by": f"routes[{route}]" if route is not None else "next",
        }
    return None


@kind("data_class_boundary")
def data_class_boundary(ctx: Context, params: dict):
    """No step matching ``forbidden`` touches the data class."""
    selector = {**params["forbidden"], "data_class": params["data_class"]}
    bad = _offending_steps(ctx, selector)
    if not bad:
        return 1.0, {}
    return 0.0, {"steps": bad, "data_class": params["data_class"]}


def _checks_nothing(raw: dict) -> bool:
    coverage = raw.get("coverage") or {}
    return coverage.get("mode") == "sample" and not coverage.get("rate")


@kind("separation_of_duties")
def separation_of_duties(ctx: Context, params: dict):
    """No single role or agent performs both a ``first`` and a ``second`` step. A review or
    approval that samples 0% of cases checks nothing, so it is no one's second look (nor a
    breach of the rule): it changes nothing, like any step that does nothing."""
    raw = ctx.design["steps"]
    steps = [s for s in ctx.steps if not _checks_nothing(raw[s.idx])]
    first = {(s.perf_type, s.perf_ref) for s in steps if matches(s, raw[s.idx], params["first"])}
    second = {(s.perf_type, s.perf_ref) for s in steps if matches(s, raw[s.idx], params["second"])}
    both = sorted(first & second)
    if not both:
        return 1.0, {}
    return 0.0, {"performers": [f"{t}:{r}" for t, r in both]}


@kind("least_privilege")
def least_privilege(ctx: Context, params: dict):
    """Only steps matching ``allowed`` have write access to ``system``."""
    raw = ctx.design["steps"]
    bad = [
        s.id
        for s in ctx.steps
        if matches(s, raw[s.idx], {"writes": params["system"]})
        and not matches(s, raw[s.idx], params["allowed"])
    ]
    if not bad:
        return 1.0, {}
    return 0.0, {"steps": bad, "system": params["system"]}


@kind("accountable_ownership")
def accountable_ownership(ctx: Context, params: dict):
    """The go-live owner, the owners of agent steps and the metric owners are accountable roles."""
    allowed = set(params["roles"])
    problems = []
    if ctx.design["owner_after_go_live"] not in allowed:
        problems.append(f"owner_after_go_live is {ctx.design['owner_after_go_live']!r}")
    for s in ctx.design["steps"]:
        if s["performer"]["type"] == "agent" and s["owner"] not in allowed:
            problems.append(f"agent step {s['id']!r} is owned by {s['owner']!r}")
    for m in ctx.design.get("metrics", []):
        if params.get("metrics_too", False) and m["owner"] not in allowed:
            problems.append(f"metric {m['name']!r} is owned by {m['owner']!r}")
    if not problems:
        return 1.0, {}
    return 0.0, {"problems": problems, "accountable_roles": sorted(allowed)}


@kind("required_metrics")
def required_metrics(ctx: Context, params: dict):
    """The design monitors the named metrics after go-live (partial credit per metric)."""
    named = {m["name"] for m in ctx.design.get("metrics", [])}
    wanted = params["metrics"]
    missing = [m for m in wanted if m not in named]
    credit = 1.0 - len(missing) / len(wanted)
    return credit, ({"missing": missing} if missing else {})


@kind("rollout_staged")
def rollout_staged(ctx: Context, params: dict):
    """The rollout starts in the required modes (e.g. shadow, pilot), progresses (modes in the
    order shadow, pilot, partial, full; shares never falling) and has a rollback plan."""
    rollout = ctx.design.get("rollout", {})
    modes = [p.get("mode") for p in rollout.get("phases", [])]
    problems = [f"no {m} phase" for m in params.get("require_modes", []) if m not in modes]
    minimum = params.get("min_phases", 1)
    if len(modes) < minimum:
        problems.append(f"{len(modes)} phase(s); at least {minimum} needed")
    if params.get("require_exit_criteria") and any(
        not p.get("exit_criteria") for p in rollout.get("phases", [])
    ):
        problems.append("a phase without exit criteria")
    if params.get("require_rollback") and not rollout.get("rollback"):
        problems.append("no rollback plan")
    # A plan that goes back (full before pilot, shares falling) is not a staged rollout.
    problems.extend(f"{path}: {message}" for path, message in rollout_order_problems(rollout))
    if not problems:
        return 1.0, {}
    return 0.0, {"problems": problems}
