"""Outcome checkpoint kinds: metrics of the simulated design against thresholds and today's
process, with a counterexample case when they fall short."""

from .base import Context, kind


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
