import warnings

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        schema = SchemaGenerator().get_schema(request=None, public=True)
    captured = capsys.readouterr()
    # drf-spectacular reports problems on stderr as "Warning #n: ..." / "Error #n: ..."
    assert "Warning" not in captured.err and "Error" not in captured.err, captured.err
    assert schema["info"]["title"] == "Practica API"
    assert "/api/v1/me/" in schema["paths"]


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_anonymous_api_call_gets_structured_401_or_403(client):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert "credentials" in body["detail"].lower()


@pytest.mark.django_db
def test_validation_errors_carry_code_detail_and_field_errors(client):
    response = client.post(
        "/api/v1/auth/token/", {"email": "not-an-email"}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"email", "password"}


@pytest.mark.django_db
def test_oversized_request_body_is_refused(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/api/v1/auth/token/",
        '{"email": "a@b.test", "password": "' + "x" * 5000 + '"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
