"""The individual marks of a double-marked item (the item's own points are the recorded score)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class HumanMark(models.Model):
    """One grader's mark of a double-marked item: the first and second marks (each given blind
    to the other) and, when they differ by more than one level, the adjudicator's."""

    class Kind(models.TextChoices):
        FIRST = "first", "First mark"
        SECOND = "second", "Second mark"
        ADJUDICATION = "adjudication", "Adjudication"

    item = models.ForeignKey(
        "assessments.HumanScore", on_delete=models.PROTECT, related_name="marks"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.FloatField()
    comment = models.TextField(blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item_id", "scored_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "kind"], name="one_mark_of_each_kind"),
            models.UniqueConstraint(
                fields=["item", "grader"],
                condition=~models.Q(kind="adjudication"),
                name="two_different_markers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} mark of item {self.item_id}: {self.points}"
