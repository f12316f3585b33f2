"""Item statistics: running sums kept as reports are counted, the ledger of what was counted,
and the snapshots the page and the API read (never computed on page load).

The sums are sufficient statistics: facility, the corrected item-total correlation and the
variant tests are computed from a few rows of them (``quality.item_stats.from_sums``), whatever
the number of attempts. See docs/quality/item-statistics.md."""

from django.db import models
from django.utils import timezone


class ItemStatistics(models.Model):
    """The published snapshot of one scenario version (what the page, API and CSV read)."""

    scenario_version = models.OneToOneField(
        "scenarios.ScenarioVersion", on_delete=models.CASCADE, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, help_text="quality.item_stats.scenario_statistics")

    class Meta:
        ordering = ["-computed_at"]

    def __str__(self) -> str:
        return f"item statistics of version {self.scenario_version_id} ({self.attempts})"


class ItemStatsScenario(models.Model):
    """One row per scenario: the lock every change to the scenario's sums takes first (so
    counting, replacing and rebuilding never interleave), and when it was last rebuilt."""

    scenario = models.OneToOneField(
        "scenarios.Scenario", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"item statistics of scenario {self.scenario_id}"


class ItemStatsVersion(models.Model):
    """Sums over the counted reports of one scenario version. T is a report's total points
    (the sum of its checkpoints' points)."""

    scenario_version = models.OneToOneField(
        "scenarios.ScenarioVersion", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    n = models.BigIntegerField(default=0)
    passes = models.BigIntegerField(default=0)
    sum_t = models.FloatField(default=0.0)
    sum_t2 = models.FloatField(default=0.0)
    changed_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    publish_queued = models.BooleanField(
        default=False, help_text="A publish task is on its way (later counts do not send another)."
    )

    def __str__(self) -> str:
        return f"sums of version {self.scenario_version_id} ({self.n})"


class ItemStatsCheckpoint(models.Model):
    """Sums of one checkpoint's points x over the counted reports of a version."""

    scenario_version = models.ForeignKey(
        "scenarios.ScenarioVersion", on_delete=models.CASCADE, related_name="+"
    )
    checkpoint = models.CharField(max_length=80)
    n = models.BigIntegerField(default=0)
    sum_x = models.FloatField(default=0.0)
    sum_x2 = models.FloatField(default=0.0)
    sum_xt = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scenario_version", "checkpoint"], name="item_stats_one_row_per_checkpoint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} of version {self.scenario_version_id}"


class ItemStatsGroup(models.Model):
    """Attempts and passes of one variant group (a parameter's value, or third of its range)."""

    scenario_version = models.ForeignKey(
        "scenarios.ScenarioVersion", on_delete=models.CASCADE, related_name="+"
    )
    parameter = models.CharField(max_length=80)
    group = models.CharField(max_length=120)
    n = models.BigIntegerField(default=0)
    passes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scenario_version", "parameter", "group"],
                name="item_stats_one_row_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parameter}={self.group} of version {self.scenario_version_id}"


class ItemStatsCounted(models.Model):
    """The ledger: the one report of each (attempt, scenario) that is in the sums. A report is
    added once (``report`` is unique); a later report of the same attempt and scenario (a
    regrade) replaces it, its points subtracted from its version's sums and the new ones
    added."""

    attempt = models.ForeignKey(
        "assessments.Attempt",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (attempt, scenario) unique index serves lookups by attempt
    )
    scenario = models.ForeignKey("scenarios.Scenario", on_delete=models.CASCADE, related_name="+")
    scenario_version = models.ForeignKey(
        "scenarios.ScenarioVersion", on_delete=models.CASCADE, related_name="+"
    )
    report = models.OneToOneField(
        "assessments.GradeReport", on_delete=models.CASCADE, related_name="+"
    )
    counted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "scenario"], name="item_stats_one_report_per_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} counted for attempt {self.attempt_id}"
