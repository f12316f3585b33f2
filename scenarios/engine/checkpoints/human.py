"""Human-scored checkpoint kinds: pending until trained graders score them."""

from .base import Context, kind


@kind("human_rubric")
def human_rubric(ctx: Context, params: dict):
    """Scored by trained graders against rubric levels; pending until they do."""
    return None, {
        "levels": params["levels"],
        "reads": params.get("reads", ["rationale"]),
        # shown only if the graders' score falls short (scenarios.engine.grading.finalize)
        "feedback_if_short": params.get("_feedback", ""),
    }
