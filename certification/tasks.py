"""Credential tasks: thin, idempotent, retried on database errors."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    name="certification.tasks.issue_credential",
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=8,
)
def issue_credential(decision_id: str) -> str:
    """Issue the credential of a passing decision (a second delivery finds it issued)."""
    return str(services.credential_issue(decision_id=decision_id).pk)


@shared_task(
    name="certification.tasks.withdraw_credential",
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=8,
)
def withdraw_credential(decision_id: str) -> str | None:
    credential = services.credential_withdraw_for_decision(decision_id=decision_id)
    return str(credential.pk) if credential else None


@shared_task(name="certification.tasks.sweep", time_limit=120, soft_time_limit=100)
def sweep() -> dict:
    """Periodic: issue credentials for passing decisions that have none (a lost message), and
    withdraw credentials whose decision was reversed. Bounded to 200 of each a run."""
    from assessments.models import CertificationDecision

    issued = withdrawn = 0
    missing = CertificationDecision.objects.filter(
        outcome="pass", reversed_at__isnull=True, credential__isnull=True
    ).values_list("id", flat=True)[:200]
    for decision_id in missing:
        services.credential_issue(decision_id=decision_id)
        issued += 1
    stale = CertificationDecision.objects.filter(
        reversed_at__isnull=False, credential__isnull=False, credential__revoked_at__isnull=True
    ).values_list("id", flat=True)[:200]
    for decision_id in stale:
        services.credential_withdraw_for_decision(decision_id=decision_id)
        withdrawn += 1
    return {"issued": issued, "withdrawn": withdrawn}
