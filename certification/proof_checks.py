"""The signature and issuer-key checks of a stored credential (what by-ID verification caches
per credential, key and key-registry generation): from the row's proof seal when it matches
(see ``proof_seal``), else by checking the proof in full."""

from . import keys, proof_seal
from .vc import proofs
from .vc.verify import (
    FAIL,
    PASS,
    SKIPPED,
    Check,
    KeyResolutionError,
    issuer_id,
    issuer_name,
    verify_credential,
)


def proof_of(document: dict) -> dict:
    result = verify_credential(document, resolve_key=keys.resolve, fetch_status=None)
    return {
        "checks": [
            {"name": c.name, "outcome": c.outcome, "detail": c.detail}
            for c in result.checks
            if c.name in ("issuer_key", "proof")
        ],
        "credential_id": result.credential_id,
        "issuer": result.issuer,
        "issuer_name": result.issuer_name,
        "verification_method": result.verification_method,
    }


# Whether each verification method resolves, per key-registry generation: a batch resolves
# its handful of keys once, and a rotation or compromise starts afresh.
_key_problems: dict[tuple[str, str], str | None] = {}


def _key_problem(method: str) -> str | None:
    """Why ``method`` does not resolve now (a compromised key, another issuer's did:web), or
    None when it does."""
    stamp = (keys.generation(), method)
    if stamp not in _key_problems:
        if len(_key_problems) > 256:
            _key_problems.clear()
        try:
            keys.resolve(method)
        except KeyResolutionError as error:
            _key_problems[stamp] = str(error)
        else:
            _key_problems[stamp] = None
    return _key_problems[stamp]


def _sealed_proof(pk, signing_key_id: str, document: dict, seal: str) -> dict | None:
    """The proof checks of a stored document from its seal (see ``proof_seal``) instead of
    canonicalising it: the same checks and details as ``_proof_of``, with the key resolved
    now. None when the seal does not match this row (never sealed, or the document or key
    changed since), or the document is not one this shortcut answers (more than one proof):
    the caller then runs the full check."""
    if not proof_seal.matches(seal, pk=pk, signing_key_id=signing_key_id, document=document):
        return None
    try:
        (proof,) = proofs.proof_list(document)
    except (proofs.ProofError, ValueError):
        return None
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    if not isinstance(method, str) or not method:
        return None
    problem = _key_problem(method)
    if problem is None:
        checks = [
            Check("issuer_key", PASS, f"key {method}"),
            Check("proof", PASS, "eddsa-rdfc-2022 signature is valid"),
        ]
    else:
        checks = [
            Check("issuer_key", FAIL, problem),
            Check("proof", SKIPPED, "not checked: the key could not be resolved"),
        ]
    return {
        "checks": [{"name": c.name, "outcome": c.outcome, "detail": c.detail} for c in checks],
        "credential_id": document.get("id"),
        "issuer": issuer_id(document),
        "issuer_name": issuer_name(document),
        "verification_method": method,
    }


def proof_of_row(pk, signing_key_id: str, document: dict, seal: str) -> dict:
    """The proof checks of a stored row: from its seal when it matches, else the full check."""
    return _sealed_proof(pk, signing_key_id, document, seal) or proof_of(document)
