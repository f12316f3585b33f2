"""Similarity detection: a fingerprint per submitted design, its LSH bands, and the pairs
flagged for a person to confirm or dismiss (never an automatic fail)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DesignFingerprint(models.Model):
    attempt = models.ForeignKey("assessments.Attempt", on_delete=models.CASCADE, related_name="+")
    scenario_version = models.ForeignKey(
        "scenarios.ScenarioVersion", on_delete=models.PROTECT, related_name="+"
    )
    scenario = models.ForeignKey("scenarios.Scenario", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    canonical_hash = models.CharField(max_length=64, db_index=True)
    features = models.JSONField(help_text="{prefixed feature: count} (quality/similarity.py)")
    rationale = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "scenario_version"], name="one_fingerprint_per_design"
            )
        ]

    def __str__(self) -> str:
        return f"fingerprint {self.pk} of {self.attempt_id}"


class FingerprintBand(models.Model):
    """One LSH band of a fingerprint's MinHash signatures: designs sharing a band are compared.
    Bands 0-20 are the structure's, 100-131 the rationale's (quality/similarity_text.py)."""

    fingerprint = models.ForeignKey(
        DesignFingerprint, on_delete=models.CASCADE, related_name="bands"
    )
    scenario_id_ref = models.BigIntegerField()
    band = models.PositiveSmallIntegerField()
    value = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["scenario_id_ref", "band", "value"])]

    def __str__(self) -> str:
        return f"band {self.band} of fingerprint {self.fingerprint_id}"


class SimilarPair(models.Model):
    class Status(models.TextChoices):
        FLAGGED = "flagged", "Flagged: a person must look"
        CONFIRMED = "confirmed", "Confirmed: the designs are copies"
        DISMISSED = "dismissed", "Dismissed: independent work"

    scenario = models.ForeignKey("scenarios.Scenario", on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey(DesignFingerprint, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(DesignFingerprint, on_delete=models.CASCADE, related_name="+")
    structural = models.FloatField(help_text="Weighted structural similarity (0-1).")
    rationale = models.FloatField(help_text="Jaccard of the rationales' word pairs (0-1).")
    signals = models.JSONField(
        default=list, help_text='What reached its threshold: "structure", "rationale" or both.'
    )
    components = models.JSONField(
        default=dict, help_text="The structural similarity's components: {name: Jaccard}."
    )
    similar_designs = models.PositiveIntegerField(
        default=1,
        help_text="Designs that reached a threshold with the newer design when it was checked "
        "(many: a popular strategy rather than one copy).",
    )
    identical_structure = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FLAGGED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-structural", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_pair_per_two_designs")
        ]

    def __str__(self) -> str:
        return f"pair {self.first_id}~{self.second_id} ({self.structural:.2f})"
