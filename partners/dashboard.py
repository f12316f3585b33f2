"""The partner dashboard's figures for one firm, computed live in a constant number of queries.

The counting rule (PRODUCT.md §6): a credential counts while it is active — issued, not yet
expired, not revoked, not suspended. Only the firm's consultants count, and only while their
membership covers the moment: someone who leaves stops counting from that day, and months
before keep them (memberships are never deleted).

Each section is one aggregate query with conditional counts, so the number of queries does not
grow with members, months or domains. Nothing here reads design content, checkpoint scores or
a person's domain scores: only counts, and for dependencies the names of the few people who
cover a domain (never their scores).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, FloatField, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThanOrEqual

from accounts.models import Membership, PartnerOrganisation
from assessments.models import Attempt, Certification, CertificationDecision
from certification.models import Credential

from .selectors import current_consultant_ids

# A domain score (percent) at or above this, on the decision behind an active credential, shows
# proficiency in that blueprint domain (docs/partners.md).
DEFAULT_PROFICIENCY_THRESHOLD = 70.0
EXPIRY_HORIZON_DAYS = 90
TREND_MONTHS = 12
AWAITING_DECISION_DAYS = 30


def proficiency_threshold() -> float:
    return float(getattr(settings, "PARTNERS_PROFICIENCY_THRESHOLD", DEFAULT_PROFICIENCY_THRESHOLD))


def active_at(moment: datetime, prefix: str = "") -> Q:
    """The counting rule at ``moment`` for credentials reached through ``prefix``."""
    return (
        Q(**{f"{prefix}valid_from__lte": moment, f"{prefix}valid_until__gt": moment})
        & (Q(**{f"{prefix}revoked_at__isnull": True}) | Q(**{f"{prefix}revoked_at__gt": moment}))
        & (
            Q(**{f"{prefix}suspended_at__isnull": True})
            | Q(**{f"{prefix}suspended_at__gt": moment})
        )
    )


def active_credentials(*, firm: PartnerOrganisation, now: datetime):
    """Active credentials of the firm's current consultants."""
    return Credential.objects.filter(
        active_at(now), holder_id__in=current_consultant_ids(firm=firm)
    )


def certification_rows() -> list[tuple[int, str, str, list]]:
    """(id, slug, name, blueprint) of every certification: one query."""
    return list(
        Certification.objects.order_by("name").values_list("id", "slug", "name", "blueprint")
    )


def blueprint_domains(rows=None) -> tuple[dict[str, str], dict[str, list[int]]]:
    """(domain id -> name, domain id -> ids of certifications whose blueprint has it)."""
    names: dict[str, str] = {}
    certs: dict[str, list[int]] = {}
    for cert_id, _, _, blueprint in certification_rows() if rows is None else rows:
        for domain in blueprint or []:
            if isinstance(domain, dict) and domain.get("id"):
                names.setdefault(domain["id"], domain.get("name") or domain["id"])
                certs.setdefault(domain["id"], []).append(cert_id)
    return names, certs


def proficient(domain: str, prefix: str = "") -> Q:
    score = Cast(KeyTextTransform(domain, f"{prefix}decision__domain_scores"), FloatField())
    return Q(GreaterThanOrEqual(score, proficiency_threshold()))


def headcount_expressions(*, domains: dict[str, list[int]], certifications) -> dict:
    """The conditional counts headcount needs, to run in one aggregate over active credentials."""
    holders = {"total": Count("holder", distinct=True)}
    for i, cert_ids in enumerate(domains.values()):
        holders[f"d{i}"] = Count("holder", distinct=True, filter=Q(certification_id__in=cert_ids))
    for cert_id, *_ in certifications:
        holders[f"c{cert_id}"] = Count("holder", distinct=True, filter=Q(certification_id=cert_id))
    return holders


def headcount(
    *, firm, now, domains: dict[str, list[int]], certifications=None, totals=None
) -> dict:
    """Active certified people: total, by certification, by blueprint domain, by region. With
    ``totals`` (from one shared aggregate, see ``figures``) only the region query runs here."""
    active = active_credentials(firm=firm, now=now)
    certifications = certification_rows() if certifications is None else certifications
    if totals is None:
        totals = active.aggregate(
            **headcount_expressions(domains=domains, certifications=certifications)
        )
    by_region = (
        active.values("holder__region")
        .annotate(count=Count("holder", distinct=True))
        .order_by("-count", "holder__region")
    )
    by_cert = [
        {"slug": slug, "name": name, "count": totals[f"c{cert_id}"]}
        for cert_id, slug, name, _ in certifications
        if totals[f"c{cert_id}"]
    ]
    return {
        "total": totals["total"],
        "by_certification": sorted(by_cert, key=lambda r: -r["count"]),
        "by_domain": {d: totals[f"d{i}"] for i, d in enumerate(domains)},
        "by_region": [
            {"region": r["holder__region"] or "Unspecified", "count": r["count"]} for r in by_region
        ],
    }


def month_ends(now: datetime, months: int = TREND_MONTHS) -> list[tuple[str, datetime]]:
    """(label "YYYY-MM", the moment counted) for the last ``months`` months, oldest first: the
    start of the following month for past months, ``now`` for the current one."""
    points = [(now.strftime("%Y-%m"), now)]
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months - 1):
        previous = (start - timedelta(days=1)).replace(day=1)
        points.append((previous.strftime("%Y-%m"), start))
        start = previous
    return list(reversed(points))


def trend(*, firm, now) -> list[dict]:
    """Active certified headcount at each month end: one query, one conditional count a month.
    A person counts at moment t if a consultant membership covered t AND a credential was
    active at t (so leaving, revocation and expiry never rewrite earlier months)."""
    points = month_ends(now)
    rows = Credential.objects.filter(
        holder__memberships__organisation=firm,
        holder__memberships__kind=Membership.Kind.CONSULTANT,
        valid_until__gt=points[0][1],
        valid_from__lte=now,
    )
    counts = {}
    for i, (_, moment) in enumerate(points):
        covered = Q(holder__memberships__joined_at__lte=moment) & (
            Q(holder__memberships__left_at__isnull=True)
            | Q(holder__memberships__left_at__gt=moment)
        )
        counts[f"m{i}"] = Count("holder", distinct=True, filter=covered & active_at(moment))
    totals = rows.aggregate(**counts)
    return [{"month": label, "count": totals[f"m{i}"]} for i, (label, _) in enumerate(points)]


def pipeline(*, firm, now) -> dict:
    """Per person (current consultants); a person can be in several stages at once."""
    user = OuterRef("user_id")
    horizon = now + timedelta(days=EXPIRY_HORIZON_DAYS)
    live = CertificationDecision.objects.filter(user=user, reversed_at__isnull=True)
    credentials = Credential.objects.filter(holder=user)
    # Submitted and awaiting a decision (grading or human scoring), within the scoring window;
    # older undecided submissions are escalations for staff, not a candidate in progress.
    undecided = Attempt.objects.filter(
        candidate=user,
        status=Attempt.Status.SUBMITTED,
        submitted_at__gte=now - timedelta(days=AWAITING_DECISION_DAYS),
    ).exclude(
        Exists(
            CertificationDecision.objects.filter(attempt=OuterRef("pk"), reversed_at__isnull=True)
        )
    )
    flags = {
        "enrolled": Exists(Attempt.objects.filter(candidate=user)),
        "in_progress": Exists(
            Attempt.objects.filter(candidate=user, status=Attempt.Status.IN_PROGRESS)
        )
        | Exists(undecided),
        "passed": Exists(live.filter(outcome=CertificationDecision.Outcome.PASS)),
        "failed": Exists(live.filter(outcome=CertificationDecision.Outcome.FAIL))
        & ~Exists(live.filter(outcome=CertificationDecision.Outcome.PASS)),
        "expiring": Exists(credentials.filter(active_at(now), valid_until__lte=horizon))
        & ~Exists(credentials.filter(active_at(now), valid_until__gt=horizon)),
        "lapsed": Exists(credentials.filter(valid_until__lte=now, revoked_at__isnull=True))
        & ~Exists(credentials.filter(active_at(now))),
    }
    members = Membership.objects.filter(
        organisation=firm, kind=Membership.Kind.CONSULTANT, left_at__isnull=True
    )
    return members.aggregate(
        members=Count("pk"), **{name: Count("pk", filter=flag) for name, flag in flags.items()}
    )
