"""Issued credentials and the status lists that say whether they are revoked.

Signing keys are not here: private keys live in files or the environment (see ``keys.py``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .vc.status_list import LIST_SIZE


class StatusList(models.Model):
    """A Bitstring Status List (purpose: revocation) of 131,072 entries, and its signed
    credential as served. ``version`` goes up with every change, so caches can key on it."""

    purpose = models.CharField(max_length=16, default="revocation")
    issuer = models.CharField(
        max_length=200, db_index=True, help_text="The DID that signs this list (and its entries)."
    )
    bits = models.BinaryField()
    size = models.PositiveIntegerField(default=LIST_SIZE)
    allocated = models.PositiveIntegerField(
        default=0, help_text="Indexes handed out; a new list is opened at three-quarters full."
    )
    version = models.PositiveIntegerField(default=1)
    signed = models.JSONField(null=True, blank=True, help_text="The signed list credential.")
    created_at = models.DateTimeField(default=timezone.now, help_text="The list's validFrom.")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"status list {self.pk} (v{self.version})"

    @property
    def capacity(self) -> int:
        return self.size * 3 // 4


class Credential(models.Model):
    """One signed OpenBadgeCredential, kept exactly as issued. It is never edited: revocation
    and suspension are rows' state (and a bit in the list), renewal is a new credential that
    ``supersedes`` this one. Only a re-sign after a key compromise replaces the proof."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.OneToOneField(
        "assessments.CertificationDecision", on_delete=models.PROTECT, related_name="credential"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    certification = models.ForeignKey(
        "assessments.Certification", on_delete=models.PROTECT, related_name="credentials"
    )
    document = models.JSONField(help_text="The signed credential, exactly as issued.")
    signing_key_id = models.CharField(max_length=64, db_index=True)
    proof_seal = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="HMAC of (id, signing key, document) written when the proof was made or "
        "checked; lets by-ID verification skip re-checking it (see certification/proof_seal.py).",
    )
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT)
    status_index = models.PositiveIntegerField()
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The holder's earlier credential for the same certification (renewal).",
    )
    issued_at = models.DateTimeField(default=timezone.now)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    expiry_recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the expiry sweep wrote the audit row."
    )
    expiry_warned_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweep announced it as expiring soon."
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_index"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="credential_valid_until_after_from",
            ),
        ]
        indexes = [models.Index(fields=["holder", "certification"])]

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


from .volume_models import VerificationVolume  # noqa: E402,F401
from .webhook_models import WebhookDelivery, WebhookSubscription  # noqa: E402,F401
