import pytest
from knox.models import AuthToken

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_token_login_returns_a_token_that_authenticates(api_client, candidate):
    response = api_client.post(
        "/api/v1/auth/token/", {"email": "Candidate@Example.test", "password": PASSWORD}
    )
    assert response.status_code == 200, response.json()
    token = response.json()["token"]
    # knox keeps only a digest of the token, never the token itself
    assert not AuthToken.objects.filter(digest=token).exists()

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "candidate@example.test"
    assert me.json()["memberships"][0]["organisation"] == "acme-consulting"


@pytest.mark.django_db
def test_wrong_password_is_a_structured_401(api_client, candidate):
    response = api_client.post(
        "/api/v1/auth/token/", {"email": "candidate@example.test", "password": "nope"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


@pytest.mark.django_db
def test_login_is_rate_limited(api_client, candidate, settings):
    from django.core.cache import cache

    cache.clear()
    # A different account each time: the per-account lockout would otherwise answer first.
    statuses = [
        api_client.post(
            "/api/v1/auth/token/", {"email": f"person{n}@example.test", "password": "nope"}
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[-1] == 429
    cache.clear()


@pytest.mark.django_db
def test_session_api_writes_need_csrf(candidate):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    response = client.post("/api/v1/auth/logout/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_logout_revokes_the_token(api_client, candidate):
    token = api_client.post(
        "/api/v1/auth/token/", {"email": "candidate@example.test", "password": PASSWORD}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    assert api_client.get("/api/v1/me/").status_code in (401, 403)
