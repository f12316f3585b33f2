"""Employers' bulk verification: JSON or CSV in, JSON or CSV out, up to BULK_VERIFY_MAX_ITEMS
with a key (anonymous: 100), hostile files refused with a reason, spreadsheet formulas
neutralised, rate limit per key, and answers that follow the credential's current state even
when it was verified (and its proof cached) before."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification import selectors
from certification.models import Credential
from certification.services import credential_revoke, credential_suspend
from certification.volume_models import VerificationVolume
from employers.throttling import EmployerBulkThrottle
from tests.certification.factories import issue

pytestmark = pytest.mark.django_db
BULK = "/api/v1/employers/verify/bulk"


def _post(api_client, plaintext, body, **extra):
    return api_client.post(
        BULK, body, format="json", HTTP_AUTHORIZATION=f"Api-Key {plaintext}", **extra
    )


def _post_csv(api_client, plaintext, data: bytes, accept="application/json"):
    return api_client.generic(
        "POST",
        BULK,
        data,
        content_type="text/csv",
        HTTP_AUTHORIZATION=f"Api-Key {plaintext}",
        HTTP_ACCEPT=accept,
    )


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


@pytest.fixture
def credentials(certification, programme_admin):
    made = {name: issue(certification=certification) for name in ("valid", "revoked", "suspended")}
    credential_revoke(credential=made["revoked"], actor=programme_admin, reason="fraud")
    credential_suspend(credential=made["suspended"], actor=programme_admin, reason="inquiry")
    return made


def test_json_in_json_out_in_the_order_sent(api_client, api_key, credentials):
    _, plaintext = api_key
    items = [str(credentials["revoked"].pk), credentials["valid"].document["id"], "junk"]
    response = _post(api_client, plaintext, {"credentials": items})
    assert response.status_code == 200
    data = response.json()
    assert [r["status"] for r in data["results"]] == ["revoked", "valid", "invalid_id"]
    assert data["count"] == 3 and data["verified"] == 1


def test_csv_in_csv_out_with_status_and_why(api_client, api_key, credentials):
    _, plaintext = api_key
    body = f"credential_id\n{credentials['suspended'].pk}\n{uuid.uuid4()}\n".encode()
    response = _post_csv(api_client, plaintext, body, accept="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = _csv_lines(response)
    assert lines[0] == "input,status,verified,credential_id,issuer_name,why"
    assert lines[1].split(",")[1:3] == ["suspended", "no"]
    assert "suspension: suspended by the issuer" in lines[1]
    assert lines[2].split(",")[1] == "not_found"


def test_formula_cells_are_neutralised_in_the_results_csv(api_client, api_key, credentials):
    _, plaintext = api_key
    hostile = ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\t=1+1"]
    body = "\n".join(f'"{h}"' if "," in h else h for h in hostile).encode()
    lines = _csv_lines(_post_csv(api_client, plaintext, body, accept="text/csv"))[1:]
    assert len(lines) == len(hostile)
    for line in lines:
        assert line.lstrip('"')[0] == "'", line  # every cell that started like a formula


def test_a_key_may_send_more_than_the_anonymous_cap(api_client, api_key, settings, credentials):
    _, plaintext = api_key
    settings.BULK_VERIFY_ANONYMOUS_MAX_ITEMS = 2
    items = [str(credentials["valid"].pk)] * 5
    assert _post(api_client, plaintext, {"credentials": items}).status_code == 200
    anonymous = api_client.post(
        "/api/v1/credentials/verify/bulk", {"credentials": items}, format="json"
    )
    assert anonymous.status_code == 413 and "API key" in anonymous.json()["detail"]


def test_more_than_the_keys_cap_is_413_and_not_counted(api_client, api_key, settings):
    _, plaintext = api_key
    settings.BULK_VERIFY_MAX_ITEMS = 3
    response = _post(api_client, plaintext, {"credentials": ["a"] * 4})
    assert response.status_code == 413 and response.json()["code"] == "too_many_items"
    assert not VerificationVolume.objects.exists()


def test_a_body_over_the_size_limit_is_413_before_it_is_read(api_client, api_key, settings):
    _, plaintext = api_key
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, BULK: 1000}
    response = _post_csv(api_client, plaintext, b"a\n" * 1000)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("café,crème\n".encode("latin-1"), "not UTF-8"),
        (b"", "non-empty"),
        (b"\n\n  \n", "non-empty"),
    ],
)
def test_a_hostile_or_empty_csv_is_a_400_saying_what_to_fix(api_client, api_key, data, says):
    _, plaintext = api_key
    response = _post_csv(api_client, plaintext, data)
    assert response.status_code == 400
    assert says in response.json()["detail"]


def test_a_utf16_csv_from_a_spreadsheet_is_read(api_client, api_key, credentials):
    _, plaintext = api_key
    body = f"id\r\n{credentials['valid'].pk}\r\n".encode("utf-16")
    response = _post_csv(api_client, plaintext, body)
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["valid"]


@pytest.mark.parametrize("body", [{}, {"credentials": []}, {"credentials": "abc"}, [1, 2]])
def test_a_malformed_json_body_is_a_problem(api_client, api_key, body):
    _, plaintext = api_key
    response = _post(api_client, plaintext, body)
    assert response.status_code == 400 and response.json()["code"] == "invalid_items"


def test_the_rate_limit_counts_items_per_key(
    api_client, api_key, employer, employer_member, monkeypatch, credentials
):
    from employers import services

    _, plaintext = api_key
    monkeypatch.setattr(EmployerBulkThrottle, "THROTTLE_RATES", {"employer_verify_bulk": "5/hour"})
    items = [str(credentials["valid"].pk)] * 3
    assert _post(api_client, plaintext, {"credentials": items}).status_code == 200
    refused = _post(api_client, plaintext, {"credentials": items})
    assert refused.status_code == 429 and "Retry-After" in refused
    _, second = services.api_key_create(actor=employer_member, employer=employer, name="second")
    assert _post(api_client, second, {"credentials": items}).status_code == 200


def test_each_request_is_counted_once_in_the_employers_volume(
    api_client, api_key, employer, credentials
):
    _, plaintext = api_key
    for _ in range(2):
        _post(api_client, plaintext, {"credentials": [str(credentials["valid"].pk)] * 3})
    row = VerificationVolume.objects.get()
    assert (row.surface, row.account, row.count) == ("bulk", employer.pk, 6)


# --- answers follow the credential's current state -------------------------------------------


def test_a_credential_verified_before_is_not_valid_once_revoked_suspended_or_expired(
    api_client, api_key, certification, programme_admin
):
    _, plaintext = api_key
    revoked, suspended, expired = (issue(certification=certification) for _ in range(3))
    ids = [str(c.pk) for c in (revoked, suspended, expired)]
    first = _post(api_client, plaintext, {"credentials": ids}).json()["results"]
    assert [r["status"] for r in first] == ["valid"] * 3  # proofs now cached, warm
    credential_revoke(credential=revoked, actor=programme_admin, reason="fraud")
    credential_suspend(credential=suspended, actor=programme_admin, reason="inquiry")
    past = timezone.now() - timedelta(days=1)
    Credential.objects.filter(pk=expired.pk).update(
        valid_from=past - timedelta(days=400), valid_until=past
    )
    again = _post(api_client, plaintext, {"credentials": ids}).json()["results"]
    assert [r["status"] for r in again] == ["revoked", "suspended", "expired"]
    assert not any(r["verified"] for r in again)


def test_a_tampered_stored_document_is_invalid_in_a_bulk(api_client, api_key, certification):
    _, plaintext = api_key
    credential = issue(certification=certification)
    Credential.objects.filter(pk=credential.pk).update(
        document={**credential.document, "name": "Chief Everything Officer"}
    )
    result = _post(api_client, plaintext, {"credentials": [str(credential.pk)]}).json()
    assert result["results"][0]["status"] == "invalid"


def test_a_bulk_costs_the_same_queries_whatever_its_size(api_client, api_key, certification):
    """Cold caches: key lookup and last-use, states, documents, status list, volume upsert:
    the same for 2 items as for 12."""
    _, plaintext = api_key
    ids = [str(issue(certification=certification).pk) for _ in range(12)]

    def queries(batch):
        cache.clear()
        selectors._proof_memory.clear()
        selectors._bits_cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = _post(api_client, plaintext, {"credentials": batch})
        assert {r["status"] for r in response.json()["results"]} == {"valid"}
        return len(captured)

    assert queries(ids[:2]) == queries(ids)


# --- the page ---------------------------------------------------------------------------------


def _upload(text: bytes, name="ids.csv"):
    upload = io.BytesIO(text)
    upload.name = name
    return upload


def test_the_page_verifies_a_csv_into_a_table_and_counts_it(
    client, employer, employer_member, credentials
):
    client.force_login(employer_member)
    body = f"id\n{credentials['valid'].pk}\n{credentials['revoked'].pk}\njunk\n".encode()
    response = client.post(f"/employers/{employer.slug}/verify/", {"ids": _upload(body)})
    page = response.content.decode()
    assert response.status_code == 200 and "1 of 3 valid" in page
    assert 'data-status="revoked"' in page and 'data-status="invalid_id"' in page
    assert VerificationVolume.objects.get(account=employer.pk).count == 3


def test_the_page_downloads_csv(client, employer, employer_member, credentials):
    client.force_login(employer_member)
    body = f"{credentials['valid'].pk}\n=1+1\n".encode()
    response = client.post(
        f"/employers/{employer.slug}/verify/", {"ids": _upload(body), "format": "csv"}
    )
    lines = _csv_lines(response)
    assert lines[1].split(",")[1] == "valid" and lines[2].startswith("'=1+1,invalid_id")


@pytest.mark.parametrize(
    ("data", "status"), [(b"\x00\x01\x02binary", 400), ("é".encode("latin-1"), 400)]
)
def test_the_page_refuses_a_hostile_file_with_a_reason(
    client, employer, employer_member, data, status
):
    client.force_login(employer_member)
    response = client.post(f"/employers/{employer.slug}/verify/", {"ids": _upload(data)})
    assert response.status_code == status and b'role="alert"' in response.content


def test_the_page_without_a_file_says_so(client, employer, employer_member):
    client.force_login(employer_member)
    response = client.post(f"/employers/{employer.slug}/verify/", {})
    assert response.status_code == 400 and b"Choose a CSV file" in response.content


def test_the_page_refuses_more_rows_than_allowed_and_a_huge_upload(
    client, employer, employer_member, settings
):
    client.force_login(employer_member)
    settings.BULK_VERIFY_MAX_ITEMS = 2
    response = client.post(f"/employers/{employer.slug}/verify/", {"ids": _upload(b"a\nb\nc\n")})
    assert response.status_code == 413 and b"At most 2" in response.content
    huge = client.post(
        f"/employers/{employer.slug}/verify/", {}, CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    assert huge.status_code == 413
