"""Certifications (schemes), and the certification decisions that alone may lead to a credential.

The exam and grading models (exams, attempts, grading jobs, human scores) live alongside these.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Certification(models.Model):
    """A certification scheme: blueprint (domains with weights), cut score, validity period."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=40, default="specialist")
    description = models.TextField(blank=True)
    criteria = models.TextField(
        blank=True, help_text="What a holder had to demonstrate; shown in the credential."
    )
    blueprint = models.JSONField(
        default=list, help_text='Domains: [{"id": ..., "name": ..., "weight": ...}]'
    )
    cut_score = models.FloatField(help_text="Weighted total (percent) needed to pass.")
    validity_days = models.PositiveIntegerField(default=730)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CertificationDecision(models.Model):
    """The recorded decision for one person and one certification.

    Both parts of the rule are stored: the conjunctive part (every critical checkpoint passed)
    and the compensatory part (the weighted total against the cut score). Only a passing,
    unreversed decision may lead to a credential (see ``assessments.hooks``).
    """

    class Outcome(models.TextChoices):
        PASS = "pass", "Pass"
        FAIL = "fail", "Fail"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    critical_passed = models.BooleanField()
    total = models.FloatField()
    cut_score = models.FloatField()
    domain_scores = models.JSONField(default=dict)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the grading pipeline decided automatically.",
    )
    rationale = models.TextField(blank=True)
    attempt = models.ForeignKey(
        "assessments.Attempt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The attempt decided. At most one unreversed decision per attempt; a regrade "
        "that changes the result reverses the old decision and records a new one.",
    )
    report_ids = models.JSONField(default=list, help_text="The grade reports the decision used.")
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="fail") | Q(critical_passed=True),
                name="pass_requires_all_critical",
            ),
            models.UniqueConstraint(
                fields=["attempt"],
                condition=Q(reversed_at__isnull=True),
                name="one_active_decision_per_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.certification} {self.outcome}"

    @property
    def is_pass(self) -> bool:
        return self.outcome == self.Outcome.PASS and self.reversed_at is None
