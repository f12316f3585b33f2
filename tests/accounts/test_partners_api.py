import pytest
from django.utils import timezone

from accounts.models import Membership
from accounts.services import membership_join, membership_leave
from audit.selectors import audit_events_for
from tests.factories import MembershipFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, expected_status",
    [
        ("anonymous", 403),
        ("candidate", 403),
        ("grader", 403),
        ("partner_manager", 200),
        ("programme_admin", 200),
    ],
)
def test_partner_list_permissions_per_role(request, client_for, firm, role, expected_status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get("/api/v1/partners/")
    assert response.status_code in ((401, 403) if expected_status == 403 else (expected_status,))


@pytest.mark.django_db
def test_manager_sees_only_own_firm_with_active_headcount(
    client_for, partner_manager, candidate, other_candidate, firm
):
    leaver = MembershipFactory(organisation=firm)
    leaver.left_at = timezone.now()
    leaver.save(update_fields=["left_at"])

    body = client_for(partner_manager).get("/api/v1/partners/").json()

    assert [org["slug"] for org in body["results"]] == ["acme-consulting"]
    assert body["results"][0]["active_consultants"] == 1


@pytest.mark.django_db
def test_programme_admin_sees_every_firm(client_for, programme_admin, firm, other_firm):
    body = client_for(programme_admin).get("/api/v1/partners/").json()
    assert {org["slug"] for org in body["results"]} == {"acme-consulting", "globex-advisory"}


@pytest.mark.django_db
def test_membership_history_is_kept_when_leaving_and_rejoining(candidate, firm):
    first = Membership.objects.get(user=candidate, organisation=firm)
    membership_leave(membership=first)
    again = membership_join(user=candidate, organisation=firm)

    assert again.pk != first.pk
    assert Membership.objects.filter(user=candidate, organisation=firm).count() == 2
    first.refresh_from_db()
    assert first.left_at is not None
    assert [e.action for e in audit_events_for(target=first)] == ["membership.left"]


@pytest.mark.django_db
def test_joining_twice_does_not_duplicate(candidate, firm):
    again = membership_join(user=candidate, organisation=firm)
    assert Membership.objects.filter(user=candidate, organisation=firm).count() == 1
    assert again.left_at is None
