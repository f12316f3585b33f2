"""The proof seal: by-ID verification answers from the seal written at issuance, exactly as the
full check would, and falls back to the full check whenever the seal does not match the row.
What can change (key compromise, trust, dates, status, suspension) is still read live."""

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from certification import keys, proof_checks, proof_seal, selectors, stored_state
from certification.models import Credential
from certification.services import credential_suspend

from .factories import DecisionFactory, issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold():
    selectors._proof_memory.clear()
    selectors._bits_cache.clear()


def _verify(credential) -> dict:
    selectors._proof_memory.clear()
    return selectors.verify_stored(stored_state.load(credential.pk))


@pytest.fixture
def no_full_check(monkeypatch):
    """Fail the test if the full (canonicalising) proof check runs."""

    def refuse(document):
        raise AssertionError("the proof was re-checked in full")

    monkeypatch.setattr(proof_checks, "proof_of", refuse)


def _text(credential) -> str:
    return (
        Credential.objects.filter(pk=credential.pk)
        .values_list(proof_seal.stored_text(), flat=True)
        .get()
    )


def test_issuance_seals_the_credential_and_the_seal_gives_the_full_checks_answer(issued):
    issued.refresh_from_db()
    assert issued.proof_seal
    sealed, checked = proof_checks.proofs_for([issued.pk])
    assert checked == {}
    assert sealed[issued.pk] == proof_checks.proof_of(issued.document)


def test_a_sealed_credential_is_verified_without_rechecking_its_proof(issued, no_full_check):
    assert _verify(issued)["status"] == "valid"


def test_a_tampered_document_does_not_match_its_seal_and_fails_the_full_check(issued):
    Credential.objects.filter(pk=issued.pk).update(
        document={**issued.document, "name": "Chief Everything Officer"}
    )
    result = _verify(issued)
    assert result["status"] == "invalid"
    assert {c["name"]: c["outcome"] for c in result["checks"]}["proof"] == "fail"


def test_a_seal_copied_onto_another_credential_does_not_vouch_for_it(certification):
    first, second = issue(certification=certification), issue(certification=certification)
    first.refresh_from_db()
    # second now carries first's document and first's seal: neither belongs to its row.
    Credential.objects.filter(pk=second.pk).update(
        document=first.document, proof_seal=first.proof_seal
    )
    sealed, checked = proof_checks.proofs_for([second.pk])
    assert sealed == {} and second.pk in checked  # checked in full instead


def test_a_seal_forged_without_the_secret_is_ignored(issued, settings):
    settings.SECRET_KEY = "an attacker's guess of the secret, long enough to look real"
    forged = proof_seal.compute(
        pk=issued.pk, signing_key_id=issued.signing_key_id, text=_text(issued)
    )
    settings.SECRET_KEY = "the real secret, which the attacker does not have, 0123456789"
    assert not proof_seal.matches(
        forged, pk=issued.pk, signing_key_id=issued.signing_key_id, text=_text(issued)
    )


def test_seals_still_match_under_a_fallback_secret_after_the_secret_rotates(issued, settings):
    issued.refresh_from_db()
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a brand new secret key after rotation, 0123456789abcdef"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert proof_seal.matches(
        issued.proof_seal,
        pk=issued.pk,
        signing_key_id=issued.signing_key_id,
        text=_text(issued),
    )


def test_a_key_compromised_after_sealing_makes_the_sealed_credential_invalid(issued):
    assert _verify(issued)["status"] == "valid"
    keys.add_key()  # rotate, so the old key can be reported without re-signing in this test
    keys.mark_compromised(issued.signing_key_id)
    result = _verify(issued)
    assert result["status"] == "invalid"
    assert {c["name"]: c["outcome"] for c in result["checks"]}["issuer_key"] == "fail"


def test_suspension_after_a_verification_is_read_live(issued, programme_admin, no_full_check):
    assert _verify(issued)["status"] == "valid"
    credential_suspend(credential=issued, actor=programme_admin, reason="inquiry")
    assert selectors.verify_stored(stored_state.load_many([issued.pk])[issued.pk])["status"] == (
        "suspended"
    )


def test_resigning_after_a_compromise_writes_a_new_seal(issued):
    issued.refresh_from_db()
    old_seal = issued.proof_seal
    call_command("compromised_key", issued.signing_key_id, stdout=open("/dev/null", "w"))  # noqa: SIM115
    issued.refresh_from_db()
    assert issued.proof_seal and issued.proof_seal != old_seal
    sealed, _ = proof_checks.proofs_for([issued.pk])
    assert sealed[issued.pk]["checks"][1]["outcome"] == "pass"


def test_seal_credentials_seals_what_passes_and_leaves_what_does_not(certification):
    good, bad = issue(certification=certification), issue(certification=certification)
    Credential.objects.update(proof_seal="")
    Credential.objects.filter(pk=bad.pk).update(document={**bad.document, "name": "Forged"})
    call_command("seal_credentials", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seals = dict(Credential.objects.values_list("pk", "proof_seal"))
    assert seals[good.pk] and seals[bad.pk] == ""
    sealed = AuditEvent.objects.filter(action="credential.proof_sealed")
    assert list(sealed.values_list("target_id", flat=True)) == [str(good.pk)]


def test_an_unsealed_credential_is_still_verified_in_full(certification):
    credential = issue(DecisionFactory(certification=certification))
    Credential.objects.filter(pk=credential.pk).update(proof_seal="")
    assert _verify(credential)["status"] == "valid"


def test_a_batch_looks_at_the_key_registry_once_and_a_later_one_sees_a_change(
    certification, monkeypatch
):
    from certification import bulk, key_generation

    ids = [str(issue(certification=certification).pk) for _ in range(3)]
    looks = []
    real = key_generation._current_generation
    monkeypatch.setattr(key_generation, "_current_generation", lambda: looks.append(1) or real())
    assert {r["status"] for r in bulk.verify_many(ids * 4)} == {"valid"}
    assert len(looks) == 1
    credential = Credential.objects.get(pk=ids[0])
    keys.add_key()
    keys.mark_compromised(credential.signing_key_id)  # every one of them: same key
    assert {r["status"] for r in bulk.verify_many(ids)} == {"invalid"}
