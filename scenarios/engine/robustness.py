"""Robustness curves: how a design holds up as its agents get worse.

The same variant and case stream are simulated with every agent's error rate (1 - accuracy)
multiplied by each factor, so a candidate (or an author) sees whether the controls catch the
extra errors or let them escape. Deterministic for a seed, like grading."""

from .pack import Pack, draw_variant
from .simulator import gc_paused, run

CURVE_METRICS = (
    "error_escape_rate",
    "adversarial_caught_rate",
    "escalation_rate",
    "cost_per_case",
    "cycle_time_p90_hours",
    "sla_breach_rate",
)


def _with_agent_error(resolved: dict, factor: float) -> dict:
    agents = []
    for agent in resolved["agents"]:
        tasks = {}
        for task, spec in agent.get("tasks", {}).items():
            if "accuracy" in spec:
                error = min(1.0, (1.0 - float(spec["accuracy"])) * factor)
                spec = {**spec, "accuracy": 1.0 - error}
            tasks[task] = spec
        agents.append({**agent, "tasks": tasks})
    return {**resolved, "agents": agents}


def robustness(
    pack: Pack,
    seed: int,
    design: dict,
    *,
    factors: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0),
    count: int | None = None,
) -> list[dict]:
    """One point per factor: ``{"agent_error_factor": f, <metric>: value, ...}``.
    The design must have passed validate_design."""
    resolved = pack.resolve(draw_variant(pack, seed))
    curve = []
    with gc_paused():
        for factor in factors:
            metrics = run(
                _with_agent_error(resolved, factor), design, seed=seed, count=count
            ).metrics
            curve.append({"agent_error_factor": factor, **{k: metrics[k] for k in CURVE_METRICS}})
    return curve
