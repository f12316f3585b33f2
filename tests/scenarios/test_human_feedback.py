"""A human-scored criterion reads what the graders decided: full marks never carry the pack's
"rationale incomplete" message, and the grader's comment is the feedback."""

import json

import pytest

from scenarios import engine
from scenarios.engine.selftest import design_of
from scenarios.services import PACKS_DIR


@pytest.fixture(scope="module")
def pending_report():
    pack = engine.load_pack(PACKS_DIR / "ap-invoice-processing")
    design = design_of(pack.resolve(engine.draw_variant(pack, 1)), "agent-extraction-with-callback")
    return engine.grade(pack, 1, design).to_dict()


def _cp(report, cp_id):
    return next(c for c in report["checkpoints"] if c["id"] == cp_id)


def test_full_marks_read_the_graders_comment_and_nothing_about_an_incomplete_rationale(
    pending_report,
):
    final = engine.finalize(
        pending_report,
        {
            "rationale-controls": {"points": 2, "comment": "Each control tied to its risk."},
            "rationale-change": {"points": 1, "comment": ""},
        },
    )
    controls = _cp(final, "rationale-controls")
    assert controls["status"] == "pass"
    assert controls["feedback"] == "Grader: Each control tied to its risk."
    assert "incomplete" not in json.dumps(controls)
    assert controls["evidence"]["human_score"]["comment"] == "Each control tied to its risk."
    assert _cp(final, "rationale-change")["feedback"] == ""


def test_a_short_score_reads_the_packs_message_then_the_comment(pending_report):
    final = engine.finalize(
        pending_report,
        {
            "rationale-controls": {"points": 1, "comment": "Residual risks are missing."},
            "rationale-change": {"points": 1},
        },
    )
    controls = _cp(final, "rationale-controls")
    assert controls["status"] == "partial"
    assert controls["feedback"] == (
        "Graders found the control rationale incomplete. Grader: Residual risks are missing."
    )


def test_a_pending_criterion_does_not_say_it_was_found_incomplete(pending_report):
    pending = _cp(pending_report, "rationale-controls")
    assert pending["status"] == "pending" and pending["feedback"] == ""
    assert "incomplete" not in json.dumps(pending["evidence"].get("feedback", ""))
