"""Reads on credentials. The public surfaces go through these."""

from collections import OrderedDict
from datetime import datetime

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from redis.exceptions import RedisError

from config.cache import RoundTrip, cache_unreachable

from . import keys, proof_checks, stored_state, trust
from .models import Credential, StatusList
from .stored_state import StoredState
from .vc import status_list as bitstring
from .vc.verify import FAIL, PASS, UNKNOWN, Check, trust_check

PROOF_CACHE_SECONDS = 24 * 3600
_bits_cache: dict[tuple, bytes] = {}
# Proof results never change for a given key (credential, signing key, key-registry
# generation), so each process keeps the recent ones in memory in front of the shared cache.
_proof_memory: OrderedDict[str, dict] = OrderedDict()
PROOF_MEMORY_SIZE = 20_000


def credential_public(credential_id) -> Credential | None:
    """A credential for the public surfaces, with what they show, in one query. The signed
    document is loaded too (the page and the JSON need it); ``credential_for_verification``
    leaves it out."""
    return (
        Credential.objects.select_related("certification", "status_list")
        .defer("status_list__bits", "status_list__signed")
        .filter(pk=credential_id)
        .annotate(successor=F("superseded_by__pk"))
        .first()
    )


def credential_for_verification(credential_id, trip: RoundTrip) -> stored_state.Lookup:
    """The hot path of by-ID verification, its cache read sent in ``trip``: see
    ``stored_state``."""
    return stored_state.Lookup(credential_id, trip)


def _proof_key(credential: StoredState) -> str:
    return f"cred-proof:{credential.pk}:{credential.signing_key_id}:{keys.generation()}"


def _remember(key: str, found: dict) -> None:
    _proof_memory[key] = found
    if len(_proof_memory) > PROOF_MEMORY_SIZE:
        _proof_memory.popitem(last=False)


def _proof(credential: StoredState) -> dict:
    """The signature and issuer-key checks of the stored document: cached per credential,
    signing key and key-registry generation (a rotation or compromise invalidates them)."""
    key = _proof_key(credential)
    found = _proof_memory.get(key)
    if found is not None:
        return found
    try:
        found = cache.get(key)
    except RedisError as error:
        cache_unreachable(error)
        found = None
    if found is None:
        sealed, checked = proof_checks.proofs_for([credential.pk])
        found = sealed.get(credential.pk) or checked[credential.pk]
        try:
            cache.set(key, found, timeout=PROOF_CACHE_SECONDS)
        except RedisError as error:
            cache_unreachable(error)
    _remember(key, found)
    return found


def prefetch_proofs(credentials: list[StoredState]) -> None:
    """Make ``_proof`` of each credential a memory hit, for verifying a batch: one cache
    round trip for all of them, and one query for the documents of those not cached, instead
    of one of each per credential. At most ``PROOF_MEMORY_SIZE`` at a time.

    Results checked in full go to the shared cache; results read from a proof seal do not: a
    seal is about as cheap to read again from the row as the cache entry would be, and a batch
    should not fill the cache with thousands of entries nobody else asked for (as
    ``stored_state.load_many`` does not)."""
    wanted = {_proof_key(c): c.pk for c in credentials[:PROOF_MEMORY_SIZE]}
    missing = [key for key in wanted if key not in _proof_memory]
    if not missing:
        return
    try:
        cached = cache.get_many(missing)
    except RedisError as error:
        cache_unreachable(error)
        cached = {}
    uncached = {wanted[key]: key for key in missing if key not in cached}
    fresh = {}
    if uncached:
        sealed, checked = proof_checks.proofs_for(list(uncached))
        fresh = {uncached[pk]: found for pk, found in {**sealed, **checked}.items()}
        if checked:
            try:
                cache.set_many(
                    {uncached[pk]: found for pk, found in checked.items()},
                    timeout=PROOF_CACHE_SECONDS,
                )
            except RedisError as error:
                cache_unreachable(error)
    for key, found in {**cached, **fresh}.items():
        _remember(key, found)


def _list_bits(credential: StoredState) -> bytes:
    """The list's bits at its current version, kept per process (a version never changes; the
    time of the change is in the key too, so a restored database cannot alias)."""
    stamp = (credential.list_id, credential.list_version, credential.list_updated_at)
    bits = _bits_cache.get(stamp)
    if bits is None:
        bits = bytes(StatusList.objects.values_list("bits", flat=True).get(pk=credential.list_id))
        if len(_bits_cache) > 64:
            _bits_cache.clear()
        _bits_cache[stamp] = bits
    return bits


def verify_stored(credential: StoredState | Credential, *, now: datetime | None = None) -> dict:
    """Verification of a credential issued here, by ID, with the same checks and outcome rules
    as an uploaded one (``verification.verify_document``), made cheap for the common case:

    * signature and issuer key: verified once and cached (see ``_proof``);
    * dates: the credential's validFrom/validUntil (stored alongside the document) against now;
    * status: the bit in this platform's status list at its current version, the same bits
      the served, signed list carries;
    * suspension and renewal: the platform's own state.
    """
    if isinstance(credential, Credential):
        credential = StoredState.of(credential)
    now = now or timezone.now()
    proof = _proof(credential)
    checks = [Check(**c) for c in proof["checks"]]
    signed = all(c.outcome == PASS for c in checks) and len(checks) == 2
    status = "valid" if signed else "invalid"
    if signed:
        # A stored credential names one of our issuer ids (unless the settings changed since).
        # Not cached: it depends on the settings, and costs a set lookup.
        checks.append(trusted := trust_check(trust.PLATFORM, proof["issuer"]))
        if now < credential.valid_from:
            checks.append(
                Check("dates", FAIL, f"not valid before {credential.valid_from:%Y-%m-%dT%H:%M:%SZ}")
            )
            status = "not_yet_valid"
        elif now >= credential.valid_until:
            checks.append(
                Check("dates", FAIL, f"expired at {credential.valid_until:%Y-%m-%dT%H:%M:%SZ}")
            )
            status = "expired"
        else:
            checks.append(
                Check("dates", PASS, f"valid until {credential.valid_until:%Y-%m-%dT%H:%M:%SZ}")
            )
        try:
            revoked = bitstring.get_bit(_list_bits(credential), credential.status_index)
        except (StatusList.DoesNotExist, IndexError):
            checks.append(Check("status", UNKNOWN, "the status list cannot be read"))
            status = "status_unknown" if status == "valid" else status
        else:
            if revoked:
                checks.append(Check("status", FAIL, "revocation: set on the status list"))
                status = "revoked"
            else:
                checks.append(Check("status", PASS, "revocation: not set on the status list"))
        if credential.suspended_at:
            checks.append(Check("suspension", FAIL, "suspended by the issuer"))
            status = "suspended" if status == "valid" else status
    if credential.successor:
        checks.append(
            Check("superseded", UNKNOWN, f"renewed: superseded by {credential.successor}")
        )
    if signed and trusted.outcome != PASS:
        status = "untrusted_issuer"
    return {
        "status": status,
        "checks": [{"name": c.name, "outcome": c.outcome, "detail": c.detail} for c in checks],
        "credential_id": proof["credential_id"],
        "issuer": proof["issuer"],
        "issuer_name": proof.get("issuer_name"),  # absent from entries cached before it was
        "verification_method": proof["verification_method"],
        "verified": status == "valid",
    }
