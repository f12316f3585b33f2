"""Writing audit rows. Call inside the transaction that makes the change, so both commit or
neither does."""

from typing import Any

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Record that ``actor`` (a user, or None for the system) did ``action`` to ``target``."""
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason=reason,
        data=data or {},
    )
