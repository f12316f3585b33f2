"""Bulk verification: many credentials in one request, each answered as single verification
answers it, in one query for the batch, limited in items, size and rate; the page takes a CSV
and gives back a table or a CSV."""

import io
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import bulk, selectors, stored_state
from certification.services import credential_revoke, credential_suspend
from certification.throttling import BulkVerifyThrottle
from config.errors import TooLarge

from .factories import issue

pytestmark = pytest.mark.django_db
URL = "/api/v1/credentials/verify/bulk"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    selectors._proof_memory.clear()


@pytest.fixture
def credentials(certification, programme_admin):
    valid, revoked, suspended = (issue(certification=certification) for _ in range(3))
    credential_revoke(credential=revoked, actor=programme_admin, reason="fraud")
    credential_suspend(credential=suspended, actor=programme_admin, reason="inquiry")
    return {"valid": valid, "revoked": revoked, "suspended": suspended}


def test_each_item_gets_the_same_answer_as_single_verification(credentials):
    items = [str(c.pk) for c in credentials.values()]
    results = bulk.verify_many(items)
    for item, result in zip(items, results, strict=True):
        single = selectors.verify_stored(stored_state.load(item))
        assert {**result, "input": None, "detail": None} == {
            **single,
            "input": None,
            "detail": None,
        }
    assert [r["status"] for r in results] == ["valid", "revoked", "suspended"]


def test_urls_documents_unknown_and_malformed_items(credentials):
    valid = credentials["valid"]
    items = [
        valid.document["id"],
        f"{valid.document['id']}.json?utm=x",
        valid.document,
        str(uuid.uuid4()),
        "not an id",
        42,
    ]
    statuses = [r["status"] for r in bulk.verify_many(items)]
    assert statuses == ["valid", "valid", "valid", "not_found", "invalid_id", "invalid_id"]


def test_a_batch_costs_the_same_queries_whatever_its_size(certification):
    """Cold cache: the states in one query, the documents of the proofs not cached in one more,
    and the status list once; not one of each per credential."""
    ids = [str(issue(certification=certification).pk) for _ in range(12)]

    def queries(batch):
        cache.clear()
        selectors._proof_memory.clear()
        selectors._bits_cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert {r["status"] for r in bulk.verify_many(batch)} == {"valid"}
        return len(captured)

    assert queries(ids[:2]) == queries(ids) <= 3


def test_more_items_than_allowed_is_413(settings):
    settings.BULK_VERIFY_MAX_ITEMS = 3
    with pytest.raises(TooLarge):
        bulk.verify_many(["x"] * 4)


# --- API -------------------------------------------------------------------------------------


def test_the_api_answers_per_item_in_order(api_client, credentials):
    body = {"credentials": [str(credentials["revoked"].pk), str(credentials["valid"].pk)]}
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and data["verified"] == 1
    assert [r["status"] for r in data["results"]] == ["revoked", "valid"]
    revoked_checks = {c["name"]: c["outcome"] for c in data["results"][0]["checks"]}
    assert revoked_checks["status"] == "fail" and revoked_checks["proof"] == "pass"


@pytest.mark.parametrize("body", [{}, {"credentials": []}, {"credentials": "abc"}, [1, 2]])
def test_the_api_refuses_a_malformed_body_with_a_problem(api_client, body):
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_items"


def test_the_api_refuses_too_many_items(api_client, settings):
    settings.BULK_VERIFY_ANONYMOUS_MAX_ITEMS = 2
    response = api_client.post(URL, {"credentials": ["a", "b", "c"]}, format="json")
    assert response.status_code == 413 and response.json()["code"] == "too_many_items"


def test_the_api_refuses_a_body_over_its_size_limit(api_client, settings):
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, URL: 100}
    response = api_client.post(URL, {"credentials": ["x" * 200]}, format="json")
    assert response.status_code == 413


def test_the_rate_limit_counts_items_not_requests(api_client, monkeypatch, credentials):
    monkeypatch.setattr(BulkVerifyThrottle, "THROTTLE_RATES", {"verify_bulk": "5/hour"})
    ids = [str(credentials["valid"].pk)] * 3
    assert api_client.post(URL, {"credentials": ids}, format="json").status_code == 200
    response = api_client.post(URL, {"credentials": ids}, format="json")  # 6 > 5
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and "Retry-After" in response
    # Another address has its own count.
    other = api_client.post(URL, {"credentials": ids}, format="json", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


# --- The page --------------------------------------------------------------------------------


def _csv(*lines):
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "ids.csv"
    return upload


def test_the_page_shows_a_table_of_results(client, credentials):
    csv_file = _csv("id", str(credentials["valid"].pk), str(credentials["revoked"].pk), "junk")
    response = client.post("/verify/bulk/", {"ids": csv_file, "format": "html"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in page and 'data-status="revoked"' in page
    assert 'data-status="invalid_id"' in page
    assert "1 of 3 valid" in page


def test_the_page_downloads_the_results_as_csv_with_why(client, credentials):
    csv_file = _csv(str(credentials["suspended"].pk), "=HYPERLINK(1)")
    response = client.post("/verify/bulk/", {"ids": csv_file, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "input,status,verified,credential_id,issuer_name,why"
    assert lines[1].split(",")[1:3] == ["suspended", "no"]
    assert "suspension: suspended by the issuer" in lines[1]
    assert lines[2].startswith("'=HYPERLINK(1),invalid_id")  # never a live formula


def test_the_page_without_a_file_or_with_too_many_rows_says_why(client, settings):
    assert client.post("/verify/bulk/", {}).status_code == 400
    settings.BULK_VERIFY_ANONYMOUS_MAX_ITEMS = 1
    response = client.post("/verify/bulk/", {"ids": _csv("a", "b")})
    assert response.status_code == 400 and b"At most 1" in response.content
