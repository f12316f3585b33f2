"""Every partner page and endpoint, for every role. A manager of another firm gets 404 for
anything of this firm (its existence does not leak); candidates and graders are refused."""

import pytest

from accounts.models import Membership
from partners.models import Invitation
from partners.services import invitation_create

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "grader", "partner_manager", "other_manager", "programme_admin"]

FIRM_PAGES = [
    "/partners/{slug}/",
    "/partners/{slug}/members/",
    "/partners/{slug}/export/roster.csv",
    "/partners/{slug}/export/dashboard.csv",
]
FIRM_API = [
    "/api/v1/partners/{slug}/dashboard/",
    "/api/v1/partners/{slug}/roster/",
    "/api/v1/partners/{slug}/exports/roster.csv",
    "/api/v1/partners/{slug}/exports/dashboard.csv",
]

PAGE_STATUS = {
    "anonymous": 302,
    "candidate": 403,
    "grader": 403,
    "partner_manager": 200,
    "other_manager": 404,
    "programme_admin": 200,
}
API_STATUS = {**PAGE_STATUS, "anonymous": 401}


@pytest.fixture
def people(candidate, grader, partner_manager, other_manager, programme_admin):
    return {
        "anonymous": None,
        "candidate": candidate,
        "grader": grader,
        "partner_manager": partner_manager,
        "other_manager": other_manager,
        "programme_admin": programme_admin,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", FIRM_PAGES)
def test_firm_pages(client, people, firm, role, url):
    if people[role]:
        client.force_login(people[role])
    response = client.get(url.format(slug=firm.slug))
    assert response.status_code == PAGE_STATUS[role]
    if role == "anonymous":
        assert response["Location"].startswith("/signin/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", FIRM_API)
def test_firm_api(client_for, people, firm, role, url):
    response = client_for(people[role]).get(url.format(slug=firm.slug))
    assert response.status_code in ((401, 403) if role == "anonymous" else (API_STATUS[role],))
    if response.status_code >= 400:
        assert response.json()["code"] in (
            "not_authenticated",
            "permission_denied",
            "firm_not_found",
        )


@pytest.mark.parametrize("role", ROLES)
def test_firm_list_shows_only_managed_firms(client, people, firm, other_firm, role):
    if people[role]:
        client.force_login(people[role])
    response = client.get("/partners/")
    expected = {"partner_manager": 200, "other_manager": 200, "programme_admin": 200}
    assert response.status_code == expected.get(role, PAGE_STATUS[role])
    if response.status_code == 200:
        body = response.content.decode()
        assert (firm.name in body) == (role in ("partner_manager", "programme_admin"))
        assert (other_firm.name in body) == (role in ("other_manager", "programme_admin"))


def test_a_firm_that_does_not_exist_is_404_like_another_firms(client_for, client, partner_manager):
    assert client_for(partner_manager).get("/api/v1/partners/no-such/dashboard/").status_code == 404
    client.force_login(partner_manager)
    assert client.get("/partners/no-such/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_inviting(client, client_for, people, firm, role):
    user = people[role]
    if user:
        client.force_login(user)
    page = client.post(f"/partners/{firm.slug}/invitations/", {"email": f"{role}@invitee.test"})
    api = client_for(user).post(
        f"/api/v1/partners/{firm.slug}/invitations/",
        {"email": f"{role}.api@invitee.test"},
        format="json",
    )
    allowed = role in ("partner_manager", "programme_admin")
    assert page.status_code == (302 if allowed or role == "anonymous" else PAGE_STATUS[role])
    assert api.status_code == (
        201 if allowed else API_STATUS[role] if role != "anonymous" else api.status_code
    )
    if role == "anonymous":
        assert api.status_code in (401, 403)
    assert Invitation.objects.filter(organisation=firm).count() == (2 if allowed else 0)


@pytest.mark.parametrize("role", ROLES)
def test_ending_a_membership(client, client_for, people, firm, candidate, role):
    user = people[role]
    membership = candidate.memberships.get()
    if user:
        client.force_login(user)
    page = client.post(f"/partners/{firm.slug}/members/{membership.pk}/end/")
    allowed = role in ("partner_manager", "programme_admin")
    assert page.status_code == (302 if allowed or role == "anonymous" else PAGE_STATUS[role])
    membership.refresh_from_db()
    assert (membership.left_at is not None) == allowed
    api = client_for(user).post(f"/api/v1/partners/{firm.slug}/memberships/{membership.pk}/end/")
    if allowed:
        assert api.status_code == 409  # already ended by the page
    else:
        assert api.status_code in ((401, 403) if role == "anonymous" else (API_STATUS[role],))


def test_cancel_invitation_of_another_firm_is_404(
    client, firm, other_firm, partner_manager, other_manager
):
    invitation, _ = invitation_create(
        organisation=other_firm, email="x@example.test", invited_by=other_manager
    )
    client.force_login(partner_manager)
    assert (
        client.post(f"/partners/{firm.slug}/invitations/{invitation.pk}/cancel/").status_code == 404
    )
    assert (
        client.post(f"/partners/{other_firm.slug}/invitations/{invitation.pk}/cancel/").status_code
        == 404
    )
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_ending_another_firms_membership_through_own_firm_is_404(
    client, client_for, firm, partner_manager, other_candidate
):
    membership = other_candidate.memberships.get()
    client.force_login(partner_manager)
    assert client.post(f"/partners/{firm.slug}/members/{membership.pk}/end/").status_code == 404
    assert (
        client_for(partner_manager)
        .post(f"/api/v1/partners/{firm.slug}/memberships/{membership.pk}/end/")
        .status_code
        == 404
    )
    assert Membership.objects.get(pk=membership.pk).left_at is None


def test_a_consultant_cannot_leave_someone_elses_membership(client, candidate, other_candidate):
    client.force_login(candidate)
    membership = other_candidate.memberships.get()
    assert client.post(f"/partners/memberships/{membership.pk}/leave/").status_code == 404
    assert Membership.objects.get(pk=membership.pk).left_at is None


@pytest.mark.parametrize("url", ["/partners/memberships/"])
def test_membership_page_needs_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/signin/")


def test_managers_never_see_scores_or_design_content(
    client_for, client, firm, partner_manager, candidate, certification
):
    from .factories import CredentialRowFactory

    CredentialRowFactory(
        holder=candidate, certification=certification, scores={"risk-controls": 73.25}
    )
    api = client_for(partner_manager).get(f"/api/v1/partners/{firm.slug}/dashboard/")
    csv = client_for(partner_manager).get(f"/api/v1/partners/{firm.slug}/exports/roster.csv")
    client.force_login(partner_manager)
    page = client.get(f"/partners/{firm.slug}/")
    for body in (api.content, b"".join(csv.streaming_content), page.content):
        assert b"73.25" not in body and b"domain_scores" not in body
    assert api.json()["coverage"]["dependencies"][0]["person"] == candidate.full_name
