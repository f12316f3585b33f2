"""Item statistics snapshots: computed by a task, read by the page and the API (never computed
on page load)."""

from django.db import models
from django.utils import timezone


class ItemStatistics(models.Model):
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
