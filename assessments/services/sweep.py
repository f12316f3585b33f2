"""The periodic sweeper (``assessments.tasks.sweep``, every 30 s): the safety net under every
step of the pipeline. It sits above the other service modules and calls each one's own sweep."""

from ..selectors import attempts_past_deadline
from .attempts import attempt_expire
from .escalations import decisions_sweep
from .human_scoring import scoring_sweep
from .jobs import grading_sweep
from .regrade_batches import regrade_batches_sweep


def pipeline_sweep() -> dict:
    """Everything the periodic sweeper does, each part bounded: expire attempts past their
    deadline, re-send lost grading jobs and escalate late ones, escalate overdue human
    scoring, record decisions that were missed, and re-send stalled batch regrades."""
    expired = 0
    for attempt in attempts_past_deadline()[:200]:
        attempt_expire(attempt=attempt)
        expired += 1
    return {
        "expired": expired,
        "grading": grading_sweep(),
        "scoring_escalated": scoring_sweep(),
        "decisions_recorded": decisions_sweep(),
        "regrade_batches_resent": regrade_batches_sweep(),
    }
