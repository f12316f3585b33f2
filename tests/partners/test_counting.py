"""The counting rule (active = not expired, not revoked, not suspended; only while a member)
and the month-by-month trend, which leaving, revocation and expiry never rewrite."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Membership
from partners.dashboard import headcount, month_ends, trend
from partners.figures import dashboard
from tests.factories import MembershipFactory, UserFactory

from .factories import CredentialRowFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def total(firm, now=None):
    return headcount(firm=firm, now=now or timezone.now(), domains={})["total"]


def test_an_active_credential_counts_once_per_person(firm, member_of, certification):
    user = member_of(firm)
    CredentialRowFactory(holder=user, certification=certification)
    CredentialRowFactory(holder=user, certification=certification)
    assert total(firm) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": "past"},
        {"suspended_at": "past"},
        {"valid_from": "long ago"},  # so valid_until is in the past: expired
    ],
    ids=["revoked", "suspended", "expired"],
)
def test_revoked_suspended_and_expired_credentials_do_not_count(
    firm, member_of, certification, fields
):
    now = timezone.now()
    values = {
        "revoked_at": now - timedelta(days=1),
        "suspended_at": now - timedelta(days=1),
        "valid_from": now - timedelta(days=800),
    }
    user = member_of(firm)
    CredentialRowFactory(holder=user, certification=certification, **{k: values[k] for k in fields})
    assert total(firm) == 0


def test_a_consultant_who_leaves_stops_counting_and_managers_never_count(
    firm, member_of, certification, partner_manager
):
    stays, leaves = member_of(firm), member_of(firm)
    for user in (stays, leaves, partner_manager):
        CredentialRowFactory(holder=user, certification=certification)
    assert total(firm) == 2
    accounts_services.membership_leave(membership=leaves.memberships.get(), actor=leaves)
    assert total(firm) == 1


def test_members_of_another_firm_do_not_count(firm, other_firm, member_of, certification):
    CredentialRowFactory(holder=member_of(other_firm), certification=certification)
    assert total(firm) == 0
    assert total(other_firm) == 1


def test_month_ends_are_twelve_months_oldest_first_ending_now():
    points = month_ends(NOW)
    assert [label for label, _ in points][:2] == ["2025-07", "2025-08"]
    assert points[-1] == ("2026-06", NOW)
    assert points[-2] == ("2026-05", datetime(2026, 6, 1, tzinfo=UTC))
    assert len(points) == 12


def test_trend_keeps_history_when_people_leave_and_credentials_end(firm, certification):
    """Joined in Jan, certified Feb to Dec 2026; left 10 May. Another, revoked on 20 Mar."""
    leaver = UserFactory()
    MembershipFactory(
        user=leaver,
        organisation=firm,
        joined_at=datetime(2026, 1, 10, tzinfo=UTC),
        left_at=datetime(2026, 5, 10, tzinfo=UTC),
    )
    CredentialRowFactory(
        holder=leaver,
        certification=certification,
        valid_from=datetime(2026, 2, 5, tzinfo=UTC),
        valid_until=datetime(2026, 12, 31, tzinfo=UTC),
    )
    revoked = UserFactory()
    MembershipFactory(user=revoked, organisation=firm, joined_at=datetime(2025, 1, 1, tzinfo=UTC))
    CredentialRowFactory(
        holder=revoked,
        certification=certification,
        valid_from=datetime(2025, 12, 2, tzinfo=UTC),
        revoked_at=datetime(2026, 3, 20, tzinfo=UTC),
    )
    counts = {p["month"]: p["count"] for p in trend(firm=firm, now=NOW)}
    assert counts["2025-11"] == 0
    assert counts["2025-12"] == 1  # revoked person only
    assert counts["2026-01"] == 1  # leaver joined but not yet certified
    assert counts["2026-02"] == 2
    assert counts["2026-03"] == 1  # revoked on 20 March
    assert counts["2026-04"] == 1  # the leaver, still a member on 1 May
    assert counts["2026-05"] == 0  # left on 10 May
    assert counts["2026-06"] == 0


def test_the_trend_ends_at_the_live_headcount(firm, member_of, certification):
    for _ in range(3):
        CredentialRowFactory(holder=member_of(firm), certification=certification)
    figures = dashboard(firm=firm)
    assert figures["trend"][-1]["count"] == figures["headcount"]["total"] == 3


def test_a_rejoined_consultant_counts_once(firm, certification):
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=firm,
        joined_at=timezone.now() - timedelta(days=300),
        left_at=timezone.now() - timedelta(days=200),
    )
    MembershipFactory(user=user, organisation=firm, joined_at=timezone.now() - timedelta(days=100))
    CredentialRowFactory(
        holder=user, certification=certification, valid_from=timezone.now() - timedelta(days=400)
    )
    assert Membership.objects.filter(user=user).count() == 2
    assert dashboard(firm=firm)["trend"][-1]["count"] == 1
    assert total(firm) == 1


def test_headcount_by_certification_domain_and_region(firm, member_of, certification):
    from tests.certification.factories import CertificationFactory

    other = CertificationFactory(
        slug="hr-ops",
        name="HR operations",
        blueprint=[{"id": "people-data", "name": "People data", "weight": 1}],
    )
    a, b = member_of(firm, region="EMEA"), member_of(firm, region="APAC")
    CredentialRowFactory(holder=a, certification=certification)
    CredentialRowFactory(holder=b, certification=certification)
    CredentialRowFactory(holder=b, certification=other, scores={"people-data": 80})
    counts = dashboard(firm=firm)["headcount"]
    assert {r["slug"]: r["count"] for r in counts["by_certification"]} == {
        "finance-ops-specialist": 2,
        "hr-ops": 1,
    }
    assert {r["region"]: r["count"] for r in counts["by_region"]} == {"EMEA": 1, "APAC": 1}
    by_domain = {r["id"]: r["count"] for r in counts["by_domain"]}
    assert by_domain["risk-controls"] == 2
    assert by_domain["people-data"] == 1


def test_dashboard_query_count_does_not_grow_with_members(
    firm, member_of, certification, django_assert_num_queries
):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            dashboard(firm=firm)
        return len(ctx)

    CredentialRowFactory(holder=member_of(firm), certification=certification)
    few = queries()
    for _ in range(15):
        CredentialRowFactory(
            holder=member_of(firm), certification=certification, scores={"risk-controls": 50}
        )
    assert queries() == few
