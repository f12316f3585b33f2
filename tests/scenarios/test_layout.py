"""The editor keeps step positions in the design's optional ``layout`` object; grading ignores
it, so the same design grades identically with or without one."""

import json
from pathlib import Path

import pytest

from scenarios import engine

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "scenarios" / "examples"


@pytest.fixture(scope="module")
def ap_pack():
    from scenarios.services import PACKS_DIR

    return engine.load_pack(PACKS_DIR / "ap-invoice-processing")


def _with_layout(design: dict) -> dict:
    laid_out = json.loads(json.dumps(design))
    laid_out["layout"] = {
        "positions": {s["id"]: {"x": 200 * i, "y": 40.5 * i} for i, s in enumerate(design["steps"])}
    }
    return laid_out


@pytest.mark.parametrize("name", ["ap-exemplar.json", "ap-flawed-sampled-approvals.json"])
def test_a_design_grades_the_same_with_or_without_its_layout(ap_pack, name):
    design = json.loads((EXAMPLES / name).read_text())
    assert engine.validate_design(_with_layout(design), ap_pack) == []
    plain = engine.grade(ap_pack, 3, design).to_dict()
    laid_out = engine.grade(ap_pack, 3, _with_layout(design)).to_dict()
    assert laid_out == plain


def test_a_layout_with_unknown_fields_or_wild_numbers_is_refused(ap_pack):
    design = json.loads((EXAMPLES / "ap-exemplar.json").read_text())
    design["layout"] = {"positions": {"extract": {"x": 1e9, "y": 0, "z": 1}}, "zoom": 2}
    paths = {e.path for e in engine.validate_design(design, ap_pack)}
    assert any(p.startswith("$.layout") for p in paths), paths
