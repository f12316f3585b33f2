"""Issue 9.6: hostile numbers and names are refused with clear errors, the size limit applies to
the bytes sent, and a rollout that goes back is neither valid nor rewarded. Each property is
tried on every pack's exemplars."""

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scenarios.engine import (
    MAX_DESIGN_BYTES,
    InvalidDesign,
    grade,
    parse_design_bytes,
    validate_design,
)
from scenarios.engine.checkpoints import REGISTRY, Context

from .adversarial import exemplar, exemplar_names, pack_of

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _conditions(design: dict) -> list[tuple[str, dict]]:
    """(JSON path, condition) for every condition in a design."""
    found = []
    for i, step in enumerate(design["steps"]):
        for j, route in enumerate(step.get("routes", [])):
            for k, cond in enumerate(route["when"]):
                found.append((f"$.steps[{i}].routes[{j}].when[{k}]", cond))
        for k, cond in enumerate(step.get("coverage", {}).get("when", [])):
            found.append((f"$.steps[{i}].coverage.when[{k}]", cond))
    return found


def _codes_at(errors) -> dict:
    return {e.path: e.code for e in errors}


@SETTINGS
@given(
    data=st.data(),
    number=st.integers(min_value=10**15 + 1, max_value=10**400)
    | st.integers(max_value=-(10**15) - 1),
)
def test_a_huge_number_in_a_condition_is_refused_not_an_overflow(data, number):
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    design = exemplar(slug, name)
    path, cond = data.draw(st.sampled_from(_conditions(design)), label="condition")
    cond["attr"], cond["op"], cond["value"] = "confidence", "<", number
    errors = validate_design(design, pack_of(slug))
    assert _codes_at(errors).get(f"{path}.value") == "out_of_range", errors
    with pytest.raises(InvalidDesign):
        grade(pack_of(slug), 1, design, count=20)


def test_a_400_digit_threshold_sent_as_bytes_is_refused_with_a_path():
    design = exemplar("ap-invoice-processing", "agent-extraction-with-callback")
    raw = json.dumps(design).replace('"value": 0.9', '"value": 1' + "0" * 400).encode()
    parsed, errors = parse_design_bytes(raw)
    assert not errors
    errors = validate_design(parsed, pack_of("ap-invoice-processing"))
    assert [(e.path, e.code) for e in errors] == [
        ("$.steps[0].routes[0].when[0].value", "out_of_range")
    ]


@SETTINGS
@given(
    data=st.data(),
    text=st.text(
        alphabet=st.characters(
            min_codepoint=0x80, max_codepoint=0xFFFF, blacklist_categories=["Cs"]
        ),
        min_size=1,
        max_size=50,
    ),
)
def test_the_size_limit_is_on_the_bytes_sent(data, text):
    """A design exactly at the limit in UTF-8 is accepted however its text is escaped when
    re-serialised; one byte over is refused before parsing."""
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    design = exemplar(slug, name)
    design["rationale"]["summary"] = text * 200
    raw = json.dumps(design, ensure_ascii=False).encode("utf-8")
    limit = len(raw)
    assume(len(json.dumps(design)) > limit)  # escaping would make it look bigger
    parsed, errors = parse_design_bytes(raw, max_bytes=limit)
    assert not errors
    assert validate_design(parsed, pack_of(slug), max_bytes=limit) == []
    _, errors = parse_design_bytes(raw, max_bytes=limit - 1)
    assert [e.code for e in errors] == ["too_large"]


def _fill(design: dict, char: str) -> None:
    """Rationale text in ``char`` (2 bytes in UTF-8, 6 when escaped) up to near the limit."""
    chars = (MAX_DESIGN_BYTES - 8000) // 2
    for k in range(chars // 18000 + 1):
        design["rationale"][f"notes_{k}"] = char * min(18000, chars - 18000 * k)


def test_non_ascii_text_within_the_real_limit_is_accepted():
    design = exemplar("ap-invoice-processing", "agent-extraction-with-callback")
    _fill(design, "é")
    raw = json.dumps(design, ensure_ascii=False).encode()
    assert len(raw) <= MAX_DESIGN_BYTES < len(json.dumps(design))
    parsed, errors = parse_design_bytes(raw)
    assert not errors and validate_design(parsed, pack_of("ap-invoice-processing")) == []


def _mistyped_values(pack, attr: str) -> list:
    kind = pack.attribute_kinds[attr]
    if kind == "number":
        return ["high", True]
    if kind == "boolean":
        return [1, "true"]
    return [3, 0.5, True]


@SETTINGS
@given(data=st.data())
def test_comparing_an_attribute_with_a_value_of_another_type_is_a_type_error(data):
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    pack = pack_of(slug)
    design = exemplar(slug, name)
    path, cond = data.draw(st.sampled_from(_conditions(design)), label="condition")
    attr = data.draw(st.sampled_from(sorted(pack.attribute_kinds)), label="attribute")
    value = data.draw(st.sampled_from(_mistyped_values(pack, attr)), label="value")
    cond["attr"], cond["op"], cond["value"] = attr, "==", value
    assert _codes_at(validate_design(design, pack)).get(f"{path}.value") == "type"


@SETTINGS
@given(data=st.data(), op=st.sampled_from(["<", "<=", ">", ">="]))
def test_ordering_text_or_booleans_is_a_type_error(data, op):
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    pack = pack_of(slug)
    design = exemplar(slug, name)
    path, cond = data.draw(st.sampled_from(_conditions(design)), label="condition")
    attr = data.draw(
        st.sampled_from(sorted(a for a, k in pack.attribute_kinds.items() if k != "number"))
    )
    cond["attr"], cond["op"], cond["value"] = attr, op, 5
    assert _codes_at(validate_design(design, pack)).get(f"{path}.op") == "type"


def _rename(design: dict, old: str, new: str) -> None:
    for step in design["steps"]:
        if step["id"] == old:
            step["id"] = new
        for route in step.get("routes", []):
            route["to"] = new if route["to"] == old else route["to"]
        for key in ("next", "on_reject"):
            if step.get(key) == old:
                step[key] = new
        if step.get("escalation", {}).get("to") == old:
            step["escalation"]["to"] = new
    if design["start"] == old:
        design["start"] = new


@SETTINGS
@given(data=st.data())
def test_end_is_refused_as_a_step_id(data):
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    design = exemplar(slug, name)
    i = data.draw(st.integers(0, len(design["steps"]) - 1), label="step")
    _rename(design, design["steps"][i]["id"], "end")
    errors = validate_design(design, pack_of(slug))
    assert _codes_at(errors).get(f"$.steps[{i}].id") == "reserved_id", errors


def _reversals(phases: list) -> list[list]:
    return [list(reversed(phases)), [phases[-1], *phases[:-1]]]


@pytest.mark.parametrize(("slug", "name"), exemplar_names())
@pytest.mark.parametrize("how", [0, 1])
def test_a_rollout_that_goes_back_is_refused_and_not_rewarded(slug, name, how):
    design = exemplar(slug, name)
    design["rollout"]["phases"] = _reversals(design["rollout"]["phases"])[how]
    errors = validate_design(design, pack_of(slug))
    assert "rollout_order" in {e.code for e in errors}
    assert all(e.path.startswith("$.rollout.phases[") for e in errors)
    # The checkpoint itself does not reward it either (for designs graded without validation).
    (cp,) = [c for c in pack_of(slug).rubric["checkpoints"] if c["kind"] == "rollout_staged"]
    ctx = Context(design=design, steps=[], start=0, sim=None, baseline=None)
    credit, evidence = REGISTRY["rollout_staged"](ctx, cp["params"])
    assert credit == 0.0 and evidence["problems"]


@SETTINGS
@given(data=st.data(), keep=st.floats(0, 0.99))
def test_a_share_that_falls_is_refused(data, keep):
    slug, name = data.draw(st.sampled_from(exemplar_names()), label="exemplar")
    design = exemplar(slug, name)
    phases = design["rollout"]["phases"]
    shares = [p.get("share", 0) for p in phases]
    later = data.draw(
        st.sampled_from([j for j in range(1, len(phases)) if max(shares[:j]) > 0]), label="phase"
    )
    phases[later]["share"] = round(max(shares[:later]) * keep, 6)
    errors = validate_design(design, pack_of(slug))
    assert _codes_at(errors).get(f"$.rollout.phases[{later}].share") == "rollout_order"


# --- Over HTTP: the same refusals come back as 400 with the error list, never a 500 ---

VALIDATE = "/api/v1/scenarios/ap-invoice-processing/validate-design/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mutate",
    [
        lambda text: text.replace('"value": 0.9', '"value": 1' + "0" * 400),
        lambda text: text.replace('"id": "pay"', '"id": "end"').replace('"pay"', '"end"'),
        lambda text: text.replace('"op": "<", "value": 0.9', '"op": "<", "value": "high"'),
    ],
    ids=["huge-number", "reserved-id", "text-vs-number"],
)
def test_the_validate_endpoint_answers_400_with_errors(client_for, candidate, published_ap, mutate):
    text = mutate(json.dumps(exemplar("ap-invoice-processing", "agent-extraction-with-callback")))
    response = client_for(candidate).generic(
        "POST", VALIDATE, text, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid_design" and body["errors"]


@pytest.mark.django_db
def test_the_validate_endpoint_accepts_non_ascii_within_the_limit(
    client_for, candidate, published_ap
):
    design = exemplar("ap-invoice-processing", "agent-extraction-with-callback")
    _fill(design, "ü")
    raw = json.dumps(design, ensure_ascii=False).encode()
    assert len(raw) <= MAX_DESIGN_BYTES < len(json.dumps(design))
    response = client_for(candidate).generic(
        "POST", VALIDATE, raw, content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 200, response.content[:300]
