"""Outcome checkpoint kinds: metrics of the simulated design against thresholds and today's
process, with a counterexample case when they fall short."""

from collections import Counter

from ..results import COMPLETED, OUTCOMES
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


def _not_done(r) -> bool:
    """A legitimate case whose work was not done (wrongly rejected, or unfinished)."""
    return r.adversarial is None and r.outcome not in COMPLETED


_OFFENDERS = {
    "error_escape_rate": lambda r: any(k != r.adversarial for k in r.escaped),
    "adversarial_caught_rate": lambda r: r.adversarial is not None and not r.caught,
    "sla_breach_rate": lambda r: r.outcome == "unfinished",
    "failed_case_rate": lambda r: r.outcome == "unfinished",
    "unfinished_rate": lambda r: r.outcome == "unfinished",
    "wrongful_rejection_rate": lambda r: r.wrongful_rejection,
    "rejected_rate": lambda r: r.outcome == "rejected",
    "completed_rate": _not_done,
    "throughput_per_day": _not_done,
}


def _ordinary(sim) -> list:
    """The legitimate cases, to show a slow or costly one: an attack a check caught and held for
    investigation is slow and costly because the design did its job, so it never illustrates a
    cost or cycle-time shortfall (unless attacks are all there is)."""
    cases = list(sim.iter_cases())
    return [r for r in cases if r.adversarial is None] or cases


def _counterexample(sim, metric: str, sla_minutes: float | None = None):
    if metric == "sla_breach_rate" and sla_minutes:
        pick = next(
            (
                r
                for r in sim.iter_cases()
                if r.cycle_minutes > sla_minutes or r.outcome == "unfinished"
            ),
            None,
        )
    elif metric in _OFFENDERS:
        pick = next((r for r in sim.iter_cases() if _OFFENDERS[metric](r)), None)
    elif metric.startswith("cycle_time"):
        pick = max(_ordinary(sim), key=lambda r: r.cycle_minutes, default=None)
    elif metric == "cost_per_case":
        pick = max(_ordinary(sim), key=lambda r: r.cost, default=None)
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


@kind("work_done")
def work_done(ctx: Context, params: dict):
    """The work gets done: the share of cases completed (the pack's work action done, with or
    without an escaped error) and the throughput (cases completed within the arrival window, a
    day) hold against today's process, and few legitimate cases are wrongly rejected. All or
    nothing: a design that pays nothing, rejects everything, loops or parks its cases fails.

    Params (all optional): ``min_completed_share`` (of all cases), ``min_vs_baseline`` (completed
    share as a fraction of today's), ``min_throughput_vs_baseline`` (likewise),
    ``max_wrongful_rejection_rate``, ``max_unfinished_rate``."""
    m, base = ctx.sim.metrics, ctx.baseline.metrics
    shortfalls = []

    def need(ok: bool, text: str) -> None:
        if not ok:
            shortfalls.append(text)

    share, base_share = m["completed_rate"], base["completed_rate"]
    tput, base_tput = m["throughput_per_day"], base["throughput_per_day"]
    if "min_completed_share" in params:
        need(
            share >= params["min_completed_share"],
            f"completed share {share} < {params['min_completed_share']}",
        )
    if "min_vs_baseline" in params:
        floor = round(params["min_vs_baseline"] * base_share, 4)
        need(
            share >= floor,
            f"completed share {share} < {floor} ({params['min_vs_baseline']} of today's {base_share})",
        )
    if "min_throughput_vs_baseline" in params:
        floor = round(params["min_throughput_vs_baseline"] * base_tput, 2)
        need(
            tput >= floor,
            f"throughput {tput}/day < {floor} ({params['min_throughput_vs_baseline']} of today's {base_tput})",
        )
    for metric, key in (
        ("wrongful_rejection_rate", "max_wrongful_rejection_rate"),
        ("unfinished_rate", "max_unfinished_rate"),
    ):
        if key in params:
            need(m[metric] <= params[key], f"{metric} {m[metric]} > {params[key]}")
    credit = 0.0 if shortfalls else 1.0
    evidence = {
        "completed_rate": share,
        "baseline_completed_rate": base_share,
        "throughput_per_day": tput,
        "baseline_throughput_per_day": base_tput,
        "wrongful_rejection_rate": m["wrongful_rejection_rate"],
        "unfinished_rate": m["unfinished_rate"],
        "shortfalls": shortfalls,
    }
    if shortfalls:
        cases = list(ctx.sim.iter_cases())
        counts = Counter(r.outcome for r in cases)
        evidence["outcomes"] = {o: counts.get(o, 0) for o in OUTCOMES}
        evidence["not_done_because"] = dict(
            Counter(r.reason for r in cases if _not_done(r)).most_common()
        )
        pick = next((r for r in cases if _not_done(r)), None)
        if pick is not None:
            evidence["counterexample"] = ctx.sim.case_trace(pick)
    return credit, evidence
