"""Issuer trust: the verify page and the verification API call a credential "Valid" only when
this platform (or an issuer its operator trusts) issued it. A correctly signed credential from
anyone else is "signature valid, not issued by Practica", whatever name it gives its issuer."""

import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certification import keys, selectors
from certification.vc import eddsa, multikey
from certification.verification import verify_document

from .factories import DecisionFactory, issue


@pytest.fixture(scope="module")
def forger():
    return Ed25519PrivateKey.generate()


def _resigned(document: dict, key, *, issuer: str | None = None, drop_status=True) -> dict:
    """``document`` signed again with ``key``: the issuer becomes ``key``'s did:key (unless
    ``issuer`` says otherwise) and keeps the name "Practica"."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    if drop_status:
        unsigned.pop("credentialStatus", None)  # a forger drops what would give them away
    did = multikey.did_key(key.public_key())
    unsigned["issuer"] = {**unsigned["issuer"], "id": issuer or did}
    return eddsa.sign(
        unsigned, key, verification_method=multikey.did_key_verification_method(key.public_key())
    )


def _upload(client, document: dict):
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "credential.json"
    return client.post("/verify/", {"credential": upload})


def test_a_forgery_signed_with_another_did_key_is_not_valid_on_the_page(client, issued, forger):
    forged = _resigned(issued.document, forger)
    assert forged["issuer"]["name"] == "Practica"

    response = _upload(client, forged)

    html = response.content.decode()
    assert response.status_code == 200
    assert ">Valid<" not in html
    assert "Signature valid, not issued by Practica" in html
    assert forged["issuer"]["id"] in html  # the page shows whose key it really is


def test_a_forgery_signed_with_another_did_key_is_not_verified_by_the_api(client, issued, forger):
    forged = _resigned(issued.document, forger)

    body = client.post("/api/v1/credentials/verify", forged, content_type="application/json")

    result = body.json()
    assert result["verified"] is False
    assert result["status"] == "untrusted_issuer"
    assert result["issuer"] == forged["issuer"]["id"]
    assert result["issuer_name"] == "Practica"
    checks = {c["name"]: c for c in result["checks"]}
    assert checks["proof"]["outcome"] == "pass"  # the signature itself is fine
    assert checks["issuer_trust"]["outcome"] == "fail"
    assert checks["issuer_trust"]["detail"].startswith("signature valid, not issued by Practica")


def test_a_forgery_keeping_the_status_entry_is_not_valid_either(issued, forger):
    result = verify_document(_resigned(issued.document, forger, drop_status=False))
    assert result["status"] == "untrusted_issuer" and result["verified"] is False


def test_the_page_shows_the_issuer_id_and_name_side_by_side(client, issued):
    response = _upload(client, issued.document)
    html = response.content.decode()
    assert ">Valid<" in html
    issuer = issued.document["issuer"]
    assert f"<strong>{issuer['name']}</strong> <code>{issuer['id']}</code>" in html


def test_a_key_that_is_not_the_issuers_fails_even_with_our_issuer_id(issued, forger):
    """Naming this platform's did:key as the issuer does not help: the proof's key must be
    the issuer's own."""
    forged = _resigned(issued.document, forger, issuer=issued.document["issuer"]["id"])
    result = verify_document(forged)
    assert result["status"] == "invalid"
    assert {c["name"]: c["outcome"] for c in result["checks"]}["issuer_key"] == "fail"


def test_an_extra_proof_by_another_key_makes_the_credential_invalid(issued, forger):
    document = eddsa.add_proof(
        issued.document,
        forger,
        verification_method=multikey.did_key_verification_method(forger.public_key()),
    )
    result = verify_document(document)
    assert result["status"] == "invalid"
    issuer_key = next(c for c in result["checks"] if c["name"] == "issuer_key")
    assert issuer_key["outcome"] == "fail" and "proof 2" in issuer_key["detail"]


def test_an_issuer_the_operator_trusts_is_valid(settings, issued, forger):
    forged = _resigned(issued.document, forger)
    settings.TRUSTED_ISSUERS = [forged["issuer"]["id"]]
    result = verify_document(forged)
    assert result["status"] == "valid"
    trust = next(c for c in result["checks"] if c["name"] == "issuer_trust")
    assert "listed as trusted" in trust["detail"]


def test_a_credential_of_a_retired_key_stays_trusted(issued, candidate, certification):
    keys.add_key()  # rotation: the key that signed ``issued`` is now retired
    newer = issue(DecisionFactory(user=candidate, certification=certification))
    assert newer.document["issuer"]["id"] != issued.document["issuer"]["id"]
    for credential in (issued, newer):
        assert verify_document(credential.document)["status"] == "valid"


def test_a_did_web_issuer_of_this_platform_is_trusted(settings, db):
    settings.CREDENTIAL_ISSUER_METHOD = "did:web"
    credential = issue()
    assert credential.document["issuer"]["id"] == "did:web:practica.example"
    result = verify_document(credential.document)
    assert result["status"] == "valid"


def test_by_id_verification_says_who_issued_it(issued):
    result = selectors.verify_stored(issued)
    assert result["status"] == "valid"
    assert result["issuer_name"] == "Practica"
    assert ("issuer_trust", "pass") in [(c["name"], c["outcome"]) for c in result["checks"]]
