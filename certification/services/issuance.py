"""Issuing a credential: only from a recorded, passing, unreversed certification decision."""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import CertificationDecision
from audit.services import audit_record

from .. import documents, keys, stored_state
from ..models import Credential
from ..vc import eddsa
from ..webhooks.services import credential_event
from .sealing import credential_seal_signed
from .status_lists import status_index_allocate

MAX_ATTEMPTS = 20


class IssuanceRefused(Exception):
    """The decision does not allow a credential (not a pass, or reversed)."""


def _latest_active(*, holder_id, certification_id, exclude_decision) -> Credential | None:
    return (
        # of=self: the successor test is an outer join, and only our own rows are to be locked.
        Credential.objects.select_for_update(of=("self",))
        .filter(
            holder_id=holder_id,
            certification_id=certification_id,
            revoked_at__isnull=True,
            superseded_by__isnull=True,
        )
        .exclude(decision_id=exclude_decision)
        .order_by("-issued_at")
        .first()
    )


def credential_issue(*, decision_id) -> Credential:
    """Issue the credential of a passing decision and return it.

    Idempotent: a second call (a redelivered task) returns the credential already issued; the
    one-to-one on ``decision`` settles two concurrent calls. Refuses (IssuanceRefused) a failing
    or reversed decision; the decision row is locked while the credential is written, so a
    reversal cannot slip in between the check and the insert. A holder's earlier active
    credential for the same certification is superseded (renewal), never edited.
    """
    existing = Credential.objects.filter(decision_id=decision_id).first()
    if existing:
        return existing
    decision = CertificationDecision.objects.select_related("user", "certification").get(
        pk=decision_id
    )
    if not decision.is_pass:
        raise IssuanceRefused(f"decision {decision_id} is not an unreversed pass")
    certification = decision.certification
    key = keys.active_key()
    issuer = keys.issuer_id(key)
    for _ in range(MAX_ATTEMPTS):
        # Allocate and sign outside the insert's transaction: signing is the slow part (RDF
        # canonicalisation), and no lock should be held while it runs.
        status_list, index = status_index_allocate(issuer=issuer)
        credential_id = uuid.uuid4()
        valid_from = timezone.now().replace(microsecond=0)
        valid_until = valid_from + timedelta(days=certification.validity_days)
        unsigned = documents.open_badge(
            credential_id=credential_id,
            issuer=issuer,
            holder_name=decision.user.full_name,
            certification=certification,
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
                locked = CertificationDecision.objects.select_for_update().get(pk=decision_id)
                if not locked.is_pass:
                    raise IssuanceRefused(f"decision {decision_id} was reversed")
                predecessor = _latest_active(
                    holder_id=decision.user_id,
                    certification_id=certification.pk,
                    exclude_decision=decision.pk,
                )
                credential = Credential.objects.create(
                    id=credential_id,
                    decision=decision,
                    holder=decision.user,
                    certification=certification,
                    document=signed,
                    signing_key_id=key.key_id,
                    status_list=status_list,
                    status_index=index,
                    supersedes=predecessor,
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
                # Signed here a moment ago: its proof is known good (see proof_seal).
                credential_seal_signed(pk=credential.pk, signing_key_id=key.key_id)
                audit_record(
                    actor=None,
                    action="credential.issued",
                    target=credential,
                    data={
                        "decision": str(decision.pk),
                        "key": key.key_id,
                        "supersedes": str(predecessor.pk) if predecessor else None,
                    },
                )
                credential_event(
                    credential=credential, event="renewed" if predecessor else "issued"
                )
                if predecessor:
                    stored_state.forget(predecessor.pk)
                    audit_record(
                        actor=None,
                        action="credential.superseded",
                        target=predecessor,
                        data={"by": str(credential.pk)},
                    )
            return credential
        except IntegrityError:
            winner = Credential.objects.filter(decision_id=decision_id).first()
            if winner:  # a concurrent delivery issued it
                return winner
            # otherwise an index collision (or a concurrent renewal): draw again
    raise IssuanceRefused(f"could not allocate a status-list index for {decision_id}")
