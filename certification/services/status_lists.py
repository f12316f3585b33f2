"""Status lists: allocating a random index, flipping a bit, re-signing the served list.

A list and the credentials on it have the same issuer (verifiers check that). With did:web the
issuer never changes; with did:key every key is its own issuer, so each key gets its own lists.
"""

import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import documents, keys
from ..models import StatusList
from ..vc import eddsa
from ..vc import status_list as bitstring


def status_list_sign(*, status_list: StatusList) -> None:
    """Sign the list's current bits for its issuer; the served document is replaced."""
    key = keys.key_for_issuer(status_list.issuer)
    document = documents.status_list_credential(
        list_id=status_list.pk,
        issuer=status_list.issuer,
        bits=status_list.bits,
        # Stable across re-signing: a verifier whose clock lags a little must not see a list
        # re-signed a moment ago as "not yet valid" (and so the status as unknown).
        valid_from=status_list.created_at,
    )
    status_list.signed = eddsa.sign(
        document, key.private, verification_method=keys.verification_method(key)
    )
    status_list.updated_at = timezone.now()
    status_list.save(update_fields=["signed", "updated_at"])


def _open_list(issuer: str) -> StatusList:
    with transaction.atomic():
        status_list = StatusList.objects.create(issuer=issuer, bits=bytes(bitstring.empty()))
        status_list_sign(status_list=status_list)
    return status_list


def status_index_allocate(*, issuer: str) -> tuple[StatusList, int]:
    """A list of ``issuer`` with room, and a random index in it (random, so an index says
    nothing about when or to whom a credential was issued). The caller inserts the credential;
    the unique constraint on (list, index) catches the rare collision and the caller draws
    again. The ``allocated`` counter is bumped with a conditional UPDATE, so concurrent
    issuers never over-fill a list; an index whose insert then fails is simply not used."""
    for _ in range(3):
        # Not the bits nor the signed list (about 40 KB a row): only which list, and its size.
        current = (
            StatusList.objects.filter(issuer=issuer)
            .only("pk", "size", "issuer")
            .order_by("-pk")
            .first()
        )
        current = current or _open_list(issuer)
        if StatusList.objects.filter(pk=current.pk, allocated__lt=current.capacity).update(
            allocated=F("allocated") + 1
        ):
            return current, secrets.randbelow(current.size)
        _open_list(issuer)
    raise RuntimeError("could not open a status list with room")


def status_bit_set(*, list_id: int, index: int, value: bool) -> StatusList:
    """Set or clear one bit and re-sign the list, in the caller's transaction (the row lock
    serialises changes to one list)."""
    status_list = StatusList.objects.select_for_update().get(pk=list_id)
    bits = bytearray(status_list.bits)
    bitstring.set_bit(bits, index, value)
    status_list.bits = bytes(bits)
    status_list.version += 1
    status_list.save(update_fields=["bits", "version"])
    status_list_sign(status_list=status_list)
    return status_list
