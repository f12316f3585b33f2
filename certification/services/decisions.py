"""Credentials follow certification decisions: the listener ``assessments`` calls when a
decision is recorded or reversed (through its named hook, ``assessments.hooks``), and the sweep
that catches up whatever a lost message left undone."""

from assessments.models import CertificationDecision
from config.dispatch import send_after_commit

from ..webhooks.services import webhooks_sweep
from .issuance import IssuanceRefused, credential_issue
from .lifecycle import (
    credential_withdraw_for_decision,
    credentials_record_expiry,
    credentials_warn_expiring,
)

ISSUE = "certification.tasks.issue_credential"
WITHDRAW = "certification.tasks.withdraw_credential"


def credential_on_decision(decision_id, event: str) -> None:
    """A decision was recorded or reversed (we are inside its transaction): schedule issuing
    or withdrawal for after it commits. Never issues inline, never fails the caller; a broker
    that is down leaves the work to ``credentials_sweep``."""
    if event == "recorded":
        if not CertificationDecision.objects.filter(pk=decision_id, outcome="pass").exists():
            return  # only a pass leads to a credential (the task checks again)
        send_after_commit(ISSUE, str(decision_id))
    elif event == "reversed":
        send_after_commit(WITHDRAW, str(decision_id))


def credentials_sweep(*, batch_size: int = 200) -> dict:
    """Periodic catch-up for lost messages, bounded per run: issue credentials for passing
    decisions that have none, withdraw credentials of reversed decisions, and record expiries
    in the audit trail, and send again webhook deliveries whose message was lost."""
    issued = withdrawn = 0
    missing = CertificationDecision.objects.filter(
        outcome="pass", reversed_at__isnull=True, credential__isnull=True
    ).values_list("id", flat=True)[:batch_size]
    for decision_id in missing:
        try:
            credential_issue(decision_id=decision_id)
            issued += 1
        except IssuanceRefused:
            continue
    stale = CertificationDecision.objects.filter(
        reversed_at__isnull=False, credential__isnull=False, credential__revoked_at__isnull=True
    ).values_list("id", flat=True)[:batch_size]
    for decision_id in stale:
        credential_withdraw_for_decision(decision_id=decision_id)
        withdrawn += 1
    expired = credentials_record_expiry(batch_size=batch_size)
    expiring = credentials_warn_expiring(batch_size=batch_size)
    resent = webhooks_sweep(batch_size=batch_size)
    return {
        "issued": issued,
        "withdrawn": withdrawn,
        "expired": expired,
        "expiring": expiring,
        "webhooks": resent,
    }
