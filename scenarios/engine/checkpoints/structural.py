"""Structural checkpoint kinds: properties proved on the workflow graph."""

from ..compiled import compile_conditions
from ..paths import MAX_STATES, TooComplex, describe, find_ungated_path, narrow_all
from .base import Context, _offending_steps, kind, matches


@kind("gate_on_all_paths")
def gate_on_all_paths(ctx: Context, params: dict):
    """Every path on which a case in ``when`` reaches a ``target`` step first passes a ``gate``
    step that checks it (e.g. a human approval before an agent-initiated payment)."""
    raw = ctx.design["steps"]
    region = narrow_all({}, compile_conditions(params.get("when", [])))
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
            "explanation": f"The routing has more than {MAX_STATES:,} distinct paths to check, "
            "so the grader cannot show that every path passes the required check. Simplify "
            "the routing (fewer overlapping routes and loops)."
        }
    if found is None:
        return 1.0, {}
    path, reg = found
    return 0.0, {
        "path": [ctx.steps[i].id for i in path],
        "cases": describe(reg),
        "explanation": f"Cases with {describe(reg) or 'any attributes'} can reach "
        f"{ctx.steps[path[-1]].id!r} along this path without the required check.",
    }


@kind("agent_steps_guarded")
def agent_steps_guarded(ctx: Context, params: dict):
    """Every agent task step has an escalation route (with owner and timeout), routes
    low-confidence cases to a person, and names at least one metric."""
    raw = ctx.design["steps"]
    problems = []
    threshold = params.get("min_confidence_threshold", 0.0)
    for s in ctx.steps:
        if s.perf_type != "agent" or s.kind != "task":
            continue
        step = raw[s.idx]
        missing = []
        if params.get("require_escalation", True) and "escalation" not in step:
            missing.append("an escalation route")
        if params.get("require_metric", True) and not step.get("metrics"):
            missing.append("a metric")
        if params.get("require_confidence_route", True):
            ok = False
            for r in step.get("routes", []):
                to = ctx.steps[[x.id for x in ctx.steps].index(r["to"])]
                for c in r["when"]:
                    if (
                        c["attr"] == "confidence"
                        and c["op"] in ("<", "<=")
                        and c["value"] >= threshold
                        and to.perf_type == "role"
                    ):
                        ok = True
            if not ok:
                missing.append(
                    f"a route sending confidence below {threshold:g} or more to a person"
                )
        if missing:
            problems.append({"step": s.id, "missing": missing})
    if not problems:
        return 1.0, {}
    return 0.0, {"steps": problems}


@kind("data_class_boundary")
def data_class_boundary(ctx: Context, params: dict):
    """No step matching ``forbidden`` touches the data class."""
    selector = {**params["forbidden"], "data_class": params["data_class"]}
    bad = _offending_steps(ctx, selector)
    if not bad:
        return 1.0, {}
    return 0.0, {"steps": bad, "data_class": params["data_class"]}


@kind("separation_of_duties")
def separation_of_duties(ctx: Context, params: dict):
    """No single role or agent performs both a ``first`` and a ``second`` step."""
    raw = ctx.design["steps"]
    first = {
        (s.perf_type, s.perf_ref) for s in ctx.steps if matches(s, raw[s.idx], params["first"])
    }
    second = {
        (s.perf_type, s.perf_ref) for s in ctx.steps if matches(s, raw[s.idx], params["second"])
    }
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
    """The rollout starts in the required modes (e.g. shadow, pilot) and has a rollback plan."""
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
    if not problems:
        return 1.0, {}
    return 0.0, {"problems": problems}
