"""Open Badges 3.0 ``OpenBadgeCredential`` documents (unsigned), built from plain data.

Shape follows PRODUCT.md §5: contexts VC v2 then OB 3.0.3; the achievement carries the criteria,
the alignment to the blueprint domains and a ``resultDescription`` per domain plus the overall
score; the subject carries the matching ``result`` values; one evidence entry; one
``BitstringStatusListEntry``. No ``credentialSchema`` (a 1EdTechJsonSchemaValidator2019 entry makes
the DCC verifier reject the credential).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from .jsonld import OB_V3, VC_V2

TOTAL = "total"


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    weight: float
    score: float | None  # percent


@dataclass(frozen=True)
class BadgeData:
    credential_url: str
    issuer_id: str
    issuer_name: str
    issuer_url: str
    achievement_url: str
    achievement_name: str
    achievement_description: str
    achievement_level: str
    criteria: str
    holder_name: str
    valid_from: datetime
    valid_until: datetime
    total: float
    cut_score: float
    domains: list[Domain]
    status: dict
    evidence_narrative: str
    evidence_url: str | None = None
    extra_types: list[str] = field(default_factory=list)


def iso(moment: datetime) -> str:
    """XSD dateTime in UTC without fractions (what wallets display and compare reliably)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _score(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _result_id(data: BadgeData, key: str) -> str:
    return f"{data.achievement_url}#result-{key}"


def achievement(data: BadgeData) -> dict:
    descriptions = [
        {
            "id": _result_id(data, TOTAL),
            "type": ["ResultDescription"],
            "name": "Overall score (weighted, percent)",
            "resultType": "Percent",
            "requiredValue": _score(data.cut_score),
            "valueMin": "0",
            "valueMax": "100",
        }
    ]
    alignment = []
    for domain in data.domains:
        target = f"{data.achievement_url}#domain-{domain.id}"
        alignment.append(
            {
                "type": ["Alignment"],
                "targetName": domain.name,
                "targetCode": domain.id,
                "targetDescription": f"Blueprint domain, weight {_score(domain.weight)}",
                "targetType": "ceasn:Competency",
                "targetUrl": target,
            }
        )
        descriptions.append(
            {
                "id": _result_id(data, domain.id),
                "type": ["ResultDescription"],
                "name": f"{domain.name} (percent)",
                "resultType": "Percent",
                "valueMin": "0",
                "valueMax": "100",
                "alignment": [alignment[-1]],
            }
        )
    return {
        "id": data.achievement_url,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": data.achievement_name,
        "description": data.achievement_description or data.achievement_name,
        "criteria": {"id": data.achievement_url, "narrative": data.criteria or "See description."},
        "alignment": alignment,
        "resultDescription": descriptions,
        "tag": [data.achievement_level] if data.achievement_level else [],
    }


def results(data: BadgeData) -> list[dict]:
    out = [
        {
            "type": ["Result"],
            "resultDescription": _result_id(data, TOTAL),
            "value": _score(data.total),
            "status": "Completed",
        }
    ]
    for domain in data.domains:
        if domain.score is not None:
            out.append(
                {
                    "type": ["Result"],
                    "resultDescription": _result_id(data, domain.id),
                    "value": _score(domain.score),
                }
            )
    return out


def open_badge_credential(data: BadgeData) -> dict:
    evidence = {
        "type": ["Evidence"],
        "name": "Graded workflow redesign",
        "narrative": data.evidence_narrative,
        "genre": "Simulation-graded design",
    }
    if data.evidence_url:
        evidence["id"] = data.evidence_url
    return {
        "@context": [VC_V2, OB_V3],
        "id": data.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential", *data.extra_types],
        "name": data.achievement_name,
        "description": f"{data.holder_name} holds the {data.achievement_name} certification.",
        "issuer": {
            "id": data.issuer_id,
            "type": ["Profile"],
            "name": data.issuer_name,
            "url": data.issuer_url,
        },
        "validFrom": iso(data.valid_from),
        "validUntil": iso(data.valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": data.holder_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": data.holder_name,
                }
            ],
            "achievement": achievement(data),
            "result": results(data),
        },
        "evidence": [evidence],
        "credentialStatus": data.status,
    }
