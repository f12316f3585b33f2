"""Published scenario versions. The authored packs live in ``scenarios/packs/``; publishing
freezes one version's content here, and a published version never changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scenario(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class ImmutableVersionError(Exception):
    pass


class ScenarioVersion(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    content = models.JSONField(help_text="The pack as authored, frozen at publication.")
    content_sha256 = models.CharField(max_length=64)
    engine_version = models.CharField(max_length=20)
    selftest = models.JSONField(default=dict)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["scenario__slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "version"], name="one_row_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.scenario.slug} v{self.version}"

    def save(self, *args, **kwargs):
        # Attempts are graded (and regraded) against this content: it must never change.
        if self.pk is not None:
            raise ImmutableVersionError(
                f"{self} is published and cannot change; publish a new version instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersionError(f"{self} is published and cannot be deleted.")
