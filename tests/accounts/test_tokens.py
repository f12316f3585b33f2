"""API tokens expire, end with the password, and can all be revoked at once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditEvent
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def _token(email="candidate@example.test", password=PASSWORD) -> str:
    response = APIClient().post(TOKEN_URL, {"email": email, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def _me(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/me/")


@pytest.mark.django_db
def test_a_token_expires_after_the_configured_lifetime(candidate):
    before = timezone.now()
    response = APIClient().post(
        TOKEN_URL, {"email": "candidate@example.test", "password": PASSWORD}
    )
    expiry = AuthToken.objects.get(user=candidate).expiry

    assert before + timedelta(hours=24) <= expiry <= timezone.now() + timedelta(hours=24)
    assert response.json()["expiry"] is not None


@pytest.mark.django_db
def test_an_expired_token_is_a_401_that_says_so(candidate):
    token = _token()
    AuthToken.objects.filter(user=candidate).update(expiry=timezone.now() - timedelta(seconds=1))

    response = _me(token)

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=candidate).exists()  # knox deleted it
    assert _me(token).json()["code"] == "authentication_failed"  # gone, not "expired" forever


@pytest.mark.django_db
def test_an_unknown_token_is_not_called_expired(candidate):
    _token()
    AuthToken.objects.filter(user=candidate).update(expiry=timezone.now() - timedelta(seconds=1))
    response = _me("0" * 64)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.django_db
def test_setting_a_new_password_revokes_every_token(candidate):
    first, second = _token(), _token()
    candidate.set_password("a-brand-new-passphrase")
    candidate.save()

    assert _me(first).status_code == 401
    assert _me(second).status_code == 401
    event = AuditEvent.objects.get(action="auth.tokens_revoked")
    assert (event.reason, event.data) == ("password_changed", {"count": 2})


@pytest.mark.django_db
def test_the_changepassword_path_through_the_admin_revokes_tokens(client, candidate):
    token = _token()
    staff = User.objects.create_superuser("boss@example.test", PASSWORD, full_name="Boss")
    client.force_login(staff)
    response = client.post(
        f"/admin/accounts/user/{candidate.pk}/password/",
        {
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert _me(token).status_code == 401


@pytest.mark.django_db
def test_disabling_the_password_revokes_tokens(candidate):
    token = _token()
    candidate.set_unusable_password()
    candidate.save(update_fields=["password"])
    assert _me(token).status_code == 401


@pytest.mark.django_db
def test_saving_other_fields_keeps_tokens(candidate):
    token = _token()
    candidate.full_name = "Casey Renamed"
    candidate.save()
    candidate.last_login = timezone.now()
    candidate.save(update_fields=["last_login"])
    assert _me(token).status_code == 200


@pytest.mark.django_db
def test_log_out_everywhere_revokes_every_token_of_the_caller_only(candidate, other_candidate):
    first, second = _token(), _token()
    others = _token(email="other.candidate@example.test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")

    response = client.post("/api/v1/auth/logout-all/")

    assert response.status_code == 200
    assert response.json() == {"tokens_revoked": 2}
    assert _me(first).status_code == 401
    assert _me(second).status_code == 401
    assert _me(others).status_code == 200
    event = AuditEvent.objects.get(action="auth.tokens_revoked")
    assert (event.actor_id, event.reason) == (candidate.pk, "logout_all")


@pytest.mark.django_db
def test_log_out_everywhere_from_a_session_ends_the_session_too(client, candidate):
    token = _token()
    client.force_login(candidate)
    response = client.post("/api/v1/auth/logout-all/")
    assert response.json() == {"tokens_revoked": 1}
    assert _me(token).status_code == 401
    assert client.get("/api/v1/me/").status_code in (401, 403)


@pytest.mark.django_db
def test_logging_out_revokes_only_the_current_token(candidate):
    current, other = _token(), _token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {current}")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert _me(current).status_code == 401
    assert _me(other).status_code == 200


@pytest.mark.django_db
def test_the_changepassword_command_revokes_tokens(candidate, monkeypatch):
    token = _token()
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "yet-another-passphrase")
    call_command("changepassword", "candidate@example.test", stdout=None)
    assert _me(token).status_code == 401
