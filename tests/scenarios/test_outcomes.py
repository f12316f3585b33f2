"""Work not done is not free (issue 9, part 1): every case has one outcome; a design that pays
nothing, rejects everything, loops everything or escalates into a black hole fails the critical
work-done checkpoint of every pack, clearly, with a counterexample case and its path."""

import copy

import pytest

from scenarios.engine import draw_variant, grade, load_pack
from scenarios.engine.results import COMPLETED, OUTCOMES
from scenarios.engine.selftest import design_of
from scenarios.engine.simulator import run, settings

from .conftest import PACK_SLUGS, PACKS

SEEDS = (1, 2)
COUNT = 400


def _setup(slug, seed):
    pack = load_pack(PACKS / slug)
    data = pack.resolve(draw_variant(pack, seed))
    exemplar = copy.deepcopy(design_of(data, data["exemplars"][0]["name"]))
    return pack, data, exemplar


def _work_steps(design, data):
    work, _, _ = settings(data)
    return {s["id"] for s in design["steps"] if s["kind"] == "action" and s.get("action") in work}


def _pays_nothing(design, data):
    """Every way into the work action (or into the approval in front of it) ends the case."""
    work = _work_steps(design, data)
    work |= {s["id"] for s in design["steps"] if s["kind"] == "approval" and s.get("next") in work}
    for step in design["steps"]:
        if step.get("next") in work:
            step["next"] = "end"
        step["routes"] = [r for r in step.get("routes", []) if r["to"] not in work]
        if not step["routes"]:
            step.pop("routes")
    design["steps"] = [s for s in design["steps"] if s["id"] not in work]
    return design


def _new_start(design, data, step):
    """``step`` (labelled with what its work writes and touches) as the design's start."""
    implied = data.get("permissions", {}).get("task_types", {}).get(step["task_type"], {})
    if implied.get("writes"):
        step["systems"] = [{"ref": ref, "access": "write"} for ref in implied["writes"]]
    if implied.get("data_classes"):
        step["data_classes"] = list(implied["data_classes"])
    design["steps"].insert(0, step)
    design["start"] = step["id"]
    return design


def _first_task(data):
    """A task type that detects nothing (so a step doing it checks nothing)."""
    detecting = {task for by_task in data.get("detection", {}).values() for task in by_task}
    return sorted(set(data["task_types"]) - detecting)[0]


def _rejects_everything(design, data):
    system = data["systems"][0]["id"]
    return _new_start(
        design,
        data,
        {
            "id": "decline",
            "kind": "task",
            "task_type": _first_task(data),
            "performer": {"type": "system", "ref": system},
            "owner": design["owner_after_go_live"],
            "next": "end",
        },
    )


def _loops_everything(design, data):
    agent = data["agents"][0]["id"]  # an agent: each call costs something
    return _new_start(
        design,
        data,
        {
            "id": "spin",
            "kind": "task",
            "task_type": _first_task(data),
            "performer": {"type": "agent", "ref": agent},
            "owner": design["owner_after_go_live"],
            # The way out needs a flag that this step never raises: every case goes round.
            "routes": [
                {"when": [{"attr": "flagged", "op": "==", "value": True}], "to": design["start"]}
            ],
            "next": "spin",
        },
    )


def _slowest_role(data):
    def minutes_per_case(role):
        worst = max([role.get("default_minutes", 10), *role.get("minutes", {}).values()])
        return worst * 24.0 / role.get("hours_per_day", 8) / role.get("headcount", 1)

    role = max(data["roles"], key=minutes_per_case)
    minutes = role.get("minutes", {})
    task = max(minutes, key=minutes.get) if minutes else _first_task(data)
    if task not in data["task_types"]:
        task = _first_task(data)
    return role["id"], task


def _black_hole(design, data, *, to_itself=False):
    """Every case first waits for the slowest person; with ``to_itself`` the wait escalates back
    into the same queue."""
    role, task = _slowest_role(data)
    step = {
        "id": "hold",
        "kind": "task",
        "task_type": task,
        "performer": {"type": "role", "ref": role},
        "owner": design["owner_after_go_live"],
        "next": design["start"],
    }
    if to_itself:
        step["escalation"] = {
            "to": "hold",
            "owner": design["owner_after_go_live"],
            "timeout_minutes": 30,
        }
    return _new_start(design, data, step)


BROKEN = {
    "pays-nothing": _pays_nothing,
    "rejects-everything": _rejects_everything,
    "loops-everything": _loops_everything,
    "black-hole-queue": _black_hole,
    "escalates-to-itself": lambda d, data: _black_hole(d, data, to_itself=True),
}


@pytest.mark.parametrize("slug", PACK_SLUGS)
@pytest.mark.parametrize("broken", sorted(BROKEN))
@pytest.mark.parametrize("seed", SEEDS)
def test_a_design_that_does_not_do_the_work_fails_with_a_counterexample(slug, broken, seed):
    pack, data, exemplar = _setup(slug, seed)
    report = grade(pack, seed, BROKEN[broken](exemplar, data), count=COUNT).to_dict()
    assert report["decision"] == "fail"
    assert "work-done" in report["critical_failures"]
    work = next(c for c in report["checkpoints"] if c["id"] == "work-done")
    assert work["status"] == "fail" and work["critical"] and work["feedback"]
    evidence = work["evidence"]
    assert evidence["shortfalls"]
    trace = evidence["counterexample"]
    assert trace["case_id"] and trace["path"] and trace["outcome"] in ("rejected", "unfinished")
    assert trace["adversarial"] is None  # a legitimate case whose work was not done


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_the_exemplars_do_the_work(slug):
    pack, data, _ = _setup(slug, 1)
    for entry in data["exemplars"]:
        report = grade(pack, 1, design_of(data, entry["name"])).to_dict()
        work = next(c for c in report["checkpoints"] if c["id"] == "work-done")
        assert work["status"] == "pass", (entry["name"], work["evidence"])


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_every_case_has_exactly_one_outcome_and_the_rates_add_up(slug):
    _, data, exemplar = _setup(slug, 2)
    for design in (exemplar, _loops_everything(copy.deepcopy(exemplar), data)):
        result = run(data, design, seed=2, count=COUNT)
        assert {r.outcome for r in result.cases} <= set(OUTCOMES)
        m = result.metrics
        completed = sum(r.outcome in COMPLETED for r in result.cases)
        assert m["completed_rate"] == round(completed / COUNT, 4)
        total = m["completed_rate"] + m["rejected_rate"] + m["unfinished_rate"]
        assert abs(total - 1.0) < 1e-3


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_unfinished_cases_count_in_cycle_time_at_their_age(slug):
    """Censored, not dropped: a design that finishes nothing does not have a cycle time of 0."""
    _, data, exemplar = _setup(slug, 1)
    result = run(data, _loops_everything(exemplar, data), seed=1, count=COUNT)
    assert all(r.outcome == "unfinished" and r.censored for r in result.cases)
    sla_hours = float(data["cases"]["sla_hours"])
    assert result.metrics["cycle_time_p50_hours"] > sla_hours
    assert result.metrics["sla_breach_rate"] == 1.0
    assert result.metrics["cost_per_case"] > 0  # the work spent on them counts


@pytest.mark.parametrize("slug", PACK_SLUGS)
@pytest.mark.parametrize("broken", ["loops-everything", "rejects-everything"])
def test_an_attack_is_caught_only_when_a_check_stopped_it(slug, broken):
    """Attacks that merely never finish, or are turned away unseen with everything else, are
    not caught."""
    _, data, exemplar = _setup(slug, 1)
    result = run(data, BROKEN[broken](exemplar, data), seed=1, count=2000)
    assert result.metrics["adversarial_cases"] > 0
    assert result.metrics["adversarial_caught_rate"] == 0.0


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_wrongful_rejection_costs_the_business(slug):
    _, data, exemplar = _setup(slug, 1)
    _, _, cost = settings(data)
    assert cost > 0
    result = run(data, _rejects_everything(exemplar, data), seed=1, count=COUNT)
    m = result.metrics
    assert m["wrongful_rejection_rate"] > 0.9 and m["completed_rate"] == 0.0
    assert m["cost_per_case"] >= cost * m["wrongful_rejection_rate"]
    wrongful = [r for r in result.cases if r.wrongful_rejection]
    assert all(r.adversarial is None and r.outcome == "rejected" for r in wrongful)
