"""Stored agreement statistics: computed by a Celery task, read by the page, API and command."""

from django.db import models
from django.utils import timezone


class AgreementReport(models.Model):
    """Agreement between first and second markers, for one scenario (slug) or all ("")."""

    scenario_slug = models.SlugField(max_length=80, blank=True, db_index=True)
    computed_at = models.DateTimeField(default=timezone.now)
    threshold = models.FloatField(help_text="Graders below this kappa are flagged.")
    pairs = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict)  # {"criteria": [...], "graders": [...]}

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"agreement {self.scenario_slug or 'all'} at {self.computed_at:%Y-%m-%d %H:%M}"
