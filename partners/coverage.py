"""Competency coverage: who in a firm showed proficiency in each blueprint domain, the
single-person dependencies, and the alerts for dependencies a departure or expiry would create.

Proficiency in domain D: a current consultant holds an active credential whose decision's
domain score for D is at least the threshold (``dashboard.proficiency_threshold``, 70 by
default). Evidence lasts as long as the credential: when it expires, the proficiency stops
counting, which is what the expiry alert warns of.
"""

from datetime import timedelta

from django.db.models import Count, Q

from .dashboard import (
    EXPIRY_HORIZON_DAYS,
    active_credentials,
    proficiency_threshold,
    proficient,
)
from .models import TierTarget

# A domain covered by this many people or fewer is listed with their names.
AT_RISK = 2


def coverage_expressions(*, names: dict[str, str], now) -> dict:
    """Per domain: proficient people now (n), and those whose evidence outlasts 90 days (k)."""
    horizon = now + timedelta(days=EXPIRY_HORIZON_DAYS)
    counts = {}
    for i, d in enumerate(names):
        counts[f"n{i}"] = Count("holder", distinct=True, filter=proficient(d))
        counts[f"k{i}"] = Count(
            "holder", distinct=True, filter=proficient(d) & Q(valid_until__gt=horizon)
        )
    return counts


def coverage(*, firm, now, names: dict[str, str], counts=None) -> dict:
    """Coverage per domain, the dependencies and the alerts: the counts (one aggregate, or
    ``counts`` from the shared one) and one query for the few people at risk."""
    if not names:
        return {"domains": [], "dependencies": [], "alerts": []}
    active = active_credentials(firm=firm, now=now)
    horizon = now + timedelta(days=EXPIRY_HORIZON_DAYS)
    keys = list(names)
    if counts is None:
        counts = active.aggregate(**coverage_expressions(names=names, now=now))
    domains = [
        {"id": d, "name": names[d], "proficient": counts[f"n{i}"], "after_90_days": counts[f"k{i}"]}
        for i, d in enumerate(keys)
    ]
    people = _people_at_risk(active, [d for d in domains if 0 < d["proficient"] <= AT_RISK])
    dependencies, alerts = [], []
    for domain in domains:
        who = people.get(domain["id"], [])
        if domain["proficient"] == 1:
            dependencies.append(
                {"domain": domain["id"], "name": domain["name"], "person": who[0]["name"]}
            )
        if domain["proficient"] == AT_RISK:
            alerts.append(
                {
                    "domain": domain["id"],
                    "kind": "departure",
                    "message": f"If {who[0]['name']} or {who[1]['name']} leaves, only one person "
                    f"will cover {domain['name']}.",
                }
            )
        expiring = [p for p in who if p["valid_until"] <= horizon]
        if (domain["proficient"] and domain["after_90_days"] <= 1 < domain["proficient"]) or (
            domain["proficient"] == 1 and expiring
        ):
            left = "no one" if domain["after_90_days"] == 0 else "one person"
            alerts.append(
                {
                    "domain": domain["id"],
                    "kind": "expiry",
                    "message": f"Credentials expiring within {EXPIRY_HORIZON_DAYS} days would leave "
                    f"{left} covering {domain['name']}.",
                }
            )
    for domain in domains:
        domain.pop("after_90_days")
    return {"domains": domains, "dependencies": dependencies, "alerts": alerts}


def _people_at_risk(active, domains: list[dict]) -> dict[str, list[dict]]:
    """Names (never scores) of the few people covering each at-risk domain: one query."""
    if not domains:
        return {}
    any_domain = Q()
    for domain in domains:
        any_domain |= proficient(domain["id"])
    rows = active.filter(any_domain).values(
        "holder_id", "holder__full_name", "holder__email", "valid_until", "decision__domain_scores"
    )
    found: dict[str, dict[int, dict]] = {}
    threshold = proficiency_threshold()
    for row in rows:
        scores = row["decision__domain_scores"] or {}
        for domain in domains:
            score = scores.get(domain["id"])
            if isinstance(score, int | float) and score >= threshold:
                person = found.setdefault(domain["id"], {}).setdefault(
                    row["holder_id"],
                    {
                        "name": row["holder__full_name"] or row["holder__email"],
                        "valid_until": row["valid_until"],
                    },
                )
                person["valid_until"] = max(person["valid_until"], row["valid_until"])
    return {d: sorted(p.values(), key=lambda p: p["name"]) for d, p in found.items()}


def applicable_targets(*, firm) -> list[TierTarget]:
    return list(
        TierTarget.objects.filter(
            Q(organisation__isnull=True) | Q(organisation=firm)
        ).select_related("certification")
    )


def target_expressions(applicable: list[TierTarget]) -> dict:
    return {
        f"t{i}": Count(
            "holder",
            distinct=True,
            filter=Q(certification_id=t.certification_id)
            & (proficient(t.domain) if t.domain else Q()),
        )
        for i, t in enumerate(applicable)
    }


def targets(*, firm, now, applicable=None, counts=None) -> list[dict]:
    """Progress towards the tier targets that apply to the firm."""
    applicable = applicable_targets(firm=firm) if applicable is None else applicable
    if not applicable:
        return []
    if counts is None:
        counts = active_credentials(firm=firm, now=now).aggregate(**target_expressions(applicable))
    return [
        {
            "tier": t.tier,
            "certification": t.certification.name,
            "domain": t.domain,
            "target": t.target,
            "current": counts[f"t{i}"],
            "percent": min(100, round(100 * counts[f"t{i}"] / t.target)),
            "met": counts[f"t{i}"] >= t.target,
        }
        for i, t in enumerate(applicable)
    ]
