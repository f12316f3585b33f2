"""Webhook subscriptions to credential events and their delivery log. Imported by
``certification.models`` so Django registers them in the ``certification`` app."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

EVENTS = (
    "issued",
    "renewed",
    "revoked",
    "suspended",
    "unsuspended",
    "expiring_soon",
    "expired",
)


class WebhookSubscription(models.Model):
    """An endpoint that receives signed POSTs for credential events.

    A partner manager's subscription names one firm they manage and hears about the credentials
    of that firm's current consultants; a programme admin's may leave ``organisation`` empty to
    hear about every credential. Each body is signed (HMAC-SHA256) with the endpoint's secret,
    which is never stored: it is derived from the server's ``WEBHOOK_SECRET_KEY`` (environment)
    and this row's random ``secret_salt`` (``webhooks.services.endpoint_secret``), shown once
    when the subscription is created or its secret rotated, and recomputed to sign."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    organisation = models.ForeignKey(
        "accounts.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty (programme admins only): every credential.",
    )
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text=f"Any of {', '.join(EVENTS)}.")
    secret_salt = models.CharField(
        max_length=64, help_text="Not a secret: useless without the key."
    )
    created_at = models.DateTimeField(default=timezone.now)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "certification"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["disabled_at", "deleted_at"])]

    def __str__(self) -> str:
        return f"webhook {self.pk} → {self.url}"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.deleted_at is None


class WebhookDelivery(models.Model):
    """One event for one subscription: its payload (fixed when the event happened), and how
    sending it went. Redelivery sends the same payload again under the same ``event_id`` (a
    receiver dedupes on it) with a fresh timestamp and signature."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(max_length=20)
    credential_id = models.UUIDField()
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "certification"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subscription", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.credential_id} → {self.subscription_id} ({self.status})"
