"""The signature and issuer-key checks of a stored credential (what by-ID verification caches
per credential, key and key-registry generation): from the row's proof seal when it matches
(see ``proof_seal``), else by checking the proof in full."""

from django.db.models.fields.json import KT

from . import keys, proof_seal
from .models import Credential
from .vc.verify import (
    FAIL,
    PASS,
    SKIPPED,
    Check,
    KeyResolutionError,
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


# What the seal shortcut reads of a row: no document, only its text (for the seal) and the
# four fields the answer names, extracted by the database.
_LIGHT = (
    "pk",
    "signing_key_id",
    "proof_seal",
    proof_seal.stored_text(),
    KT("document__id"),
    KT("document__issuer__id"),
    KT("document__issuer__name"),
    KT("document__proof__0__verificationMethod"),
    KT("document__proof__1__type"),
)


def sealed_proof(row: tuple) -> dict | None:
    """The proof checks of a stored row (``_LIGHT``) from its seal (see ``proof_seal``) instead
    of canonicalising the document: the same checks and details as ``proof_of``, with the key
    resolved now. None when the seal does not match this row (never sealed, or the document
    or key changed since), or the document is not one this shortcut answers (not exactly one
    proof, no issuer id): the caller then runs the full check."""
    pk, key_id, seal, text, credential_id, issuer, name, method, second_proof = row
    if not proof_seal.matches(seal, pk=pk, signing_key_id=key_id, text=text):
        return None
    if not method or not issuer or second_proof is not None:
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
        "credential_id": credential_id,
        "issuer": issuer,
        "issuer_name": name,
        "verification_method": method,
    }


def proofs_for(pks: list) -> tuple[dict, dict]:
    """The proof checks of stored credentials: ({pk: result} answered from seals, {pk: result}
    checked in full), in two queries at most (the rows' seals and fields; the documents of
    those the seal does not answer)."""
    sealed, unsealed = {}, []
    for row in Credential.objects.filter(pk__in=pks).values_list(*_LIGHT).iterator(2000):
        found = sealed_proof(row)
        if found is None:
            unsealed.append(row[0])
        else:
            sealed[row[0]] = found
    checked = {}
    if unsealed:
        rows = Credential.objects.filter(pk__in=unsealed).values_list("pk", "document")
        checked = {pk: proof_of(document) for pk, document in rows.iterator(500)}
    return sealed, checked
