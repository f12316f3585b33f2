"""Verifying a credential: every check reported on its own, then one overall status.

Checks, in order: ``issuer_key`` (the signing keys resolve and belong to the issuer), ``proof``
(every proof in the proof set verifies, chains included, see ``proofs``; the eddsa-rdfc-2022
signature also proves every field is defined by the bundled contexts), ``issuer_trust`` (when the
caller says whom it trusts: is the issuer one of them), ``dates`` (validFrom / validUntil against
``now``), ``status`` (the status-list bit, read from a signed status-list credential that the
caller's ``fetch_status`` supplies). A status that cannot be obtained is ``unknown`` and the
overall status is ``status_unknown``, never ``valid``; a correctly signed credential from an
issuer the caller does not trust is ``untrusted_issuer``, never ``valid``.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import proofs, status_list
from .did import controller_of
from .jsonld import VC_V2, ContextNotAvailable, UndefinedTermError
from .multikey import resolve_did_key

PASS, FAIL, UNKNOWN, SKIPPED = "pass", "fail", "unknown", "skipped"

KeyResolver = Callable[[str], Ed25519PublicKey]
StatusFetcher = Callable[[str], dict]


class KeyResolutionError(Exception):
    pass


@dataclass
class Check:
    name: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class IssuerTrust:
    """Whom a verifier trusts: ``trusted(issuer)`` says why it trusts ``issuer`` (e.g. "one of
    its own issuer ids"), or None. ``name`` is the verifier's name in the result's words."""

    name: str
    trusted: Callable[[str], str | None]


@dataclass
class VerificationResult:
    # valid | invalid | untrusted_issuer | expired | not_yet_valid | revoked | status_unknown
    status: str
    checks: list[Check] = field(default_factory=list)
    credential_id: str | None = None
    issuer: str | None = None
    verification_method: str | None = None
    issuer_name: str | None = None

    @property
    def verified(self) -> bool:
        return self.status == "valid"

    def as_dict(self) -> dict:
        return {**asdict(self), "verified": self.verified}


def issuer_id(document: dict) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def issuer_name(document: dict) -> str | None:
    """The name the credential gives its issuer: anyone can write any name, so it is shown
    next to the issuer's id, never instead of it."""
    issuer = document.get("issuer")
    name = issuer.get("name") if isinstance(issuer, dict) else None
    return name if isinstance(name, str) else None


def key_resolver(did_web_keys: Callable[[str], Ed25519PublicKey | None]) -> KeyResolver:
    """did:key resolves offline from the identifier; did:web through ``did_web_keys`` (this
    platform's own key registry), which returns None for a key it does not publish."""

    def resolve(method: str) -> Ed25519PublicKey:
        if method.startswith("did:key:"):
            try:
                return resolve_did_key(method)
            except ValueError as exc:
                raise KeyResolutionError(str(exc)) from exc
        if method.startswith("did:web:"):
            key = did_web_keys(method)
            if key is None:
                raise KeyResolutionError(f"{method} is not a published key of its DID")
            return key
        raise KeyResolutionError(f"unsupported verification method {method!r}")

    return resolve


def _parse_date(value) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("date without a time zone")
    return moment


def _methods(document: dict) -> list:
    try:
        return [
            p.get("verificationMethod") if isinstance(p, dict) else None
            for p in proofs.proof_list(document)
        ]
    except proofs.ProofError:
        return []


def _no_proof(result: VerificationResult, detail: str) -> bool:
    result.checks.append(Check("issuer_key", FAIL, detail))
    result.checks.append(Check("proof", FAIL, "no proof to check"))
    return False


def _check_issuer_keys(
    methods: list, issuer, resolve_key: KeyResolver, result, every_proof_by_issuer: bool
) -> dict | None:
    """The issuer's keys among the proofs' verification methods, resolved; None (with the
    failed check recorded) when a proof is not the issuer's where every proof must be, when
    no proof is the issuer's, or when one of the issuer's keys does not resolve."""
    own = [m for m in methods if isinstance(m, str) and controller_of(m) == issuer]
    foreign = [(n, m) for n, m in enumerate(methods, 1) if m not in own]
    if not own or (every_proof_by_issuer and foreign):
        which = "" if len(methods) == 1 else f" (proof {foreign[0][0]})"
        result.checks.append(
            Check(
                "issuer_key",
                FAIL,
                f"the signing key does not belong to the credential's issuer{which}",
            )
        )
        result.checks.append(Check("proof", SKIPPED, "not checked: the key is not the issuer's"))
        return None
    resolved = {}
    for method in dict.fromkeys(own):
        try:
            resolved[method] = resolve_key(method)
        except KeyResolutionError as exc:
            result.checks.append(Check("issuer_key", FAIL, str(exc)))
            result.checks.append(
                Check("proof", SKIPPED, "not checked: the key could not be resolved")
            )
            return None
    keys = ", ".join(resolved)
    result.checks.append(Check("issuer_key", PASS, f"key {keys}"))
    for number, method in foreign:
        result.checks.append(
            Check("co_signer", UNKNOWN, f"proof {number} is signed by {method}, not the issuer")
        )
    return resolved


def _check_proof(
    document: dict,
    resolve_key: KeyResolver,
    result: VerificationResult,
    now: datetime | None = None,
    every_proof_by_issuer: bool = True,
) -> bool:
    issuer = issuer_id(document)
    result.issuer = issuer
    result.issuer_name = issuer_name(document)
    methods = _methods(document)
    result.verification_method = next((m for m in methods if isinstance(m, str) and m), None)
    if not result.verification_method:
        return _no_proof(result, "the credential has no signed proof")
    resolved = _check_issuer_keys(methods, issuer, resolve_key, result, every_proof_by_issuer)
    if resolved is None:
        return False

    def resolve(method: str) -> Ed25519PublicKey:
        return resolved[method] if method in resolved else resolve_key(method)

    try:
        outcomes = proofs.verify_proofs(
            document, resolve, now=now, key_errors=(KeyResolutionError,)
        )
    except (proofs.ProofError, UndefinedTermError, ContextNotAvailable) as exc:
        result.checks.append(Check("proof", FAIL, str(exc)))
        return False
    except Exception as exc:  # malformed JSON-LD from an upload: a failed check, not a crash
        result.checks.append(Check("proof", FAIL, f"the credential cannot be processed: {exc}"))
        return False
    failures = [o for o in outcomes if not o.ok]
    if failures:
        detail = "; ".join(
            o.error if len(outcomes) == 1 else f"proof {o.number}: {o.error}" for o in failures
        )
        result.checks.append(Check("proof", FAIL, detail))
        return False
    detail = (
        "eddsa-rdfc-2022 signature is valid"
        if len(outcomes) == 1
        else f"all {len(outcomes)} proofs are valid (eddsa-rdfc-2022)"
    )
    result.checks.append(Check("proof", PASS, detail))
    return True


def trust_check(trust: IssuerTrust, issuer: str | None) -> Check:
    """The ``issuer_trust`` check: did ``trust``'s owner issue this, or an issuer it trusts."""
    reason = trust.trusted(issuer) if issuer else None
    if reason:
        return Check("issuer_trust", PASS, f"issued by {trust.name}: {reason}")
    return Check(
        "issuer_trust",
        FAIL,
        f"signature valid, not issued by {trust.name}: {issuer} is not one of its issuers nor "
        "an issuer it trusts",
    )


def _check_dates(document: dict, now: datetime, result: VerificationResult) -> str | None:
    try:
        valid_from = _parse_date(document["validFrom"]) if "validFrom" in document else None
        valid_until = _parse_date(document["validUntil"]) if "validUntil" in document else None
    except (TypeError, ValueError):
        result.checks.append(Check("dates", FAIL, "validFrom/validUntil are not valid dates"))
        return "invalid"
    if valid_from and now < valid_from:
        result.checks.append(Check("dates", FAIL, f"not valid before {document['validFrom']}"))
        return "not_yet_valid"
    if valid_until and now >= valid_until:
        result.checks.append(Check("dates", FAIL, f"expired at {document['validUntil']}"))
        return "expired"
    span = " ".join(
        part
        for part in (
            f"valid from {document['validFrom']}" if valid_from else "",
            f"until {document['validUntil']}" if valid_until else "",
        )
        if part
    )
    result.checks.append(Check("dates", PASS, span or "no validFrom or validUntil: no date limit"))
    return None


def _format_problem(document: dict) -> str | None:
    """Why ``document`` is not a VC Data Model 2.0 credential at all, or None."""
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first != VC_V2:
        return f"not a Verifiable Credential: @context must start with {VC_V2}"
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if "VerifiableCredential" not in types:
        return "not a Verifiable Credential: type must include VerifiableCredential"
    return None


_verified_lists: dict[str, bool] = {}


def _list_signature_ok(list_credential: dict, resolve_key: KeyResolver) -> bool:
    """One list serves many credentials: remember lists (by a hash of their exact content)
    whose signature verified, so checking the next credential on it costs a hash."""
    digest = hashlib.sha256(json.dumps(list_credential, sort_keys=True).encode()).hexdigest()
    if digest in _verified_lists:
        return True
    if not _check_proof(list_credential, resolve_key, VerificationResult(status="")):
        return False
    if len(_verified_lists) > 256:
        _verified_lists.clear()
    _verified_lists[digest] = True
    return True


def _status_bit(
    entry: dict, issuer: str | None, resolve_key: KeyResolver, fetch: StatusFetcher, now
) -> bool:
    url = entry.get("statusListCredential")
    index = int(entry.get("statusListIndex"))
    list_credential = fetch(url)
    if not isinstance(list_credential, dict) or list_credential.get("id") != url:
        raise status_list.StatusUnavailable("the status list returned is not the one referenced")
    if issuer_id(list_credential) != issuer:
        raise status_list.StatusUnavailable("the status list is not signed by the issuer")
    if not _list_signature_ok(list_credential, resolve_key):
        raise status_list.StatusUnavailable("the status list's signature does not verify")
    inner = VerificationResult(status="")
    if _check_dates(list_credential, now, inner):
        raise status_list.StatusUnavailable("the status list is outside its validity period")
    subject = list_credential.get("credentialSubject") or {}
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise status_list.StatusUnavailable("the status list has another purpose")
    return status_list.get_bit(status_list.decode(subject.get("encodedList")), index)


def _check_status(document, resolve_key, fetch, now, result: VerificationResult) -> str | None:
    entry = document.get("credentialStatus")
    if entry is None:
        result.checks.append(Check("status", SKIPPED, "the credential has no status entry"))
        return None
    if isinstance(entry, list):
        entry = entry[0] if len(entry) == 1 else None
    if not isinstance(entry, dict) or entry.get("type") != status_list.ENTRY_TYPE:
        result.checks.append(Check("status", UNKNOWN, "unsupported credentialStatus"))
        return "status_unknown"
    if fetch is None:
        result.checks.append(Check("status", UNKNOWN, "the status list was not consulted"))
        return "status_unknown"
    try:
        bit = _status_bit(entry, result.issuer, resolve_key, fetch, now)
    except (status_list.StatusUnavailable, ValueError, TypeError, IndexError, OSError) as exc:
        result.checks.append(Check("status", UNKNOWN, f"status could not be obtained: {exc}"))
        return "status_unknown"
    purpose = entry.get("statusPurpose")
    if bit:
        result.checks.append(Check("status", FAIL, f"{purpose}: set on the status list"))
        return "revoked" if purpose == "revocation" else "suspended"
    result.checks.append(Check("status", PASS, f"{purpose}: not set on the status list"))
    return None


def verify_credential(
    document: dict,
    *,
    resolve_key: KeyResolver,
    fetch_status: StatusFetcher | None,
    now: datetime | None = None,
    trust: IssuerTrust | None = None,
    every_proof_by_issuer: bool = True,
) -> VerificationResult:
    """Run every check on ``document``; the first failing check in the order signature, issuer
    trust, dates, status decides the overall status. Never raises for a bad credential.

    ``trust``: whom the caller trusts; without it any issuer will do (the question is then only
    "are the proofs valid"). ``every_proof_by_issuer``: each proof's key must be the issuer's
    (the default); when False, one proof by the issuer suffices and proofs by other keys are
    reported as ``co_signer`` checks (outcome unknown), as a Data Integrity verifier allows."""
    now = now or datetime.now(UTC)
    if not isinstance(document, dict):
        return VerificationResult("invalid", [Check("format", FAIL, "not a JSON object")])
    result = VerificationResult(status="invalid", credential_id=document.get("id"))
    if problem := _format_problem(document):
        result.checks.append(Check("format", FAIL, problem))
        return result
    signed = _check_proof(document, resolve_key, result, now, every_proof_by_issuer)
    trusted = True
    if signed and trust:
        result.checks.append(check := trust_check(trust, result.issuer))
        trusted = check.outcome == PASS
    dates = _check_dates(document, now, result)
    status = _check_status(document, resolve_key, fetch_status, now, result) if signed else None
    if not signed:
        result.status = "invalid"
    elif not trusted:
        result.status = "untrusted_issuer"
    else:
        result.status = dates or status or "valid"
        if dates and status in ("revoked", "suspended"):
            result.status = status  # revoked outranks expired
    return result
