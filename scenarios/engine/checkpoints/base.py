"""Checkpoint kinds: a registry of parameterised checks. Packs choose kinds and parameters; no
code lives in a pack. Each kind returns (credit 0..1 or None when people must score, evidence).

The kinds live in ``structural`` (properties of the workflow graph), ``outcome`` (simulated
metrics) and ``human`` (graders' rubric levels); this module holds the registry and what they
share. Importing the package registers every kind."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Context:
    design: dict
    steps: list  # compiled steps (simulator._Step)
    start: int
    sim: object  # SimulationResult of the design
    baseline: object  # SimulationResult of the baseline
    # Every case attribute at its declared domain (domains.attribute_domains): where the
    # symbolic search starts.
    domain: dict = field(default_factory=dict)


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
    "work_done": (
        set(),
        {
            "min_completed_share",
            "min_vs_baseline",
            "min_throughput_vs_baseline",
            "max_wrongful_rejection_rate",
            "max_unfinished_rate",
        },
    ),
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
    "completed_rate",
    "rejected_rate",
    "wrongful_rejection_rate",
    "unfinished_rate",
    "throughput_per_day",
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
    """Does a step match a selector? Every key given must match. ``action``, ``writes`` and
    ``data_class`` match the step's effective labels (labels.py): what it does, not only what
    it says (an approval matches the action it precedes)."""
    if not selector:
        return False
    labels = step.labels  # effective: declared plus implied by the permission model and graph
    checks = {
        "kind": lambda v: step.kind in v,
        "performer_type": lambda v: step.perf_type in v,
        "performer": lambda v: step.perf_ref in v,
        "task_type": lambda v: step.task_type in v,
        "action": lambda v: not labels.actions.isdisjoint(v),
        "writes": lambda v: not labels.writes.isdisjoint(v),
        "data_class": lambda v: not labels.data_classes.isdisjoint(v),
    }
    for key, wanted in selector.items():
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if key not in checks or not checks[key](wanted):
            return False
    return True


def _offending_steps(ctx: Context, selector: dict) -> list[str]:
    raw = ctx.design["steps"]
    return [s.id for s in ctx.steps if matches(s, raw[s.idx], selector)]
