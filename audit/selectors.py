from django.db import models
from django.db.models import QuerySet

from .models import AuditEvent


def audit_events_for(*, target: models.Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).order_by("occurred_at", "id")
