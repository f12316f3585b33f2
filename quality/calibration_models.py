"""Calibration: designs staff marked with agreed scores, and each grader's scores of them.

A new grader scores calibration items until their latest ``QUALITY_CALIBRATION_SET_SIZE``
scores are all within tolerance of the agreed ones; only then do live items reach them (the
claim gate, ``quality.calibration.claim_gate``). A qualified grader is asked for another
calibration item after every ``QUALITY_CALIBRATION_EVERY`` live scores, drawn at random.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CalibrationItem(models.Model):
    """A scored live item (its design and rationale, anonymised) with the score staff agreed."""

    source_item = models.OneToOneField(
        "assessments.HumanScore", on_delete=models.PROTECT, related_name="+"
    )
    checkpoint_id = models.CharField(max_length=80)
    max_points = models.FloatField()
    agreed_points = models.FloatField()
    notes = models.TextField(blank=True, help_text="Why this is the agreed score (shown after).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"calibration {self.pk}: {self.checkpoint_id} = {self.agreed_points}"


class CalibrationResponse(models.Model):
    """One grader's score of one calibration item (each grader scores each item once)."""

    item = models.ForeignKey(CalibrationItem, on_delete=models.PROTECT, related_name="responses")
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calibration_responses"
    )
    points = models.FloatField()
    comment = models.TextField(blank=True)
    within_tolerance = models.BooleanField()
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-scored_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "grader"], name="one_response_per_grader")
        ]

    def __str__(self) -> str:
        return f"{self.grader_id} on calibration {self.item_id}: {self.points}"
