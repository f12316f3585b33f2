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
    config = proof_config(unsigned, verification_method=verification_method, created=created)
    signature = private_key.sign(hash_data(unsigned, config))
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = "z" + base58.b58encode(signature).decode()
    unsigned["proof"] = [proof] if proof_as_list else proof
    return unsigned


def verify(document: dict, resolve_key: Callable[[str], Ed25519PublicKey]) -> dict:
    """Check the document's eddsa-rdfc-2022 proof. Returns {"verification_method", "created"};
    raises ProofError saying what is wrong."""
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
    if proof.get("type") != "DataIntegrityProof" or proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof is not an assertionMethod DataIntegrityProof")
    value = proof.get("proofValue", "")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue is not base58btc multibase")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError("proofValue is not base58btc") from exc
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    config = {
        "@context": unsigned.get("@context"),
        **{k: v for k, v in proof.items() if k != "proofValue"},
    }
    method = proof.get("verificationMethod", "")
    key = resolve_key(method)
    try:
        key.verify(signature, hash_data(unsigned, config))
    except InvalidSignature as exc:
        raise ProofError(
            "the signature does not match the credential (it was changed, or signed by another key)"
        ) from exc
    return {"verification_method": method, "created": proof.get("created")}
