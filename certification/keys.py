"""Signing keys: files (or the environment), never the database.

``CREDENTIAL_KEYS_DIR`` holds ``manifest.json`` — every key that ever signed, with its public
key and state (``active``, ``retired``, ``compromised``) — and one ``<key-id>.key`` file per key
with its private key (multibase). Rotation adds a key and retires the previous one; retired keys
stay published so old credentials keep verifying. ``CREDENTIAL_SIGNING_KEY`` (a multibase private
key) overrides the active key's file, for deployments that inject secrets as environment values.
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from .vc import multikey


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None
    state: str

    @property
    def public_multibase(self) -> str:
        return multikey.public_multibase(self.public)


def _dir() -> Path:
    return Path(settings.CREDENTIAL_KEYS_DIR)


def _manifest_path() -> Path:
    return _dir() / "manifest.json"


def _read_manifest() -> dict:
    path = _manifest_path()
    if not path.exists():
        return {"keys": []}
    return json.loads(path.read_text())


def _write_manifest(manifest: dict) -> None:
    _dir().mkdir(parents=True, exist_ok=True)
    tmp = _manifest_path().with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=2))
    os.replace(tmp, _manifest_path())


def _new_key_id() -> str:
    return "key-" + datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")


def add_key() -> SigningKey:
    """Generate a key, make it the active one, retire the previous active key."""
    private = Ed25519PrivateKey.generate()
    key_id = _new_key_id()
    _dir().mkdir(parents=True, exist_ok=True)
    key_file = _dir() / f"{key_id}.key"
    key_file.write_text(multikey.private_multibase(private))
    key_file.chmod(0o600)
    manifest = _read_manifest()
    for entry in manifest["keys"]:
        if entry["state"] == "active":
            entry["state"] = "retired"
            entry["retired_at"] = datetime.now(UTC).isoformat()
    manifest["keys"].append(
        {
            "id": key_id,
            "public": multikey.public_multibase(private.public_key()),
            "state": "active",
            "created_at": datetime.now(UTC).isoformat(),
        }
    )
    _write_manifest(manifest)
    return SigningKey(key_id, private.public_key(), private, "active")


def mark_compromised(key_id: str) -> None:
    manifest = _read_manifest()
    entry = next((e for e in manifest["keys"] if e["id"] == key_id), None)
    if entry is None:
        raise KeyError(key_id)
    entry["state"] = "compromised"
    entry["compromised_at"] = datetime.now(UTC).isoformat()
    _write_manifest(manifest)
    key_file = _dir() / f"{key_id}.key"
    if key_file.exists():
        key_file.unlink()


def all_keys() -> list[SigningKey]:
    return [
        SigningKey(e["id"], multikey.public_from_multibase(e["public"]), None, e["state"])
        for e in _read_manifest()["keys"]
    ]


def active_key() -> SigningKey:
    """The key that signs now; created on first use when none exists (development)."""
    env_value = settings.CREDENTIAL_SIGNING_KEY
    if env_value:
        private = multikey.private_from_multibase(env_value)
        public = multikey.public_multibase(private.public_key())
        entry = next((e for e in _read_manifest()["keys"] if e["public"] == public), None)
        key_id = entry["id"] if entry else "key-env"
        return SigningKey(key_id, private.public_key(), private, "active")
    entry = next((e for e in _read_manifest()["keys"] if e["state"] == "active"), None)
    if entry is None:
        return add_key()
    private = multikey.private_from_multibase((_dir() / f"{entry['id']}.key").read_text().strip())
    return SigningKey(entry["id"], private.public_key(), private, "active")


# --- issuer identity -----------------------------------------------------------------------


def uses_did_web() -> bool:
    return settings.CREDENTIAL_ISSUER_METHOD == "did:web"


def did_web() -> str:
    domain = settings.CREDENTIAL_DID_WEB_DOMAIN or settings.PUBLIC_BASE_URL.split("://", 1)[-1]
    return "did:web:" + domain.replace(":", "%3A").replace("/", ":")


def issuer_id(key: SigningKey) -> str:
    return did_web() if uses_did_web() else multikey.did_key(key.public)


def verification_method(key: SigningKey) -> str:
    if uses_did_web():
        return f"{did_web()}#{key.key_id}"
    return multikey.did_key_verification_method(key.public)


def did_document() -> dict:
    """The did:web DID document: every key that ever signed, unless compromised."""
    did = did_web()
    methods = [
        multikey.multikey_method(did, f"{did}#{k.key_id}", k.public)
        for k in all_keys()
        if k.state != "compromised"
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


class UnknownKey(ValueError):
    pass


def resolve(verification_method_id: str) -> Ed25519PublicKey:
    """Public key for a verification method: did:key offline; did:web of this platform from the
    manifest. A compromised key never resolves."""
    if verification_method_id.startswith("did:key:"):
        key = multikey.resolve_did_key(verification_method_id)
        public = multikey.public_multibase(key)
        if any(k.public_multibase == public and k.state == "compromised" for k in all_keys()):
            raise UnknownKey("this key was reported compromised")
        return key
    did, _, fragment = verification_method_id.partition("#")
    if did == did_web():
        for k in all_keys():
            if k.key_id == fragment:
                if k.state == "compromised":
                    raise UnknownKey("this key was reported compromised")
                return k.public
        raise UnknownKey(f"{verification_method_id} is not one of this issuer's keys")
    raise UnknownKey(
        f"cannot resolve {did} without the network; only this platform's keys and did:key are known"
    )
