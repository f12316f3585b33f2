"""A design compiled for the simulator and the graph checks: one flat record per step with
its performer's numbers from the (resolved) pack, routes as (conditions, step index), and
conditions as (attr, op, value) tuples."""

import operator
from dataclasses import dataclass

from . import defaults as D
from .labels import Labels, effective_labels

_OPS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "in": lambda a, b: a in b,
}


def holds(conditions, attrs: dict) -> bool:
    for attr, op, value in conditions:
        actual = attrs.get(attr)
        if actual is None:
            return False
        try:
            if not _OPS[op](actual, value):
                return False
        except TypeError:
            return False
    return True


def compile_conditions(conds: list[dict]) -> tuple:
    return tuple(
        (c["attr"], c["op"], tuple(c["value"]) if isinstance(c["value"], list) else c["value"])
        for c in conds
    )


@dataclass(slots=True)
class _Step:
    idx: int
    id: str
    kind: str
    perf_type: str
    perf_ref: str
    task_type: str | None
    routes: tuple
    next_idx: int  # -1 = end
    reject_idx: int  # -1 = none
    esc_idx: int
    esc_timeout: float
    coverage: tuple | None  # (mode, rate, conditions)
    duration: float  # wall-clock minutes
    cost: float
    error_p: float
    abstain_p: float
    conf_ok: tuple
    conf_bad: tuple
    detect: dict  # error kind -> probability
    resolves: frozenset
    replaces: frozenset
    labels: Labels  # what the step does, by the permission model and the graph (labels.py)


def _compile(design: dict, pack: dict) -> list[_Step]:
    roles = {r["id"]: r for r in pack["roles"]}
    agents = {a["id"]: a for a in pack["agents"]}
    systems = {s["id"]: s for s in pack["systems"]}
    task_types = pack["task_types"]
    detection_table = pack.get("detection", {})
    index = {s["id"]: i for i, s in enumerate(design["steps"])}
    labels = effective_labels(pack, design["steps"], design["start"])
    compiled = []
    for i, s in enumerate(design["steps"]):
        ptype, pref = s["performer"]["type"], s["performer"]["ref"]
        kind = s["kind"]
        task = s.get("task_type")
        # What the step does, for performance tables: the task type, "review", "approval" or
        # "action"; detection tables are keyed by the task type a review checks.
        work_key = task if kind in ("task", "review") else kind
        time_key = "review" if kind == "review" else work_key
        error_p = abstain_p = 0.0
        conf_ok = conf_bad = (1.0, 1.0)
        if ptype == "role":
            role = roles[pref]
            minutes = role.get("minutes", {}).get(
                time_key, role.get("default_minutes", D.ROLE_MINUTES)
            )
            duration = minutes * 24.0 / role.get("hours_per_day", D.ROLE_HOURS_PER_DAY)
            cost = minutes * role["hourly_cost"] / 60.0
            if kind == "task":
                error_p = role.get("errors", {}).get(
                    task, role.get("error_rate", D.ROLE_ERROR_RATE)
                )
            skill = role.get("skill", {})
            review_rate = role.get("detection", {}).get(
                task, role.get("default_detection", D.ROLE_DETECTION)
            )
        elif ptype == "agent":
            agent = agents[pref]
            duration = agent.get("latency_minutes", D.AGENT_LATENCY_MINUTES)
            cost = agent.get("cost_per_call", D.AGENT_COST_PER_CALL)
            spec = agent.get("tasks", {}).get(work_key, {})
            if kind == "task":
                error_p = 1.0 - spec.get("accuracy", D.AGENT_ACCURACY)
                abstain_p = spec.get("abstain", D.AGENT_ABSTAIN)
                conf_ok = tuple(spec.get("confidence_correct", D.AGENT_CONFIDENCE_CORRECT))
                conf_bad = tuple(spec.get("confidence_wrong", D.AGENT_CONFIDENCE_WRONG))
            skill = agent.get("skill", {})
            review_rate = agent.get("detection", {}).get(
                task, agent.get("default_detection", D.AGENT_DETECTION)
            )
        else:
            system = systems[pref]
            duration = system.get("latency_minutes", D.SYSTEM_LATENCY_MINUTES)
            cost = system.get("cost_per_call", D.SYSTEM_COST_PER_CALL)
            if kind == "task":
                error_p = 1.0 - system.get("tasks", {}).get(work_key, {}).get(
                    "accuracy", D.SYSTEM_ACCURACY
                )
            skill = system.get("skill", {})
            review_rate = system.get("default_detection", D.SYSTEM_DETECTION)
        detect = {}
        for err_kind, by_task in detection_table.items():
            p = by_task.get(work_key, 0.0)
            if p:
                detect[err_kind] = p * skill.get(err_kind, 1.0)
        if kind == "review" and task:
            detect[task] = max(detect.get(task, 0.0), review_rate * skill.get(task, 1.0))
        resolves = (
            set(task_types.get(task, {}).get("resolves", [])) if kind == "task" and task else set()
        )
        if kind == "task" and task:
            resolves.add(task)
        replaces = (
            set(task_types.get(task, {}).get("replaces", [])) if kind == "task" and task else set()
        )
        if kind == "task" and task:
            replaces.add(task)
        cov = s.get("coverage")
        coverage = None
        if cov:
            coverage = (cov["mode"], cov.get("rate", 1.0), compile_conditions(cov.get("when", [])))
        esc = s.get("escalation")
        compiled.append(
            _Step(
                idx=i,
                id=s["id"],
                kind=kind,
                perf_type=ptype,
                perf_ref=pref,
                task_type=task,
                routes=tuple(
                    (compile_conditions(r["when"]), index[r["to"]]) for r in s.get("routes", [])
                ),
                next_idx=-1 if s.get("next", "end") == "end" else index[s["next"]],
                reject_idx=index[s["on_reject"]] if s.get("on_reject") else -1,
                esc_idx=index[esc["to"]] if esc else -1,
                esc_timeout=float(esc["timeout_minutes"]) if esc else 0.0,
                coverage=coverage,
                duration=float(duration),
                cost=float(cost),
                error_p=error_p,
                abstain_p=abstain_p,
                conf_ok=conf_ok,
                conf_bad=conf_bad,
                detect=detect,
                resolves=frozenset(resolves),
                replaces=frozenset(replaces),
                labels=labels[i],
            )
        )
    return compiled
