"""What quality's decision listeners share: the attempt a newly recorded decision is about."""

from assessments.models import CertificationDecision


def attempt_recorded(decision_id, event: str):
    """The attempt id of a ``"recorded"`` decision event, else None (reversals, decisions
    without an attempt)."""
    if event != "recorded":
        return None
    return (
        CertificationDecision.objects.filter(pk=decision_id)
        .values_list("attempt_id", flat=True)
        .first()
    )
