"""did:web identifiers and DID documents listing an issuer's Multikey verification methods."""

from urllib.parse import quote, unquote

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .multikey import multikey_method

DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"


def did_web(domain: str) -> str:
    """``example.com`` → ``did:web:example.com``; a port is percent-encoded as the spec says."""
    host, *path = domain.strip("/").split("/")
    return ":".join(["did:web", quote(host, safe=""), *path])


def did_web_document_url(did: str) -> str:
    """Where a did:web DID document lives (https, ``/.well-known/did.json`` without a path)."""
    if not did.startswith("did:web:"):
        raise ValueError("not a did:web")
    host, *path = did.removeprefix("did:web:").split(":")
    tail = "/".join(path) + "/did.json" if path else ".well-known/did.json"
    return f"https://{unquote(host)}/{tail}"


def did_document(did: str, keys: list[tuple[str, Ed25519PublicKey]]) -> dict:
    """A DID document whose ``assertionMethod`` lists ``keys`` (fragment, public key): every key
    that ever signed and was not compromised, so old credentials keep verifying."""
    methods = [multikey_method(did, f"{did}#{fragment}", public) for fragment, public in keys]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
        "authentication": [m["id"] for m in methods],
    }


def controller_of(verification_method: str) -> str:
    """The DID a verification method belongs to (the part before ``#``)."""
    return verification_method.partition("#")[0]
