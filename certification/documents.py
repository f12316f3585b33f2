"""Building the OpenBadgeCredential and the status-list credential."""

from django.conf import settings

from .vc.jsonld import OB_V3, VC_V2


def _iso(dt) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_url(credential_id) -> str:
    return f"{settings.PUBLIC_BASE_URL}/credentials/{credential_id}"


def status_list_url(list_id: int) -> str:
    return f"{settings.PUBLIC_BASE_URL}/credentials/status/{list_id}"


def issuer_profile(issuer: str) -> dict:
    return {"id": issuer, "type": ["Profile"], "name": "Practica", "url": settings.PUBLIC_BASE_URL}


def open_badge(
    *,
    credential_id,
    issuer: str,
    holder_name: str,
    certification,
    decision,
    valid_from,
    valid_until,
    list_id: int,
    index: int,
) -> dict:
    """An OB 3.0 OpenBadgeCredential (VC Data Model 2.0) for a passing decision."""
    url = credential_url(credential_id)
    achievement_url = f"{settings.PUBLIC_BASE_URL}/certifications/{certification.slug}"
    domains = {d["id"]: d for d in certification.blueprint or []}
    for domain_id in decision.domain_scores:
        domains.setdefault(
            domain_id, {"id": domain_id, "name": domain_id.replace("-", " ").capitalize()}
        )
    result_descriptions = [
        {
            "id": f"{achievement_url}#result-total",
            "type": ["ResultDescription"],
            "name": "Weighted total (percent)",
            "resultType": "Percent",
        }
    ] + [
        {
            "id": f"{achievement_url}#result-{d}",
            "type": ["ResultDescription"],
            "name": f"{domains[d]['name']} (percent)",
            "resultType": "Percent",
        }
        for d in sorted(decision.domain_scores)
    ]
    results = [
        {
            "type": ["Result"],
            "resultDescription": f"{achievement_url}#result-total",
            "value": f"{decision.total:g}",
        }
    ] + [
        {
            "type": ["Result"],
            "resultDescription": f"{achievement_url}#result-{d}",
            "value": f"{decision.domain_scores[d]:g}",
        }
        for d in sorted(decision.domain_scores)
    ]
    return {
        "@context": [VC_V2, OB_V3],
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certification.name,
        "issuer": issuer_profile(issuer),
        "validFrom": _iso(valid_from),
        "validUntil": _iso(valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": holder_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": certification.name,
                "description": certification.description or certification.name,
                "criteria": {
                    "id": f"{achievement_url}#criteria",
                    "narrative": certification.criteria
                    or f"Pass the {certification.name} scenario exam: every critical checkpoint and a weighted total of at least {certification.cut_score:g}%.",
                },
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": domains[d]["name"],
                        "targetUrl": f"{achievement_url}#domain-{d}",
                        "targetCode": d,
                        "targetFramework": "Practica competency blueprint",
                    }
                    for d in sorted(domains)
                ],
                "resultDescription": result_descriptions,
            },
            "result": results,
        },
        "evidence": [
            {
                "id": f"{url}/evidence",
                "type": ["Evidence"],
                "name": "Graded workflow redesign",
                "description": f"Scenario exam decided on {_iso(decision.decided_at)}: total {decision.total:g}% against a cut score of {decision.cut_score:g}%, all critical checkpoints passed.",
            }
        ],
        "credentialStatus": {
            "id": f"{status_list_url(list_id)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_list_url(list_id),
        },
    }


def status_list_credential(*, list_id: int, issuer: str, encoded: str, valid_from) -> dict:
    url = status_list_url(list_id)
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": _iso(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
