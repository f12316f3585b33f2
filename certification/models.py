"""Issued credentials and the status lists that say whether they are revoked."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class StatusList(models.Model):
    """A Bitstring Status List (purpose: revocation) of 131,072 entries."""

    purpose = models.CharField(max_length=16, default="revocation")
    bits = models.BinaryField()
    size = models.PositiveIntegerField(default=131_072)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change.")
    signed = models.JSONField(null=True, blank=True, help_text="The signed list credential.")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"status list {self.pk} (v{self.version})"


class Credential(models.Model):
    """One signed OpenBadgeCredential. Never edited after issue: renewal issues a new one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.OneToOneField(
        "assessments.CertificationDecision", on_delete=models.PROTECT, related_name="credential"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    certification = models.ForeignKey("assessments.Certification", on_delete=models.PROTECT)
    document = models.JSONField(help_text="The signed credential, exactly as issued.")
    signing_key_id = models.CharField(max_length=64)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT)
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_index"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification} for {self.holder} ({self.pk})"

    @property
    def status(self) -> str:
        """valid / expired / suspended / revoked, as the platform knows it."""
        if self.revoked_at:
            return "revoked"
        if self.suspended_at:
            return "suspended"
        if timezone.now() >= self.valid_until:
            return "expired"
        return "valid"
