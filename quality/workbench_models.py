"""What a grader holds on the workbench: a *work ticket* per item, live or calibration.

The workbench's pages address items by the ticket's random handle, never by the item's own
id, so a calibration item mixed into the queue unannounced looks exactly like a live one: the
same URL shape, page and score form (docs/quality/calibration.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class WorkTicket(models.Model):
    handle = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_tickets"
    )
    live_item = models.ForeignKey(
        "assessments.HumanScore", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    calibration_item = models.ForeignKey(
        "quality.CalibrationItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tickets",
    )
    # A calibration item served openly (a new grader qualifying) rather than mixed in unseen.
    announced = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Calibration tickets only: a live item's lease is the item's own.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(live_item__isnull=True) ^ Q(calibration_item__isnull=True),
                name="ticket_is_live_or_calibration",
            )
        ]
        indexes = [models.Index(fields=["grader", "closed_at"])]

    def __str__(self) -> str:
        return f"ticket {self.handle} for {self.grader_id}"

    @property
    def is_calibration(self) -> bool:
        return self.calibration_item_id is not None
