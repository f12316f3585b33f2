"""The grading engine: workflow designs, scenario packs, the simulator, checkpoints, grading.

Plain Python with no Django import, so it can be tested and benchmarked alone. Grading is a pure
function of (pack version, variant seed, design, ENGINE_VERSION).
"""

from .design import (
    DESIGN_SCHEMA_VERSION,
    MAX_DESIGN_BYTES,
    design_json_schema,
    design_size,
    parse_design_bytes,
    validate_design,
)
from .disclosure import candidate_view, hidden_parameters, public_variant
from .errors import DesignError, PackError, Problem
from .grading import ENGINE_VERSION, GradeReport, InvalidDesign, finalize, grade
from .pack import Pack, draw_variant, load_pack, parse_pack, render_brief
from .pack_checks import pack_json_schema
from .robustness import robustness
from .selftest import SelftestResult, design_of, grade_named, selftest
from .simulator import SimulationResult, simulate

__all__ = [
    "DESIGN_SCHEMA_VERSION",
    "ENGINE_VERSION",
    "MAX_DESIGN_BYTES",
    "DesignError",
    "GradeReport",
    "InvalidDesign",
    "Pack",
    "PackError",
    "Problem",
    "SelftestResult",
    "SimulationResult",
    "candidate_view",
    "design_json_schema",
    "design_of",
    "design_size",
    "draw_variant",
    "finalize",
    "grade",
    "grade_named",
    "hidden_parameters",
    "load_pack",
    "pack_json_schema",
    "parse_design_bytes",
    "parse_pack",
    "public_variant",
    "render_brief",
    "robustness",
    "selftest",
    "simulate",
    "validate_design",
]
