"""Human scoring: graders claim anonymised items with a lease, score them against the rubric
levels, and the attempt is decided once every item is scored."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.selectors import organisation_ids_of
from audit.services import audit_record
from config.api import Conflict, ServiceError
from scenarios import engine

from .. import conf
from ..models import Escalation, GradeReport, HumanScore
from .grading import escalation_open


def _conflicted_candidate_ids(grader) -> set:
    """Candidates who share a partner firm with the grader: never assigned to them."""
    from accounts.models import Membership

    firms = organisation_ids_of(user=grader)
    if not firms:
        return set()
    return set(
        Membership.objects.filter(organisation_id__in=firms, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def _claimable(now) -> Q:
    return Q(status=HumanScore.Status.OPEN) | Q(
        status=HumanScore.Status.CLAIMED, lease_expires_at__lt=now
    )


def human_item_claim_next(*, grader) -> HumanScore | None:
    """Claim the oldest open item this grader may score (skipping their own firm's candidates
    and their own attempts). Returns None when there is nothing to do."""
    now = timezone.now()
    excluded = _conflicted_candidate_ids(grader) | {grader.pk}
    candidates = (
        HumanScore.objects.filter(_claimable(now))
        .exclude(report__attempt__candidate_id__in=excluded)
        .order_by("due_at", "id")
        .values_list("id", flat=True)[:20]
    )
    for item_id in candidates:
        item = _claim(item_id, grader, now)
        if item:
            return item
    return None


def human_item_claim(*, item: HumanScore, grader) -> HumanScore:
    now = timezone.now()
    candidate_id = item.report.attempt.candidate_id
    if candidate_id == grader.pk or candidate_id in _conflicted_candidate_ids(grader):
        raise ServiceError(
            "You cannot score work from your own partner firm.",
            code="conflict_of_interest",
            status_code=403,
        )
    claimed = _claim(item.pk, grader, now)
    if not claimed:
        raise Conflict("Another grader holds this item.", code="item_taken")
    return claimed


def _claim(item_id: int, grader, now) -> HumanScore | None:
    with transaction.atomic():
        won = HumanScore.objects.filter(_claimable(now), pk=item_id).update(
            status=HumanScore.Status.CLAIMED,
            grader=grader,
            lease_expires_at=now + timedelta(minutes=conf.lease_minutes()),
        )
        if not won:
            return None
        item = HumanScore.objects.get(pk=item_id)
        audit_record(actor=grader, action="human_score.claimed", target=item)
        return item


def human_item_release(*, item: HumanScore, grader) -> None:
    with transaction.atomic():
        if HumanScore.objects.filter(
            pk=item.pk, grader=grader, status=HumanScore.Status.CLAIMED
        ).update(status=HumanScore.Status.OPEN, grader=None, lease_expires_at=None):
            audit_record(actor=grader, action="human_score.released", target=item)


def human_item_score(*, item: HumanScore, grader, points: float, comment: str) -> HumanScore:
    """Score a claimed item. Points must be one of the rubric's levels. When the report's last
    item is scored the report is finalised, and the attempt decided when it is complete."""
    from .decisions import decision_record_if_complete

    levels = _levels(item)
    if levels and points not in {float(level["points"]) for level in levels}:
        raise ServiceError(
            f"Points must be one of the rubric levels: {sorted(float(level['points']) for level in levels)}.",
            code="invalid_points",
        )
    if not 0 <= points <= item.max_points:
        raise ServiceError(
            f"Points must be between 0 and {item.max_points}.", code="invalid_points"
        )
    now = timezone.now()
    with transaction.atomic():
        scored = HumanScore.objects.filter(
            pk=item.pk, grader=grader, status=HumanScore.Status.CLAIMED, lease_expires_at__gte=now
        ).update(status=HumanScore.Status.SCORED, points=points, comment=comment, scored_at=now)
        if not scored:
            raise Conflict(
                "Claim this item (again) before scoring it; your lease may have expired.",
                code="not_claimed",
            )
        item.refresh_from_db()
        audit_record(
            actor=grader, action="human_score.scored", target=item, data={"points": points}
        )
        report = GradeReport.objects.select_for_update().get(pk=item.report_id)
        if not report.human_scores.exclude(status=HumanScore.Status.SCORED).exists():
            final = engine.finalize(
                report.engine_report,
                {
                    s.checkpoint_id: {"points": s.points, "comment": s.comment}
                    for s in report.human_scores.all()
                },
            )
            report.final_report, report.decision, report.total = (
                final,
                final["decision"],
                final["total"],
            )
            report.finalized_at = now
            report.save(update_fields=["final_report", "decision", "total", "finalized_at"])
            audit_record(
                actor=grader,
                action="grade_report.finalized",
                target=report,
                data={"decision": final["decision"]},
            )
            decision_record_if_complete(attempt=report.attempt)
    return item


def _levels(item: HumanScore) -> list:
    cp = next(c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id)
    return cp["evidence"].get("levels", [])


def scoring_sweep(*, now=None) -> int:
    """Escalate items not scored by their due time."""
    now = now or timezone.now()
    overdue = HumanScore.objects.exclude(status=HumanScore.Status.SCORED).filter(due_at__lt=now)[
        :500
    ]
    opened = 0
    for item in overdue:
        if escalation_open(
            kind=Escalation.Kind.SCORING_OVERDUE,
            target=item,
            detail=f"due {item.due_at:%Y-%m-%d %H:%M}",
        ):
            opened += 1
    return opened
