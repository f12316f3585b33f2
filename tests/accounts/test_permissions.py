"""Every accounts endpoint admits exactly the roles it names, checked for each role."""

import pytest

from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"

ROLES = ["anonymous", "candidate", "partner_manager", "grader", "programme_admin"]
SIGNED_IN = {role: 200 for role in ROLES if role != "anonymous"}


def _client(request, client_for, role):
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "method, url, expected",
    [
        ("get", "/api/v1/me/", {"anonymous": 401, **SIGNED_IN}),
        ("post", "/api/v1/auth/logout/", {"anonymous": 401} | dict.fromkeys(SIGNED_IN, 204)),
        ("post", "/api/v1/auth/logout-all/", {"anonymous": 401, **SIGNED_IN}),
        (
            "get",
            "/api/v1/partners/",
            {
                "anonymous": 401,
                "candidate": 403,
                "grader": 403,
                "partner_manager": 200,
                "programme_admin": 200,
            },
        ),
    ],
)
def test_each_role_gets_what_the_endpoint_allows(
    request, client_for, firm, role, method, url, expected
):
    response = getattr(_client(request, client_for, role), method)(url)
    assert response.status_code == expected[role]
    if response.status_code >= 400:
        assert response.json()["code"] in ("not_authenticated", "permission_denied")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_token_endpoint_is_public_and_only_the_password_decides(
    request, client_for, candidate, role
):
    """AllowAny with no authentication read: being signed in as anyone neither helps nor
    hinders; the email and password sent decide."""
    client = _client(request, client_for, role)
    wrong = client.post(TOKEN_URL, {"email": "candidate@example.test", "password": "wrong"})
    assert wrong.status_code == 401
    right = client.post(TOKEN_URL, {"email": "candidate@example.test", "password": PASSWORD})
    assert right.status_code == 200
    assert right.json()["user"]["email"] == "candidate@example.test"
