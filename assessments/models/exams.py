"""Exams and the attempts candidates make at them."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Exam(models.Model):
    """A timed sitting of one or more published scenario versions, with an attempt policy."""

    class OnDeadline(models.TextChoices):
        SUBMIT = "submit", "Submit the last saved drafts"
        ABANDON = "abandon", "Mark the attempt abandoned"

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    certification = models.ForeignKey(
        "assessments.Certification", on_delete=models.PROTECT, related_name="exams"
    )
    scenario_versions = models.ManyToManyField(
        "scenarios.ScenarioVersion", through="ExamScenario", related_name="exams"
    )
    time_limit_minutes = models.PositiveIntegerField(default=120)
    max_attempts = models.PositiveIntegerField(default=3, help_text="Within the rolling window.")
    window_days = models.PositiveIntegerField(default=365)
    cooldown_hours_after_fail = models.PositiveIntegerField(default=72)
    on_deadline = models.CharField(
        max_length=10, choices=OnDeadline.choices, default=OnDeadline.SUBMIT
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ExamScenario(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="parts")
    scenario_version = models.ForeignKey("scenarios.ScenarioVersion", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["exam", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "position"], name="exam_part_position")
        ]

    def __str__(self) -> str:
        return f"{self.exam_id} #{self.position}"

    def save(self, *args, **kwargs):
        # However the row is made (admin, shell, a data migration), an exam never holds a
        # practice pack: practice never counts towards certification.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from scenarios.selectors import is_practice

        if is_practice(self.scenario_version):
            raise ValidationError(
                {
                    "scenario_version": f"{self.scenario_version} is a practice pack: practice "
                    "packs are open in the practice room only, never in an exam."
                }
            )


class Attempt(models.Model):
    """One sitting. The variant seed and scenario versions are fixed at start; the clock is the
    server's. Submitted designs never change."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        ABANDONED = "abandoned", "Abandoned"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    seed = models.BigIntegerField()
    scenario_version_ids = models.JSONField(help_text="Fixed at start, in exam order.")
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission = models.JSONField(
        null=True, blank=True, help_text="{scenario_version_id: design}, immutable once set."
    )
    auto_submitted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One sitting at a time per candidate and exam, even under concurrent starts.
            models.UniqueConstraint(
                fields=["exam", "candidate"],
                condition=Q(status="in_progress"),
                name="one_attempt_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.exam} by {self.candidate} ({self.status})"


class Draft(models.Model):
    """An autosave of one scenario of an attempt; the latest per scenario wins. The newest
    ``DRAFTS_KEPT_PER_PART`` distinct designs of each scenario are kept (see
    ``services.attempts.attempt_autosave``); the submitted design lives on the attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="drafts")
    scenario_version = models.ForeignKey("scenarios.ScenarioVersion", on_delete=models.PROTECT)
    design = models.JSONField()
    sha256 = models.CharField(max_length=64, help_text="Of the design, to store each once.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-id"]
        indexes = [models.Index(fields=["attempt", "scenario_version", "-saved_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "scenario_version", "sha256"], name="draft_stored_once"
            )
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} of {self.attempt_id}"
