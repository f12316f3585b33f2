"""The partner dashboard: every figure for one firm, composed from ``dashboard`` (headcount,
trend, pipeline) and ``coverage`` (competency coverage, dependencies, tier targets)."""

from datetime import datetime

from django.utils import timezone

from accounts.models import PartnerOrganisation

from .coverage import (
    applicable_targets,
    coverage,
    coverage_expressions,
    target_expressions,
    targets,
)
from .dashboard import (
    active_credentials,
    blueprint_domains,
    certification_rows,
    headcount,
    headcount_expressions,
    pipeline,
    proficiency_threshold,
    trend,
)


def dashboard(*, firm: PartnerOrganisation, now: datetime | None = None) -> dict:
    """Every figure of the firm's dashboard in seven queries, whatever the firm's size: the
    headcount, coverage and target counts share one aggregate over the active credentials."""
    now = now or timezone.now()
    certifications = certification_rows()
    names, certs = blueprint_domains(certifications)
    tiers = applicable_targets(firm=firm)
    totals = active_credentials(firm=firm, now=now).aggregate(
        **headcount_expressions(domains=certs, certifications=certifications),
        **coverage_expressions(names=names, now=now),
        **target_expressions(tiers),
    )
    counts = headcount(
        firm=firm, now=now, domains=certs, certifications=certifications, totals=totals
    )
    counts["by_domain"] = [
        {"id": d, "name": names[d], "count": n} for d, n in counts["by_domain"].items()
    ]
    return {
        "firm": {"slug": firm.slug, "name": firm.name, "region": firm.region},
        "as_of": now,
        "proficiency_threshold": proficiency_threshold(),
        "headcount": counts,
        "trend": trend(firm=firm, now=now),
        "pipeline": pipeline(firm=firm, now=now),
        "coverage": coverage(firm=firm, now=now, names=names, counts=totals),
        "targets": targets(firm=firm, now=now, applicable=tiers, counts=totals),
    }
