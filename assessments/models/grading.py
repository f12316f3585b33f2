"""Grading jobs, their reports, human scores and escalations."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class GradingJob(models.Model):
    """The work of grading one scenario of one attempt. A row with timestamps, so nothing can
    wait unseen: the sweeper re-sends jobs that were lost (broker restart, worker killed)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed (escalated to staff)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    attempt = models.ForeignKey(
        "assessments.Attempt", on_delete=models.PROTECT, related_name="jobs"
    )
    scenario_version = models.ForeignKey("scenarios.ScenarioVersion", on_delete=models.PROTECT)
    design_sha256 = models.CharField(max_length=64)
    regrade = models.ForeignKey(
        "assessments.Regrade",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
        help_text="Empty for the grading of the submission itself.",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0, help_text="How many times a worker claimed it.")
    engine_version = models.CharField(max_length=20, blank=True)
    engine_seconds = models.FloatField(
        null=True, blank=True, help_text="Time spent in the engine on the finishing run."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.status})"


class GradeReport(models.Model):
    """The engine's report for one job, and after human scoring, the final report."""

    job = models.OneToOneField(GradingJob, on_delete=models.PROTECT, related_name="report")
    attempt = models.ForeignKey(
        "assessments.Attempt", on_delete=models.PROTECT, related_name="reports"
    )
    scenario_version = models.ForeignKey("scenarios.ScenarioVersion", on_delete=models.PROTECT)
    inputs = models.JSONField(
        default=dict,
        help_text="What the pure grading function was given (scenario version and content hash, "
        "seed, design hash, engine version): replaying them gives the same report.",
    )
    engine_report = models.JSONField()
    final_report = models.JSONField(null=True, blank=True)
    decision = models.CharField(max_length=16)  # pass / fail / awaiting_human
    total = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)
    finalized_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"report {self.pk} ({self.decision})"

    @property
    def report(self) -> dict:
        return self.final_report or self.engine_report


class HumanScore(models.Model):
    """One human-scored criterion of one report: a work item for graders, claimed with a lease."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLAIMED = "claimed", "Claimed"
        SCORED = "scored", "Scored"
        CANCELLED = "cancelled", "Not needed (decided without it)"
        # Double marking: the two marks differ by more than one level (a senior grader decides).
        DISPUTED = "disputed", "Awaiting adjudication"

    class Resolution(models.TextChoices):
        """How the recorded score was reached (see assessments/services/double_marking.py)."""

        SINGLE = "single", "One grader"
        AGREED = "agreed", "Two graders gave the same level"
        AVERAGED = "averaged", "Two graders one level apart: the mean"
        ADJUDICATED = "adjudicated", "Decided by a senior grader"

    report = models.ForeignKey(GradeReport, on_delete=models.PROTECT, related_name="human_scores")
    checkpoint_id = models.CharField(max_length=80)
    max_points = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    scored_at = models.DateTimeField(null=True, blank=True)
    carried_over = models.BooleanField(
        default=False, help_text="Copied from the previous report of a regraded attempt."
    )
    marks_required = models.PositiveSmallIntegerField(
        default=1, help_text="2 when the item is double marked (sampled, or a borderline decision)."
    )
    double_reason = models.CharField(max_length=12, blank=True)  # "", "sample", "borderline"
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "checkpoint_id"], name="one_score_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} on report {self.report_id} ({self.status})"


class Escalation(models.Model):
    """A waiting state that timed out, for programme admins to act on."""

    class Kind(models.TextChoices):
        GRADING_FAILED = "grading_failed", "Grading failed"
        GRADING_STUCK = "grading_stuck", "Grading not finished in time"
        SCORING_OVERDUE = "scoring_overdue", "Human scoring overdue"
        DECISION_MISSING = "decision_missing", "Graded but not decided"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_escalation_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.target_type}:{self.target_id}"
