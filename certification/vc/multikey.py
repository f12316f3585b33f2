"""Ed25519 keys as Multikey (multibase base58btc with multicodec prefixes), and did:key."""

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_multibase(key: Ed25519PublicKey) -> str:
    return "z" + base58.b58encode(ED25519_PUB + _raw_public(key)).decode()


def private_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return "z" + base58.b58encode(ED25519_PRIV + raw).decode()


def _decode(value: str, prefix: bytes) -> bytes:
    if not value.startswith("z"):
        raise ValueError("only base58btc multibase ('z...') keys are supported")
    data = base58.b58decode(value[1:])
    if not data.startswith(prefix) or len(data) != len(prefix) + 32:
        raise ValueError("not an Ed25519 multikey")
    return data[len(prefix) :]


def public_from_multibase(value: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_decode(value, ED25519_PUB))


def private_from_multibase(value: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_decode(value, ED25519_PRIV))


def did_key(public: Ed25519PublicKey) -> str:
    return f"did:key:{public_multibase(public)}"


def did_key_verification_method(public: Ed25519PublicKey) -> str:
    mb = public_multibase(public)
    return f"did:key:{mb}#{mb}"


def resolve_did_key(verification_method: str) -> Ed25519PublicKey:
    """The public key of a did:key verification method, offline."""
    did, _, fragment = verification_method.partition("#")
    if not did.startswith("did:key:z"):
        raise ValueError("not a did:key")
    mb = did.removeprefix("did:key:")
    if fragment and fragment != mb:
        raise ValueError("did:key fragment does not match the key")
    return public_from_multibase(mb)


def multikey_method(controller: str, key_id: str, public: Ed25519PublicKey) -> dict:
    return {
        "id": key_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_multibase(public),
    }
