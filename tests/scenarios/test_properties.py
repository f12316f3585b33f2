"""Property-based tests: random designs never crash the validator or the simulator, and the
simulator is deterministic for a seed."""

import copy
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scenarios.engine import (
    draw_variant,
    grade,
    load_pack,
    parse_design_bytes,
    simulate,
    validate_design,
)
from scenarios.engine.defaults import MAX_SKIPS, MAX_VISITS
from scenarios.engine.labels import guarded_actions, implied
from scenarios.engine.results import OUTCOMES
from scenarios.engine.selftest import design_of

from .conftest import PACK_SLUGS, PACKS

PACK = load_pack(PACKS / "ap-invoice-processing")
VARIANT = draw_variant(PACK, 1)
ROLES = sorted(PACK.role_ids)
AGENTS = sorted(PACK.agent_ids)
SYSTEMS = sorted(PACK.system_ids)
ATTRS = sorted(PACK.case_attributes)
IDS = [f"s{i}" for i in range(8)]


def _condition(attr: str):
    """A condition on ``attr`` that compares it with values of its declared domain."""
    kind = PACK.attribute_kinds[attr]
    if kind == "number":
        ops, values = ["<", "<=", ">", ">=", "==", "!="], st.floats(0, 50_000, allow_nan=False)
    elif kind == "boolean":
        ops, values = ["==", "!="], st.booleans()
    else:
        ops, values = ["==", "!="], st.sampled_from(PACK.enum_values[attr])
    return st.fixed_dictionaries(
        {"attr": st.just(attr), "op": st.sampled_from(ops), "value": values}
    )


conditions = st.lists(
    st.sampled_from([*ATTRS, "confidence"]).flatmap(_condition), min_size=1, max_size=2
)


@st.composite
def steps(draw, n):
    ids = IDS[:n]
    out = []
    for step_id in ids:
        kind = draw(st.sampled_from(["task", "review", "approval", "action"]))
        ptype = draw(st.sampled_from(["role", "agent", "system"]))
        ref = draw(st.sampled_from({"role": ROLES, "agent": AGENTS, "system": SYSTEMS}[ptype]))
        step = {
            "id": step_id,
            "kind": kind,
            "performer": {"type": ptype, "ref": ref},
            "owner": draw(st.sampled_from(ROLES)),
            "next": draw(st.sampled_from([*ids, "end", "end"])),
        }
        if kind in ("task", "review"):
            step["task_type"] = draw(st.sampled_from(sorted(PACK.task_types)))
        if kind == "action":
            step["action"] = draw(st.sampled_from(sorted(PACK.action_kinds)))
        if kind in ("review", "approval"):
            mode = draw(st.sampled_from(["all", "sample", "rule"]))
            step["coverage"] = {"mode": mode}
            if mode == "sample":
                step["coverage"]["rate"] = draw(st.floats(0, 1))
            if mode == "rule":
                step["coverage"]["when"] = draw(conditions)
            if draw(st.booleans()):
                step["on_reject"] = draw(st.sampled_from(ids))
        if draw(st.booleans()):
            step["routes"] = [
                {"when": draw(conditions), "to": draw(st.sampled_from(ids))}
                for _ in range(draw(st.integers(1, 2)))
            ]
        if draw(st.booleans()):
            step["escalation"] = {
                "to": draw(st.sampled_from(ids)),
                "owner": draw(st.sampled_from(ROLES)),
                "timeout_minutes": draw(st.floats(1, 500)),
            }
        out.append(step)
    return out


@st.composite
def designs(draw):
    n = draw(st.integers(1, 8))
    drawn = draw(steps(n))
    for step in drawn:  # labelled as the permission model requires
        if step["kind"] == "approval":
            guarded = sorted(guarded_actions(drawn, step)) or sorted(PACK.action_kinds)
            step["action"] = draw(st.sampled_from(guarded))
        writes, data_classes = implied(PACK.data, {**step, "performer": {}})
        step["systems"] = [{"ref": ref, "access": "write"} for ref in sorted(writes)]
        step["data_classes"] = sorted(data_classes)
    return {
        "schema_version": "1",
        "start": draw(st.sampled_from(IDS[:n])),
        "owner_after_go_live": draw(st.sampled_from(ROLES)),
        "steps": drawn,
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_validator_never_raises_on_arbitrary_json(value):
    errors = validate_design(value, PACK)
    assert errors and all(e.path.startswith("$") and e.message for e in errors)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(), st.integers(0, 2**31))
def test_valid_random_designs_simulate_deterministically(design, seed):
    assume(not validate_design(design, PACK))  # invalid ones: the tests around this one
    first = simulate(PACK, VARIANT, design, seed=seed, count=60)
    second = simulate(PACK, VARIANT, design, seed=seed, count=60)
    assert json.dumps(first.metrics, sort_keys=True) == json.dumps(second.metrics, sort_keys=True)
    assert len(first.cases) == 60
    # Worked steps stop at MAX_VISITS, unchecked ones at MAX_SKIPS: a loop is cut off.
    assert all(len(r.path) <= MAX_VISITS + MAX_SKIPS + 1 for r in first.cases)
    assert {r.outcome for r in first.cases} <= set(OUTCOMES)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_random_designs_get_errors_or_run(design):
    # Either a clear error list, or a design that the simulator runs over every case.
    errors = validate_design(design, PACK)
    if errors:
        assert all(e.path.startswith("$") and e.message and e.code for e in errors)
    else:
        result = simulate(PACK, VARIANT, design, seed=1, count=20)
        assert len(result.cases) == 20 and result.metrics


# --- Mutations of the packs' own exemplars: close to valid, so they reach the deep checks ---

PACKS_BY_SLUG = {slug: load_pack(PACKS / slug) for slug in PACK_SLUGS}


def _exemplar(slug: str) -> dict:
    pack = PACKS_BY_SLUG[slug]
    data = pack.resolve(draw_variant(pack, 1))
    return copy.deepcopy(design_of(data, pack.data["exemplars"][0]["name"]))


def _locations(value, path=()):
    """Every (container path, key) in a JSON value."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*path, key)
            yield from _locations(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield (*path, i)
            yield from _locations(child, (*path, i))


def _get(value, location):
    for part in location:
        value = value[part]
    return value


def _is_scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool))


hostile_values = st.one_of(
    json_values,
    st.sampled_from(["end", "", "x" * 5000, "confidence", "payment", -1, 10**30, 1e308, []]),
)


@st.composite
def mutated_designs(draw):
    slug = draw(st.sampled_from(PACK_SLUGS))
    design = _exemplar(slug)
    locations = list(_locations(design))
    # Values already in the design under the same field name (step ids under "to" and "next",
    # roles under "owner", thresholds under "value"): swapping them around mostly keeps a
    # design valid, so these mutations reach the simulator and the checkpoints.
    by_field: dict = {}
    for loc in locations:
        if _is_scalar(_get(design, loc)) and isinstance(loc[-1], str):
            by_field.setdefault(loc[-1], set()).add(_get(design, loc))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(locations))
        parent = design
        try:
            for part in where[:-1]:
                parent = parent[part]
            how = draw(st.sampled_from(["swap", "swap", "swap", "hostile", "delete"]))
            if how == "swap" and where[-1] in by_field:
                parent[where[-1]] = draw(st.sampled_from(sorted(by_field[where[-1]], key=repr)))
            elif how == "hostile":
                parent[where[-1]] = draw(hostile_values)
            elif isinstance(parent, dict):
                del parent[where[-1]]
            else:
                parent.pop(where[-1])
        except (KeyError, IndexError, TypeError, AttributeError):
            pass  # an earlier mutation moved things (a list may now be text); keep what we have
    return slug, design


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_designs(), st.integers(0, 1000))
def test_mutated_exemplars_get_errors_or_a_deterministic_grade(case, seed):
    slug, design = case
    pack = PACKS_BY_SLUG[slug]
    errors = validate_design(design, pack)
    assert all(e.path.startswith("$") and e.message and e.code for e in errors)
    assume(not errors)
    first = grade(pack, seed, design, count=80).to_dict()
    again = grade(pack, seed, copy.deepcopy(design), count=80).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert first["decision"] in ("pass", "fail", "awaiting_human")
    assert 0 <= first["total"] <= 100


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400))
def test_raw_bytes_never_raise(raw):
    """Either a value to validate or an error that says why not (never neither)."""
    design, errors = parse_design_bytes(raw, max_bytes=300)
    assert (design is None) == bool(errors)
    if errors:
        assert errors[0].code in ("too_large", "invalid_json", "type")
    else:
        assert isinstance(validate_design(design, PACK), list)


@pytest.mark.parametrize("raw", [b"null", "null", b"  null\n"])
def test_json_null_is_refused_with_a_reason(raw):
    design, errors = parse_design_bytes(raw)
    assert design is None and [e.code for e in errors] == ["type"]
