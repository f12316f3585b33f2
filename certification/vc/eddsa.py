"""The eddsa-rdfc-2022 Data Integrity cryptosuite (W3C vc-di-eddsa, Recommendation 2025)."""

import copy
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .jsonld import canonize

CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    pass


def hash_data(document: dict, proof_config: dict) -> bytes:
    proof_hash = hashlib.sha256(canonize(proof_config).encode()).digest()
    doc_hash = hashlib.sha256(canonize(document).encode()).digest()
    return proof_hash + doc_hash


def proof_config(
    document: dict,
    *,
    verification_method: str,
    created: str | None = None,
    purpose: str = "assertionMethod",
) -> dict:
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }


def _secured_input(document: dict, previous: list[dict] | None) -> dict:
    """What a proof signs: the document without its proofs, plus (for a proof in a chain) the
    proofs it names in ``previousProof`` (VC Data Integrity 1.0, "Add Proof", step 3)."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    if previous:
        unsigned["proof"] = previous
    return unsigned


def sign(
    document: dict,
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str | None = None,
    proof_as_list: bool = True,
) -> dict:
    """A copy of ``document`` with a DataIntegrityProof. Raises UndefinedTermError when a field
    would not be covered by the signature."""
    unsigned = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    proof = _make_proof(unsigned, private_key, verification_method, created, {}, None)
    unsigned["proof"] = [proof] if proof_as_list else proof
    return unsigned


def add_proof(
    document: dict,
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str | None = None,
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
) -> dict:
    """A copy of ``document`` with one more proof in its proof set. With ``previous_proof``
    (one id or a list) the new proof is chained: it also signs the proofs it names."""
    signed = copy.deepcopy(document)
    existing = signed.get("proof") or []
    existing = existing if isinstance(existing, list) else [existing]
    named = [previous_proof] if isinstance(previous_proof, str) else previous_proof or []
    previous = [p for p in existing if p.get("id") in named]
    extra = {"id": proof_id} if proof_id else {}
    if previous_proof is not None:
        extra["previousProof"] = previous_proof
    unsigned = _secured_input(signed, previous)
    proof = _make_proof(unsigned, private_key, verification_method, created, extra, previous)
    signed["proof"] = [*existing, proof]
    return signed


def _make_proof(unsigned, private_key, verification_method, created, extra, previous) -> dict:
    base = {k: v for k, v in unsigned.items() if k != "proof"}
    config = {
        **proof_config(base, verification_method=verification_method, created=created),
        **extra,
    }
    signature = private_key.sign(hash_data(unsigned, config))
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = "z" + base58.b58encode(signature).decode()
    return proof


def verify_proof(
    document: dict, proof: dict, key: Ed25519PublicKey, previous: list[dict] | None = None
) -> None:
    """Check one eddsa-rdfc-2022 ``proof`` of ``document`` with ``key`` (its previous proofs,
    for a proof in a chain, are signed with it). Raises ProofError saying what is wrong."""
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"not a DataIntegrityProof with cryptosuite {CRYPTOSUITE}")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue is not base58btc multibase (a string starting with 'z')")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError("proofValue is not base58btc") from exc
    unsigned = _secured_input(document, previous)
    config = {
        "@context": document.get("@context"),
        **{k: v for k, v in proof.items() if k != "proofValue"},
    }
    try:
        key.verify(signature, hash_data(unsigned, config))
    except InvalidSignature as exc:
        raise ProofError(
            "the signature does not match the credential (it was changed, or signed by another key)"
        ) from exc


def verify(document: dict, resolve_key: Callable[[str], Ed25519PublicKey]) -> dict:
    """Check the document's first eddsa-rdfc-2022 proof alone (the W3C test vector has one).
    Returns {"verification_method", "created"}; raises ProofError saying what is wrong. A
    credential with several proofs is verified by ``vc.proofs.verify_proofs``, which checks
    every one."""
    proofs = document.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not proofs or not isinstance(proofs, list):
        raise ProofError("the credential has no proof")
    proof = next(
        (p for p in proofs if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE), None
    )
    if proof is None:
        raise ProofError(f"no {CRYPTOSUITE} proof")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof is not an assertionMethod DataIntegrityProof")
    method = proof.get("verificationMethod", "")
    verify_proof(document, proof, resolve_key(method))
    return {"verification_method": method, "created": proof.get("created")}
