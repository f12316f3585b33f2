"""Partner-side records: invitations to join a firm, and the tier targets programme admins set.

Memberships themselves are ``accounts.Membership`` (written only through accounts services).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Invitation(models.Model):
    """A manager's invitation for an email address to join a firm as a consultant.

    Only a SHA-256 hash of the link's token is stored: the token itself exists in the email and
    nowhere else. The link is single use (answering sets ``status``) and expires at
    ``expires_at``."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(
        "accounts.PartnerOrganisation", on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    membership = models.ForeignKey(
        "accounts.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The membership an accepted invitation started.",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class TierTarget(models.Model):
    """A programme tier's requirement, e.g. "Specialist tier: 25 certified in finance operations".

    It counts the firm's active certified consultants (the counting rule) in ``certification``;
    with a ``domain`` (a blueprint domain id), only those proficient in that domain. Without an
    ``organisation`` it applies to every firm."""

    tier = models.CharField(max_length=80, help_text='e.g. "Specialist tier"')
    certification = models.ForeignKey(
        "assessments.Certification", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField(
        max_length=80, blank=True, help_text="Optional blueprint domain id (proficiency)."
    )
    target = models.PositiveIntegerField(help_text="Certified consultants needed.")
    organisation = models.ForeignKey(
        "accounts.PartnerOrganisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: applies to every firm.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tier", "certification_id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="tier_target_positive")
        ]

    def __str__(self) -> str:
        return f"{self.tier}: {self.target} certified in {self.certification}"


class DashboardSnapshot(models.Model):
    """A firm's dashboard figures as last computed (``partners.snapshots``). Pages and the API
    serve it while it is younger than ``PARTNERS_DASHBOARD_MAX_AGE``; the periodic task
    recomputes every firm's, and membership changes through partners services drop the firm's,
    so the next view recomputes it."""

    organisation = models.OneToOneField(
        "accounts.PartnerOrganisation", on_delete=models.CASCADE, related_name="+"
    )
    figures = models.JSONField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long the computation took.")

    def __str__(self) -> str:
        return f"dashboard of {self.organisation_id} at {self.computed_at:%Y-%m-%d %H:%M}"


from .playbook_models import Playbook  # noqa: E402,F401  (helper P2: playbooks)
