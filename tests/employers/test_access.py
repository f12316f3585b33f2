"""Every employer page and endpoint, for every role. Members see their employer; a member of
another employer gets 404 for anything of this one; candidates, partner managers, graders and
programme admins who belong to no employer are refused; anonymous visitors sign in (pages) or
get 401 (API). The volume page and API are for programme admins only."""

import pytest

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "partner_manager",
    "grader",
    "programme_admin",
    "employer_member",
    "other_member",
]
PAGES = ["/employers/{slug}/", "/employers/{slug}/verify/"]
PAGE_STATUS = {
    "anonymous": 302,
    "candidate": 403,
    "partner_manager": 403,
    "grader": 403,
    "programme_admin": 403,
    "employer_member": 200,
    "other_member": 404,
}
KEYS_API_STATUS = {**PAGE_STATUS, "anonymous": 401, "candidate": 404, "partner_manager": 404}
KEYS_API_STATUS.update(grader=404, programme_admin=404)
VOLUME_STATUS = {role: 403 for role in ROLES} | {"anonymous": 302, "programme_admin": 200}


@pytest.fixture
def people(candidate, partner_manager, grader, programme_admin, employer_member, other_member):
    return {
        "anonymous": None,
        "candidate": candidate,
        "partner_manager": partner_manager,
        "grader": grader,
        "programme_admin": programme_admin,
        "employer_member": employer_member,
        "other_member": other_member,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_employer_pages_by_role(client, people, employer, role, page):
    if people[role]:
        client.force_login(people[role])
    response = client.get(page.format(slug=employer.slug))
    assert response.status_code == PAGE_STATUS[role]
    if role == "anonymous":
        assert response["Location"].startswith("/signin/")


@pytest.mark.parametrize("role", ROLES)
def test_the_keys_api_by_role(client_for, people, employer, role):
    api = client_for(people[role])
    url = f"/api/v1/employers/{employer.slug}/keys/"
    assert api.get(url).status_code == KEYS_API_STATUS[role]
    created = api.post(url, {"name": "k"}, format="json")
    expected = 201 if role == "employer_member" else KEYS_API_STATUS[role]
    assert created.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_employer_list_shows_only_ones_own(client_for, people, employer, role):
    response = client_for(people[role]).get("/api/v1/employers/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    expected = {"employer_member": ["initech"], "other_member": ["hooli"]}.get(role, [])
    assert [e["slug"] for e in response.json()] == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_volume_page_by_role(client, people, role):
    if people[role]:
        client.force_login(people[role])
    assert client.get("/employers/volume/").status_code == VOLUME_STATUS[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_volume_api_by_role(client_for, people, role):
    expected = {**VOLUME_STATUS, "anonymous": 401}[role]
    assert client_for(people[role]).get("/api/v1/employers/volume/").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_in_session_cannot_bulk_verify_through_the_key_endpoint(client, people, role):
    """Only an API key opens ``verify/bulk`` (a session is not even read there); members use
    their page."""
    if people[role]:
        client.force_login(people[role])
    response = client.post(
        "/api/v1/employers/verify/bulk", {"credentials": ["x"]}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_removed_member_loses_the_pages_at_once(
    client, employer, employer_member, programme_admin
):
    from employers import services
    from employers.models import EmployerMember

    client.force_login(employer_member)
    assert client.get(f"/employers/{employer.slug}/").status_code == 200
    services.member_remove(actor=programme_admin, member=EmployerMember.objects.get())
    assert client.get(f"/employers/{employer.slug}/").status_code == 403


def test_the_home_page_leads_a_member_to_their_employer(client, employer, employer_member):
    client.force_login(employer_member)
    response = client.get("/employers/")
    assert response.status_code == 302 and response["Location"] == f"/employers/{employer.slug}/"
