"""User-facing sentences use the right article and plural ("an agent", "1 point")."""

import copy
import json

import pytest
from django.core.management import call_command

from scenarios import engine
from scenarios.engine.wording import count, with_article
from scenarios.services import PACKS_DIR

EXAMPLES = PACKS_DIR.parents[1] / "docs" / "scenarios" / "examples"


def test_count_and_article():
    assert [count(n, "point") for n in (0, 0.5, 1, 1.0, 2)] == [
        "0 points",
        "0.5 points",
        "1 point",
        "1 point",
        "2 points",
    ]
    assert [with_article(w) for w in ("agent", "role", "system")] == [
        "an agent",
        "a role",
        "a system",
    ]


def test_an_unknown_agent_reads_is_not_an_agent():
    pack = engine.load_pack(PACKS_DIR / "ap-invoice-processing")
    design = json.loads((EXAMPLES / "ap-exemplar.json").read_text())
    design = copy.deepcopy(design)
    step = next(s for s in design["steps"] if s["performer"]["type"] == "agent")
    step["performer"]["ref"] = "no-such-agent"
    messages = [e.message for e in engine.validate_design(design, pack)]
    assert any("'no-such-agent' is not an agent in this scenario" in m for m in messages), messages


@pytest.mark.django_db
def test_grade_design_lists_a_one_point_level_as_1_point(capsys):
    call_command(
        "grade_design",
        "--scenario",
        "ap-invoice-processing",
        "--design",
        str(EXAMPLES / "ap-exemplar.json"),
    )
    out = capsys.readouterr().out
    assert "    1 point: " in out and "1 points" not in out
