"""What a candidate may see of a grade report: hidden stays hidden.

A report is staff's: it keeps everything the engine knows, including which cases the generator
made adversarial and the variant's hidden parameters. A candidate sees the counterexample of
their own failed checkpoint (the case as their design saw it, the path it took, its outcome) but
never the generator's internal labels, its parameters or how many hidden cases there were:
:func:`candidate_view` removes them. Pure, like the rest of the engine.
"""

import copy

from .pack import _INLINE, Pack

# Trace keys that are the generator's, not the design's.
_TRACE_HIDDEN = ("adversarial",)
# Metrics that count hidden cases (the attack rate would follow from them).
_METRICS_HIDDEN = ("adversarial_cases",)
# Parts of a pack a candidate never sees (Pack.public_view).
_HIDDEN_SECTIONS = ("exemplars", "flawed")


def hidden_parameters(pack: Pack) -> list[str]:
    """Variant parameters that appear only where candidates cannot look (the hidden adversarial
    cases, exemplars, flawed designs): e.g. the fraud rate."""

    def names(value) -> set:
        if isinstance(value, dict):
            return set().union(*(names(v) for v in value.values())) if value else set()
        if isinstance(value, list):
            return set().union(*(names(v) for v in value)) if value else set()
        if isinstance(value, str):
            return set(_INLINE.findall(value))
        return set()

    hidden = names({k: pack.data.get(k) for k in _HIDDEN_SECTIONS})
    hidden |= names(pack.data["cases"].get("adversarial", []))
    return sorted(hidden - names(pack.public_view()))


def public_variant(pack: Pack, variant: dict) -> dict:
    """The variant without its hidden parameters (what the candidate's brief may show)."""
    hidden = set(hidden_parameters(pack))
    return {k: v for k, v in variant.items() if k not in hidden}


def _trace_view(trace: dict, hidden_kinds: set) -> dict:
    hidden_kinds = hidden_kinds | {trace.get("adversarial")}
    trace = {k: v for k, v in trace.items() if k not in _TRACE_HIDDEN}
    if "escaped" in trace:
        trace["escaped"] = [k for k in trace["escaped"] if k not in hidden_kinds]
    return trace


def _evidence_view(value, hidden_kinds: set):
    if isinstance(value, dict):
        if "case_id" in value and "path" in value:  # a case trace
            value = _trace_view(value, hidden_kinds)
        return {k: _evidence_view(v, hidden_kinds) for k, v in value.items()}
    if isinstance(value, list):
        return [_evidence_view(v, hidden_kinds) for v in value]
    return value


def candidate_view(report: dict) -> dict:
    """The report as a candidate may see it (a new dict; ``report`` is left as it is).

    Removed: each counterexample's ``adversarial`` label and the attack kinds in its ``escaped``
    list (the generator's labels), the count of hidden cases, the hidden variant parameters and
    the list of them. Kept: every checkpoint's status, points, feedback and evidence, including
    the counterexample case as the design saw it and the path it took. A report from before
    engine 2.0.0 does not say which variant parameters are hidden, so its variant is left out
    (the candidate's brief states the numbers they were given)."""
    view = copy.deepcopy(report)
    hidden_kinds = set(view.pop("hidden_kinds", []))
    hidden_params = view.pop("hidden_parameters", None)
    if "variant" in view:
        if hidden_params is None:
            view.pop("variant")
        else:
            view["variant"] = {k: v for k, v in view["variant"].items() if k not in hidden_params}
    for key in ("metrics", "baseline_metrics"):
        if isinstance(view.get(key), dict):
            for name in _METRICS_HIDDEN:
                view[key].pop(name, None)
    view["checkpoints"] = [
        {**cp, "evidence": _evidence_view(cp.get("evidence"), hidden_kinds)}
        for cp in view.get("checkpoints", [])
    ]
    return view
