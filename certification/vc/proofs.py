"""Proof sets and proof chains (W3C VC Data Integrity 1.0, "Verify Proof" and "Proof Sets" /
"Proof Chains"): every proof in ``proof`` must verify, and a proof that names others in
``previousProof`` signs them too, so each name must be the ``id`` of a proof in the document.

Only ``DataIntegrityProof`` with the ``eddsa-rdfc-2022`` cryptosuite is supported; any other
proof type or cryptosuite is a failure that says so, never a proof that is skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import eddsa

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITES = {eddsa.CRYPTOSUITE: eddsa.verify_proof}


ProofError = eddsa.ProofError


@dataclass(frozen=True)
class ProofResult:
    """One proof's outcome: ``error`` is None when it verified."""

    number: int  # 1-based, as a person counts the proofs in the document
    verification_method: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def proof_list(document: dict) -> list:
    """The document's proofs as a list (a single proof may be an object). Raises ProofError
    when there are none or ``proof`` is neither an object nor a list."""
    proofs = document.get("proof")
    if isinstance(proofs, dict):
        return [proofs]
    if isinstance(proofs, list) and proofs:
        return proofs
    if proofs is None or proofs == []:
        raise ProofError("the credential has no proof")
    raise ProofError("proof is not an object or a list of objects")


def _date(value, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ProofError(f"{name} is not a date and time") from None
    if moment.tzinfo is None:
        raise ProofError(f"{name} has no time zone")
    return moment


def _previous(proof: dict, by_id: dict[str, dict]) -> list[dict]:
    """The proofs a chained proof names: each must be present in the document by id."""
    named = proof.get("previousProof")
    if named is None:
        return []
    names = [named] if isinstance(named, str) else named
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ProofError("previousProof is not a proof id or a list of proof ids")
    missing = [n for n in names if n not in by_id]
    if missing:
        raise ProofError(f"previousProof names {', '.join(missing)}: no proof with that id")
    return [by_id[n] for n in names]


def _check_shape(proof: dict, purpose: str, now: datetime | None) -> None:
    if proof.get("type") != PROOF_TYPE:
        raise ProofError(f"unsupported proof type {proof.get('type')!r} (expected {PROOF_TYPE})")
    suite = proof.get("cryptosuite")
    if suite not in CRYPTOSUITES:
        raise ProofError(
            f"unknown cryptosuite {suite!r} (supported: {', '.join(sorted(CRYPTOSUITES))})"
        )
    if not isinstance(proof.get("verificationMethod"), str) or not proof["verificationMethod"]:
        raise ProofError("the proof has no verificationMethod")
    if proof.get("proofPurpose") != purpose:
        raise ProofError(f"proofPurpose is {proof.get('proofPurpose')!r}, expected {purpose!r}")
    if "created" in proof:
        _date(proof["created"], "created")
    if "expires" in proof and now is not None and _date(proof["expires"], "expires") <= now:
        raise ProofError(f"the proof expired at {proof['expires']}")


def _verify_one(
    document: dict,
    proof,
    by_id: dict[str, dict],
    resolve_key: Callable[[str], Ed25519PublicKey],
    purpose: str,
    now: datetime | None,
) -> None:
    if not isinstance(proof, dict):
        raise ProofError("the proof is not an object")
    _check_shape(proof, purpose, now)
    previous = _previous(proof, by_id)
    key = resolve_key(proof["verificationMethod"])
    CRYPTOSUITES[proof["cryptosuite"]](document, proof, key, previous)


def verify_proofs(
    document: dict,
    resolve_key: Callable[[str], Ed25519PublicKey],
    *,
    purpose: str = "assertionMethod",
    now: datetime | None = None,
    key_errors: tuple[type[Exception], ...] = (),
) -> list[ProofResult]:
    """Verify every proof of ``document``; one result per proof, in document order. A proof in
    a chain fails when a proof it names fails. Raises ProofError only when the document has no
    proof at all (or ``proof`` is not an object or list). ``key_errors`` are the exceptions of
    ``resolve_key`` that mean "this key cannot be resolved": reported as that proof's failure.
    JSON-LD errors (undefined terms, contexts that are not bundled) propagate."""
    proofs = proof_list(document)
    by_id = {p["id"]: p for p in proofs if isinstance(p, dict) and isinstance(p.get("id"), str)}
    results = []
    for number, proof in enumerate(proofs, start=1):
        method = proof.get("verificationMethod") if isinstance(proof, dict) else None
        try:
            _verify_one(document, proof, by_id, resolve_key, purpose, now)
        except (ProofError, *key_errors) as exc:
            results.append(ProofResult(number, method, str(exc)))
        else:
            results.append(ProofResult(number, method))
    while True:  # a failure travels down a chain, one link a round
        failed_ids = {
            proofs[r.number - 1].get("id")
            for r in results
            if not r.ok and isinstance(proofs[r.number - 1], dict)
        }
        updated = [_fail_chained_on(r, proofs, failed_ids) for r in results]
        if updated == results:
            return results
        results = updated


def _fail_chained_on(result: ProofResult, proofs: list, failed_ids: set) -> ProofResult:
    """A proof whose previous proof fails does not verify either (it is processed only once
    the proofs it names have verified)."""
    proof = proofs[result.number - 1]
    if not result.ok or not isinstance(proof, dict):
        return result
    named = proof.get("previousProof")
    names = [named] if isinstance(named, str) else named if isinstance(named, list) else []
    broken = [n for n in names if n in failed_ids]
    if not broken:
        return result
    return ProofResult(
        result.number,
        result.verification_method,
        f"the proof it chains to ({', '.join(broken)}) does not verify",
    )
