"""Re-signing after a key compromise."""

from django.db import transaction

from audit.services import audit_record

from .. import documents, keys, stored_state
from ..models import Credential, StatusList
from ..vc import eddsa, multikey
from .sealing import credential_seal_signed
from .status_lists import status_list_sign


def credentials_resign_for_key(*, key_id: str, batch_size: int = 500) -> int:
    """Re-sign every credential that ``key_id`` signed with the active key: same id, same
    content, the issuer as the active key names it, a new proof. Then re-sign every status list.
    Each credential is its own transaction with an audit row, so an interrupted run can simply
    be started again (it picks up what is still signed by the old key)."""
    key = keys.active_key()
    if key.key_id == key_id:
        raise ValueError("rotate to a new key before re-signing what the old one signed")
    issuer = keys.issuer_id(key)
    old = next((k for k in keys.all_keys() if k.key_id == key_id), None)
    old_issuer = multikey.did_key(old.public) if old else None
    count = 0
    while True:
        batch = list(Credential.objects.filter(signing_key_id=key_id)[:batch_size])
        if not batch:
            break
        for credential in batch:
            unsigned = {k: v for k, v in credential.document.items() if k != "proof"}
            unsigned["issuer"] = {**unsigned["issuer"], **documents.issuer_profile(issuer)}
            signed = eddsa.sign(
                unsigned, key.private, verification_method=keys.verification_method(key)
            )
            with transaction.atomic():
                Credential.objects.filter(pk=credential.pk, signing_key_id=key_id).update(
                    document=signed, signing_key_id=key.key_id
                )
                credential_seal_signed(pk=credential.pk, signing_key_id=key.key_id)
                stored_state.forget(credential.pk)
                audit_record(
                    actor=None,
                    action="credential.resigned",
                    target=credential,
                    reason=f"signing key {key_id} reported compromised",
                    data={"new_key": key.key_id},
                )
            count += 1
    # did:key: the old key's lists move to the new issuer with its credentials. did:web: the
    # issuer is unchanged and every list is re-signed by the active key.
    lists = (
        StatusList.objects.all()
        if keys.uses_did_web()
        else StatusList.objects.filter(issuer=old_issuer)
    )
    for status_list in lists:
        with transaction.atomic():
            if not keys.uses_did_web():
                status_list.issuer = issuer
                status_list.save(update_fields=["issuer"])
            status_list_sign(status_list=status_list)
    return count
