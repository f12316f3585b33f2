"""Revocation, withdrawal, suspension and expiry: guarded transitions with an audit row each."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict

from .. import stored_state
from ..models import Credential
from ..webhooks.services import credential_event
from .status_lists import status_bit_set


class CredentialStateError(Conflict):
    """The transition is not allowed from the credential's current state."""

    default_code = "invalid_transition"


def _revoke(*, credential: Credential, actor, reason: str, action: str) -> Credential:
    with transaction.atomic():
        if not Credential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revocation_reason=reason
        ):
            credential.refresh_from_db()
            return credential  # already revoked: revocation is final and idempotent
        status_bit_set(list_id=credential.status_list_id, index=credential.status_index, value=True)
        stored_state.forget(credential.pk)
        credential.refresh_from_db()
        audit_record(actor=actor, action=action, target=credential, reason=reason)
        credential_event(credential=credential, event="revoked", reason=reason)
    return credential


def credential_revoke(*, credential: Credential, actor, reason: str) -> Credential:
    """Revoke for good. The bit is set and the status list re-signed in the same transaction,
    so the served list says "revoked" as soon as this commits."""
    if not reason.strip():
        raise CredentialStateError("a reason is required")
    return _revoke(credential=credential, actor=actor, reason=reason, action="credential.revoked")


def credential_withdraw_for_decision(*, decision_id) -> Credential | None:
    """A reversed decision (appeal upheld, misconduct) withdraws its credential: revoked, with
    the decision's reason. Nothing to do when no credential was issued."""
    credential = Credential.objects.select_related("decision").filter(decision_id=decision_id)
    credential = credential.first()
    if credential is None or credential.decision.reversed_at is None:
        return credential
    reason = f"decision reversed: {credential.decision.reversal_reason}".strip()
    return _revoke(credential=credential, actor=None, reason=reason, action="credential.withdrawn")


def credential_suspend(*, credential: Credential, actor, reason: str) -> Credential:
    """Suspension is kept on the platform (the page and the API show it), not in the list."""
    if not reason.strip():
        raise CredentialStateError("a reason is required")
    with transaction.atomic():
        if not Credential.objects.filter(
            pk=credential.pk, suspended_at__isnull=True, revoked_at__isnull=True
        ).update(suspended_at=timezone.now(), suspension_reason=reason):
            raise CredentialStateError("only an active, unsuspended credential can be suspended")
        stored_state.forget(credential.pk)
        audit_record(actor=actor, action="credential.suspended", target=credential, reason=reason)
        credential_event(credential=credential, event="suspended", reason=reason)
    credential.refresh_from_db()
    return credential


def credential_unsuspend(*, credential: Credential, actor, reason: str) -> Credential:
    with transaction.atomic():
        if not Credential.objects.filter(
            pk=credential.pk, suspended_at__isnull=False, revoked_at__isnull=True
        ).update(suspended_at=None, suspension_reason=""):
            raise CredentialStateError("only a suspended, unrevoked credential can be unsuspended")
        stored_state.forget(credential.pk)
        audit_record(actor=actor, action="credential.unsuspended", target=credential, reason=reason)
        credential_event(credential=credential, event="unsuspended", reason=reason)
    credential.refresh_from_db()
    return credential


def credentials_record_expiry(*, batch_size: int = 500) -> int:
    """Expiry needs no write to take effect (``validUntil`` is in the signed credential and the
    status is computed); this records it once in the audit trail, a bounded batch a run."""
    now = timezone.now()
    ids = list(
        Credential.objects.filter(valid_until__lte=now, expiry_recorded_at__isnull=True)
        .order_by("valid_until")
        .values_list("pk", flat=True)[:batch_size]
    )
    recorded = 0
    for pk in ids:
        with transaction.atomic():
            if Credential.objects.filter(pk=pk, expiry_recorded_at__isnull=True).update(
                expiry_recorded_at=now
            ):
                credential = Credential.objects.get(pk=pk)
                audit_record(
                    actor=None,
                    action="credential.expired",
                    target=credential,
                    data={"valid_until": credential.valid_until.isoformat()},
                )
                credential_event(credential=credential, event="expired")
                recorded += 1
    return recorded


def credentials_warn_expiring(*, batch_size: int = 500) -> int:
    """Announce (webhook ``expiring_soon``) each active credential once, when it comes within
    ``WEBHOOK_EXPIRING_DAYS`` of its ``validUntil``; a bounded batch a run, each claimed with
    a conditional update so two sweeps never announce it twice."""
    now = timezone.now()
    ids = list(
        Credential.objects.filter(
            valid_until__gt=now,
            valid_until__lte=now + timedelta(days=settings.WEBHOOK_EXPIRING_DAYS),
            expiry_warned_at__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("valid_until")
        .values_list("pk", flat=True)[:batch_size]
    )
    warned = 0
    for pk in ids:
        with transaction.atomic():
            if Credential.objects.filter(pk=pk, expiry_warned_at__isnull=True).update(
                expiry_warned_at=now
            ):
                credential = Credential.objects.select_related("certification", "holder").get(pk=pk)
                credential_event(credential=credential, event="expiring_soon")
                warned += 1
    return warned
