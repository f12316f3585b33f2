"""Revocation, suspension, expiry, status unknown, key rotation and compromise."""

import copy
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.selectors import audit_events_for
from certification import keys, tasks
from certification.models import Credential, StatusList
from certification.services import (
    credential_revoke,
    credential_suspend,
    credential_unsuspend,
    credentials_record_expiry,
)
from certification.services.lifecycle import CredentialStateError
from certification.vc import status_list as bitstring
from certification.verification import verify_document

from .factories import DecisionFactory, issue


def test_revocation_sets_the_bit_in_the_served_signed_list_and_shows_on_the_page(
    client, issued, programme_admin
):
    before = StatusList.objects.get(pk=issued.status_list_id).version
    credential_revoke(credential=issued, actor=programme_admin, reason="misconduct found")

    served = client.get(f"/credentials/status/{issued.status_list_id}")
    assert served.status_code == 200
    assert "max-age=300" in served["Cache-Control"]
    status_credential = served.json()
    bits = bitstring.decode(status_credential["credentialSubject"]["encodedList"])
    assert bitstring.get_bit(bits, issued.status_index)
    assert verify_document(status_credential)["verified"] is True  # the list itself is signed
    assert StatusList.objects.get(pk=issued.status_list_id).version == before + 1
    assert verify_document(issued.document)["status"] == "revoked"
    page = client.get(f"/credentials/{issued.pk}", HTTP_ACCEPT="text/html")
    assert b"Revoked" in page.content
    event = list(audit_events_for(target=issued))[-1]
    assert (event.action, event.actor, event.reason) == (
        "credential.revoked",
        programme_admin,
        "misconduct found",
    )


def test_revoking_twice_changes_nothing_the_second_time(issued, programme_admin):
    credential_revoke(credential=issued, actor=programme_admin, reason="first")
    version = StatusList.objects.get(pk=issued.status_list_id).version
    credential_revoke(credential=issued, actor=programme_admin, reason="second")
    issued.refresh_from_db()
    assert issued.revocation_reason == "first"
    assert StatusList.objects.get(pk=issued.status_list_id).version == version


def test_suspension_is_platform_side_and_reversible(issued, programme_admin):
    credential_suspend(credential=issued, actor=programme_admin, reason="under investigation")
    assert verify_document(issued.document)["status"] == "suspended"
    served = StatusList.objects.get(pk=issued.status_list_id).signed
    bits = bitstring.decode(served["credentialSubject"]["encodedList"])
    assert not bitstring.get_bit(bits, issued.status_index)  # not in the revocation list
    with pytest.raises(CredentialStateError):
        credential_suspend(credential=issued, actor=programme_admin, reason="again")
    credential_unsuspend(credential=issued, actor=programme_admin, reason="cleared")
    assert verify_document(issued.document)["status"] == "valid"
    actions = [e.action for e in audit_events_for(target=issued)]
    assert actions[-2:] == ["credential.suspended", "credential.unsuspended"]


def test_an_expired_credential_is_reported_expired(issued):
    later = timezone.now() + timedelta(days=731)
    result = verify_document(issued.document, now=later)
    assert result["status"] == "expired" and result["verified"] is False
    assert next(c for c in result["checks"] if c["name"] == "dates")["outcome"] == "fail"


def test_expiry_is_recorded_once_in_the_audit_trail(issued):
    Credential.objects.filter(pk=issued.pk).update(
        valid_from=timezone.now() - timedelta(days=800),
        valid_until=timezone.now() - timedelta(days=70),
    )
    assert tasks.sweep.apply().get() == {
        "issued": 0,
        "withdrawn": 0,
        "expired": 1,
        "expiring": 0,
        "webhooks": 0,
    }
    assert credentials_record_expiry() == 0
    assert [e.action for e in audit_events_for(target=issued)][-1] == "credential.expired"


def test_a_status_list_that_cannot_be_read_means_status_unknown(issued):
    StatusList.objects.filter(pk=issued.status_list_id).update(signed=None)
    result = verify_document(issued.document)
    assert result["status"] == "status_unknown" and result["verified"] is False


def test_a_foreign_status_list_is_never_fetched(issued):
    doc = copy.deepcopy(issued.document)
    doc["credentialStatus"]["statusListCredential"] = "https://elsewhere.example/status/1"
    result = verify_document(doc)
    assert result["status"] == "invalid"  # the change also breaks the signature


def test_tampering_and_an_undefined_field_are_detected(issued):
    doc = copy.deepcopy(issued.document)
    doc["credentialSubject"]["result"][0]["value"] = "99"
    assert verify_document(doc)["status"] == "invalid"
    doc = copy.deepcopy(issued.document)
    doc["credentialSubject"]["grade"] = "A+"
    assert verify_document(doc)["status"] == "invalid"


def test_a_proof_naming_another_key_is_rejected(issued):
    doc = copy.deepcopy(issued.document)
    other = keys.add_key()
    doc["proof"][0]["verificationMethod"] = keys.verification_method(other)
    result = verify_document(doc)
    assert result["status"] == "invalid"


def test_key_rotation_keeps_old_credentials_verifying(issued, candidate, certification):
    call_command("rotate_signing_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second = issue(DecisionFactory(user=candidate, certification=certification))
    assert second.signing_key_id != issued.signing_key_id
    assert verify_document(issued.document)["verified"] is True
    assert verify_document(second.document)["verified"] is True


def _use_did_web(settings):
    settings.CREDENTIAL_ISSUER_METHOD = "did:web"
    settings.CREDENTIAL_DID_WEB_DOMAIN = "practica.example"


def test_did_web_document_lists_every_key_that_signed(client, settings, db):
    _use_did_web(settings)
    first = issue(DecisionFactory())
    call_command("rotate_signing_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second = issue(DecisionFactory())
    response = client.get("/.well-known/did.json")
    body = response.json()
    assert body["id"] == "did:web:practica.example"
    assert body["assertionMethod"] == [
        f"did:web:practica.example#{first.signing_key_id}",
        f"did:web:practica.example#{second.signing_key_id}",
    ]
    assert first.document["issuer"]["id"] == "did:web:practica.example"
    assert verify_document(first.document)["verified"] is True


def test_did_json_is_absent_for_a_did_key_issuer(client, db):
    assert client.get("/.well-known/did.json").status_code == 404


def test_compromised_key_is_unpublished_and_what_it_signed_is_resigned(client, settings, db):
    _use_did_web(settings)
    credential = issue(DecisionFactory())
    old_key = credential.signing_key_id
    old_document = credential.document
    call_command("compromised_key", old_key, stdout=open("/dev/null", "w"))  # noqa: SIM115

    credential.refresh_from_db()
    assert credential.signing_key_id != old_key
    assert verify_document(credential.document)["verified"] is True
    assert verify_document(old_document)["status"] == "invalid"  # the old proof is dead
    methods = client.get("/.well-known/did.json").json()["assertionMethod"]
    assert f"did:web:practica.example#{old_key}" not in methods
    assert not (settings.CREDENTIAL_KEYS_DIR / f"{old_key}.key").exists()
    assert [e.action for e in audit_events_for(target=credential)][-1] == "credential.resigned"
    status_list = StatusList.objects.get(pk=credential.status_list_id).signed
    assert verify_document(status_list)["verified"] is True


def test_the_signing_key_can_come_from_the_environment(settings, db):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from certification.vc import multikey

    private = Ed25519PrivateKey.generate()
    settings.CREDENTIAL_SIGNING_KEY = multikey.private_multibase(private)
    credential = issue(DecisionFactory())
    assert credential.document["issuer"]["id"] == multikey.did_key(private.public_key())
    assert list(settings.CREDENTIAL_KEYS_DIR.glob("*.key")) == []  # private half stays in env
    assert keys.all_keys()[0].public_multibase == multikey.public_multibase(private.public_key())
    assert verify_document(credential.document)["verified"] is True


def test_compromised_did_key_moves_its_credentials_and_lists_to_the_new_key(db):
    credential = issue(DecisionFactory())
    old_issuer = credential.document["issuer"]["id"]
    call_command("compromised_key", credential.signing_key_id, stdout=open("/dev/null", "w"))  # noqa: SIM115
    credential.refresh_from_db()
    assert credential.document["issuer"]["id"] != old_issuer
    assert verify_document(credential.document)["status"] == "valid"
    assert (
        StatusList.objects.get(pk=credential.status_list_id).issuer
        == (credential.document["issuer"]["id"])
    )


def test_after_rotation_a_did_key_issuer_revokes_on_its_own_list(issued, programme_admin):
    call_command("rotate_signing_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    credential_revoke(credential=issued, actor=programme_admin, reason="fraud")
    assert verify_document(issued.document)["status"] == "revoked"
