"""Human scoring: graders claim anonymised items with a lease, score them against the rubric
levels, and the attempt is decided once every item is scored."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from accounts.selectors import organisation_ids_of
from audit.services import audit_record
from config.errors import Conflict, Forbidden, InvalidRequest
from scenarios import engine

from .. import conf
from ..hooks import claim_refusal
from ..models import Escalation, GradeReport, HumanScore
from . import double_marking
from .escalations import escalation_open
from .jobs import lock_attempt
from .rounds import round_complete


def human_items_open(*, report: GradeReport) -> list[HumanScore]:
    """Turn the report's pending human criteria into work items for graders.

    None when the report already fails a critical checkpoint (people cannot change that
    outcome). For a regrade, scores people already gave to the same criterion of the same
    scenario are carried over, so nobody scores the same rationale twice; the report is
    finalised at once when every criterion is covered."""
    engine_report = report.engine_report
    if not engine_report["pending_human"] or engine_report["critical_failures"]:
        return []
    previous = {}
    if report.job.regrade_id:
        for score in HumanScore.objects.filter(
            report__attempt_id=report.attempt_id,
            report__scenario_version__scenario_id=report.scenario_version.scenario_id,
            status=HumanScore.Status.SCORED,
        ).order_by("scored_at"):
            previous[score.checkpoint_id] = score  # the latest score of each criterion wins
    due = timezone.now() + timedelta(hours=conf.scoring_due_hours())
    items = []
    for pending in engine_report["pending_human"]:
        cp = next(c for c in engine_report["checkpoints"] if c["id"] == pending["id"])
        item = HumanScore(
            report=report, checkpoint_id=cp["id"], max_points=cp["max_points"], due_at=due
        )
        carried = previous.get(cp["id"])
        if carried is not None and carried.points <= cp["max_points"]:
            item.status, item.carried_over = HumanScore.Status.SCORED, True
            item.grader_id, item.points = carried.grader_id, carried.points
            item.comment, item.scored_at = carried.comment, carried.scored_at
            item.resolution = carried.resolution or HumanScore.Resolution.SINGLE
        items.append(item)
    items = HumanScore.objects.bulk_create(items)
    double_marking.items_sample(items)
    if previous:
        report_finalize_if_scored(report=report, actor=None)
    return items


def report_finalize_if_scored(*, report: GradeReport, actor) -> bool:
    """When every human criterion of the report is scored, finalise it with the engine's
    ``finalize`` (pure) and store the final report. Call with the attempt's row locked."""
    scores = list(report.human_scores.all())
    if not scores or any(s.status != HumanScore.Status.SCORED for s in scores):
        return False
    if double_marking.borderline_reopen(report=report, scores=scores):
        return False  # a borderline decision waits for second marks
    final = engine.finalize(
        report.engine_report,
        {s.checkpoint_id: {"points": s.points, "comment": s.comment} for s in scores},
    )
    report.final_report, report.decision, report.total = final, final["decision"], final["total"]
    report.finalized_at = timezone.now()
    report.save(update_fields=["final_report", "decision", "total", "finalized_at"])
    audit_record(
        actor=actor,
        action="grade_report.finalized",
        target=report,
        data={"decision": final["decision"], "total": final["total"]},
    )
    return True


def _conflicted_candidate_ids(grader) -> set:
    """Candidates who share a partner firm with the grader: never assigned to them."""
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
    _gate(grader)
    now = timezone.now()
    excluded = _conflicted_candidate_ids(grader) | {grader.pk}
    candidates = (
        HumanScore.objects.filter(_claimable(now))
        .exclude(report__attempt__candidate_id__in=excluded)
        .exclude(marks__grader=grader)  # double marking: never the same grader twice
        .order_by("due_at", "id")
        .values_list("id", flat=True)[:20]
    )
    for item_id in candidates:
        item = _claim(item_id, grader, now)
        if item:
            return item
    return None


def _gate(grader) -> None:
    """Live items reach a grader only once the registered gates allow it (calibration: a new
    grader first scores calibration items within tolerance, see docs/quality/calibration.md)."""
    refusal = claim_refusal(grader)
    if refusal is not None:
        code, message = refusal
        raise Forbidden(message, code=code)


def _conflicted(grader, item: HumanScore) -> bool:
    """Whether the grader may not score this item: their own attempt, or a candidate who now
    shares a partner firm with them."""
    candidate_id = item.report.attempt.candidate_id
    return candidate_id == grader.pk or candidate_id in _conflicted_candidate_ids(grader)


def human_item_claim(*, item: HumanScore, grader) -> HumanScore:
    _gate(grader)
    now = timezone.now()
    if _conflicted(grader, item):
        raise Forbidden(
            "You cannot score work from your own partner firm.",
            code="conflict_of_interest",
        )
    if double_marking.already_marked(item=item, grader=grader):
        raise Conflict("You gave this item's first mark.", code="already_marked")
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


def human_item_release(*, item: HumanScore, grader, reason: str = "") -> None:
    with transaction.atomic():
        if HumanScore.objects.filter(
            pk=item.pk, grader=grader, status=HumanScore.Status.CLAIMED
        ).update(status=HumanScore.Status.OPEN, grader=None, lease_expires_at=None):
            audit_record(actor=grader, action="human_score.released", target=item, reason=reason)


def human_item_score(*, item: HumanScore, grader, points: float, comment: str) -> HumanScore:
    """Score a claimed item. Points must be one of the rubric's levels, and the grader must
    still hold the lease. When the report's last item is scored the report is finalised, and
    the attempt decided (or its regrade concluded) when its grading is complete.

    Conflict of interest is checked again here, not only at claim time: a grader who joined
    the candidate's firm while holding the item is refused (403 ``conflict_of_interest``) and
    the item released to the queue for someone else."""
    if _conflicted(grader, item):
        human_item_release(
            item=item, grader=grader, reason="conflict of interest: grader joined the firm"
        )
        raise Forbidden(
            "You now share a partner firm with this candidate, so you cannot score their "
            "work; the item was released to another grader.",
            code="conflict_of_interest",
        )
    levels = _levels(item)
    if levels and points not in {float(level["points"]) for level in levels}:
        allowed = sorted(float(level["points"]) for level in levels)
        raise InvalidRequest(
            f"Points must be one of the rubric levels: {allowed}.", code="invalid_points"
        )
    if not 0 <= points <= item.max_points:
        raise InvalidRequest(
            f"Points must be between 0 and {item.max_points}.", code="invalid_points"
        )
    now = timezone.now()
    with transaction.atomic():
        lock_attempt(item.report.attempt_id)  # lock order: the attempt first
        item.refresh_from_db(fields=["marks_required"])
        if item.marks_required > 1:
            item = double_marking.mark_record(
                item=item, grader=grader, points=points, comment=comment, now=now
            )
        else:
            _single_mark_record(item, grader, points, comment, now)
        report = GradeReport.objects.select_related("job__regrade", "job__attempt").get(
            pk=item.report_id
        )
        if report_finalize_if_scored(report=report, actor=grader):
            round_complete(job=report.job)
    return item


def _single_mark_record(item: HumanScore, grader, points: float, comment: str, now) -> None:
    scored = HumanScore.objects.filter(
        pk=item.pk, grader=grader, status=HumanScore.Status.CLAIMED, lease_expires_at__gte=now
    ).update(
        status=HumanScore.Status.SCORED,
        points=points,
        comment=comment,
        scored_at=now,
        resolution=HumanScore.Resolution.SINGLE,
    )
    if not scored:
        raise Conflict(
            "Claim this item (again) before scoring it; your lease may have expired.",
            code="not_claimed",
        )
    item.refresh_from_db()
    audit_record(
        actor=grader,
        action="human_score.scored",
        target=item,
        data={"points": points, "checkpoint": item.checkpoint_id},
    )


def _levels(item: HumanScore) -> list:
    cp = next(c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id)
    return cp["evidence"].get("levels", [])


def scoring_sweep(*, now=None) -> int:
    """Escalate items not scored by their due time (once each; at most 500 a sweep)."""
    now = now or timezone.now()
    already = Escalation.objects.filter(
        kind=Escalation.Kind.SCORING_OVERDUE,
        target_type=HumanScore._meta.label_lower,
        resolved_at__isnull=True,
    ).values_list("target_id", flat=True)
    overdue = HumanScore.objects.filter(
        status__in=[
            HumanScore.Status.OPEN,
            HumanScore.Status.CLAIMED,
            HumanScore.Status.DISPUTED,
        ],
        due_at__lt=now,
    ).order_by("due_at")
    skip = {int(i) for i in already}
    opened = 0
    for item in overdue[: 500 + len(skip)]:
        if item.pk in skip:
            continue
        with transaction.atomic():
            if escalation_open(
                kind=Escalation.Kind.SCORING_OVERDUE,
                target=item,
                detail=f"{item.checkpoint_id} due {item.due_at:%Y-%m-%d %H:%M} UTC, {item.status}",
            ):
                opened += 1
        if opened >= 500:
            break
    return opened
