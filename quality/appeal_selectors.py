"""Appeal reads: who graded an attempt, the reviewer's queue, what a person may see."""

from django.db.models import QuerySet

from accounts.models import User
from assessments.models import CertificationDecision, HumanMark, HumanScore, Regrade
from config.errors import NotFound

from .appeal_models import Appeal


def attempt_grader_ids(*, attempt_id) -> set[int]:
    """Everyone who had a hand in the attempt's result: graders of its human items (every mark
    of a double-marked item, adjudicators included), people who decided it and people who
    requested its regrades."""
    ids = set(
        HumanScore.objects.filter(report__attempt_id=attempt_id, grader__isnull=False).values_list(
            "grader_id", flat=True
        )
    )
    ids |= set(  # double marking: first and second markers and the adjudicator
        HumanMark.objects.filter(item__report__attempt_id=attempt_id).values_list(
            "grader_id", flat=True
        )
    )
    ids |= set(
        CertificationDecision.objects.filter(
            attempt_id=attempt_id, decided_by__isnull=False
        ).values_list("decided_by_id", flat=True)
    )
    ids |= set(
        Regrade.objects.filter(attempt_id=attempt_id).values_list("requested_by_id", flat=True)
    )
    return ids


def appeals_visible_to(*, user: User) -> QuerySet[Appeal]:
    """Programme staff see every appeal; a grader the appeals assigned to them; a candidate
    their own."""
    queryset = Appeal.objects.select_related(
        "attempt__exam", "candidate", "reviewer", "decision", "regrade", "new_decision"
    )
    if user.is_programme_admin:
        return queryset
    if user.is_grader:
        return queryset.filter(reviewer=user)
    return queryset.filter(candidate=user)


def review_queue(*, user: User) -> QuerySet[Appeal]:
    """The appeals the reviewer must decide, oldest first."""
    return (
        appeals_visible_to(user=user)
        .filter(reviewer=user, status__in=Appeal.OPEN)
        .order_by("filed_at")
    )


def appeal_for(*, user: User, appeal_id) -> Appeal:
    """One appeal the user may see (NotFound otherwise, so existence is not disclosed)."""
    appeal = appeals_visible_to(user=user).filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound("No such appeal.", code="appeal_not_found")
    return appeal


def appeal_of_attempt(*, attempt_id) -> Appeal | None:
    """The newest appeal on an attempt (what its results page shows)."""
    return Appeal.objects.filter(attempt_id=attempt_id).order_by("-filed_at").first()


def decision_history(*, attempt_id) -> list[CertificationDecision]:
    """Every decision recorded on the attempt, oldest first, reversed ones included."""
    return list(
        CertificationDecision.objects.filter(attempt_id=attempt_id)
        .select_related("decided_by")
        .order_by("decided_at", "id")
    )
