"""Verification volume: how many verifications each surface answered per day, and for whom."""

from django.db import models


class VerificationVolume(models.Model):
    """One counter per (day, surface, account). ``account`` is 0 for anonymous verifications and
    an employer's id for theirs (an opaque number here: the employers app sits above this one
    and names it). Written by one upsert per request (``certification.volume.record``)."""

    class Surface(models.TextChoices):
        PAGE = "page", "Public page"
        API = "api", "Single verification API"
        BULK = "bulk", "Bulk verification (items)"
        VC_API = "vc_api", "VC API verifier"

    day = models.DateField()
    surface = models.CharField(max_length=16, choices=Surface.choices)
    account = models.PositiveBigIntegerField(default=0)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "surface", "account"], name="one_volume_row_per_day_surface_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.surface} {self.account}: {self.count}"
