"""Credential tasks: thin wrappers over services, idempotent, time-limited, retried with
backoff on transient database errors only. They run on the default queue."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT = (OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 8,
}
SWEEP_BATCH = 200


@shared_task(
    name="certification.tasks.issue_credential",
    acks_late=True,  # safe: issuing is idempotent per decision
    time_limit=60,
    soft_time_limit=50,
    **RETRY,
)
def issue_credential(decision_id: str) -> str | None:
    """Issue the credential of a passing decision. A redelivery finds it issued and returns
    it; a decision that is not (or no longer) a pass issues nothing."""
    try:
        return str(services.credential_issue(decision_id=decision_id).pk)
    except services.IssuanceRefused:
        return None


@shared_task(
    name="certification.tasks.withdraw_credential",
    acks_late=True,  # safe: revocation is idempotent
    time_limit=60,
    soft_time_limit=50,
    **RETRY,
)
def withdraw_credential(decision_id: str) -> str | None:
    """Withdraw (revoke) the credential of a reversed decision, if one was issued."""
    credential = services.credential_withdraw_for_decision(decision_id=decision_id)
    return str(credential.pk) if credential else None


@shared_task(name="certification.tasks.sweep", time_limit=300, soft_time_limit=270, **RETRY)
def sweep() -> dict:
    """Periodic catch-up for lost messages, bounded per run: issue credentials for passing
    decisions that have none, withdraw credentials of reversed decisions, and record expiries
    in the audit trail."""
    from assessments.models import CertificationDecision

    issued = withdrawn = 0
    missing = CertificationDecision.objects.filter(
        outcome="pass", reversed_at__isnull=True, credential__isnull=True
    ).values_list("id", flat=True)[:SWEEP_BATCH]
    for decision_id in missing:
        try:
            services.credential_issue(decision_id=decision_id)
            issued += 1
        except services.IssuanceRefused:
            continue
    stale = CertificationDecision.objects.filter(
        reversed_at__isnull=False, credential__isnull=False, credential__revoked_at__isnull=True
    ).values_list("id", flat=True)[:SWEEP_BATCH]
    for decision_id in stale:
        services.credential_withdraw_for_decision(decision_id=decision_id)
        withdrawn += 1
    expired = services.credentials_record_expiry(batch_size=SWEEP_BATCH)
    return {"issued": issued, "withdrawn": withdrawn, "expired": expired}
