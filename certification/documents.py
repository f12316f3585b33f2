"""The platform's URLs and the unsigned documents it signs, built from its rows.

The document shapes live in the pure library (``vc.openbadge``, ``vc.status_list``); this module
only maps a decision and its certification onto them.
"""

from datetime import datetime

from django.conf import settings

from .vc import openbadge
from .vc import status_list as bitstring

ISSUER_NAME = "Practica"


def base_url() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/")


def credential_url(credential_id) -> str:
    return f"{base_url()}/credentials/{credential_id}"


def status_list_url(list_id: int) -> str:
    return f"{base_url()}/credentials/status/{list_id}"


def achievement_url(slug: str) -> str:
    return f"{base_url()}/certifications/{slug}"


def issuer_profile(issuer: str) -> dict:
    return {"id": issuer, "type": ["Profile"], "name": ISSUER_NAME, "url": base_url()}


def _domains(certification, decision) -> list[openbadge.Domain]:
    """The blueprint's domains in blueprint order, with the decision's score for each; a scored
    domain missing from the blueprint (an older blueprint) is still reported."""
    blueprint = list(certification.blueprint or [])
    known = {d["id"] for d in blueprint}
    blueprint += [
        {"id": d, "name": d.replace("-", " ").capitalize(), "weight": 0}
        for d in sorted(decision.domain_scores)
        if d not in known
    ]
    return [
        openbadge.Domain(
            id=str(d["id"]),
            name=str(d.get("name") or d["id"]),
            weight=float(d.get("weight") or 0),
            score=decision.domain_scores.get(d["id"]),
        )
        for d in blueprint
    ]


def open_badge(
    *,
    credential_id,
    issuer: str,
    holder_name: str,
    certification,
    decision,
    valid_from: datetime,
    valid_until: datetime,
    list_id: int,
    index: int,
) -> dict:
    """The unsigned OpenBadgeCredential for a passing decision."""
    criteria = certification.criteria or (
        f"Pass the {certification.name} scenario exam: every critical checkpoint, and a weighted "
        f"total of at least {certification.cut_score:g}%."
    )
    narrative = (
        f"Redesigned a simulated business workflow in a timed scenario exam; the design was run "
        f"against the scenario's case stream and graded on rubric checkpoints. Decided "
        f"{openbadge.iso(decision.decided_at)}: total {decision.total:g}% against a cut score of "
        f"{decision.cut_score:g}%, every critical checkpoint passed."
    )
    data = openbadge.BadgeData(
        credential_url=credential_url(credential_id),
        issuer_id=issuer,
        issuer_name=ISSUER_NAME,
        issuer_url=base_url(),
        achievement_url=achievement_url(certification.slug),
        achievement_name=certification.name,
        achievement_description=certification.description,
        achievement_level=certification.level,
        criteria=criteria,
        holder_name=holder_name,
        valid_from=valid_from,
        valid_until=valid_until,
        total=decision.total,
        cut_score=decision.cut_score,
        domains=_domains(certification, decision),
        status=bitstring.status_entry(status_list_url(list_id), index),
        evidence_narrative=narrative,
    )
    return openbadge.open_badge_credential(data)


def status_list_credential(*, list_id: int, issuer: str, bits: bytes, valid_from) -> dict:
    return bitstring.status_list_credential(
        list_url=status_list_url(list_id),
        issuer=issuer,
        bits=bits,
        valid_from=openbadge.iso(valid_from),
    )
