"""The public surfaces: the credential's URL (page or JSON), downloads, the verification page
and API (problem details, size limit, rate limit), and the staff API per role."""

import copy
import io
import json
import uuid

import pytest

from audit.selectors import audit_events_for
from certification.throttling import VerifyThrottle, _PageThrottle

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def test_a_browser_gets_the_page_with_everything_a_verifier_needs(client, issued, candidate):
    response = client.get(
        f"/credentials/{issued.pk}", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    # Accept picks page or JSON; Cookie because the page header shows who is signed in.
    vary = [v.strip() for v in response["Vary"].split(",")]
    # Varies by what the client accepts, never by cookie: the public page reads no session, so
    # caches can share it between visitors.
    assert "Accept" in vary and "Cookie" not in vary
    html = response.content.decode()
    for expected in (
        candidate.full_name,
        "AI Deployment Specialist: Finance Operations",
        "Practica",
        ">Valid<",
        "<svg",
        "linkedin.com/profile/add?startTask=CERTIFICATION_NAME",
        f"/credentials/{issued.pk}.json",
        f"/credentials/{issued.pk}.pdf",
        "Risk and controls (percent)",
    ):
        assert expected in html, expected
    assert candidate.email not in html


@pytest.mark.parametrize("accept", ["application/json", "application/ld+json"])
def test_a_client_asking_for_json_gets_the_signed_credential(client, issued, accept):
    response = client.get(f"/credentials/{issued.pk}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == accept
    assert json.loads(response.content) == issued.document


def test_downloads_json_and_a_pdf_certificate(client, issued):
    as_json = client.get(f"/credentials/{issued.pk}.json")
    assert json.loads(as_json.content) == issued.document
    assert "attachment" in as_json["Content-Disposition"]
    pdf = client.get(f"/credentials/{issued.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 2000


def test_an_unknown_credential_is_404(client, db):
    response = client.get("/credentials/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404


def test_status_list_is_cacheable_and_answers_conditional_requests(client, issued):
    url = f"/credentials/status/{issued.status_list_id}"
    first = client.get(url)
    assert "public" in first["Cache-Control"] and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_verify_by_id_reports_each_check(client, issued):
    response = client.get(f"/api/v1/credentials/verify/{issued.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True and body["status"] == "valid"
    assert body["credential_id"] == issued.document["id"]
    assert [c["name"] for c in body["checks"]] == [
        "issuer_key",
        "proof",
        "issuer_trust",
        "dates",
        "status",
    ]


def test_verify_by_id_answers_json_whatever_the_client_accepts(client, issued):
    response = client.get(f"/api/v1/credentials/verify/{issued.pk}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "valid"


def test_verify_by_id_of_an_unknown_credential_is_a_problem(client, db):
    body = _problem(
        client.get("/api/v1/credentials/verify/00000000-0000-4000-8000-000000000000"), 404
    )
    assert "No credential" in body["detail"]


def test_verify_upload_as_json_body_and_as_a_file(client, issued):
    by_body = client.post(
        "/api/v1/credentials/verify", issued.document, content_type="application/json"
    )
    assert by_body.json()["status"] == "valid"
    upload = io.BytesIO(json.dumps(issued.document).encode())
    upload.name = "credential.json"
    by_file = client.post("/api/v1/credentials/verify", {"credential": upload})
    assert by_file.json()["status"] == "valid"


def test_verify_upload_detects_tampering(client, issued):
    doc = copy.deepcopy(issued.document)
    doc["validUntil"] = "2099-01-01T00:00:00Z"
    body = client.post("/api/v1/credentials/verify", doc, content_type="application/json").json()
    assert body["verified"] is False and body["status"] == "invalid"
    assert next(c for c in body["checks"] if c["name"] == "proof")["outcome"] == "fail"


def test_verify_upload_errors_are_problem_details(client, db):
    _problem(
        client.post("/api/v1/credentials/verify", "{not json", content_type="application/json"),
        400,
    )
    _problem(
        client.post("/api/v1/credentials/verify", [1, 2], content_type="application/json"), 400
    )
    big = {"padding": "x" * 70_000}
    _problem(client.post("/api/v1/credentials/verify", big, content_type="application/json"), 413)


def test_verify_upload_of_something_that_is_not_a_credential_says_so(client, db):
    body = client.post(
        "/api/v1/credentials/verify", {"name": "x"}, content_type="application/json"
    ).json()
    assert body["status"] == "invalid" and body["verified"] is False
    assert [(c["name"], c["outcome"]) for c in body["checks"]] == [("format", "fail")]
    assert (
        "@context must start with https://www.w3.org/ns/credentials/v2"
        in body["checks"][0]["detail"]
    )


def test_verify_by_id_with_a_malformed_id_says_what_an_id_looks_like(client, db):
    body = _problem(client.get("/api/v1/credentials/verify/not-a-uuid"), 400)
    assert body["code"] == "invalid_credential_id"
    assert body["detail"].startswith("A credential ID is a UUID")


def test_verify_page_by_url_and_by_upload(client, issued):
    assert client.get("/verify/").status_code == 200
    by_url = client.post(
        "/verify/", {"reference": f"https://practica.example/credentials/{issued.pk}"}
    )
    assert by_url.status_code == 200 and b"Valid" in by_url.content
    doc = copy.deepcopy(issued.document)
    doc["credentialSubject"]["name"] = "Somebody Else"
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "credential.json"
    tampered = client.post("/verify/", {"credential": upload})
    assert b"Invalid" in tampered.content
    unknown = client.post("/verify/", {"reference": "not-an-id"})
    assert unknown.status_code == 400 and b"No credential" in unknown.content


def test_the_verification_api_is_rate_limited_per_client(client, issued, monkeypatch):
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "3/minute"})
    url = f"/api/v1/credentials/verify/{issued.pk}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(url)
    _problem(limited, 429)
    assert int(limited["Retry-After"]) > 0
    other_client = client.get(url, REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 200


def test_a_limited_client_costs_no_database_query(
    client, issued, monkeypatch, django_assert_num_queries
):
    """The count is checked before an uncached ID would be looked up in the database."""
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "1/minute"})
    assert client.get(f"/api/v1/credentials/verify/{issued.pk}").status_code == 200
    with django_assert_num_queries(0):
        _problem(client.get(f"/api/v1/credentials/verify/{uuid.uuid4()}"), 429)


def test_the_public_pages_are_rate_limited_too(client, issued, monkeypatch):
    monkeypatch.setattr(_PageThrottle, "THROTTLE_RATES", {"verify": "2/minute"})
    url = f"/credentials/{issued.pk}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_forwarded_for_is_not_trusted_without_configured_proxies(client, issued, monkeypatch):
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "1/minute"})
    url = f"/api/v1/credentials/verify/{issued.pk}"
    assert client.get(url, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 401),  # no credentials: a challenge (WWW-Authenticate: Token), not a refusal
        ("candidate", 403),
        ("partner_manager", 403),
        ("grader", 403),
        ("programme_admin", 200),
    ],
)
@pytest.mark.parametrize("action", ["revoke", "suspend"])
def test_only_programme_staff_may_revoke_or_suspend(
    request, client_for, issued, role, expected, action
):
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).post(
        f"/api/v1/credentials/{issued.pk}/{action}", {"reason": "misconduct"}, format="json"
    )
    assert response.status_code == expected
    issued.refresh_from_db()
    changed = issued.revoked_at if action == "revoke" else issued.suspended_at
    assert (changed is not None) == (expected == 200)
    if expected != 200:
        assert response["Content-Type"] == PROBLEM


def test_staff_suspend_then_unsuspend_through_the_api(client_for, issued, programme_admin, client):
    staff = client_for(programme_admin)
    base = f"/api/v1/credentials/{issued.pk}"
    suspended = staff.post(f"{base}/suspend", {"reason": "investigation"}, format="json")
    assert suspended.json()["status"] == "suspended"
    assert b"Suspended" in client.get(f"/credentials/{issued.pk}").content
    assert client.get(f"/api/v1/credentials/verify/{issued.pk}").json()["status"] == "suspended"
    twice = _problem(staff.post(f"{base}/suspend", {"reason": "twice"}, format="json"), 409)
    assert twice["code"] == "invalid_transition" and twice["type"].endswith("/invalid_transition")
    assert (
        staff.post(f"{base}/unsuspend", {"reason": "cleared"}, format="json").json()["status"]
        == "valid"
    )
    _problem(staff.post(f"{base}/revoke", {}, format="json"), 400)
    actions = [e.action for e in audit_events_for(target=issued)]
    assert actions == ["credential.issued", "credential.suspended", "credential.unsuspended"]
    assert list(audit_events_for(target=issued))[-1].actor == programme_admin


def test_verification_stays_up_when_the_cache_cannot_be_reached(
    client, issued, settings, caplog, monkeypatch
):
    """A Redis outage (nothing listens on port 1): by-ID, upload and the page answer from the
    database, without the rate limit meanwhile, and the outage is logged."""
    from config import cache as cache_module

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    monkeypatch.setattr(cache_module, "_last_warning", float("-inf"))
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "1/minute"})
    url = f"/api/v1/credentials/verify/{issued.pk}"
    for _ in range(3):
        assert client.get(url).json()["status"] == "valid"
    upload = client.post(
        "/api/v1/credentials/verify", issued.document, content_type="application/json"
    )
    assert upload.json()["status"] == "valid"
    assert client.get(f"/credentials/{issued.pk}").status_code == 200
    assert "the cache cannot be reached" in caplog.text
