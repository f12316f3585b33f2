"""Every error under /api/ and /vc-api/ is JSON, with DEBUG on or off: unknown URLs, a wrong
trailing slash, wrong methods and exceptions that escape a view."""

import uuid

import pytest
from django.test import Client

from assessments.views import CertificationListView

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["code"] == code and body["detail"], body
    return body


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing/", "/api/nothing", "/vc-api/credentials/nothing", "/vc-api/"],
)
def test_an_unknown_api_url_is_a_json_404(client, debug, path):
    _json_error(client.get(path), 404, "not_found")
    _json_error(client.post(path, {}, content_type="application/json"), 404, "not_found")


def test_a_job_id_that_is_not_a_uuid_is_a_json_404(client_for, programme_admin, debug):
    response = client_for(programme_admin).post("/api/v1/admin/grading-jobs/1/retry/")
    _json_error(response, 404, "not_found")


def test_a_stray_trailing_slash_is_a_json_404_that_names_the_right_url(client, debug):
    credential_id = uuid.uuid4()
    response = client.get(f"/api/v1/credentials/verify/{credential_id}/")
    body = _json_error(response, 404, "not_found")
    assert f"did you mean /api/v1/credentials/verify/{credential_id}?" in body["detail"]


def test_a_post_missing_its_trailing_slash_is_told_the_right_url(client, debug):
    response = client.post(
        "/api/v1/auth/token",
        {"email": "a@b.test", "password": "x"},
        content_type="application/json",
    )
    body = _json_error(response, 404, "not_found")
    assert "did you mean /api/v1/auth/token/?" in body["detail"]


def test_a_get_missing_its_trailing_slash_is_still_redirected(client, debug):
    response = client.get("/api/v1/me")
    assert response.status_code == 301 and response["Location"] == "/api/v1/me/"


def test_a_wrong_method_is_a_json_405_with_allow(client_for, candidate, debug):
    response = client_for(candidate).delete("/api/v1/me/")
    _json_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_an_exception_escaping_an_api_view_is_a_json_500(debug, monkeypatch, candidate):
    def explode(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(CertificationListView, "get_queryset", explode)
    client = Client(raise_request_exception=False)
    client.force_login(candidate)
    _json_error(client.get("/api/v1/certifications/"), 500, "server_error")


def test_pages_outside_the_api_keep_their_html_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
