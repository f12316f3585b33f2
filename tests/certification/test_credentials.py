"""Issuing, verifying, revoking and renewing credentials, through services and public URLs."""

import copy
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from jsonschema import Draft201909Validator

from assessments.models import CertificationDecision
from assessments.services.decisions import decision_reverse
from audit.selectors import audit_events_for
from certification import keys
from certification.models import Credential
from certification.services import (
    IssuanceRefused,
    credential_issue,
    credential_revoke,
    credential_suspend,
    credential_unsuspend,
)
from certification.vc import status_list as bitstring
from certification.verification import verify_document

from .conftest import load_shared


def test_issued_credential_validates_against_the_official_ob3_schema(issued):
    schema = load_shared("ob_v3p0_achievementcredential_schema.json")
    errors = sorted(Draft201909Validator(schema).iter_errors(issued.document), key=str)
    assert errors == []
    doc = issued.document
    assert doc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["id"] == f"https://practica.example/credentials/{issued.pk}"
    assert isinstance(doc["proof"], list) and doc["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert doc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert "credentialSchema" not in doc
    results = {
        r["resultDescription"].rsplit("-", 1)[-1]: r["value"]
        for r in doc["credentialSubject"]["result"]
    }
    assert results["total"] == "86.5" and results["controls"] == "90"


def test_issued_credential_verifies(issued):
    result = verify_document(issued.document)
    assert result == {"verified": True, "status": "valid", "checks": result["checks"]}
    assert {c["check"] for c in result["checks"]} >= {"signature", "issuer", "dates", "status"}


def test_one_decision_one_credential(passing_decision):
    first = credential_issue(decision_id=passing_decision.pk)
    second = credential_issue(decision_id=passing_decision.pk)
    assert first.pk == second.pk and Credential.objects.count() == 1
    assert [e.action for e in audit_events_for(target=first)] == ["credential.issued"]


def test_a_failing_or_reversed_decision_never_issues(candidate, certification, passing_decision):
    failed = CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        outcome="fail",
        critical_passed=False,
        total=50,
        cut_score=70,
    )
    with pytest.raises(IssuanceRefused):
        credential_issue(decision_id=failed.pk)
    CertificationDecision.objects.filter(pk=passing_decision.pk).update(reversed_at=timezone.now())
    with pytest.raises(IssuanceRefused):
        credential_issue(decision_id=passing_decision.pk)
    assert not Credential.objects.exists()


@pytest.mark.parametrize(
    "path, value",
    [
        (("credentialSubject", "identifier", 0, "identityHash"), "Someone Else"),
        (("validUntil",), "2099-01-01T00:00:00Z"),
        (("credentialSubject", "result", 0, "value"), "100"),
        (("name",), "Expert"),
        (("credentialStatus", "statusListIndex"), "1"),
        (("issuer", "name"), "Evil Corp"),
    ],
)
def test_tampering_with_any_field_is_detected(issued, path, value):
    doc = copy.deepcopy(issued.document)
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    result = verify_document(doc)
    assert result["status"] == "invalid" and not result["verified"]
    assert next(c for c in result["checks"] if c["check"] == "signature")["ok"] is False


def test_an_added_unsigned_field_is_detected(issued):
    doc = copy.deepcopy(issued.document)
    doc["credentialSubject"]["grade"] = "A+"
    assert verify_document(doc)["status"] == "invalid"


def test_wrong_key_is_detected(issued):
    doc = copy.deepcopy(issued.document)
    other = keys.add_key()  # a real key, but not the one named in the proof
    doc["proof"][0]["verificationMethod"] = keys.verification_method(other)
    assert verify_document(doc)["status"] == "invalid"


def test_expired_credential(issued):
    later = timezone.now() + timedelta(days=731)
    result = verify_document(issued.document, now=later)
    assert result["status"] == "expired" and not result["verified"]


def test_revocation_is_in_the_served_status_list_and_on_the_page(client, issued, programme_admin):
    credential_revoke(credential=issued, actor=programme_admin, reason="misconduct found")
    served = client.get(f"/credentials/status/{issued.status_list_id}")
    assert served.status_code == 200 and "max-age" in served["Cache-Control"]
    status_credential = served.json()
    bits = bitstring.decode(status_credential["credentialSubject"]["encodedList"])
    assert bitstring.get_bit(bits, issued.status_index)
    assert verify_document(status_credential)["verified"] is True  # the list itself is signed
    assert verify_document(issued.document)["status"] == "revoked"
    page = client.get(f"/credentials/{issued.pk}", HTTP_ACCEPT="text/html")
    assert b"Revoked" in page.content
    assert [e.action for e in audit_events_for(target=issued)][-1] == "credential.revoked"


def test_suspension_is_platform_side_and_reversible(issued, programme_admin):
    credential_suspend(credential=issued, actor=programme_admin, reason="under investigation")
    assert verify_document(issued.document)["status"] == "suspended"
    credential_unsuspend(credential=issued, actor=programme_admin, reason="cleared")
    assert verify_document(issued.document)["status"] == "valid"
    actions = [e.action for e in audit_events_for(target=issued)]
    assert actions[-2:] == ["credential.suspended", "credential.unsuspended"]


def test_status_unknown_is_never_valid(issued):
    doc = copy.deepcopy(issued.document)
    from certification.models import StatusList

    StatusList.objects.all().delete() if False else None
    doc_status = doc["credentialStatus"]
    assert doc_status["statusListCredential"].endswith(f"/{issued.status_list_id}")
    StatusList.objects.filter(pk=issued.status_list_id).update(size=0)  # the list cannot be read
    result = verify_document(doc)
    assert result["status"] == "status_unknown" and result["verified"] is False


def test_reversed_decision_withdraws_the_credential(
    issued, programme_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision_reverse(decision=issued.decision, actor=programme_admin, reason="appeal upheld")
    issued.refresh_from_db()
    assert issued.revoked_at and "appeal upheld" in issued.revocation_reason


def test_recorded_pass_issues_after_commit(
    candidate, certification, django_capture_on_commit_callbacks
):
    from assessments.hooks import notify_decision

    decision = CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        outcome="pass",
        critical_passed=True,
        total=80,
        cut_score=70,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_decision(decision.pk, "recorded")
    assert not Credential.objects.exists(), "nothing is issued before the decision commits"
    for callback in callbacks:
        callback()
    assert Credential.objects.filter(decision=decision).count() == 1


def test_renewal_supersedes_and_the_old_stays_verifiable(issued, candidate, certification):
    renewal = CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        outcome="pass",
        critical_passed=True,
        total=91,
        cut_score=70,
    )
    new = credential_issue(decision_id=renewal.pk)
    issued.refresh_from_db()
    assert issued.superseded_by_id == new.pk
    old = verify_document(issued.document)
    assert old["status"] == "valid" and any(c["check"] == "superseded" for c in old["checks"])


def test_key_rotation_keeps_old_credentials_verifying(
    issued, passing_decision, candidate, certification
):
    from django.core.management import call_command

    call_command("rotate_signing_key")
    second = credential_issue(
        decision_id=CertificationDecision.objects.create(
            user=candidate,
            certification=certification,
            outcome="pass",
            critical_passed=True,
            total=75,
            cut_score=70,
        ).pk
    )
    assert second.signing_key_id != issued.signing_key_id
    assert verify_document(issued.document)["verified"] is True
    assert verify_document(second.document)["verified"] is True


def test_did_web_document_lists_every_key_that_signed(client, settings, issued):
    settings.CREDENTIAL_ISSUER_METHOD = "did:web"
    settings.CREDENTIAL_DID_WEB_DOMAIN = "practica.example"
    first = keys.active_key()
    keys.add_key()
    body = client.get("/.well-known/did.json").json()
    assert body["id"] == "did:web:practica.example"
    assert {m["id"].split("#")[1] for m in body["verificationMethod"]} >= {first.key_id}
    assert len(body["assertionMethod"]) == len(keys.all_keys())


def test_compromised_key_is_removed_and_its_credentials_resigned(
    settings, client, issued, candidate, certification
):
    from django.core.management import call_command

    settings.CREDENTIAL_ISSUER_METHOD = "did:web"
    settings.CREDENTIAL_DID_WEB_DOMAIN = "practica.example"
    web = credential_issue(
        decision_id=CertificationDecision.objects.create(
            user=candidate,
            certification=certification,
            outcome="pass",
            critical_passed=True,
            total=75,
            cut_score=70,
        ).pk
    )
    compromised = web.signing_key_id
    before = copy.deepcopy(web.document)
    call_command("compromised_key", compromised)
    assert verify_document(before)["status"] == "invalid", "the compromised key no longer resolves"
    web.refresh_from_db()
    assert web.signing_key_id != compromised and verify_document(web.document)["verified"] is True
    listed = {
        m["id"].split("#")[1]
        for m in client.get("/.well-known/did.json").json()["verificationMethod"]
    }
    assert compromised not in listed


def test_status_list_allocation_is_random_and_unique(candidate, certification):
    indexes = set()
    for n in range(30):
        decision = CertificationDecision.objects.create(
            user=candidate,
            certification=certification,
            outcome="pass",
            critical_passed=True,
            total=70 + n / 10,
            cut_score=70,
        )
        indexes.add(credential_issue(decision_id=decision.pk).status_index)
    assert len(indexes) == 30
    assert max(indexes) > 1000, "indexes are spread over the list, not sequential"


def test_signed_json_round_trips_through_json(issued):
    assert verify_document(json.loads(json.dumps(issued.document)))["verified"] is True
