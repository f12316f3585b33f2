"""Regrades: replaying an attempt's frozen designs through the grader (usually against a newer
scenario version whose rubric was fixed), and what that did to the decision."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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


class RegradeBatch(models.Model):
    """A rubric fix across every attempt it touches: each submitted attempt that graded a version
    of ``scenario`` older than ``target_version`` is previewed (in chunks, on the grading
    workers), the staff member reads what would change (decisions, pass/fail flips), and only
    then applies it, which requests an ordinary ``Regrade`` for each affected attempt."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", "Previewing"
        PREVIEWED = "previewed", "Previewed: waiting to be applied"
        APPLYING = "applying", "Applying"
        APPLIED = "applied", "Applied: regrades requested"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scenario = models.ForeignKey("scenarios.Scenario", on_delete=models.PROTECT, related_name="+")
    target_version = models.ForeignKey(
        "scenarios.ScenarioVersion", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    attempt_ids = models.JSONField(
        default=list, help_text="The attempts previewed, fixed when the batch was requested."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWING)
    summary = models.JSONField(default=dict, help_text="Counts, once previewed.")
    requested_at = models.DateTimeField(default=timezone.now)
    previewed_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    touched_at = models.DateTimeField(
        default=timezone.now, help_text="Last progress; the sweeper re-sends stalled work."
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"regrade batch {self.pk} of {self.scenario_id} ({self.status})"


class RegradeBatchItem(models.Model):
    """One attempt's preview in a batch, and the regrade applying the batch requested for it."""

    class Effect(models.TextChoices):
        NONE = "none", "Nothing changes"
        INCONCLUSIVE = "inconclusive", "Changes; people must score new criteria first"
        SCORE = "score", "Score changes, outcome stays"
        FAIL_TO_PASS = "fail_to_pass", "Fail becomes pass (a credential is issued)"
        PASS_TO_FAIL = "pass_to_fail", "Pass becomes fail (its credential is withdrawn)"
        ERROR = "error", "Cannot be graded against the new version: staff must look"

    batch = models.ForeignKey(RegradeBatch, on_delete=models.CASCADE, related_name="items")
    attempt = models.ForeignKey("assessments.Attempt", on_delete=models.PROTECT, related_name="+")
    preview = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="What regrade_preview returned."
    )
    effect = models.CharField(max_length=12, choices=Effect.choices)
    regrade = models.ForeignKey(
        Regrade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skipped = models.CharField(
        max_length=200, blank=True, help_text="Why applying did not regrade it."
    )

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "attempt"], name="one_item_per_attempt")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} in {self.batch_id}: {self.effect}"

    @property
    def affected(self) -> bool:
        return self.effect != self.Effect.NONE
