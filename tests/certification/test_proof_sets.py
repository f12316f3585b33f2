"""Every proof counts (VC Data Integrity 1.0): each proof of a proof set must verify, a
``previousProof`` must name a proof present in the document and the chained proof signs it,
and an unknown proof type or cryptosuite is a failure that says so.

The W3C vc-di-eddsa test vector (its key pair and credential) and proof sets and chains made
with the project's own signer (``eddsa.add_proof``)."""

import copy
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certification import keys
from certification.vc import eddsa, jsonld, multikey, proofs
from certification.vc.multikey import resolve_did_key
from certification.vc.verify import KeyResolutionError
from certification.verification import verify_document
from tests.support.standards import FIXTURES

VECTORS = FIXTURES / "vc-di-eddsa-test-vectors"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def examples_context():
    document = json.loads((FIXTURES / "contexts" / "credentials-examples-v2.jsonld").read_text())
    jsonld.register_context(EXAMPLES_V2, document)
    yield
    jsonld.unregister_context(EXAMPLES_V2)


@pytest.fixture(scope="module")
def w3c_key():
    pair = json.loads((VECTORS / "keyPair.json").read_text())
    return multikey.private_from_multibase(pair["privateKeyMultibase"])


@pytest.fixture(scope="module")
def method(w3c_key):
    return multikey.did_key_verification_method(w3c_key.public_key())


@pytest.fixture
def unsigned():
    return json.loads((VECTORS / "unsigned.json").read_text())


def _verify(document):
    return proofs.verify_proofs(document, resolve_did_key, now=NOW)


def _errors(document) -> list[str | None]:
    return [result.error for result in _verify(document)]


def _chain(unsigned, key, method, *, second_names="urn:uuid:first"):
    first = eddsa.add_proof(unsigned, key, verification_method=method, proof_id="urn:uuid:first")
    return eddsa.add_proof(first, key, verification_method=method, previous_proof=second_names)


def test_the_w3c_signed_vector_verifies_and_a_changed_one_does_not():
    signed = json.loads((VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json").read_text())
    assert _errors(signed) == [None]
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["alumniOf"] = "Another School"
    assert "does not match" in _errors(changed)[0]


def test_a_proof_set_verifies_only_when_every_proof_does(unsigned, w3c_key, method):
    signed = eddsa.add_proof(unsigned, w3c_key, verification_method=method)
    pair = eddsa.add_proof(
        signed, w3c_key, verification_method=method, created="2026-01-01T00:00:00Z"
    )
    assert _errors(pair) == [None, None]

    pair["proof"][1]["proofValue"] = pair["proof"][0]["proofValue"]  # the second one corrupted
    errors = _errors(pair)
    assert errors[0] is None and "does not match" in errors[1]


@pytest.mark.parametrize("names", ["urn:uuid:first", ["urn:uuid:first"]])
def test_a_chained_proof_signs_the_proof_it_names(unsigned, w3c_key, method, names):
    chained = _chain(unsigned, w3c_key, method, second_names=names)
    assert chained["proof"][1]["previousProof"] == names
    assert _errors(chained) == [None, None]

    without_previous = copy.deepcopy(chained)  # the chained proof alone, as if it were a set
    without_previous["proof"] = [chained["proof"][1]]
    assert "urn:uuid:first: no proof with that id" in _errors(without_previous)[0]


def test_a_previous_proof_that_names_no_proof_fails(unsigned, w3c_key, method):
    chained = _chain(unsigned, w3c_key, method)
    chained["proof"][1]["previousProof"] = "urn:uuid:missing"
    errors = _errors(chained)
    assert errors[0] is None
    assert "previousProof names urn:uuid:missing: no proof with that id" in errors[1]


def test_a_previous_proof_that_is_not_an_id_fails(unsigned, w3c_key, method):
    chained = _chain(unsigned, w3c_key, method)
    chained["proof"][1]["previousProof"] = 456321
    assert "not a proof id" in _errors(chained)[1]


def test_a_chained_proof_fails_when_a_proof_before_it_fails(unsigned, w3c_key, method):
    """Only the first proof's key is bad, yet the whole chain after it does not verify."""
    other = Ed25519PrivateKey.generate()
    other_method = multikey.did_key_verification_method(other.public_key())
    first = eddsa.add_proof(unsigned, other, verification_method=other_method, proof_id="urn:1")
    second = eddsa.add_proof(
        first, w3c_key, verification_method=method, proof_id="urn:2", previous_proof="urn:1"
    )
    third = eddsa.add_proof(second, w3c_key, verification_method=method, previous_proof="urn:2")

    def resolve(vm):
        if vm == other_method:
            raise KeyResolutionError("this key was reported compromised")
        return resolve_did_key(vm)

    results = proofs.verify_proofs(third, resolve, key_errors=(KeyResolutionError,))
    assert [r.error for r in results] == [
        "this key was reported compromised",
        "the proof it chains to (urn:1) does not verify",
        "the proof it chains to (urn:2) does not verify",
    ]
    assert [r.error for r in proofs.verify_proofs(third, resolve_did_key)] == [None] * 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cryptosuite", "UnknownCryptosuite", "unknown cryptosuite 'UnknownCryptosuite'"),
        ("type", "UnknownProofType", "unsupported proof type 'UnknownProofType'"),
        ("proofPurpose", "authentication", "proofPurpose is 'authentication'"),
        ("created", "invalidDate", "created is not a date and time"),
        ("expires", "2026-01-01T00:00:00Z", "the proof expired"),
    ],
)
def test_a_proof_the_verifier_cannot_accept_fails_and_says_why(
    unsigned, w3c_key, method, field, value, message
):
    signed = eddsa.add_proof(unsigned, w3c_key, verification_method=method)
    good = signed["proof"][0]
    signed["proof"].append({**good, field: value})
    errors = _errors(signed)
    assert errors[0] is None
    assert message in errors[1]


def test_a_document_without_any_proof_is_refused(unsigned):
    with pytest.raises(proofs.ProofError, match="no proof"):
        _verify(unsigned)
    with pytest.raises(proofs.ProofError, match="not an object"):
        _verify({**unsigned, "proof": "z123"})


# --- through the platform's verification ----------------------------------------------------


def _platform_method(credential) -> tuple:
    key = keys.active_key()
    return key, keys.verification_method(key)


def test_a_credential_whose_second_proof_is_corrupted_is_invalid(issued):
    key, method = _platform_method(issued)
    pair = eddsa.add_proof(
        issued.document, key.private, verification_method=method, created="2026-01-01T00:00:00Z"
    )
    assert verify_document(pair)["status"] == "valid"

    pair["proof"][1]["proofValue"] = pair["proof"][0]["proofValue"]
    result = verify_document(pair)
    assert result["status"] == "invalid" and result["verified"] is False
    proof = next(c for c in result["checks"] if c["name"] == "proof")
    assert proof["outcome"] == "fail" and proof["detail"].startswith("proof 2:")


def test_a_credential_whose_chain_names_a_missing_proof_is_invalid(issued):
    key, method = _platform_method(issued)
    unsigned = {k: v for k, v in issued.document.items() if k != "proof"}
    first = eddsa.add_proof(unsigned, key.private, verification_method=method, proof_id="urn:1")
    chained = eddsa.add_proof(
        first, key.private, verification_method=method, previous_proof="urn:1"
    )
    assert verify_document(chained)["status"] == "valid"

    chained["proof"][1]["previousProof"] = "urn:uuid:absent"
    result = verify_document(chained)
    assert result["status"] == "invalid"
    assert "no proof with that id" in next(
        c["detail"] for c in result["checks"] if c["name"] == "proof"
    )


def test_a_credential_with_a_proof_of_an_unknown_cryptosuite_is_invalid(issued):
    document = copy.deepcopy(issued.document)
    document["proof"].append({**document["proof"][0], "cryptosuite": "ecdsa-rdfc-2019"})
    result = verify_document(document)
    assert result["status"] == "invalid"
    assert "unknown cryptosuite 'ecdsa-rdfc-2019'" in next(
        c["detail"] for c in result["checks"] if c["name"] == "proof"
    )
