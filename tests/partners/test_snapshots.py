"""Precomputed dashboards: served from the snapshot while fresh, recomputed when stale, dropped
by membership changes made through partners services, refreshed by the periodic task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as accounts_services
from partners import services, snapshots
from partners.models import DashboardSnapshot
from partners.tasks import refresh_dashboards

from .factories import CredentialRowFactory

pytestmark = pytest.mark.django_db


def test_a_fresh_snapshot_is_served_without_recomputing(
    firm, member_of, certification, django_assert_max_num_queries
):
    CredentialRowFactory(holder=member_of(firm), certification=certification)
    assert snapshots.figures_for(firm=firm)["headcount"]["total"] == 1
    # A change made elsewhere (not through partners services) shows at the next refresh.
    CredentialRowFactory(holder=member_of(firm), certification=certification)
    with django_assert_max_num_queries(1):
        served = snapshots.figures_for(firm=firm)
    assert served["headcount"]["total"] == 1
    assert served["as_of"] <= timezone.now()


def test_a_stale_snapshot_is_recomputed(firm, member_of, certification, settings):
    CredentialRowFactory(holder=member_of(firm), certification=certification)
    snapshots.figures_for(firm=firm)
    CredentialRowFactory(holder=member_of(firm), certification=certification)
    DashboardSnapshot.objects.update(
        computed_at=timezone.now() - timedelta(seconds=settings.PARTNERS_DASHBOARD_MAX_AGE + 1)
    )
    assert snapshots.figures_for(firm=firm)["headcount"]["total"] == 2


def test_leaving_through_partners_drops_the_snapshot(firm, candidate, certification):
    CredentialRowFactory(holder=candidate, certification=certification)
    assert snapshots.figures_for(firm=firm)["headcount"]["total"] == 1
    services.membership_leave_own(membership=candidate.memberships.get(), user=candidate)
    assert snapshots.figures_for(firm=firm)["headcount"]["total"] == 0


def test_ending_and_accepting_drop_the_snapshot(firm, partner_manager, candidate, certification):
    from tests.factories import UserFactory

    snapshots.figures_for(firm=firm)
    services.membership_end(
        membership=candidate.memberships.get(), organisation=firm, actor=partner_manager
    )
    assert not DashboardSnapshot.objects.exists()
    snapshots.figures_for(firm=firm)
    _, token = services.invitation_create(
        organisation=firm, email="joiner@example.test", invited_by=partner_manager
    )
    services.invitation_accept(token=token, user=UserFactory(email="joiner@example.test"))
    assert not DashboardSnapshot.objects.exists()


def test_the_periodic_task_refreshes_due_snapshots_only(
    firm, other_firm, candidate, other_candidate, certification
):
    assert refresh_dashboards() == 2
    assert refresh_dashboards() == 0
    accounts_services.membership_leave(membership=candidate.memberships.get())
    DashboardSnapshot.objects.filter(organisation=firm).update(
        computed_at=timezone.now() - timedelta(hours=1)
    )
    assert refresh_dashboards() == 1
    assert DashboardSnapshot.objects.get(organisation=firm).figures["pipeline"]["members"] == 0
