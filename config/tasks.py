"""Operational tasks that belong to no single app."""

from celery import shared_task


@shared_task(name="config.tasks.ping", time_limit=30, soft_time_limit=20)
def ping(note: str = "") -> str:
    """Round trip through the broker to a worker and the database: records an audit row.

    Used by the integration tier and by operators (``manage.py shell``) to prove that a worker
    consumes the default queue and can write to the database.
    """
    from audit.models import AuditEvent

    AuditEvent.objects.create(
        action="system.ping", target_type="system", target_id="worker", data={"note": note}
    )
    return "pong"
