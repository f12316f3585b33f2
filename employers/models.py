"""Employers: organisations that verify credentials in bulk, their members, their API keys."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Employer(models.Model):
    """An employer organisation. Created by programme staff (Django admin or
    ``employers.services.employer_create``); its members manage its API keys."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerMember(models.Model):
    """One period of a person's membership of an employer; removal sets ``removed_at`` (rows
    stay, so the audit trail keeps naming who held keys when)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employer_memberships"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "user"],
                condition=Q(removed_at__isnull=True),
                name="one_active_employer_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.employer}"


class ApiKey(models.Model):
    """An employer's API key. Only its SHA-256 digest is stored, with a public ``prefix`` to find
    it by (the key is shown once, when it is created). Revoked keys stay, for the record."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. 'ATS import'.")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the whole key.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name}, {self.employer})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
