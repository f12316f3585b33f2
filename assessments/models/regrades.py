"""Regrades: replaying an attempt's frozen designs through the grader (usually against a newer
scenario version whose rubric was fixed), and what that did to the decision."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Regrade(models.Model):
    """One requested regrade of one attempt. Its jobs are ordinary grading jobs (same queue, same
    idempotent claim); when they are all done the result is compared with the active decision:
    unchanged, or the old decision is reversed and a new one recorded, in one transaction."""

    class Status(models.TextChoices):
        PENDING = "pending", "Grading"
        UNCHANGED = "unchanged", "Done: decision unchanged"
        CHANGED = "changed", "Done: decision replaced"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    attempt = models.ForeignKey(
        "assessments.Attempt", on_delete=models.PROTECT, related_name="regrades"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    scenario_version_ids = models.JSONField(help_text="The versions graded against, exam order.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(null=True, blank=True)
    previous_decision = models.ForeignKey(
        "assessments.CertificationDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_decision = models.ForeignKey(
        "assessments.CertificationDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"regrade {self.pk} of {self.attempt_id} ({self.status})"
