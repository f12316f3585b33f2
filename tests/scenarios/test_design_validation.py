"""Malformed and hostile designs get an error list with JSON paths, never an exception."""

import json

from scenarios.engine import parse_design_bytes, validate_design


def codes(errors):
    return {e.code for e in errors}


def test_the_exemplar_is_valid(ap_pack, ap_exemplar):
    assert validate_design(ap_exemplar, ap_pack) == []


def test_non_object_designs_are_refused(ap_pack):
    for hostile in (None, [], "design", 42, 1.5, True):
        errors = validate_design(hostile, ap_pack)
        assert errors and errors[0].path == "$"


def test_deep_nesting_is_refused_without_recursion(ap_pack):
    deep: dict = {}
    cursor = deep
    for _ in range(10_000):
        cursor["x"] = {}
        cursor = cursor["x"]
    assert codes(validate_design(deep, ap_pack)) == {"too_deep"}


def test_oversized_and_broken_json_bytes(ap_pack):
    design, errors = parse_design_bytes(b"{" * 10, max_bytes=1024)
    assert design is None and codes(errors) == {"invalid_json"}
    design, errors = parse_design_bytes(b" " * 2048, max_bytes=1024)
    assert design is None and codes(errors) == {"too_large"}
    design, errors = parse_design_bytes("[" * 100_000, max_bytes=10**6)
    assert design is None and codes(errors) == {"invalid_json"}


def test_schema_errors_carry_paths(ap_pack, ap_exemplar):
    ap_exemplar["steps"][2]["kind"] = "teleport"
    ap_exemplar["steps"][3]["performer"] = {"type": "role"}
    ap_exemplar["surprise"] = 1
    errors = validate_design(ap_exemplar, ap_pack)
    paths = {e.path for e in errors}
    assert "$.steps[2].kind" in paths
    assert "$.steps[3].performer" in paths
    assert any("surprise" in e.message for e in errors)


def test_unknown_references_are_named(ap_pack, ap_exemplar):
    ap_exemplar["steps"][0]["performer"]["ref"] = "gpt-9"
    ap_exemplar["steps"][1]["owner"] = "ceo"
    ap_exemplar["steps"][2]["next"] = "nowhere"
    ap_exemplar["steps"][4]["routes"][0]["when"][0]["attr"] = "colour"
    errors = {e.path: e for e in validate_design(ap_exemplar, ap_pack)}
    assert errors["$.steps[0].performer.ref"].code == "unknown_agent"
    assert "extraction-agent" in errors["$.steps[0].performer.ref"].message
    assert errors["$.steps[1].owner"].code == "unknown_role"
    assert errors["$.steps[2].next"].code == "unknown_step"
    assert errors["$.steps[4].routes[0].when[0].attr"].code == "unknown_attribute"


def test_a_loop_with_no_way_out_is_refused(ap_pack, ap_exemplar):
    # code -> match -> code, and nothing in the loop leads to 'end'
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["match"]["next"] = "code"
    steps["code"]["next"] = "match"
    errors = validate_design(ap_exemplar, ap_pack)
    assert {e.code for e in errors} == {"never_terminates"}
    assert any(e.path.startswith("$.steps[") for e in errors)


def test_a_loop_with_an_exit_is_allowed(ap_pack, ap_exemplar):
    # approve rejects to exceptions, which returns to approve: a rework loop that can finish
    assert validate_design(ap_exemplar, ap_pack) == []


def test_duplicate_step_ids(ap_pack, ap_exemplar):
    ap_exemplar["steps"][1]["id"] = "extract"
    assert "duplicate" in codes(validate_design(ap_exemplar, ap_pack))


def test_oversized_design_object(ap_pack, ap_exemplar):
    ap_exemplar["rationale"] = {f"k{i}": "x" * 19_000 for i in range(20)}
    errors = validate_design(ap_exemplar, ap_pack)
    assert codes(errors) == {"too_large"}


def test_errors_are_json_serialisable(ap_pack):
    errors = validate_design({"steps": "nope"}, ap_pack)
    assert json.loads(json.dumps([e.to_dict() for e in errors]))


def test_non_finite_numbers_and_non_json_values_are_refused(ap_pack, ap_exemplar):
    ap_exemplar["steps"][0]["escalation"]["timeout_minutes"] = float("nan")
    errors = validate_design(ap_exemplar, ap_pack)
    assert [(e.path, e.code) for e in errors] == [("$.steps[0].escalation.timeout_minutes", "type")]
    assert codes(validate_design({"steps": {1, 2}}, ap_pack)) == {"type"}
    assert codes(validate_design({1: "x"}, ap_pack)) == {"type"}
    _, errors = parse_design_bytes(b'{"rate": Infinity}')
    assert codes(errors) == {"invalid_json"}


def test_very_wide_designs_are_refused_before_schema_checks(ap_pack):
    wide = {"steps": [[0] * 100 for _ in range(1000)]}
    assert codes(validate_design(wide, ap_pack)) == {"too_large"}


def test_self_referencing_objects_do_not_hang(ap_pack):
    loop: dict = {}
    loop["self"] = loop
    assert codes(validate_design(loop, ap_pack)) == {"too_deep"}


def test_schema_messages_say_what_to_fix(ap_pack, ap_exemplar):
    del ap_exemplar["start"]
    ap_exemplar["steps"][0]["id"] = "Extract Step"
    ap_exemplar["steps"][1]["performer"]["type"] = "robot"
    errors = {e.path: e for e in validate_design(ap_exemplar, ap_pack)}
    assert errors["$"].code == "missing_field" and "'start'" in errors["$"].message
    assert errors["$.steps[0].id"].code == "invalid_id"
    assert "lowercase" in errors["$.steps[0].id"].message
    assert errors["$.steps[1].performer.type"].code == "not_allowed"
    assert "role, agent, system" in errors["$.steps[1].performer.type"].message
    assert all(len(e.message) < 300 for e in errors.values())
