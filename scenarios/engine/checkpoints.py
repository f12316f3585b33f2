"""Checkpoint kinds: a registry of parameterised checks. Packs choose kinds and parameters; no
code lives in a pack. Each kind returns (credit 0..1 or None when people must score, evidence)."""

from collections.abc import Callable
from dataclasses import dataclass

from .compiled import compile_conditions
from .paths import MAX_STATES, TooComplex, describe, find_ungated_path, narrow_all


@dataclass
class Context:
    design: dict
    steps: list  # compiled steps (simulator._Step)
    start: int
    sim: object  # SimulationResult of the design
    baseline: object  # SimulationResult of the baseline


REGISTRY: dict[str, Callable] = {}

# The parameters each kind takes: (required, optional), and which of them are step selectors
# or conditions. Pack loading checks checkpoints against this (see pack_checks.py).
PARAMS: dict[str, tuple[set, set]] = {
    "gate_on_all_paths": ({"target", "gate"}, {"when"}),
    "agent_steps_guarded": (
        set(),
        {
            "min_confidence_threshold",
            "require_escalation",
            "require_metric",
            "require_confidence_route",
        },
    ),
    "data_class_boundary": ({"data_class", "forbidden"}, set()),
    "separation_of_duties": ({"first", "second"}, set()),
    "least_privilege": ({"system", "allowed"}, set()),
    "accountable_ownership": ({"roles"}, {"metrics_too"}),
    "required_metrics": ({"metrics"}, set()),
    "rollout_staged": (
        set(),
        {"require_modes", "min_phases", "require_exit_criteria", "require_rollback"},
    ),
    "metric_threshold": ({"metric", "op", "value"}, {"bands"}),
    "improvement_over_baseline": ({"metric", "min_improvement"}, {"direction", "bands"}),
    "human_rubric": ({"levels"}, {"reads"}),
}
SELECTOR_PARAMS = ("target", "gate", "forbidden", "first", "second", "allowed")
SELECTOR_KEYS = (
    "kind",
    "performer_type",
    "performer",
    "task_type",
    "action",
    "writes",
    "data_class",
)
METRICS = (
    "cycle_time_p50_hours",
    "cycle_time_p90_hours",
    "cost_per_case",
    "error_escape_rate",
    "sla_breach_rate",
    "touchless_rate",
    "escalation_rate",
    "failed_case_rate",
    "adversarial_caught_rate",
    "adversarial_cases",
    "max_utilisation",
)


def kind(name: str):
    def register(fn):
        REGISTRY[name] = fn
        return fn

    return register


def matches(step, raw: dict, selector: dict) -> bool:
    """Does a step match a selector? Every key given must match."""
    if not selector:
        return False
    checks = {
        "kind": lambda v: step.kind in v,
        "performer_type": lambda v: step.perf_type in v,
        "performer": lambda v: step.perf_ref in v,
        "task_type": lambda v: step.task_type in v,
        "action": lambda v: raw.get("action") in v,
        "writes": lambda v: any(
            s["ref"] in v and s["access"] != "read" for s in raw.get("systems", [])
        ),
        "data_class": lambda v: any(d in v for d in raw.get("data_classes", [])),
    }
    for key, wanted in selector.items():
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if key not in checks or not checks[key](wanted):
            return False
    return True


def _offending_steps(ctx: Context, selector: dict) -> list[str]:
    raw = ctx.design["steps"]
    return [s.id for s in ctx.steps if matches(s, raw[s.idx], selector)]


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


def _metric(metrics: dict, name: str) -> float:
    value = metrics
    for part in name.split("."):
        value = value.get(part, 0.0) if isinstance(value, dict) else 0.0
    return float(value)


def _credit(value: float, op: str, threshold: float, bands: list) -> float:
    better = (lambda v, t: v <= t) if op == "<=" else (lambda v, t: v >= t)
    if better(value, threshold):
        return 1.0
    for band in sorted(bands, key=lambda b: -b["credit"]):
        if better(value, band["value"]):
            return float(band["credit"])
    return 0.0


_OFFENDERS = {
    "error_escape_rate": lambda r: any(k != r.adversarial for k in r.escaped),
    "adversarial_caught_rate": lambda r: r.adversarial is not None and not r.caught,
    "sla_breach_rate": lambda r: r.outcome != "completed" or r.cycle_minutes < 0,
    "failed_case_rate": lambda r: r.outcome in ("looping", "dropped", "unfinished"),
}


def _counterexample(sim, metric: str, sla_minutes: float | None = None):
    if metric == "sla_breach_rate" and sla_minutes:
        pick = next(
            (
                r
                for r in sim.iter_cases()
                if r.cycle_minutes < 0 or r.cycle_minutes > sla_minutes or r.outcome != "completed"
            ),
            None,
        )
    elif metric in _OFFENDERS:
        pick = next((r for r in sim.iter_cases() if _OFFENDERS[metric](r)), None)
    elif metric.startswith("cycle_time"):
        pick = max(sim.iter_cases(), key=lambda r: r.cycle_minutes, default=None)
    elif metric == "cost_per_case":
        pick = max(sim.iter_cases(), key=lambda r: r.cost, default=None)
    else:
        pick = None
    return sim.case_trace(pick) if pick else None


@kind("metric_threshold")
def metric_threshold(ctx: Context, params: dict):
    """A simulated metric meets a threshold; ``bands`` give partial credit."""
    value = _metric(ctx.sim.metrics, params["metric"])
    credit = _credit(value, params["op"], params["value"], params.get("bands", []))
    evidence = {
        "metric": params["metric"],
        "value": value,
        "threshold": f"{params['op']} {params['value']}",
        "baseline": _metric(ctx.baseline.metrics, params["metric"]),
    }
    if credit < 1.0:
        trace = _counterexample(ctx.sim, params["metric"], params.get("_sla_minutes"))
        if trace:
            evidence["counterexample"] = trace
    return credit, evidence


@kind("improvement_over_baseline")
def improvement_over_baseline(ctx: Context, params: dict):
    """A metric improves on the baseline (current process) by at least ``min_improvement``
    (a fraction: 0.3 = 30% better); ``bands`` give partial credit for smaller gains."""
    value = _metric(ctx.sim.metrics, params["metric"])
    base = _metric(ctx.baseline.metrics, params["metric"])
    if params.get("direction", "lower") == "lower":
        gain = (base - value) / base if base else (0.0 if value else 1.0)
    else:
        gain = (value - base) / base if base else (1.0 if value else 0.0)
    credit = _credit(gain, ">=", params["min_improvement"], params.get("bands", []))
    evidence = {
        "metric": params["metric"],
        "value": value,
        "baseline": base,
        "improvement": round(gain, 4),
        "required": params["min_improvement"],
    }
    if credit < 1.0:
        trace = _counterexample(ctx.sim, params["metric"])
        if trace:
            evidence["counterexample"] = trace
    return credit, evidence


@kind("human_rubric")
def human_rubric(ctx: Context, params: dict):
    """Scored by trained graders against rubric levels; pending until they do."""
    return None, {
        "levels": params["levels"],
        "reads": params.get("reads", ["rationale"]),
        "feedback": params.get("_feedback", ""),
    }
