"""A pack author's mistakes are found when the pack loads, each with a JSON path."""

import copy

import pytest
import yaml

from scenarios.engine import PackError, load_pack, parse_pack, selftest

from .conftest import PACK_SLUGS, PACKS


def problems_of(data) -> dict:
    with pytest.raises(PackError) as raised:
        parse_pack(data)
    return {p.path: p for p in raised.value.problems}


@pytest.fixture
def ap_data(ap_pack):
    return copy.deepcopy(ap_pack.data)


def _cp(data, cp_id):
    return next(c for c in data["rubric"]["checkpoints"] if c["id"] == cp_id)


def test_an_unquoted_comma_in_a_yaml_flow_mapping_is_caught():
    text = (PACKS / "ap-invoice-processing" / "pack.yaml").read_text()
    broken = text.replace('name: "ERP (invoices, POs, receipts, payments)"', "name: ERP (a, b)")
    assert broken != text
    found = problems_of(yaml.safe_load(broken))
    assert "$.systems[0]" in found and "quote" in found["$.systems[0]"].message


def test_unknown_checkpoint_kind_and_missing_params(ap_data):
    _cp(ap_data, "payment-approval")["kind"] = "vibes"
    del _cp(ap_data, "segregation")["params"]["second"]
    _cp(ap_data, "monitoring")["params"]["extra"] = 1
    found = problems_of(ap_data)
    index = [c["id"] for c in ap_data["rubric"]["checkpoints"]].index
    assert found[f"$.rubric.checkpoints[{index('payment-approval')}].kind"].code == "unknown_kind"
    assert "params.second" in found[f"$.rubric.checkpoints[{index('segregation')}].params"].message
    assert f"$.rubric.checkpoints[{index('monitoring')}].params.extra" in found


def test_selectors_and_metrics_must_name_things_that_exist(ap_data):
    _cp(ap_data, "payment-approval")["params"]["gate"]["performer"] = ["cfo"]
    _cp(ap_data, "cycle-time")["params"]["metric"] = "happiness"
    found = problems_of(ap_data)
    assert any(path.endswith(".params.gate.performer") for path in found)
    assert any(path.endswith(".params.metric") for path in found)


def test_flawed_designs_must_declare_real_checkpoints_and_bases(ap_data):
    ap_data["flawed"][0]["expected_failures"].append("no-such-checkpoint")
    ap_data["flawed"][1]["base"] = "no-such-exemplar"
    ap_data["exemplars"][0]["human_scores"]["rationale-controls"]["points"] = 99
    found = problems_of(ap_data)
    assert "$.flawed[0].expected_failures[1]" in found
    assert "$.flawed[1].base" in found
    assert found["$.exemplars[0].human_scores.rationale-controls.points"].code == "pack_range"


def test_numbers_that_cannot_be_right(ap_data):
    ap_data["cases"]["attributes"]["vendor_risk"]["values"]["low"] = 0.5
    ap_data["variant_parameters"]["fraud_rate"] = {"min": 0.05, "max": 0.01}
    found = problems_of(ap_data)
    assert "add up to" in found["$.cases.attributes.vendor_risk.values"].message
    assert found["$.variant_parameters.fraud_rate"].code == "pack_range"


def test_probabilities_outside_zero_to_one_break_the_schema(ap_data):
    ap_data["roles"][0]["error_rate"] = 1.5
    assert problems_of(ap_data)["$.roles[0].error_rate"].code == "pack_schema"


def test_placeholders_need_a_variant_parameter(ap_data):
    ap_data["brief"] += " ${mystery_number}"
    assert any("mystery_number" in p.message for p in problems_of(ap_data).values())


@pytest.mark.parametrize("slug", PACK_SLUGS)
def test_designs_hold_for_variants_beyond_the_selftest_seeds(slug):
    # Attempts draw any seed: exemplars must pass and flawed designs fail for those too.
    result = selftest(load_pack(PACKS / slug), seeds=[11, 23])
    assert result.ok, [item for item in result.items if not item["ok"]]
