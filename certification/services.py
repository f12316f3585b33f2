"""Issuing and changing credentials. Every change writes an audit row in its transaction."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import CertificationDecision
from audit.services import audit_record

from . import documents, keys
from .models import Credential, StatusList
from .vc import eddsa
from .vc import status_list as bitstring


class IssuanceRefused(Exception):
    pass


def _current_list() -> StatusList:
    """The list new credentials go on; a new one when it is three-quarters full, so that
    random allocation stays cheap."""
    current = StatusList.objects.order_by("-id").first()
    if (
        current is None
        or Credential.objects.filter(status_list=current).count() >= current.size * 3 // 4
    ):
        current = StatusList.objects.create(bits=bytes(bitstring.empty()))
        status_list_sign(status_list=current)
    return current


def status_list_sign(*, status_list: StatusList) -> None:
    key = keys.active_key()
    document = documents.status_list_credential(
        list_id=status_list.pk,
        issuer=keys.issuer_id(key),
        encoded=bitstring.encode(bytearray(status_list.bits)),
        valid_from=timezone.now(),
    )
    status_list.signed = eddsa.sign(
        document, key.private, verification_method=keys.verification_method(key)
    )
    status_list.updated_at = timezone.now()
    status_list.save(update_fields=["signed", "updated_at"])


def credential_issue(*, decision_id) -> Credential:
    """Issue the credential for a passing decision. Idempotent: one decision, one credential.
    A failing or reversed decision is refused (credentials follow only from a pass)."""
    existing = Credential.objects.filter(decision_id=decision_id).first()
    if existing:
        return existing
    decision = CertificationDecision.objects.select_related("user", "certification").get(
        pk=decision_id
    )
    if not decision.is_pass:
        raise IssuanceRefused(f"decision {decision_id} is not an unreversed pass")
    key = keys.active_key()
    for _ in range(20):  # random index; retry on the rare collision
        status_list = _current_list()
        index = secrets.randbelow(status_list.size)
        credential_id = __import__("uuid").uuid4()
        valid_from = timezone.now().replace(microsecond=0)
        valid_until = valid_from + timedelta(days=decision.certification.validity_days)
        unsigned = documents.open_badge(
            credential_id=credential_id,
            issuer=keys.issuer_id(key),
            holder_name=decision.user.full_name,
            certification=decision.certification,
            decision=decision,
            valid_from=valid_from,
            valid_until=valid_until,
            list_id=status_list.pk,
            index=index,
        )
        signed = eddsa.sign(
            unsigned, key.private, verification_method=keys.verification_method(key)
        )
        try:
            with transaction.atomic():
                credential = Credential.objects.create(
                    id=credential_id,
                    decision=decision,
                    holder=decision.user,
                    certification=decision.certification,
                    document=signed,
                    signing_key_id=key.key_id,
                    status_list=status_list,
                    status_index=index,
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
                previous = Credential.objects.filter(
                    holder=decision.user,
                    certification=decision.certification,
                    superseded_by__isnull=True,
                    revoked_at__isnull=True,
                ).exclude(pk=credential.pk)
                for old in previous:
                    Credential.objects.filter(pk=old.pk).update(superseded_by=credential)
                    audit_record(
                        actor=None,
                        action="credential.superseded",
                        target=old,
                        data={"by": str(credential.pk)},
                    )
                audit_record(
                    actor=None,
                    action="credential.issued",
                    target=credential,
                    data={"decision": str(decision.pk), "key": key.key_id},
                )
            return credential
        except IntegrityError:
            winner = Credential.objects.filter(decision_id=decision_id).first()
            if winner:  # a concurrent delivery issued it
                return winner
    raise IssuanceRefused("could not allocate a status-list index")


def _set_revoked_bit(credential: Credential, value: bool) -> None:
    status_list = StatusList.objects.select_for_update().get(pk=credential.status_list_id)
    bits = bytearray(status_list.bits)
    bitstring.set_bit(bits, credential.status_index, value)
    status_list.bits = bytes(bits)
    status_list.version += 1
    status_list.save(update_fields=["bits", "version"])
    status_list_sign(status_list=status_list)


def credential_revoke(*, credential: Credential, actor, reason: str) -> Credential:
    """Revoke for good: the bit is set in the signed status list in the same transaction."""
    with transaction.atomic():
        if not Credential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revocation_reason=reason
        ):
            credential.refresh_from_db()
            return credential
        _set_revoked_bit(credential, True)
        credential.refresh_from_db()
        audit_record(actor=actor, action="credential.revoked", target=credential, reason=reason)
    return credential


def credential_suspend(*, credential: Credential, actor, reason: str) -> Credential:
    """Suspension is kept on the platform (shown by the page and the API), not in the list."""
    with transaction.atomic():
        if Credential.objects.filter(
            pk=credential.pk, suspended_at__isnull=True, revoked_at__isnull=True
        ).update(suspended_at=timezone.now(), suspension_reason=reason):
            audit_record(
                actor=actor, action="credential.suspended", target=credential, reason=reason
            )
    credential.refresh_from_db()
    return credential


def credential_unsuspend(*, credential: Credential, actor, reason: str) -> Credential:
    with transaction.atomic():
        if Credential.objects.filter(pk=credential.pk, suspended_at__isnull=False).update(
            suspended_at=None, suspension_reason=""
        ):
            audit_record(
                actor=actor, action="credential.unsuspended", target=credential, reason=reason
            )
    credential.refresh_from_db()
    return credential


def credential_withdraw_for_decision(*, decision_id) -> Credential | None:
    """A reversed decision (appeal) withdraws its credential."""
    credential = Credential.objects.filter(decision_id=decision_id).first()
    if credential is None:
        return None
    decision = credential.decision
    return credential_revoke(
        credential=credential, actor=None, reason=f"decision reversed: {decision.reversal_reason}"
    )


def credentials_resign_for_key(*, key_id: str) -> int:
    """After a key is compromised: re-sign every unrevoked credential it signed with the active
    key (same id, same content, new proof), and re-sign the status lists."""
    key = keys.active_key()
    count = 0
    for credential in Credential.objects.filter(signing_key_id=key_id):
        unsigned = {k: v for k, v in credential.document.items() if k != "proof"}
        unsigned["issuer"] = documents.issuer_profile(keys.issuer_id(key))
        with transaction.atomic():
            Credential.objects.filter(pk=credential.pk).update(
                document=eddsa.sign(
                    unsigned, key.private, verification_method=keys.verification_method(key)
                ),
                signing_key_id=key.key_id,
            )
            audit_record(
                actor=None,
                action="credential.resigned",
                target=credential,
                reason=f"key {key_id} compromised",
            )
        count += 1
    for status_list in StatusList.objects.all():
        status_list_sign(status_list=status_list)
    return count
