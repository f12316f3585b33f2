"""Double marking: some human items are scored by two graders independently, blind to each other.

Which items:
- a share of all human items (``HUMAN_SCORING_DOUBLE_MARK_SHARE``, default 0.2), chosen from a
  hash of the item id, so that the choice is the same on every run and cannot be steered;
- every item of a borderline decision: when the last first mark is in and the provisional total
  lies within one criterion's points of the cut score (the largest human criterion of the report,
  on the report's 0-100 scale), every item marked once so far is reopened for a second mark.

How the recorded score is reached (``HumanScore.resolution``):
- ``single``: one grader (not chosen for double marking);
- ``agreed``: both graders gave the same level;
- ``averaged``: the two levels are adjacent; the recorded points are their mean;
- ``adjudicated``: more than one level apart; the item waits (status ``disputed``) for a senior
  grader (a programme admin who gave neither mark, and not from the candidate's firm), whose
  level is recorded (assessments/services/adjudication.py).

The first mark is kept in a ``HumanMark`` row and the item goes back to the queue with no points:
the second grader never sees it, and the first grader is never given the item again. The
decision waits, because the report is finalised only when every item is ``scored``.
"""

import hashlib

from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict
from scenarios import engine

from .. import conf
from ..models import GradeReport, HumanMark, HumanScore

SAMPLE = "sample"
BORDERLINE = "borderline"


def sampled(item_id: int, share: float | None = None) -> bool:
    """Whether the item with this id is in the double-marked share (deterministic)."""
    share = conf.double_mark_share() if share is None else share
    digest = hashlib.sha256(f"double-mark:{item_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def items_sample(items: list[HumanScore]) -> int:
    """Mark the sampled ones of freshly opened items as needing two marks. Returns how many."""
    chosen = [i.pk for i in items if not i.carried_over and i.pk and sampled(i.pk)]
    if chosen:
        HumanScore.objects.filter(pk__in=chosen).update(marks_required=2, double_reason=SAMPLE)
    for item in items:
        if item.pk in chosen:
            item.marks_required, item.double_reason = 2, SAMPLE
    return len(chosen)


def already_marked(*, item: HumanScore, grader) -> bool:
    return HumanMark.objects.filter(item=item, grader=grader).exists()


def level_index(item: HumanScore, points: float) -> float:
    """The position of ``points`` among the criterion's levels (0 = lowest). A criterion with
    no levels counts each point as a level."""
    cp = next(c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id)
    levels = sorted({float(level["points"]) for level in cp["evidence"].get("levels", [])})
    return levels.index(float(points)) if float(points) in levels else float(points)


def mark_record(*, item: HumanScore, grader, points: float, comment: str, now) -> HumanScore:
    """Record a mark of a double-marked item the grader holds (attempt row locked by the
    caller). The first mark reopens the item for another grader; the second resolves it
    (agreed or averaged) or sends it to adjudication."""
    first = HumanMark.objects.filter(item=item, kind=HumanMark.Kind.FIRST).first()
    held = HumanScore.objects.filter(
        pk=item.pk, grader=grader, status=HumanScore.Status.CLAIMED, lease_expires_at__gte=now
    )
    if first is None:
        if not held.update(status=HumanScore.Status.OPEN, grader=None, lease_expires_at=None):
            raise _not_claimed()
        HumanMark.objects.create(
            item=item, kind=HumanMark.Kind.FIRST, grader=grader, points=points, comment=comment
        )
        action, data = "human_score.first_mark", {"points": points}
    else:
        update = _resolve(item, first, points, comment)
        if not held.update(**update, lease_expires_at=None, scored_at=now):
            raise _not_claimed()
        HumanMark.objects.create(
            item=item, kind=HumanMark.Kind.SECOND, grader=grader, points=points, comment=comment
        )
        action = "human_score.second_mark"
        data = {"points": points, "first_points": first.points, **_public(update)}
    item.refresh_from_db()
    audit_record(
        actor=grader, action=action, target=item, data={**data, "checkpoint": item.checkpoint_id}
    )
    return item


def _resolve(item: HumanScore, first: HumanMark, points: float, comment: str) -> dict:
    gap = abs(level_index(item, first.points) - level_index(item, points))
    if gap > 1:
        return {"status": HumanScore.Status.DISPUTED, "grader": None}
    comments = [c for c in dict.fromkeys((first.comment.strip(), comment.strip())) if c]
    return {
        "status": HumanScore.Status.SCORED,
        "points": round((first.points + points) / 2, 4),
        "comment": " / ".join(comments),
        "resolution": HumanScore.Resolution.AGREED if gap == 0 else HumanScore.Resolution.AVERAGED,
    }


def _public(update: dict) -> dict:
    return {"status": str(update["status"]), "resolution": str(update.get("resolution", ""))}


def _not_claimed() -> Conflict:
    return Conflict(
        "Claim this item (again) before scoring it; your lease may have expired.",
        code="not_claimed",
    )


def borderline_margin(report: GradeReport, scores: list[HumanScore]) -> float:
    """One criterion's points on the report's 0-100 scale (the largest human criterion)."""
    total_weight = sum(c["max_points"] for c in report.engine_report["checkpoints"]) or 1.0
    return 100 * max(s.max_points for s in scores) / total_weight


def borderline_reopen(*, report: GradeReport, scores: list[HumanScore]) -> bool:
    """Before a report is finalised: when its provisional total is within one criterion's
    points of the cut score, reopen every item marked only once for a second, blind mark.
    Returns True when items were reopened (the decision then waits for them)."""
    once = [s for s in scores if s.marks_required == 1 and not s.carried_over and s.grader_id]
    if not once or not conf.double_mark_borderline():
        return False
    provisional = engine.finalize(
        report.engine_report, {s.checkpoint_id: {"points": s.points} for s in scores}
    )
    if provisional["critical_failures"]:
        return False
    if abs(provisional["total"] - provisional["cut_score"]) > borderline_margin(report, scores):
        return False
    now = timezone.now()
    for score in once:
        HumanMark.objects.create(
            item=score,
            kind=HumanMark.Kind.FIRST,
            grader_id=score.grader_id,
            points=score.points,
            comment=score.comment,
            scored_at=score.scored_at or now,
        )
        HumanScore.objects.filter(pk=score.pk).update(
            status=HumanScore.Status.OPEN,
            grader=None,
            lease_expires_at=None,
            points=None,
            comment="",
            scored_at=None,
            resolution="",
            marks_required=2,
            double_reason=BORDERLINE,
        )
        audit_record(
            actor=None,
            action="human_score.reopened_borderline",
            target=score,
            data={"total": provisional["total"], "cut_score": provisional["cut_score"]},
        )
    return True
