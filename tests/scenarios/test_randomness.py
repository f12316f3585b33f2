"""Luck is not reshuffled by the design (issue 9, part 5): every random number is keyed by
(seed, case, purpose), so a step that does nothing changes nothing, and adding a control never
makes outcomes worse by reshuffling luck. Seeds 1-50 on every pack, at a small case volume."""

import copy
import json

import pytest

from scenarios.engine import draw_variant, grade, load_pack
from scenarios.engine.cases import case_stream
from scenarios.engine.draws import Draws, hashed
from scenarios.engine.selftest import design_of
from scenarios.engine.simulator import run

from .conftest import PACK_SLUGS, PACKS

SEEDS = range(1, 51)
# Checkpoints decided by the simulation (structural ones judge the graph, and whether a review
# that never checks anything may sit there is theirs to say).
OUTCOME_KINDS = ("metric_threshold", "improvement_over_baseline", "work_done")
COUNT = 150
_PACKS = {slug: load_pack(PACKS / slug) for slug in PACK_SLUGS}


def _designs(data):
    return [e["name"] for e in data["exemplars"] + data["flawed"]]


def _with_idle_review(design, data):
    """A review sampling 0% of cases, put in front of the start step."""
    design = copy.deepcopy(design)
    first = next(s for s in design["steps"] if s["id"] == design["start"])
    design["steps"].append(
        {
            "id": "idle-review",
            "kind": "review",
            "task_type": first.get("task_type") or sorted(data["task_types"])[0],
            "performer": {"type": "role", "ref": data["roles"][0]["id"]},
            "data_classes": first.get("data_classes", []),
            "owner": design["owner_after_go_live"],
            "coverage": {"mode": "sample", "rate": 0},
            "next": design["start"],
        }
    )
    design["start"] = "idle-review"
    return design


def _outcome_part(report):
    """Everything the simulation decides: metrics and the outcome checkpoints with evidence."""
    return json.dumps(
        {
            "metrics": report["metrics"],
            "baseline": report["baseline_metrics"],
            "outcomes": [
                c
                for c in report["checkpoints"]
                if "metric" in c["evidence"] or c["kind"] == "work_done"
            ],
            "points": [
                (c["id"], c["status"], c["points"])
                for c in report["checkpoints"]
                if c["kind"] in OUTCOME_KINDS
            ],
        },
        sort_keys=True,
    )


def _traces(result):
    return [result.case_trace(r) for r in result.cases]


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_a_review_sampling_nothing_changes_no_case(slug):
    pack = _PACKS[slug]
    for seed in SEEDS:
        data = pack.resolve(draw_variant(pack, seed))
        for name in _designs(data):
            design = design_of(data, name)
            before = run(data, design, seed=seed, count=COUNT)
            after = run(data, _with_idle_review(design, data), seed=seed, count=COUNT)
            assert after.metrics == before.metrics, (seed, name)
            assert _traces(after) == _traces(before), (seed, name)


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_a_review_sampling_nothing_leaves_the_report_unchanged(slug):
    pack = _PACKS[slug]
    for seed in SEEDS[:4]:
        data = pack.resolve(draw_variant(pack, seed))
        for name in _designs(data)[:3]:
            design = design_of(data, name)
            before = grade(pack, seed, design, count=COUNT).to_dict()
            after = grade(pack, seed, _with_idle_review(design, data), count=COUNT).to_dict()
            assert _outcome_part(after) == _outcome_part(before), (seed, name)


def _agent_actions(design):
    return [
        s["id"]
        for s in design["steps"]
        if s["kind"] == "action" and s["performer"]["type"] == "agent"
    ]


def _approver(data):
    """A role that approves in this pack (the one with the most approval capacity)."""
    roles = [r for r in data["roles"] if "approval" in r.get("minutes", {})] or data["roles"]
    return max(roles, key=lambda r: r.get("headcount", 1) * r.get("hours_per_day", 8))["id"]


def _with_approval_before(design, data, target):
    """A person's approval (every case, nowhere to send a rejection) in front of ``target``."""
    design = copy.deepcopy(design)
    action = next(s for s in design["steps"] if s["id"] == target)
    gate = f"approve-{target}"
    for step in design["steps"]:
        if step.get("next") == target:
            step["next"] = gate
        for route in step.get("routes", []):
            if route["to"] == target:
                route["to"] = gate
        if step.get("on_reject") == target:
            step["on_reject"] = gate
        if step.get("escalation", {}).get("to") == target:
            step["escalation"]["to"] = gate
    if design["start"] == target:
        design["start"] = gate
    design["steps"].append(
        {
            "id": gate,
            "kind": "approval",
            "action": action["action"],
            "performer": {"type": "role", "ref": _approver(data)},
            "owner": design["owner_after_go_live"],
            "coverage": {"mode": "all"},
            "next": target,
        }
    )
    return design


def _agent_acting(data, name):
    """A pack design in which an agent acts: the design itself if it has one, else the design
    with its first action handed to the pack's first agent."""
    design = copy.deepcopy(design_of(data, name))
    if not _agent_actions(design):
        action = next(s for s in design["steps"] if s["kind"] == "action")
        action["performer"] = {"type": "agent", "ref": data["agents"][0]["id"]}
    return design


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_an_approval_before_an_agents_action_never_makes_things_worse(slug):
    pack = _PACKS[slug]
    for seed in SEEDS:
        data = pack.resolve(draw_variant(pack, seed))
        for name in _designs(data)[:4]:
            design = _agent_acting(data, name)
            for target in _agent_actions(design):
                _compare(data, seed, name, design, target)


def _compare(data, seed, name, design, target):
    before = run(data, design, seed=seed, count=COUNT).metrics
    after = run(data, _with_approval_before(design, data, target), seed=seed, count=COUNT).metrics
    where = (seed, name, target)
    assert after["error_escape_rate"] <= before["error_escape_rate"], where
    assert after["adversarial_caught_rate"] >= before["adversarial_caught_rate"], where


def test_a_case_keeps_its_attributes_when_the_pack_gains_an_attribute(ap_pack):
    cases = ap_pack.resolve(draw_variant(ap_pack, 1))["cases"]
    wider = copy.deepcopy(cases)
    wider["attributes"]["aaa_new"] = {"dist": "bernoulli", "p": 0.5}
    for seed in (1, 2, 3):
        before = case_stream(cases, seed=seed, count=300)
        after = case_stream(wider, seed=seed, count=300)
        assert [{k: v for k, v in a.items() if k != "aaa_new"} for a in after.attrs] == before.attrs
        assert after.adversarial == before.adversarial and after.arrivals == before.arrivals


def test_draws_are_keyed_by_seed_case_purpose_and_occurrence():
    a, b = Draws(7, 100), Draws(7, 100)
    first = [a.stream("error", "extraction").draw(i) for i in range(100)]
    # Interleaving other purposes, or drawing the cases in another order, changes nothing.
    b.stream("detect", "x:review:extraction").draw(3)
    again = [b.stream("error", "extraction").draw(i) for i in reversed(range(100))][::-1]
    assert first == again
    assert first != [Draws(8, 100).stream("error", "extraction").draw(i) for i in range(100)]
    stream = a.stream("error", "extraction")  # later occurrences in the same case differ
    repeats = [stream.draw(5) for _ in range(4)]
    assert len(set(repeats)) == 4 and all(0 <= u < 1 for u in repeats)
    assert repeats[-1] == hashed(7, "error:extraction", 5, 4)


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_a_review_sampling_nothing_changes_no_checkpoints_result(slug):
    """Whole report, not only the simulated part: every checkpoint keeps its status and points
    (a review that checks nothing is no one's second look, so separation of duties ignores it)."""
    pack = _PACKS[slug]
    for seed in SEEDS[:10]:
        data = pack.resolve(draw_variant(pack, seed))
        for name in _designs(data):
            design = design_of(data, name)
            before = grade(pack, seed, design, count=COUNT).to_dict()
            after = grade(pack, seed, _with_idle_review(design, data), count=COUNT).to_dict()
            summary = lambda r: [(c["id"], c["status"], c["points"]) for c in r["checkpoints"]]
            assert summary(after) == summary(before), (seed, name)
            assert (after["total"], after["decision"]) == (before["total"], before["decision"])
