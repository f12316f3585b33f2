"""The audit trail: one append-only row for every change to an attempt, grade, decision or
credential (and other state that matters), written in the same transaction as the change."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system acted (a worker, the sweeper, a scheduled job).",
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "occurred_at"])]

    def __str__(self) -> str:
        who = self.actor_id or "system"
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.target_label}"

    @property
    def target_label(self) -> str:
        return f"{self.target_type}:{self.target_id}"
