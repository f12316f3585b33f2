"""The pure VC library: sign/verify round trips, tampering, wrong keys, dates, status lists,
refusal of undefined terms, did:web documents. No Django."""

import copy
import json
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certification.vc import did, eddsa, jsonld, multikey, openbadge, status_list, verify
from tests.support.standards import FIXTURES

SCHEMA = FIXTURES / "ob_v3p0_achievementcredential_schema.json"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LIST_URL = "https://practica.test/credentials/status/1"


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def _badge(key, *, valid_from=NOW - timedelta(days=1), days=730, index=7) -> dict:
    data = openbadge.BadgeData(
        credential_url="https://practica.test/credentials/0b7e2c1a-1111-4a4a-9c9c-123456789abc",
        issuer_id=multikey.did_key(key.public_key()),
        issuer_name="Practica",
        issuer_url="https://practica.test",
        achievement_url="https://practica.test/certifications/ap-specialist",
        achievement_name="AI Deployment Specialist: Finance Operations",
        achievement_description="Redesigns finance workflows with AI agents.",
        achievement_level="specialist",
        criteria="Pass every critical checkpoint and reach 70% overall.",
        holder_name="Casey Candidate",
        valid_from=valid_from,
        valid_until=valid_from + timedelta(days=days),
        total=81.25,
        cut_score=70,
        domains=[
            openbadge.Domain("controls", "Controls and approvals", 0.4, 90.0),
            openbadge.Domain("operations", "Operations", 0.6, 75.5),
        ],
        status=status_list.status_entry(LIST_URL, index),
        evidence_narrative="Redesigned accounts-payable invoice handling; simulated on 2,000 cases.",
    )
    doc = openbadge.open_badge_credential(data)
    return eddsa.sign(
        doc, key, verification_method=multikey.did_key_verification_method(key.public_key())
    )


def _status_list(key, revoked: set[int] = frozenset()) -> dict:
    bits = status_list.empty()
    for index in revoked:
        status_list.set_bit(bits, index, True)
    unsigned = status_list.status_list_credential(
        list_url=LIST_URL,
        issuer=multikey.did_key(key.public_key()),
        bits=bits,
        valid_from="2026-01-01T00:00:00Z",
    )
    method = multikey.did_key_verification_method(key.public_key())
    return eddsa.sign(unsigned, key, verification_method=method)


RESOLVE = verify.key_resolver(lambda method: None)


def _verify(document, fetch=None):
    return verify.verify_credential(document, resolve_key=RESOLVE, fetch_status=fetch, now=NOW)


@pytest.fixture(scope="module")
def signed(key):
    return _badge(key)


@pytest.fixture(scope="module")
def fetch_clean(key):
    published = _status_list(key)
    return lambda url: published


def test_signed_badge_verifies_with_every_check_passing(signed, fetch_clean):
    result = _verify(signed, fetch_clean)

    assert result.status == "valid"
    assert {c.name: c.outcome for c in result.checks} == {
        "issuer_key": "pass",
        "proof": "pass",
        "dates": "pass",
        "status": "pass",
    }


def test_proof_is_a_one_element_array_of_eddsa_rdfc_2022(signed):
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 1
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"][0]["proofValue"].startswith("z")


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path


def _tampered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    return f"{value}x"


def test_tampering_with_any_field_is_detected(signed, fetch_clean):
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    paths = [p for p in _leaves(unsigned) if p[0] != "@context"]
    assert len(paths) > 40
    for path in paths:
        doc = copy.deepcopy(signed)
        node = doc
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = _tampered(node[path[-1]])
        result = _verify(doc, fetch_clean)
        assert result.status == "invalid", f"tampering with {path} went unnoticed"


def test_an_added_field_is_detected_and_an_undefined_one_is_refused(signed, fetch_clean):
    doc = copy.deepcopy(signed)
    doc["credentialSubject"]["narrative"] = "also a CEO"  # defined by OB: breaks the signature
    assert _verify(doc, fetch_clean).status == "invalid"
    doc = copy.deepcopy(signed)
    doc["credentialSubject"]["ceo"] = True  # undefined: would be dropped, so it is refused
    result = _verify(doc, fetch_clean)
    assert result.status == "invalid"
    assert "not defined" in next(c.detail for c in result.checks if c.name == "proof")


def test_signing_refuses_a_document_with_undefined_terms(key, signed):
    doc = {k: v for k, v in copy.deepcopy(signed).items() if k != "proof"}
    doc["achievement_secret"] = "x"
    with pytest.raises(jsonld.UndefinedTermError, match="achievement_secret"):
        eddsa.sign(
            doc, key, verification_method=multikey.did_key_verification_method(key.public_key())
        )
    doc = {k: v for k, v in copy.deepcopy(signed).items() if k != "proof"}
    doc["type"].append("MadeUpType")
    with pytest.raises(jsonld.UndefinedTermError, match="MadeUpType"):
        jsonld.canonize(doc)


def test_a_context_that_is_not_bundled_is_never_fetched(signed):
    doc = {k: v for k, v in copy.deepcopy(signed).items() if k != "proof"}
    doc["@context"].append("https://example.org/evil-context.jsonld")
    with pytest.raises(jsonld.ContextNotAvailable):
        jsonld.canonize(doc)


def test_signature_by_another_key_is_rejected(key, signed, fetch_clean):
    other = Ed25519PrivateKey.generate()
    doc = copy.deepcopy(signed)
    # The proof names our key but was made by another: the signature fails.
    forged = _badge(other)
    doc["proof"][0]["proofValue"] = forged["proof"][0]["proofValue"]
    assert _verify(doc, fetch_clean).status == "invalid"
    # Signed by another key that claims to be us: the key does not belong to the issuer.
    forged["issuer"]["id"] = multikey.did_key(key.public_key())
    result = _verify(forged, fetch_clean)
    assert result.status == "invalid"
    assert next(c for c in result.checks if c.name == "issuer_key").outcome == "fail"


def test_expired_and_not_yet_valid_credentials(key):
    expired = _badge(key, valid_from=NOW - timedelta(days=800), days=730)
    future = _badge(key, valid_from=NOW + timedelta(days=2))
    fetch = lambda url: _status_list(key)
    assert _verify(expired, fetch).status == "expired"
    assert _verify(future, fetch).status == "not_yet_valid"


def test_the_dates_check_says_which_limits_the_credential_has(signed, fetch_clean):
    detail = next(c.detail for c in _verify(signed, fetch_clean).checks if c.name == "dates")
    assert detail == f"valid from {signed['validFrom']} until {signed['validUntil']}"
    undated = {k: v for k, v in signed.items() if k not in ("validFrom", "validUntil")}
    detail = next(c.detail for c in _verify(undated, fetch_clean).checks if c.name == "dates")
    assert detail == "no validFrom or validUntil: no date limit"


@pytest.mark.parametrize(
    "make",
    [
        lambda doc: doc | {"@context": ["https://example.org/other"]},
        lambda doc: doc | {"type": ["OpenBadgeCredential"]},
        lambda doc: {"name": "x"},
    ],
    ids=["other-context", "not-a-vc-type", "plain-object"],
)
def test_a_document_that_is_not_a_credential_fails_on_format_alone(signed, make):
    result = _verify(make(dict(signed)))
    assert result.status == "invalid"
    assert [(c.name, c.outcome) for c in result.checks] == [("format", "fail")]


def test_revoked_bit_on_the_status_list_revokes(key, signed):
    published = _status_list(key, revoked={7})
    result = _verify(signed, lambda url: published)
    assert result.status == "revoked"
    other = _status_list(key, revoked={8})
    assert _verify(signed, lambda url: other).status == "valid"


@pytest.mark.parametrize(
    "problem",
    ["unreachable", "no fetcher", "tampered list", "list by another issuer"],
)
def test_status_that_cannot_be_obtained_is_unknown_never_valid(key, signed, problem):
    published = _status_list(key)
    if problem == "unreachable":

        def fetch(url):
            raise status_list.StatusUnavailable("connection refused")

    elif problem == "no fetcher":
        fetch = None
    elif problem == "tampered list":
        tampered = copy.deepcopy(_status_list(key, revoked={7}))
        tampered["credentialSubject"]["encodedList"] = published["credentialSubject"]["encodedList"]
        fetch = lambda url: tampered
    else:
        foreign = _status_list(Ed25519PrivateKey.generate())
        fetch = lambda url: foreign
    result = _verify(signed, fetch)
    assert result.status == "status_unknown"
    assert next(c for c in result.checks if c.name == "status").outcome == "unknown"


def test_status_list_bits_round_trip_through_the_encoding():
    bits = status_list.empty()
    assert len(bits) * 8 == 131_072
    for index in (0, 7, 8, 65_535, 131_071):
        status_list.set_bit(bits, index, True)
    decoded = status_list.decode(status_list.encode(bits))
    assert [i for i in range(131_072) if status_list.get_bit(decoded, i)] == [
        0,
        7,
        8,
        65_535,
        131_071,
    ]
    assert status_list.encode(bits).startswith("u")
    status_list.set_bit(decoded, 7, False)
    assert not status_list.get_bit(decoded, 7)
    # Bit 0 is the most significant bit of the first byte.
    assert decoded[0] == 0x80


def test_multikey_and_did_key_round_trip(key):
    public = key.public_key()
    mb = multikey.public_multibase(public)
    assert mb.startswith("z6Mk")
    assert (
        multikey.resolve_did_key(f"did:key:{mb}#{mb}").public_bytes_raw()
        == public.public_bytes_raw()
    )
    restored = multikey.private_from_multibase(multikey.private_multibase(key))
    assert restored.public_key().public_bytes_raw() == public.public_bytes_raw()
    with pytest.raises(ValueError):
        multikey.resolve_did_key(f"did:key:{mb}#z6Mkother")


def test_did_web_document_lists_every_key_as_assertion_method(key):
    identifier = did.did_web("practica.test:8443")
    assert identifier == "did:web:practica.test%3A8443"
    assert (
        did.did_web_document_url("did:web:practica.test")
        == "https://practica.test/.well-known/did.json"
    )
    other = Ed25519PrivateKey.generate().public_key()
    document = did.did_document(
        "did:web:practica.test", [("key-1", key.public_key()), ("key-2", other)]
    )
    assert document["assertionMethod"] == [
        "did:web:practica.test#key-1",
        "did:web:practica.test#key-2",
    ]
    assert document["verificationMethod"][1]["publicKeyMultibase"] == multikey.public_multibase(
        other
    )
    assert document["verificationMethod"][0]["type"] == "Multikey"


def test_badge_validates_against_the_official_ob3_schema(signed):
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(schema)
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(signed)]
    assert errors == []
    assert "credentialSchema" not in signed


def _pyld_own_nquads(document: dict) -> str:
    """RDFC-1.0 by pyld alone: no memo, no dropped-term checks."""
    from pyld import jsonld as pyld

    options = {"documentLoader": jsonld.document_loader, "base": None}
    return pyld.normalize(
        document, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"}
    )


def test_memoised_canonicalisation_gives_pyld_own_nquads(key, signed):
    """The type-scoped-context memo (most of signing's speed) changes nothing: the badge (OB
    gives many of its types a scoped context) and a status list, cold and warm."""
    documents = [
        {k: v for k, v in signed.items() if k != "proof"},
        {k: v for k, v in _status_list(key).items() if k != "proof"},
    ]
    jsonld._TYPE_SCOPED_MEMO.clear()
    for _ in range(2):
        for document in documents:
            assert jsonld.canonize(document) == _pyld_own_nquads(document)
    assert jsonld._TYPE_SCOPED_MEMO  # it was used


def test_the_memo_never_answers_for_another_documents_scoped_context():
    """Two documents alike but for what their own type-scoped context says a term means: each
    gets its own triples, as pyld alone gives them."""

    def document(meaning: str) -> dict:
        return {
            "@context": [
                jsonld.VC_V2,
                {
                    "Widget": {
                        "@id": "https://example.org/vocab#Widget",
                        "@context": {"label": f"https://example.org/{meaning}#label"},
                    }
                },
            ],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer",
            "credentialSubject": {"type": "Widget", "label": "blue"},
        }

    first, second = document("colour"), document("size")
    assert jsonld.canonize(first) == _pyld_own_nquads(first)
    assert jsonld.canonize(second) == _pyld_own_nquads(second)
    assert "example.org/size#label" in jsonld.canonize(second)
    assert "example.org/colour#label" not in jsonld.canonize(second)
