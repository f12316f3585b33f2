"""The partner dashboard: every figure for one firm, composed from ``dashboard`` (headcount,
trend, pipeline) and ``coverage`` (competency coverage, dependencies, tier targets)."""

from datetime import datetime

from django.utils import timezone

from accounts.models import PartnerOrganisation

from .coverage import coverage, targets
from .dashboard import blueprint_domains, headcount, pipeline, proficiency_threshold, trend


def dashboard(*, firm: PartnerOrganisation, now: datetime | None = None) -> dict:
    """Every figure of the firm's dashboard (about ten queries, whatever the firm's size)."""
    now = now or timezone.now()
    names, certs = blueprint_domains()
    counts = headcount(firm=firm, now=now, domains=certs)
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
        "coverage": coverage(firm=firm, now=now, names=names),
        "targets": targets(firm=firm, now=now),
    }
