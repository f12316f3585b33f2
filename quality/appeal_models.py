"""Appeals against certification decisions (ISO/IEC 17024 asks that decisions can be challenged).

An appeal names one decision of one attempt, carries the candidate's reason, is assigned to a
reviewer who neither graded the attempt nor shares a firm with the candidate, and ends in one of
three outcomes, each with the reviewer's reasons: upheld (the decision stands), regraded (the
ordinary regrade, previewed first, decides again) or overturned (the opposite outcome recorded).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Appeal(models.Model):
    class Status(models.TextChoices):
        AWAITING_REVIEWER = "awaiting_reviewer", "Waiting for a reviewer"
        UNDER_REVIEW = "under_review", "Under review"
        UPHELD = "upheld", "Upheld: the decision stands"
        REGRADED = "regraded", "Regraded: the attempt is graded again"
        OVERTURNED = "overturned", "Overturned: the decision was reversed"

    OPEN = (Status.AWAITING_REVIEWER, Status.UNDER_REVIEW)
    OUTCOMES = (Status.UPHELD, Status.REGRADED, Status.OVERTURNED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    attempt = models.ForeignKey("assessments.Attempt", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "assessments.CertificationDecision", on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_REVIEWER
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_to_review",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_reason = models.TextField(blank=True)
    regrade = models.ForeignKey(
        "assessments.Regrade", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_decision = models.ForeignKey(
        "assessments.CertificationDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The decision an overturn recorded (a regrade records its own).",
    )

    class Meta:
        ordering = ["-filed_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], name="one_appeal_per_decision"),
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"appeal {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
