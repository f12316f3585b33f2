"""Issue 9.2: attributes have their declared domain in the symbolic path search.

A boolean is exactly true or false, an enumeration exactly its declared values and a number lies
within its declared range, so routes that split on them exhaustively leave a step's default
(``next``) dead: where that dead default points cannot change a structural verdict."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from .adversarial import exemplar, exemplar_names, resolved, structural_statuses

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _exhaustive_routes(slug: str, attr: str, to: str, style: int) -> list[dict]:
    """Routes on ``attr`` that together take every case, all to ``to``."""
    if attr == "flagged":
        spec = {"dist": "bernoulli"}
    else:
        spec = resolved(slug)["cases"]["attributes"][attr]
    dist = spec["dist"]
    if dist == "bernoulli":
        values = [True, False] if style % 2 else [False, True]
    elif dist == "categorical":
        values = list(spec["values"])
        if style % 2:
            return [{"when": [{"attr": attr, "op": "in", "value": values}], "to": to}]
    else:
        low = spec.get("min", 0)
        op = ">=" if "min" in spec else ">"
        return [{"when": [{"attr": attr, "op": op, "value": low}], "to": to}]
    return [{"when": [{"attr": attr, "op": "==", "value": v}], "to": to} for v in values]


@SETTINGS
@given(data=st.data())
def test_a_dead_default_behind_exhaustive_routes_changes_no_structural_verdict(data):
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    design = exemplar(slug, name)
    steps = design["steps"]
    movable = [i for i, s in enumerate(steps) if s.get("next", "end") != "end"]
    i = data.draw(st.sampled_from(movable), label="step")
    attrs = [*sorted(resolved(slug)["cases"]["attributes"]), "flagged"]
    attr = data.draw(st.sampled_from(attrs), label="attribute")
    # The dead default goes straight to an action (a payment, refund, merge...), skipping
    # every check: if the grader thought any case could take it, gates would fail.
    actions = [s["id"] for s in steps if s["kind"] == "action" and s["id"] != steps[i]["id"]]
    bypass = data.draw(st.sampled_from(actions), label="bypass")
    style = data.draw(st.integers(0, 1), label="style")

    before = structural_statuses(slug, design)
    step = steps[i]
    routes = step.get("routes", []) + _exhaustive_routes(slug, attr, step["next"], style)
    assume(len(routes) <= 20)
    step["routes"] = routes
    step["next"] = bypass
    assert structural_statuses(slug, design) == before


def test_routing_true_and_false_passes_the_callback_check():
    """The reported example: routing both values of a boolean is exhaustive."""
    design = exemplar("ap-invoice-processing", "agent-extraction-with-callback")
    dedupe = next(s for s in design["steps"] if s["id"] == "dedupe")
    dedupe["routes"].append(
        {"when": [{"attr": "bank_change", "op": "==", "value": False}], "to": "approve"}
    )
    dedupe["next"] = "pay"
    statuses = structural_statuses("ap-invoice-processing", design)
    assert statuses["bank-change-callback"] == "pass"
    assert statuses["payment-approval"] == "pass"


def test_a_genuine_bypass_is_still_found_with_the_cases_that_take_it():
    """Domains narrow the search, they do not blind it: leaving one value out is a bypass."""
    from .adversarial import report

    design = exemplar("support-triage-ai", "redact-triage-answer-with-handoff")
    redact = design["steps"][0]
    values = ["order_status", "billing", "technical", "account"]  # not refund
    redact["routes"] = [
        {"when": [{"attr": "category", "op": "in", "value": values}], "to": "ai-triage"}
    ]
    redact["next"] = "refund"
    cps = {c["id"]: c for c in report("support-triage-ai", design)["checkpoints"]}
    failed = cps["refund-approval"]
    assert failed["status"] == "fail"
    assert failed["evidence"]["path"] == ["redact", "refund"]
    assert failed["evidence"]["cases"]["category"] == "== refund"
