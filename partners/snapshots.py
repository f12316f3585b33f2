"""Precomputed dashboards: what the partner pages and API serve, and how it stays fresh.

Computing a 20,000-member firm's figures takes a few hundred milliseconds of PostgreSQL time
(about ten aggregate queries, see ``partners.dashboard``), so each firm's figures are stored in
``DashboardSnapshot`` and served from there:

- a view serves the snapshot while it is younger than ``PARTNERS_DASHBOARD_MAX_AGE`` seconds
  (default 900), else computes the figures at once and stores them;
- ``partners.tasks.refresh_dashboards`` (Celery beat, every ``PARTNERS_DASHBOARD_REFRESH``
  seconds, default 300) recomputes the snapshots older than that interval, largest firms first,
  so viewers rarely wait;
- joins and leaves made through ``partners.services`` drop the firm's snapshot in the same
  transaction, so a manager sees their own change at once. Changes made elsewhere (revocation,
  suspension, expiry, a new credential) show within one refresh interval; the page says "as of".
"""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Membership, PartnerOrganisation

from .figures import dashboard as compute
from .models import DashboardSnapshot


def max_age() -> int:
    return int(getattr(settings, "PARTNERS_DASHBOARD_MAX_AGE", 900))


def refresh_interval() -> int:
    return int(getattr(settings, "PARTNERS_DASHBOARD_REFRESH", 300))


def _no_jit() -> None:
    """PostgreSQL's JIT compiles these wide aggregates for seconds to save milliseconds: off
    for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def compute_figures(*, firm: PartnerOrganisation) -> dict:
    with transaction.atomic():
        _no_jit()
        return compute(firm=firm)


def refresh(*, firm: PartnerOrganisation) -> DashboardSnapshot:
    started = time.perf_counter()
    figures = compute_figures(firm=firm)
    stored = json.loads(json.dumps(figures, cls=DjangoJSONEncoder))
    snapshot, _ = DashboardSnapshot.objects.update_or_create(
        organisation=firm,
        defaults={
            "figures": stored,
            "computed_at": figures["as_of"],
            "seconds": time.perf_counter() - started,
        },
    )
    return snapshot


def figures_for(*, firm: PartnerOrganisation) -> dict:
    """The firm's figures, from its snapshot when fresh enough, else computed now."""
    oldest = timezone.now() - timedelta(seconds=max_age())
    snapshot = DashboardSnapshot.objects.filter(organisation=firm, computed_at__gte=oldest).first()
    if snapshot is None:
        snapshot = refresh(firm=firm)
    figures = dict(snapshot.figures)
    figures["as_of"] = (
        parse_datetime(figures["as_of"]) if isinstance(figures["as_of"], str) else figures["as_of"]
    )
    return figures


def invalidate(*, organisation_id: int) -> None:
    DashboardSnapshot.objects.filter(organisation_id=organisation_id).delete()


def refresh_due(*, limit: int | None = None) -> int:
    """Recompute the snapshots older than the refresh interval (or missing), largest firms
    first. Returns how many were refreshed."""
    due = timezone.now() - timedelta(seconds=refresh_interval())
    fresh = DashboardSnapshot.objects.filter(computed_at__gte=due).values("organisation_id")
    firms = (
        PartnerOrganisation.objects.exclude(id__in=fresh)
        .annotate(
            size=Count(
                "memberships",
                filter=Q(
                    memberships__left_at__isnull=True, memberships__kind=Membership.Kind.CONSULTANT
                ),
            )
        )
        .order_by(F("size").desc(), "pk")
    )
    count = 0
    for firm in firms[:limit] if limit else firms:
        refresh(firm=firm)
        count += 1
    return count
