"""One client address for every rate limit: X-Forwarded-For counts only behind configured
proxies, and the login throttle is checked before any password is."""

from unittest import mock

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import RequestFactory

from config.throttling import client_ip

TOKEN_URL = "/api/v1/auth/token/"


def _request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, None, "203.0.113.9"),
        (0, "198.51.100.1", "203.0.113.9"),  # no proxies: the header is the client's own words
        (1, None, "203.0.113.9"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "203.0.113.9"),  # fewer hops than proxies: not through them all
        (1, "not-an-address", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_reads_forwarded_for_only_behind_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def _wrong_login(api_client, n, **extra):
    # A different account each time, so the per-account lockout stays out of the way.
    return api_client.post(
        TOKEN_URL, {"email": f"nobody{n}@example.test", "password": "wrong"}, **extra
    )


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_escape_the_login_throttle(api_client):
    statuses = [
        _wrong_login(api_client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    assert _wrong_login(api_client, 99, HTTP_X_FORWARDED_FOR="192.0.2.1").json()["code"] == (
        "throttled"
    )


@pytest.mark.django_db
def test_behind_one_proxy_each_client_address_has_its_own_login_count(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        assert _wrong_login(api_client, n, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 401
    assert _wrong_login(api_client, 10, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # The proxy's REMOTE_ADDR is shared; the client behind it is someone else.
    assert _wrong_login(api_client, 11, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 401


@pytest.mark.django_db
def test_a_throttled_login_never_reaches_the_password_check(api_client, candidate):
    for n in range(10):
        _wrong_login(api_client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as check:
        for n in range(20):
            response = api_client.post(
                TOKEN_URL,
                {"email": "candidate@example.test", "password": "guess"},
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            )
            assert response.status_code == 429
    check.assert_not_called()


@pytest.mark.django_db
def test_the_admin_login_shares_the_login_throttle(api_client, client):
    for n in range(10):
        _wrong_login(api_client, n)
    response = client.post(
        "/admin/login/", {"username": "someone@example.test", "password": "guess"}
    )
    assert response.status_code == 429
    assert client.get("/admin/login/").status_code == 200  # only attempts are counted


@pytest.mark.django_db
def test_the_verification_limit_honours_the_configured_proxies(client, settings, monkeypatch):
    from certification.throttling import VerifyThrottle

    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "1/minute"})
    url = "/api/v1/credentials/verify/3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c0a41"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 404
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 404


@pytest.mark.django_db
def test_the_sign_in_page_shares_the_login_throttle(api_client, client):
    for n in range(10):
        _wrong_login(api_client, n)
    response = client.post("/signin/", {"username": "someone@example.test", "password": "guess"})
    assert response.status_code == 429
    assert response["Retry-After"]


def test_the_default_api_throttles_count_by_the_same_address(settings, monkeypatch):
    """DRF's anonymous limit (on every API view that keeps the defaults) reads ``client_ip``
    too: without proxies a forged header changes nothing."""
    from rest_framework.throttling import SimpleRateThrottle

    from config.throttling import AnonRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})
    throttle = AnonRateThrottle()
    first = _request(forwarded="198.51.100.1")
    first.user = mock.Mock(is_authenticated=False)
    second = _request(forwarded="198.51.100.2")
    second.user = mock.Mock(is_authenticated=False)
    assert throttle.allow_request(first, None)
    assert not AnonRateThrottle().allow_request(second, None)
