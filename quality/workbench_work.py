"""The workbench's queue: what "Claim the next item" gives a grader, and scoring or releasing
what they hold, through work tickets (``workbench_models.WorkTicket``).

- A grader still qualifying (the calibration gate is active and they are not calibrated) is
  given calibration items openly, one at a time, until they are calibrated.
- A calibrated grader is given, on each claim while live work waits, a calibration item with
  probability 1 / ``QUALITY_CALIBRATION_EVERY`` instead of the next live item — unannounced:
  same page, same form, same message after scoring, no result shown. A random draw rather than
  a fixed cadence, so that no one can tell which item is the check. The gate's backstop
  (``calibration.claim_gate``) still asks openly for one when a grader has gone
  ``OVERDUE_FACTOR`` times that long without one (e.g. by claiming only through the API).
- Live items are claimed, scored and released through the assessments services the API uses.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments import conf as scoring_conf
from assessments.models import HumanScore
from assessments.services import human_scoring
from audit.services import audit_record
from config.errors import Conflict, NotFound

from . import calibration, workbench
from .workbench_models import WorkTicket

_draw = random.SystemRandom()


def _live_ticket(grader, item: HumanScore) -> WorkTicket:
    ticket = WorkTicket.objects.filter(grader=grader, live_item=item, closed_at=None).first()
    return ticket or WorkTicket.objects.create(grader=grader, live_item=item)


def _open_calibration_ticket(grader) -> WorkTicket | None:
    return WorkTicket.objects.filter(
        grader=grader,
        calibration_item__isnull=False,
        closed_at=None,
        lease_expires_at__gt=timezone.now(),
    ).first()


def _calibration_ticket(grader, *, announced: bool) -> WorkTicket | None:
    held = _open_calibration_ticket(grader)
    if held is not None:
        return held
    item = calibration.calibration_next(grader=grader)
    if item is None:
        return None
    lease = timezone.now() + timedelta(minutes=scoring_conf.lease_minutes())
    return WorkTicket.objects.create(
        grader=grader, calibration_item=item, announced=announced, lease_expires_at=lease
    )


def _mix_in_now(grader, status: dict) -> bool:
    every = calibration.recheck_every()
    if every <= 0 or not status["calibrated"] or workbench.open_count(grader) == 0:
        return False  # an item when none waits would give the check away
    return _draw.random() < 1 / every


def claim_next(*, grader) -> WorkTicket | None:
    """The ticket for the grader's next item, or None when nothing waits for them. Raises what
    the live claim raises (e.g. Forbidden ``calibration_required`` with an empty pool)."""
    if calibration.gate_active():
        status = calibration.grader_status(grader=grader)
        if not status["calibrated"]:
            ticket = _calibration_ticket(grader, announced=True)
            if ticket is not None:
                return ticket
        elif _mix_in_now(grader, status):
            ticket = _calibration_ticket(grader, announced=False)
            if ticket is not None:
                return ticket
    item = human_scoring.human_item_claim_next(grader=grader)
    return _live_ticket(grader, item) if item is not None else None


def held(grader) -> list[tuple[WorkTicket, object, int]]:
    """(ticket, the item it shows, seconds left) for everything the grader holds, soonest
    lease first. Live items claimed through the API get their ticket here."""
    rows = [
        (_live_ticket(grader, item), item, workbench.seconds_left(item))
        for item in workbench.held_items(grader).select_related("report__scenario_version")
    ]
    tickets = WorkTicket.objects.filter(
        grader=grader,
        calibration_item__isnull=False,
        closed_at=None,
        lease_expires_at__gt=timezone.now(),
    ).select_related("calibration_item__source_item__report__scenario_version")
    rows += [(t, t.calibration_item.source_item, seconds_left(t)) for t in tickets]
    return sorted(rows, key=lambda row: row[2])


def seconds_left(ticket: WorkTicket) -> int:
    if ticket.is_calibration:
        left = (ticket.lease_expires_at - timezone.now()).total_seconds()
        return max(0, int(left))
    return workbench.seconds_left(ticket.live_item)


def ticket_for(*, grader, handle) -> WorkTicket:
    """An open ticket the grader holds whose item is still theirs (NotFound otherwise: no hint
    that it exists)."""
    ticket = (
        WorkTicket.objects.select_related("live_item", "calibration_item__source_item")
        .filter(grader=grader, handle=handle, closed_at=None)
        .first()
    )
    if ticket is None or not _still_held(ticket):
        raise NotFound("No such item in your hands.", code="item_not_found")
    return ticket


def _still_held(ticket: WorkTicket) -> bool:
    if ticket.is_calibration:
        return True  # an expired lease is shown as such; scoring it is refused
    item = ticket.live_item
    return item.status == HumanScore.Status.CLAIMED and item.grader_id == ticket.grader_id


def shown_item(ticket: WorkTicket) -> HumanScore:
    """The item the page draws: the live item, or the calibration item's anonymised source."""
    return ticket.calibration_item.source_item if ticket.is_calibration else ticket.live_item


def _close(ticket: WorkTicket) -> None:
    WorkTicket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now())


def score(*, ticket: WorkTicket, points: float, comment: str) -> None:
    """Score what the ticket holds; raises the domain errors of the scoring services."""
    grader = ticket.grader
    if not ticket.is_calibration:
        human_scoring.human_item_score(
            item=ticket.live_item, grader=grader, points=points, comment=comment
        )
        _close(ticket)
        return
    if seconds_left(ticket) <= 0:
        raise Conflict("Your lease has run out: claim the item again.", code="lease_expired")
    with transaction.atomic():
        calibration.calibration_score(
            item=ticket.calibration_item, grader=grader, points=points, comment=comment
        )
        _close(ticket)


def release(*, ticket: WorkTicket) -> None:
    if ticket.is_calibration:
        with transaction.atomic():
            _close(ticket)
            audit_record(
                actor=ticket.grader,
                action="calibration.released",
                target=ticket.calibration_item,
            )
        return
    human_scoring.human_item_release(item=ticket.live_item, grader=ticket.grader)
    _close(ticket)
