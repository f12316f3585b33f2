"""API keys: stored only as a digest, shown once, listed by prefix with last use, revocable,
audited; ``Authorization: Api-Key`` authenticates, a revoked or unknown key is 401."""

import pytest
from django.db import connection

from audit.models import AuditEvent
from employers import keys, services
from employers.models import ApiKey

pytestmark = pytest.mark.django_db
BULK = "/api/v1/employers/verify/bulk"


def _bulk(api_client, plaintext, items=("not-an-id",)):
    return api_client.post(
        BULK, {"credentials": list(items)}, format="json", HTTP_AUTHORIZATION=f"Api-Key {plaintext}"
    )


def _every_text_in_the_database() -> str:
    """Every table's rows as text: the plaintext key must be in none of them."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_a_key_is_stored_as_its_digest_and_its_plaintext_is_nowhere_in_the_database(api_key):
    row, plaintext = api_key
    assert plaintext.startswith(f"prk_{row.prefix}_") and len(plaintext) > 50
    assert row.digest == keys.digest(plaintext) and plaintext not in row.digest
    dump = _every_text_in_the_database()
    assert row.prefix in dump  # the dump does see the key's row...
    assert plaintext not in dump  # ...but never the key
    secret = plaintext.removeprefix(f"prk_{row.prefix}_")  # (the secret itself may hold "_")
    assert len(secret) >= 40 and secret not in dump  # nor its secret part


def test_the_key_is_shown_once_on_creation_and_never_listed(client_for, employer, employer_member):
    api = client_for(employer_member)
    created = api.post(f"/api/v1/employers/{employer.slug}/keys/", {"name": "ATS"}, format="json")
    assert created.status_code == 201
    plaintext = created.json()["key"]
    listed = api.get(f"/api/v1/employers/{employer.slug}/keys/")
    assert listed.status_code == 200
    assert plaintext not in listed.content.decode()
    assert [k["prefix"] for k in listed.json()] == [created.json()["prefix"]]
    assert "key" not in listed.json()[0] and "digest" not in listed.json()[0]


def test_the_page_shows_a_new_key_once(client, employer, employer_member):
    client.force_login(employer_member)
    page = client.post(f"/employers/{employer.slug}/keys/", {"name": "HR system"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    key = ApiKey.objects.get(name="HR system")
    text = page.content.decode()
    start = text.index(f"prk_{key.prefix}_", text.index('data-testid="new-key-value"'))
    plaintext = text[start : start + len(key.prefix) + 48]
    assert keys.matches(plaintext, key.digest)
    again = client.get(f"/employers/{employer.slug}/").content.decode()
    assert plaintext not in again and f"prk_{key.prefix}_…" in again


def test_a_valid_key_authenticates_and_records_its_last_use(api_client, api_key):
    row, plaintext = api_key
    assert row.last_used_at is None
    response = _bulk(api_client, plaintext)
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_revoked_key_is_refused_with_401(api_client, api_key, employer_member):
    row, plaintext = api_key
    services.api_key_revoke(actor=employer_member, key=row)
    response = _bulk(api_client, plaintext)
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_revoked"
    assert response["WWW-Authenticate"] == "Api-Key"


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key prk_aaaaaaaaaa_" + "x" * 43,  # well formed, unknown
        "Api-Key not-a-key",
        "Api-Key",
        "Api-Key a b",
        "Token prk_aaaaaaaaaa_" + "x" * 43,  # another scheme: not authenticated here
    ],
)
def test_an_unknown_or_malformed_key_is_401(api_client, api_key, header):
    response = api_client.post(
        BULK, {"credentials": ["x"]}, format="json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(api_client, api_key):
    _, plaintext = api_key
    forged = plaintext[:-4] + ("AAAA" if not plaintext.endswith("AAAA") else "BBBB")
    assert _bulk(api_client, forged).status_code == 401


def test_no_key_is_401_with_the_api_key_challenge(api_client, db):
    response = api_client.post(BULK, {"credentials": ["x"]}, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Api-Key"


def test_creating_and_revoking_keys_is_audited(client_for, employer, employer_member):
    api = client_for(employer_member)
    created = api.post(f"/api/v1/employers/{employer.slug}/keys/", {"name": "ATS"}, format="json")
    key_id = created.json()["id"]
    revoked = api.post(f"/api/v1/employers/{employer.slug}/keys/{key_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    events = AuditEvent.objects.filter(target_type="employers.apikey", target_id=str(key_id))
    assert sorted(events.values_list("action", flat=True)) == [
        "employer.api_key_created",
        "employer.api_key_revoked",
    ]
    assert set(events.values_list("actor", flat=True)) == {employer_member.pk}
    again = api.post(f"/api/v1/employers/{employer.slug}/keys/{key_id}/revoke")
    assert again.status_code == 409 and again.json()["code"] == "key_revoked"


def test_revoking_on_the_page_refuses_the_key_at_once(client, api_client, api_key, employer):
    row, plaintext = api_key
    client.force_login(row.created_by)
    response = client.post(f"/employers/{employer.slug}/keys/{row.pk}/revoke/")
    assert response.status_code == 302
    assert _bulk(api_client, plaintext).status_code == 401


def test_another_employers_key_is_not_found(
    client, client_for, api_key, other_member, other_employer
):
    row, _ = api_key
    api = client_for(other_member)
    # Through the other employer's own URL: the key is not among theirs.
    assert (
        api.post(f"/api/v1/employers/{other_employer.slug}/keys/{row.pk}/revoke").status_code == 404
    )
    # Through this employer's URL: the employer is not theirs.
    assert api.get(f"/api/v1/employers/{row.employer.slug}/keys/").status_code == 404
    assert (
        api.post(f"/api/v1/employers/{row.employer.slug}/keys/{row.pk}/revoke").status_code == 404
    )
    client.force_login(other_member)
    assert client.post(f"/employers/{other_employer.slug}/keys/{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.is_active


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_key_needs_a_name(client_for, employer, employer_member, name):
    response = client_for(employer_member).post(
        f"/api/v1/employers/{employer.slug}/keys/", {"name": name}, format="json"
    )
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_active_keys_are_capped(employer, employer_member, monkeypatch):
    monkeypatch.setattr(services, "MAX_ACTIVE_KEYS", 2)
    for n in range(2):
        services.api_key_create(actor=employer_member, employer=employer, name=f"k{n}")
    with pytest.raises(services.InvalidRequest):
        services.api_key_create(actor=employer_member, employer=employer, name="third")
