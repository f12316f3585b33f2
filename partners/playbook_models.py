"""Playbooks: passing designs a consultant chose to share with a firm (helper P2's part of
issue 13). Imported by ``partners.models`` so Django registers it in the ``partners`` app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Playbook(models.Model):
    """One passing design, shared by its author with one firm.

    What the firm sees is copied here when the author shares it (the design, its rationale, the
    simulated metrics against today's process, the scenario), so the library never reads the
    attempt, its checkpoints or its scores. Withdrawing consent erases that copy and keeps only
    the row's bare facts (who, which firm, when shared, when withdrawn) for the audit trail."""

    organisation = models.ForeignKey(
        "accounts.PartnerOrganisation", on_delete=models.PROTECT, related_name="playbooks"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="playbooks"
    )
    attempt = models.ForeignKey("assessments.Attempt", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "assessments.CertificationDecision", on_delete=models.PROTECT, related_name="+"
    )
    scenario_version = models.ForeignKey(
        "scenarios.ScenarioVersion", on_delete=models.PROTECT, related_name="+"
    )
    workflow_type = models.SlugField(help_text="The scenario's slug: the library's grouping.")
    scenario_title = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    rationale = models.JSONField(default=dict, help_text="The design's rationale sections.")
    design = models.JSONField(default=dict)
    resources = models.JSONField(default=dict, help_text="What the diagram names (roles...).")
    metrics = models.JSONField(default=dict, help_text="Simulated: the design's figures.")
    baseline_metrics = models.JSONField(default=dict, help_text="Simulated: today's process.")
    search_text = models.TextField(blank=True, help_text="Lower-cased title and rationale.")
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "partners"
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "attempt", "scenario_version"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_shared_playbook_per_design_and_firm",
            )
        ]
        indexes = [models.Index(fields=["organisation", "withdrawn_at", "workflow_type"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"
