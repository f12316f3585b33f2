"""Adjudication of double-marked items whose two marks differ by more than one level.

The senior grader is a programme admin (there is no separate "senior" flag: programme admins
already answer for the grading, and a flag on the user would be a second, unaudited source of
authority). They must not have given either mark and must not share a partner firm with the
candidate. Their level becomes the recorded score (resolution ``adjudicated``); they see both
marks and comments, which the two graders never saw of each other."""

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict, Forbidden, InvalidRequest

from ..models import GradeReport, HumanMark, HumanScore
from .human_scoring import _conflicted, _levels, report_finalize_if_scored
from .jobs import lock_attempt
from .rounds import round_complete


def may_adjudicate(user) -> bool:
    return bool(user and user.is_authenticated and user.is_programme_admin)


def disputed_items():
    return HumanScore.objects.filter(status=HumanScore.Status.DISPUTED).order_by("due_at", "id")


def item_adjudicate(*, item: HumanScore, adjudicator, points: float, comment: str) -> HumanScore:
    """Record the senior grader's level for a disputed item; finalise the report (and decide the
    attempt) when it was the last item."""
    if not may_adjudicate(adjudicator):
        raise Forbidden("Only a senior grader (programme admin) may adjudicate.")
    if HumanMark.objects.filter(item=item, grader=adjudicator).exists():
        raise Forbidden(
            "You gave one of the two marks; another senior grader must adjudicate.",
            code="conflict_of_interest",
        )
    if _conflicted(adjudicator, item):
        raise Forbidden(
            "You cannot score work from your own partner firm.", code="conflict_of_interest"
        )
    levels = {float(level["points"]) for level in _levels(item)}
    if (levels and float(points) not in levels) or not 0 <= points <= item.max_points:
        raise InvalidRequest(
            f"Points must be one of the rubric levels: {sorted(levels)}.", code="invalid_points"
        )
    now = timezone.now()
    with transaction.atomic():
        lock_attempt(item.report.attempt_id)
        done = HumanScore.objects.filter(pk=item.pk, status=HumanScore.Status.DISPUTED).update(
            status=HumanScore.Status.SCORED,
            grader=adjudicator,
            points=points,
            comment=comment,
            scored_at=now,
            resolution=HumanScore.Resolution.ADJUDICATED,
        )
        if not done:
            raise Conflict("This item is not awaiting adjudication.", code="not_disputed")
        HumanMark.objects.create(
            item=item,
            kind=HumanMark.Kind.ADJUDICATION,
            grader=adjudicator,
            points=points,
            comment=comment,
        )
        item.refresh_from_db()
        audit_record(
            actor=adjudicator,
            action="human_score.adjudicated",
            target=item,
            data={
                "points": points,
                "checkpoint": item.checkpoint_id,
                "marks": [m.points for m in item.marks.exclude(kind=HumanMark.Kind.ADJUDICATION)],
            },
        )
        report = GradeReport.objects.select_related("job__regrade", "job__attempt").get(
            pk=item.report_id
        )
        if report_finalize_if_scored(report=report, actor=adjudicator):
            round_complete(job=report.job)
    return item
