"""Issue 9.4: a guardrail counts only if a case can take it.

Every transformation below is applied to every agent step of every pack's exemplars: it keeps
the low-confidence route's text but leaves no case able to take it (contradictory conditions,
a condition outside an attribute's declared domain, or an earlier catch-all route), or points the
escalation back at the agent. The agent-guardrails checkpoint must then fail."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .adversarial import (
    agent_task_steps,
    checkpoint_ids,
    exemplar,
    exemplar_names,
    guard_routes,
    report,
    resolved,
    structural_statuses,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _guard_checkpoint(slug: str) -> str:
    (cp_id,) = checkpoint_ids(slug, "agent_steps_guarded")
    return cp_id


def _contradiction(slug: str, route: dict, how: int) -> list[dict]:
    """Extra conditions that, with the route's own, no case satisfies."""
    bound = next(c for c in route["when"] if c["attr"] == "confidence")
    if how == 0:  # confidence < v and confidence >= v
        return [{"attr": "confidence", "op": ">=", "value": bound["value"]}]
    if how == 1:  # confidence above the highest value there is
        return [{"attr": "confidence", "op": ">", "value": 1}]
    attributes = resolved(slug)["cases"]["attributes"]
    if how == 2:  # a boolean that is neither true nor false
        name = next(n for n, s in sorted(attributes.items()) if s["dist"] == "bernoulli")
        return [
            {"attr": name, "op": "!=", "value": True},
            {"attr": name, "op": "!=", "value": False},
        ]
    # a number below its declared minimum
    name, spec = next((n, s) for n, s in sorted(attributes.items()) if "min" in s)
    return [{"attr": name, "op": "<", "value": spec["min"]}]


CATCH_ALLS = [
    [{"attr": "confidence", "op": ">=", "value": 0}],
    [{"attr": "flagged", "op": "in", "value": [True, False]}],
    [{"attr": "confidence", "op": "<=", "value": 1}],
]


def _agent_step(data):
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    design = exemplar(slug, name)
    i = data.draw(st.sampled_from(agent_task_steps(design)), label="agent step")
    return slug, design, design["steps"][i]


def _guard_fails(slug: str, design: dict) -> dict:
    cp_id = _guard_checkpoint(slug)
    (cp,) = [c for c in report(slug, design)["checkpoints"] if c["id"] == cp_id]
    assert cp["status"] == "fail", cp
    return cp


@SETTINGS
@given(data=st.data(), how=st.integers(0, 3))
def test_a_guard_route_no_case_can_satisfy_is_not_a_guardrail(data, how):
    slug, design, step = _agent_step(data)
    assert structural_statuses(slug, design)[_guard_checkpoint(slug)] == "pass"
    for i in guard_routes(design, step):
        route = step["routes"][i]
        route["when"] = route["when"] + _contradiction(slug, route, how)
    cp = _guard_fails(slug, design)
    assert step["id"] in [p["step"] for p in cp["evidence"]["steps"]]


@SETTINGS
@given(data=st.data(), catch_all=st.sampled_from(CATCH_ALLS))
def test_a_guard_route_shadowed_by_an_earlier_catch_all_is_not_a_guardrail(data, catch_all):
    slug, design, step = _agent_step(data)
    machines = [s["id"] for s in design["steps"] if s["performer"]["type"] == "system"]
    to = data.draw(st.sampled_from(machines), label="catch-all goes to")
    step["routes"] = [{"when": catch_all, "to": to}, *step.get("routes", [])]
    cp = _guard_fails(slug, design)
    (problem,) = [p for p in cp["evidence"]["steps"] if p["step"] == step["id"]]
    assert problem["counterexample"]["by"] == "routes[0]"


@SETTINGS
@given(data=st.data())
def test_an_escalation_back_to_an_agent_is_not_a_guardrail(data):
    slug, design, step = _agent_step(data)
    step["escalation"]["to"] = step["id"]
    _guard_fails(slug, design)


def test_a_guard_on_only_some_low_confidence_cases_is_found_with_its_counterexample():
    """A catch-all route in front of the guard that lets most cases through: the guard still
    takes a few, but low-confidence invoices of 30 USD or more go straight to the ERP match."""
    design = exemplar("ap-invoice-processing", "agent-extraction-with-callback")
    extract = design["steps"][0]
    extract["routes"].insert(
        0, {"when": [{"attr": "amount", "op": ">=", "value": 30}], "to": "match"}
    )
    cp = _guard_fails("ap-invoice-processing", design)
    (problem,) = cp["evidence"]["steps"]
    assert problem["counterexample"]["cases"]["amount"] == ">= 30"
    assert problem["counterexample"]["goes_to"] == "match"
