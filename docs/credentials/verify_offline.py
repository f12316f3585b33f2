"""Verify a Practica credential offline, without any Practica code: pyld, cryptography, base58.

    python verify_offline.py credential.json --contexts DIR [--status-list status.json]
                             [--did-document did.json]

DIR holds the two JSON-LD contexts the credential uses, taken from their npm packages (see
offline-verification.md): credentials-v2.jsonld and ob-context-3.0.3.json. Exit code 0 when the
signature is valid, the key is the issuer's, the dates hold and (given a status list) the
credential is not revoked.
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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

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
    assert raw[:2] == b"\xed\x01", "not an Ed25519 Multikey"
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def verify_proof(credential: dict, loader, did_document: dict | None) -> str:
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = credential["@context"]
    data = hashlib.sha256(canonize(config, loader)).digest()
    data += hashlib.sha256(canonize(unsigned, loader)).digest()
    issuer = (
        credential["issuer"]["id"]
        if isinstance(credential["issuer"], dict)
        else credential["issuer"]
    )
    method = proof["verificationMethod"]
    assert method.split("#")[0] == issuer, "the signing key is not the issuer's"
    public_key(method, did_document).verify(base58.b58decode(proof["proofValue"][1:]), data)
    return method  # verify() raised InvalidSignature if anything was changed


def revoked(credential: dict, status_list: dict) -> bool:
    entry = credential["credentialStatus"]
    assert status_list["id"] == entry["statusListCredential"], "not this credential's list"
    encoded = status_list["credentialSubject"]["encodedList"][1:]  # multibase 'u'
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("credential", type=Path)
    parser.add_argument("--contexts", type=Path, required=True)
    parser.add_argument("--status-list", type=Path)
    parser.add_argument("--did-document", type=Path)
    args = parser.parse_args()
    loader = loader_for(args.contexts)
    credential = json.loads(args.credential.read_text())
    did_document = json.loads(args.did_document.read_text()) if args.did_document else None
    try:
        method = verify_proof(credential, loader, did_document)
    except Exception as exc:
        print(f"INVALID: {type(exc).__name__}: {exc}")
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
        print("status: not checked (pass --status-list; offline, status is unknown)")
        return 0
    status_list = json.loads(args.status_list.read_text())
    verify_proof(status_list, loader, did_document)
    issuer = (
        credential["issuer"]["id"]
        if isinstance(credential["issuer"], dict)
        else credential["issuer"]
    )
    assert status_list["issuer"] == issuer, "the status list is not the issuer's"
    if revoked(credential, status_list):
        print("REVOKED")
        return 1
    print("status: not revoked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
