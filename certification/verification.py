"""Verifying a credential document on this platform: the library's checks (signature, issuer
key, dates, status list) with this platform's key registry and status lists, then what only
the platform knows (suspension, renewal) for credentials it issued.

Nothing is fetched from the network: status lists of this platform are read from the database
(the same signed document that is served); any other status list is "status unknown".
"""

import re
import uuid
from datetime import datetime

from django.db.models import F

from . import documents, keys, trust
from .models import Credential, StatusList
from .vc import status_list as bitstring
from .vc.verify import FAIL, UNKNOWN, Check, IssuerTrust, VerificationResult, verify_credential


def _status_list_id(url: str) -> int | None:
    match = re.fullmatch(re.escape(documents.status_list_url("")) + r"(\d+)", url or "")
    return int(match.group(1)) if match else None


def fetch_status_list(url: str) -> dict:
    """The signed status-list credential at ``url`` if this platform serves it."""
    list_id = _status_list_id(url)
    if list_id is None:
        raise bitstring.StatusUnavailable(f"{url} is not a status list of this platform")
    signed = StatusList.objects.filter(pk=list_id).values_list("signed", flat=True).first()
    if not signed:
        raise bitstring.StatusUnavailable(f"status list {list_id} does not exist")
    return signed


def credential_uuid(url) -> uuid.UUID | None:
    """The credential id in one of this platform's credential URLs (or a bare UUID)."""
    if not isinstance(url, str):
        return None
    prefix = documents.credential_url("")
    text = url.removeprefix(prefix) if url.startswith(prefix) else url
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _platform_state(document: dict, result) -> None:
    """Suspension and renewal, known only to the platform, for credentials it issued."""
    pk = credential_uuid(document.get("id"))
    if pk is None or not str(document.get("id", "")).startswith(documents.credential_url("")):
        return
    record = (
        Credential.objects.filter(pk=pk)
        .annotate(successor=F("superseded_by__pk"))
        .values("suspended_at", "successor")
        .first()
    )
    if record is None:
        return
    if record["suspended_at"]:
        result.checks.append(Check("suspension", FAIL, "suspended by the issuer"))
        if result.status == "valid":
            result.status = "suspended"
    if record["successor"]:
        result.checks.append(
            Check("superseded", UNKNOWN, f"renewed: superseded by {record['successor']}")
        )


def verify_document(document: object, *, now: datetime | None = None) -> dict:
    """Verify a credential document for an employer: is it valid, and did this platform (or an
    issuer it trusts) issue it. ``status``: valid / untrusted_issuer / expired / not_yet_valid /
    suspended / revoked / status_unknown / invalid; ``checks``: each check with its outcome
    and detail."""
    return check_document(document, now=now, issuer_trust=trust.PLATFORM).as_dict()


def check_document(
    document: object,
    *,
    now: datetime | None = None,
    issuer_trust: IssuerTrust | None,
    every_proof_by_issuer: bool = True,
) -> VerificationResult:
    """The library's checks with this platform's keys and status lists, then its own state
    (suspension, renewal) for a credential it issued."""
    result = verify_credential(
        document,  # type: ignore[arg-type]  (anything uploaded; non-objects are "invalid")
        resolve_key=keys.resolve,
        fetch_status=fetch_status_list,
        now=now,
        trust=issuer_trust,
        every_proof_by_issuer=every_proof_by_issuer,
    )
    if isinstance(document, dict) and result.status not in ("invalid", "untrusted_issuer"):
        _platform_state(document, result)
    return result
