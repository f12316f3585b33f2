"""Proof seals (see ``certification/proof_seal.py``): written for what this platform has just
signed, and for credentials issued before seals existed (``manage.py seal_credentials``)."""

from django.db import transaction

from audit.models import AuditEvent

from .. import proof_seal
from ..models import Credential
from ..proof_checks import proof_of


def credential_seal_signed(*, pk, signing_key_id: str) -> None:
    """Seal a credential whose document this platform has just signed with ``signing_key_id``
    (issuance, re-signing), over the database's text of it: one read and one write, in the
    caller's transaction."""
    text = (
        Credential.objects.filter(pk=pk, signing_key_id=signing_key_id)
        .values_list(proof_seal.stored_text(), flat=True)
        .get()
    )
    seal = proof_seal.compute(pk=pk, signing_key_id=signing_key_id, text=text)
    Credential.objects.filter(pk=pk, signing_key_id=signing_key_id).update(proof_seal=seal)


def credentials_seal(*, batch_size: int = 500) -> tuple[int, int]:
    """Check the proof of each credential without a seal in full and seal those that pass.
    Returns (sealed, not passing). Each batch is one transaction with one audit row per sealed
    credential; a credential that does not pass is left unsealed (it keeps being checked in
    full, and fails). Rerunnable: it only ever looks at unsealed rows after the last one seen."""
    sealed = failed = 0
    after = None
    while True:
        rows = Credential.objects.filter(proof_seal="").order_by("pk")
        if after is not None:
            rows = rows.filter(pk__gt=after)
        batch = list(
            rows.values_list("pk", "signing_key_id", "document", proof_seal.stored_text())[
                :batch_size
            ]
        )
        if not batch:
            return sealed, failed
        after = batch[-1][0]
        passing = []
        for pk, key_id, document, text in batch:
            checks = proof_of(document)["checks"]
            if len(checks) == 2 and all(c["outcome"] == "pass" for c in checks):
                passing.append((pk, key_id, text))
            else:
                failed += 1
        with transaction.atomic():
            for pk, key_id, text in passing:
                seal = proof_seal.compute(pk=pk, signing_key_id=key_id, text=text)
                # Only if the row is still what was checked (a re-sign may have run meanwhile).
                Credential.objects.filter(pk=pk, signing_key_id=key_id, proof_seal="").update(
                    proof_seal=seal
                )
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        action="credential.proof_sealed",
                        target_type=Credential._meta.label_lower,
                        target_id=str(pk),
                        data={"key": key_id},
                    )
                    for pk, key_id, _ in passing
                ]
            )
        sealed += len(passing)
