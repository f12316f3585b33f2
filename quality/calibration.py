"""Calibration services and reads (docs/quality/calibration.md).

- Staff mark a scored live item as a calibration item with the agreed score.
- A grader scores calibration items (each once); a score is *within tolerance* when it is no
  further from the agreed score than ``QUALITY_CALIBRATION_TOLERANCE_PERCENT`` of the
  criterion's maximum points.
- A grader is *calibrated* when their latest ``QUALITY_CALIBRATION_SET_SIZE`` scores are all
  within tolerance. Until then the claim gate refuses them live items (403
  ``calibration_required``). The workbench then serves them calibration items openly.
- A calibrated grader keeps meeting calibration items *unannounced*: on the workbench, each
  claim while live work waits is a calibration item with probability
  1 / ``QUALITY_CALIBRATION_EVERY`` (``workbench_work.claim_next``). A grader who has gone
  ``OVERDUE_FACTOR`` times ``QUALITY_CALIBRATION_EVERY`` live scores without one (e.g. claiming
  only through the API) is refused live items openly (``calibration_due``) until they score
  one more.
- The gate is open while the pool holds fewer active items than the set size (a new programme
  without calibration items must still be able to grade): staff see that on the page.
"""

import random

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from accounts.models import Membership, User
from accounts.selectors import organisation_ids_of
from assessments.models import HumanScore
from assessments.serializers import HumanItemOutputSerializer
from audit.services import audit_record
from config.errors import Conflict, Forbidden, InvalidRequest, NotFound

from .calibration_models import CalibrationItem, CalibrationResponse


def set_size() -> int:
    return max(1, int(getattr(settings, "QUALITY_CALIBRATION_SET_SIZE", 3)))


def tolerance_share() -> float:
    return int(getattr(settings, "QUALITY_CALIBRATION_TOLERANCE_PERCENT", 25)) / 100


OVERDUE_FACTOR = 3


def recheck_every() -> int:
    return int(getattr(settings, "QUALITY_CALIBRATION_EVERY", 25))


def gate_active() -> bool:
    """Calibration applies once the pool holds at least a set of active items (a programme
    without calibration items must still be able to grade)."""
    return _pool().count() >= set_size()


def within_tolerance(*, points: float, agreed: float, max_points: float) -> bool:
    return abs(points - agreed) <= tolerance_share() * max_points + 1e-9


def _levels(item: HumanScore) -> list[float]:
    cp = next(c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id)
    return sorted(float(level["points"]) for level in cp["evidence"].get("levels", []))


def _check_points(points: float, levels: list[float], max_points: float) -> None:
    if levels and points not in levels:
        raise InvalidRequest(
            f"Points must be one of the rubric levels: {levels}.", code="invalid_points"
        )
    if not 0 <= points <= max_points:
        raise InvalidRequest(f"Points must be between 0 and {max_points}.", code="invalid_points")


def calibration_item_create(
    *, source_item: HumanScore, agreed_points: float, actor: User, notes: str = ""
) -> CalibrationItem:
    """Programme staff mark a scored live item as a calibration item with the agreed score."""
    if not actor.is_programme_admin:
        raise Forbidden("Only programme staff mark calibration items.", code="permission_denied")
    if source_item.status != HumanScore.Status.SCORED:
        raise Conflict("Only a scored item can become a calibration item.", code="not_scored")
    _check_points(agreed_points, _levels(source_item), source_item.max_points)
    try:
        with transaction.atomic():
            item = CalibrationItem.objects.create(
                source_item=source_item,
                checkpoint_id=source_item.checkpoint_id,
                max_points=source_item.max_points,
                agreed_points=agreed_points,
                notes=notes,
                created_by=actor,
            )
            audit_record(
                actor=actor,
                action="calibration.item_created",
                target=item,
                data={"source_item": source_item.pk, "agreed_points": agreed_points},
            )
    except IntegrityError as error:
        raise Conflict("This item is a calibration item already.", code="duplicate") from error
    return item


def _pool():
    return CalibrationItem.objects.filter(active=True)


def calibration_next(*, grader: User) -> CalibrationItem | None:
    """A random active calibration item the grader has not scored and may see (never one from
    their own firm's candidates or their own attempt), or None."""
    firms = organisation_ids_of(user=grader)
    firm_mates = Membership.objects.filter(
        organisation_id__in=firms, left_at__isnull=True
    ).values_list("user_id", flat=True)
    candidates = (
        _pool()
        .exclude(responses__grader=grader)
        .exclude(source_item__report__attempt__candidate=grader)
        .exclude(source_item__report__attempt__candidate_id__in=firm_mates)
        .exclude(source_item__marks__grader=grader)  # they would know it: they marked it live
        .exclude(source_item__grader=grader)
    )
    ids = list(candidates.values_list("pk", flat=True)[:500])
    if not ids:
        return None
    return CalibrationItem.objects.select_related("source_item__report__job").get(
        pk=random.choice(ids)
    )


def calibration_payload(item: CalibrationItem) -> dict:
    """What the grader sees: exactly what a live item shows (criterion, levels, anonymised
    design), never the agreed score nor the source item's score."""
    live = HumanItemOutputSerializer(item.source_item).data
    return {
        "id": item.pk,
        "scenario": live["scenario"],
        "checkpoint_id": item.checkpoint_id,
        "max_points": item.max_points,
        "criterion": live["criterion"],
        "design": live["design"],
    }


def calibration_score(
    *, item: CalibrationItem, grader: User, points: float, comment: str = ""
) -> CalibrationResponse:
    """Record the grader's score of a calibration item (once per item)."""
    if not grader.is_grader:
        raise Forbidden("Only graders calibrate.", code="permission_denied")
    _check_points(points, _levels(item.source_item), item.max_points)
    ok = within_tolerance(points=points, agreed=item.agreed_points, max_points=item.max_points)
    try:
        with transaction.atomic():
            response = CalibrationResponse.objects.create(
                item=item, grader=grader, points=points, comment=comment, within_tolerance=ok
            )
            audit_record(
                actor=grader,
                action="calibration.scored",
                target=response,
                data={"item": item.pk, "points": points, "within_tolerance": ok},
            )
    except IntegrityError as error:
        raise Conflict("You scored this calibration item already.", code="duplicate") from error
    return response


def calibration_item_for(*, item_id) -> CalibrationItem:
    item = (
        _pool().select_related("source_item__report__job").filter(pk=item_id).first()
        if str(item_id).isdigit()
        else None
    )
    if item is None:
        raise NotFound("No such calibration item.", code="calibration_item_not_found")
    return item


# --- reads and the gate ------------------------------------------------------------------


def grader_status(*, grader: User) -> dict:
    """The grader's calibration: latest scores, whether they are calibrated, and whether a
    check is due."""
    latest = list(
        CalibrationResponse.objects.filter(grader=grader).values_list(
            "within_tolerance", "scored_at"
        )[: set_size()]
    )
    calibrated = len(latest) >= set_size() and all(ok for ok, _ in latest)
    last_at = latest[0][1] if latest else None
    live_since = (
        HumanScore.objects.filter(grader=grader, status=HumanScore.Status.SCORED)
        .filter(Q(scored_at__gt=last_at) if last_at else Q())
        .filter(carried_over=False)
        .count()
        if calibrated
        else 0
    )
    return {
        "calibrated": calibrated,
        "latest": [ok for ok, _ in latest],
        "last_at": last_at,
        "live_since_last": live_since,
        "check_due": calibrated
        and recheck_every() > 0
        and live_since >= OVERDUE_FACTOR * recheck_every(),
    }


def claim_gate(grader) -> tuple[str, str] | None:
    """Registered with ``assessments.hooks.register_claim_gate`` (see the module docstring)."""
    if not gate_active():
        return None
    status = grader_status(grader=grader)
    if not status["calibrated"]:
        return (
            "calibration_required",
            f"Score calibration items first: live items reach you once your latest {set_size()} "
            "calibration scores are within tolerance (POST /api/v1/quality/calibration/next/).",
        )
    if status["check_due"] and calibration_next(grader=grader) is not None:
        return (
            "calibration_due",
            "Score one calibration item before your next live item "
            "(POST /api/v1/quality/calibration/next/).",
        )
    return None


def results_per_grader() -> list[dict]:
    """Staff page: every grader who scored calibration items, with their share within
    tolerance, mean distance from the agreed score and whether they are calibrated now."""
    rows = (
        CalibrationResponse.objects.values("grader_id", "grader__email", "grader__full_name")
        .annotate(
            scored=Count("id"),
            within=Count("id", filter=Q(within_tolerance=True)),
            last=Max("scored_at"),
        )
        .order_by("grader__email")
    )
    graders = {u.pk: u for u in User.objects.filter(pk__in=[r["grader_id"] for r in rows])}
    result = []
    for row in rows:
        responses = CalibrationResponse.objects.filter(grader_id=row["grader_id"]).select_related(
            "item"
        )
        distance = [abs(r.points - r.item.agreed_points) / r.item.max_points for r in responses]
        status = grader_status(grader=graders[row["grader_id"]])
        result.append(
            {
                "grader": {
                    "id": row["grader_id"],
                    "email": row["grader__email"],
                    "name": row["grader__full_name"],
                },
                "scored": row["scored"],
                "within_tolerance": row["within"],
                "share_within": round(row["within"] / row["scored"], 3),
                "mean_distance": round(sum(distance) / len(distance), 3),
                "last_at": row["last"],
                "calibrated": status["calibrated"],
                "check_due": status["check_due"],
            }
        )
    return result
