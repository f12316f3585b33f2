"""Verifying a credential: signature, issuer key, dates, status; each check reported."""

from datetime import UTC, datetime

from .keys import UnknownKey, resolve
from .models import Credential, StatusList
from .vc import eddsa
from .vc import status_list as bitstring
from .vc.jsonld import ContextNotAvailable, UndefinedTermError


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _status_from_platform(entry: dict) -> tuple[bool | None, str]:
    """(revoked?, detail) for a status entry; None when the list cannot be read."""
    from .documents import status_list_url

    url = entry.get("statusListCredential", "")
    try:
        list_id = int(url.rsplit("/", 1)[-1])
        index = int(entry.get("statusListIndex"))
    except (TypeError, ValueError):
        return None, "the status entry is malformed"
    if url != status_list_url(list_id):
        return None, f"status list {url} is not this platform's and cannot be fetched offline"
    status_list = StatusList.objects.filter(pk=list_id).only("bits", "size").first()
    if status_list is None or not 0 <= index < status_list.size:
        return None, "the status list or index does not exist"
    return bitstring.get_bit(bytearray(status_list.bits), index), f"list {list_id}, index {index}"


def verify_document(document: object, *, now: datetime | None = None) -> dict:
    """Verify a credential document. ``status`` is one of valid / expired / suspended / revoked
    / status_unknown / invalid; ``checks`` says what was checked and what was found."""
    now = now or datetime.now(UTC)
    checks = []

    def check(name: str, ok: bool | None, detail: str) -> None:
        checks.append({"check": name, "ok": ok, "detail": detail})

    if not isinstance(document, dict) or "VerifiableCredential" not in (document.get("type") or []):
        check(
            "format",
            False,
            "not a Verifiable Credential (a JSON object with type VerifiableCredential)",
        )
        return {"verified": False, "status": "invalid", "checks": checks}
    check("format", True, ", ".join(document.get("type", [])))
    try:
        proof = eddsa.verify(document, resolve)
        check("signature", True, f"eddsa-rdfc-2022 by {proof['verification_method']}")
    except (
        eddsa.ProofError,
        UnknownKey,
        UndefinedTermError,
        ContextNotAvailable,
        ValueError,
    ) as exc:
        check("signature", False, str(exc))
        return {"verified": False, "status": "invalid", "checks": checks}
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    method_did = proof["verification_method"].split("#", 1)[0]
    check("issuer", method_did == issuer_id, f"issuer {issuer_id}; signing key of {method_did}")
    valid_from, valid_until = (
        _parse_time(document.get("validFrom")),
        _parse_time(document.get("validUntil")),
    )
    not_yet = valid_from is not None and now < valid_from
    expired = valid_until is not None and now >= valid_until
    check(
        "dates",
        not (not_yet or expired),
        f"valid from {document.get('validFrom')} until {document.get('validUntil')}",
    )
    status = "valid"
    entry = document.get("credentialStatus")
    if isinstance(entry, dict):
        revoked, detail = _status_from_platform(entry)
        check(
            "status",
            None if revoked is None else not revoked,
            detail if revoked is not None else f"status unknown: {detail}",
        )
        if revoked:
            status = "revoked"
        elif revoked is None:
            status = "status_unknown"
    record = (
        Credential.objects.filter(pk=_uuid_of(document.get("id")))
        .only("suspended_at", "superseded_by")
        .first()
    )
    if record and record.suspended_at and status == "valid":
        status = "suspended"
        check("suspension", False, "suspended by the issuer")
    if record and record.superseded_by_id:
        check("superseded", None, f"renewed: superseded by {record.superseded_by_id}")
    if status == "valid" and (expired or not_yet):
        status = "expired" if expired else "not_yet_valid"
    verified = all(c["ok"] is not False for c in checks) and status == "valid"
    return {"verified": verified, "status": status, "checks": checks}


def _uuid_of(url) -> str | None:
    import uuid

    if not isinstance(url, str):
        return None
    try:
        return str(uuid.UUID(url.rstrip("/").rsplit("/", 1)[-1]))
    except ValueError:
        return None
