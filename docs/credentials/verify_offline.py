"""Verify a Practica credential offline, without any Practica code: pyld, cryptography, base58.

    python verify_offline.py credential.json --contexts DIR --status-list status.json
    python verify_offline.py credential.json --contexts DIR --no-status-check
                             [--did-document did.json]

DIR holds the two JSON-LD contexts the credential uses, credentials-v2.jsonld and
ob-context-3.0.3.json (offline-verification.md says where to get them). Exit codes:
0 valid (signature, issuer key, dates, and not revoked in the given status list; or, with
--no-status-check, everything but the status); 1 invalid, expired or revoked;
3 valid so far but the status was not checked (no --status-list): never assume "valid".
"""

import argparse
import base64
import gzip
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

STATUS_NOT_CHECKED = 3

CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
}


def loader_for(directory: Path):
    def load(url, options=None):
        if url not in CONTEXT_FILES:
            raise ValueError(f"refusing to fetch {url}: only the bundled contexts are allowed")
        document = json.loads((directory / CONTEXT_FILES[url]).read_text())
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def canonize(document: dict, loader) -> bytes:
    dropped = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    expanded = processor.expand(document, {"documentLoader": loader, "base": None})
    if dropped:  # an undefined field is not covered by the signature: reject it
        raise ValueError(f"fields not defined by the contexts: {dropped}")
    nquads = jsonld.normalize(
        expanded, {"algorithm": "URDNA2015", "format": "application/n-quads", "base": None}
    )
    return nquads.encode()


def public_key(method: str, did_document: dict | None) -> Ed25519PublicKey:
    if method.startswith("did:key:"):
        multibase = method.split("#")[0].removeprefix("did:key:")
    else:  # did:web: from the DID document saved from https://<domain>/.well-known/did.json
        entries = (did_document or {}).get("verificationMethod", [])
        multibase = next(m["publicKeyMultibase"] for m in entries if m["id"] == method)
    raw = base58.b58decode(multibase[1:])
    assert raw[:2] == b"\xed\x01", "the key is not an Ed25519 Multikey"
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def verify_proof(credential: dict, loader, did_document: dict | None) -> str:
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022", (
        "the proof is not an eddsa-rdfc-2022 DataIntegrityProof"
    )
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = credential["@context"]
    data = hashlib.sha256(canonize(config, loader)).digest()
    data += hashlib.sha256(canonize(unsigned, loader)).digest()
    method = proof["verificationMethod"]
    assert method.split("#")[0] == issuer_of(credential), "the signing key is not the issuer's"
    public_key(method, did_document).verify(base58.b58decode(proof["proofValue"][1:]), data)
    return method  # verify() raised InvalidSignature if anything was changed


def revoked(credential: dict, status_list: dict) -> bool:
    entry = credential["credentialStatus"]
    assert status_list["id"] == entry["statusListCredential"], "it is not this credential's list"
    encoded = status_list["credentialSubject"]["encodedList"][1:]  # multibase 'u'
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def why(exc: Exception) -> str:
    """A sentence for a failed check (some exceptions, InvalidSignature above all, have none)."""
    if isinstance(exc, InvalidSignature):
        return (
            "the signature does not match the document: it was changed after it was signed, "
            "or signed with another key"
        )
    if isinstance(exc, KeyError):
        return f"a required field is missing: {exc.args[0]!r}"
    if isinstance(exc, StopIteration):
        return "the DID document does not publish the signing key"
    return str(exc) or type(exc).__name__


def issuer_of(document: dict) -> str:
    issuer = document["issuer"]
    return issuer["id"] if isinstance(issuer, dict) else issuer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("credential", type=Path)
    parser.add_argument("--contexts", type=Path, required=True)
    status = parser.add_mutually_exclusive_group()
    status.add_argument("--status-list", type=Path, help="the saved status-list credential")
    status.add_argument(
        "--no-status-check",
        action="store_true",
        help="accept that revocation is not checked (exit 0 instead of 3)",
    )
    parser.add_argument("--did-document", type=Path)
    args = parser.parse_args()
    loader = loader_for(args.contexts)
    try:
        credential = json.loads(args.credential.read_text())
        did_document = json.loads(args.did_document.read_text()) if args.did_document else None
    except (OSError, ValueError) as exc:
        print(f"INVALID: cannot read the input: {exc}")
        return 1
    try:
        method = verify_proof(credential, loader, did_document)
    except Exception as exc:
        print(f"INVALID: {why(exc)}")
        return 1
    print(f"signature: valid (key {method})")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not credential["validFrom"] <= now < credential.get("validUntil", "9999"):
        print(
            f"EXPIRED or not yet valid: {credential['validFrom']} .. {credential.get('validUntil')}"
        )
        return 1
    print(f"dates: valid until {credential.get('validUntil')}")
    if args.status_list is None:
        print("status: UNKNOWN (not checked; pass --status-list to check revocation)")
        return 0 if args.no_status_check else STATUS_NOT_CHECKED
    try:
        status_list = json.loads(args.status_list.read_text())
        verify_proof(status_list, loader, did_document)
        assert issuer_of(status_list) == issuer_of(credential), "it is not the issuer's list"
        is_revoked = revoked(credential, status_list)
    except Exception as exc:
        print(f"status: UNKNOWN (the status list does not verify: {why(exc)})")
        return 1
    if is_revoked:
        print("REVOKED")
        return 1
    print("status: not revoked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
