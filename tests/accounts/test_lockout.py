"""Per-account lockout with back-off (django-axes) on every login path: the API token
endpoint and the Django admin login (the only session login). Limit 5, first lockout 15 min."""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.db.models import F

from accounts.models import User
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ADMIN_LOGIN = "/admin/login/"


def _api_login(api_client, password, email="candidate@example.test", address="198.51.100.1"):
    return api_client.post(TOKEN_URL, {"email": email, "password": password}, REMOTE_ADDR=address)


def _admin_login(client, password, email="admin@example.test", address="198.51.100.1"):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def _age_failures(minutes):
    """Move every recorded failure ``minutes`` into the past (instead of waiting)."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def _lock_via_api(api_client, email="candidate@example.test"):
    responses = [_api_login(api_client, f"wrong-{n}", email=email) for n in range(5)]
    assert [r.status_code for r in responses[:4]] == [401] * 4
    return responses[4]


@pytest.mark.django_db
def test_the_fifth_wrong_password_locks_the_account_with_a_json_answer(api_client, candidate):
    locked = _lock_via_api(api_client)

    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "account_locked"
    assert body["detail"] == "Too many failed logins for this account; try again later."
    assert 890 <= body["retry_after_seconds"] <= 900
    assert locked["Retry-After"] == str(body["retry_after_seconds"])


@pytest.mark.django_db
def test_a_locked_account_refuses_the_right_password_without_checking_it(api_client, candidate):
    _lock_via_api(api_client)
    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as check:
        response = _api_login(api_client, PASSWORD, address="192.0.2.50")
    assert response.status_code == 429
    assert response.json()["code"] == "account_locked"
    check.assert_not_called()


@pytest.mark.django_db
def test_the_lockout_is_per_account_whatever_the_address_or_letter_case(api_client, candidate):
    for n in range(5):
        _api_login(api_client, "wrong", email="Candidate@Example.test", address=f"192.0.2.{n}")
    assert _api_login(api_client, PASSWORD, address="203.0.113.77").json()["code"] == (
        "account_locked"
    )


@pytest.mark.django_db
def test_an_unknown_email_locks_the_same_way_so_lockouts_reveal_no_accounts(api_client):
    locked = _lock_via_api(api_client, email="nobody@example.test")
    assert locked.json()["code"] == "account_locked"


@pytest.mark.django_db
def test_attempts_while_locked_do_not_extend_the_lockout(api_client, candidate):
    _lock_via_api(api_client)
    for _ in range(3):
        _api_login(api_client, "still-wrong")
    assert AccessAttempt.objects.get().failures_since_start == 5
    _age_failures(16)
    assert _api_login(api_client, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_each_failure_after_a_lockout_doubles_the_next_one(api_client, candidate):
    _lock_via_api(api_client)
    _age_failures(16)  # the first lockout (15 min) is over

    again = _api_login(api_client, "wrong-again")
    assert again.status_code == 429
    assert 1790 <= again.json()["retry_after_seconds"] <= 1800

    _age_failures(31)
    third = _api_login(api_client, "wrong-a-third-time")
    assert 3590 <= third.json()["retry_after_seconds"] <= 3600


@pytest.mark.django_db
def test_the_lockout_never_exceeds_the_memory_window(api_client, candidate, settings):
    settings.LOGIN_LOCKOUT_BASE = timedelta(hours=20)
    _lock_via_api(api_client)
    _age_failures(20 * 60 + 1)
    again = _api_login(api_client, "wrong-again")
    assert again.json()["retry_after_seconds"] == 24 * 3600  # not 40 h


@pytest.mark.django_db
def test_a_successful_login_forgets_earlier_failures(api_client, candidate):
    for n in range(4):
        _api_login(api_client, f"wrong-{n}")
    assert _api_login(api_client, PASSWORD).status_code == 200
    assert not AccessAttempt.objects.exists()
    assert _api_login(api_client, "one-more-typo").status_code == 401


@pytest.mark.django_db
def test_failures_older_than_the_memory_window_are_forgotten(api_client, candidate):
    for n in range(4):
        _api_login(api_client, f"wrong-{n}")
    _age_failures(24 * 60 + 1)
    assert _api_login(api_client, "wrong-again").status_code == 401


# --- the Django admin login (the session login) ---------------------------------------------


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("admin@example.test", PASSWORD, full_name="Ada Admin")


@pytest.mark.django_db
def test_the_admin_login_locks_after_five_failures_and_shows_a_page(client, staff):
    statuses = [_admin_login(client, f"wrong-{n}").status_code for n in range(4)]
    assert statuses == [200] * 4  # the form again, with its error

    locked = _admin_login(client, "wrong-4")
    assert locked.status_code == 429
    assert "text/html" in locked["Content-Type"]
    assert b"Login locked" in locked.content
    assert 890 <= int(locked["Retry-After"]) <= 900

    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as check:
        refused = _admin_login(client, PASSWORD, address="192.0.2.9")
    assert refused.status_code == 429
    check.assert_not_called()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_login_still_works_before_the_limit(client, staff):
    _admin_login(client, "typo")
    response = _admin_login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


@pytest.mark.django_db
def test_failures_on_one_login_path_count_on_the_other(api_client, client, staff):
    for n in range(5):
        _api_login(api_client, f"wrong-{n}", email="admin@example.test")
    assert _admin_login(client, PASSWORD).status_code == 429


# --- the candidates' sign-in page (/signin/) -----------------------------------------------


def _signin(client, password, email="candidate@example.test", address="198.51.100.1"):
    return client.post("/signin/", {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_the_sign_in_page_locks_after_five_failures_and_shows_a_page(client, candidate):
    assert [_signin(client, f"wrong-{n}").status_code for n in range(4)] == [200] * 4
    locked = _signin(client, "wrong-4")
    assert locked.status_code == 429
    assert b"Login locked" in locked.content

    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as check:
        refused = _signin(client, PASSWORD, address="192.0.2.9")
    assert refused.status_code == 429
    check.assert_not_called()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_sign_in_page_signs_in_before_the_limit(client, candidate):
    _signin(client, "typo")
    assert _signin(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(candidate.pk)
    assert not AccessAttempt.objects.exists()
