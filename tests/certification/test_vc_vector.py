"""The W3C vc-di-eddsa test vector for eddsa-rdfc-2022, reproduced byte for byte, and the
bundled contexts proven equal to the published ones. Both read the standards' own files from
the project's copies in ``tests/fixtures/standards`` (see the README there)."""

import hashlib
import json

import pytest

from certification.vc import eddsa, jsonld, multikey
from tests.support.standards import FIXTURES

VECTORS = FIXTURES / "vc-di-eddsa-test-vectors"
RDFC = VECTORS / "eddsa-rdfc-2022"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def _text(name: str) -> str:
    return (RDFC / name).read_text().strip()


@pytest.fixture
def examples_context():
    # The vector uses the W3C examples context; no registry package ships its v2, so the
    # test registers the published file for the duration of the test only.
    document = json.loads((FIXTURES / "contexts" / "credentials-examples-v2.jsonld").read_text())
    jsonld.register_context(EXAMPLES_V2, document)
    yield
    jsonld.unregister_context(EXAMPLES_V2)


@pytest.fixture
def key_pair():
    pair = json.loads((VECTORS / "keyPair.json").read_text())
    private = multikey.private_from_multibase(pair["privateKeyMultibase"])
    assert multikey.public_multibase(private.public_key()) == pair["publicKeyMultibase"]
    return private


def test_canonical_document_and_hashes_match_the_vector(examples_context):
    unsigned = json.loads((VECTORS / "unsigned.json").read_text())
    config = json.loads(_text("proofConfigDataInt.json"))

    canonical_doc = jsonld.canonize(unsigned)
    canonical_proof = jsonld.canonize(config)

    assert canonical_doc.strip() == _text("canonDocDataInt.txt")
    assert canonical_proof.strip() == _text("proofCanonDataInt.txt")
    assert hashlib.sha256(canonical_doc.encode()).hexdigest() == _text("docHashDataInt.txt")
    assert hashlib.sha256(canonical_proof.encode()).hexdigest() == _text("proofHashDataInt.txt")
    assert eddsa.hash_data(unsigned, config).hex() == _text("combinedHashDataInt.txt")


def test_signature_matches_the_vector_and_verifies(examples_context, key_pair):
    unsigned = json.loads((VECTORS / "unsigned.json").read_text())
    expected = json.loads(_text("signedDataInt.json"))
    method = expected["proof"]["verificationMethod"]

    signed = eddsa.sign(
        unsigned,
        key_pair,
        verification_method=method,
        created=expected["proof"]["created"],
        proof_as_list=False,
    )

    assert signed == expected
    assert signed["proof"]["proofValue"] == _text("sigBTC58DataInt.txt")
    assert eddsa.verify(expected, multikey.resolve_did_key)["verification_method"] == method


@pytest.mark.parametrize(
    ("bundled", "published"),
    [
        ("credentials-v2.jsonld", "credentials-v2.jsonld"),
        ("ob-context-3.0.3.json", "ob-context-3.0.3.json"),
    ],
)
def test_bundled_contexts_equal_the_published_ones(bundled, published):
    ours = json.loads((jsonld.CONTEXTS_DIR / bundled).read_text())
    theirs = json.loads((FIXTURES / "contexts" / published).read_text())
    assert ours == theirs
