"""Modified-Angoff standard setting: a study of one scenario version, its panel and the panel's
ratings per round (docs/quality/standard-setting.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AngoffStudy(models.Model):
    """open (round 1, then round 2 after the discussion) → closed → adopting → adopted, or
    discarded. Adopting (on a worker: the new version's self-test takes seconds) publishes the
    next version of the scenario with the study's cut score and starts a batch-regrade preview
    of its effect; a refused adoption goes back to closed with the problems it met."""

    class Status(models.TextChoices):
        OPEN = "open", "Open: panelists rate"
        CLOSED = "closed", "Closed: ratings final"
        ADOPTING = "adopting", "Adopting: the new version is being self-tested"
        ADOPTED = "adopted", "Adopted: a new version carries its cut score"
        DISCARDED = "discarded", "Discarded"

    scenario_version = models.ForeignKey(
        "scenarios.ScenarioVersion", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    round = models.PositiveSmallIntegerField(default=1, help_text="1, or 2 after discussion.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(
        null=True, blank=True, help_text="quality.angoff.summarise of the final round, at close."
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    adoption_requested_at = models.DateTimeField(null=True, blank=True)
    adoption_problems = models.JSONField(
        null=True,
        blank=True,
        help_text="Why the last adoption was refused: code, message, details.",
    )
    adopted_version = models.ForeignKey(
        "scenarios.ScenarioVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    regrade_batch = models.ForeignKey(
        "assessments.RegradeBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The preview of the adopted cut score's effect.",
    )
    ended_reason = models.TextField(blank=True, help_text="Why it was discarded.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Angoff study {self.pk} of version {self.scenario_version_id} ({self.status})"


class AngoffPanelist(models.Model):
    study = models.ForeignKey(AngoffStudy, on_delete=models.CASCADE, related_name="panelists")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="one_seat_per_panelist")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on study {self.study_id}"


class AngoffRating(models.Model):
    """One panelist's rating of one checkpoint in one round: the probability (0-100 %) that a
    minimally competent candidate earns it."""

    panelist = models.ForeignKey(AngoffPanelist, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField()
    checkpoint_id = models.CharField(max_length=80)
    value = models.FloatField()
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["panelist", "round", "checkpoint_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panelist", "round", "checkpoint_id"], name="one_rating_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100), name="rating_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id}={self.value} (round {self.round})"
