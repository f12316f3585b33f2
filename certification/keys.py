"""Signing keys: files (or the environment), never the database.

``CREDENTIAL_KEYS_DIR`` holds ``manifest.json`` — every key that ever signed, with its public
key and state (``active``, ``retired``, ``compromised``) — and one ``<key-id>.key`` file per key
with its private key (multibase). Rotation adds a key and retires the previous one; retired keys
stay published so old credentials keep verifying. ``CREDENTIAL_SIGNING_KEY`` (a multibase private
key) overrides the active key's file, for deployments that inject secrets as environment values.
"""

import fcntl
import json
import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from . import conf
from .key_generation import generation, manifest_path, registry_snapshot  # noqa: F401 (keys.*)
from .vc import did, multikey
from .vc.verify import KeyResolutionError, key_resolver


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


_manifest_cache: dict[tuple, dict] = {}


def _read_manifest() -> dict:
    """The manifest, re-read only when the file changes (verification resolves keys often)."""
    path = manifest_path()
    try:
        info = path.stat()
        # A rewrite replaces the file (new inode), so this changes even within one clock tick.
        stamp = (str(path), info.st_ino, info.st_mtime_ns, info.st_size)
    except FileNotFoundError:
        return {"keys": []}
    if stamp not in _manifest_cache:
        _manifest_cache.clear()
        _manifest_cache[stamp] = json.loads(path.read_text())
    return json.loads(json.dumps(_manifest_cache[stamp]))  # callers may edit their copy


def _write_manifest(manifest: dict) -> None:
    _dir().mkdir(parents=True, exist_ok=True)
    tmp = manifest_path().with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=2))
    os.replace(tmp, manifest_path())


def _new_key_id() -> str:
    return f"key-{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


@contextmanager
def _registry_lock():
    """Serialise changes to the manifest across threads and processes (issuers creating the
    first key, a rotation during issuance): read-modify-write under an exclusive file lock."""
    _dir().mkdir(parents=True, exist_ok=True)
    with open(_dir() / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_private(key_id: str, private: Ed25519PrivateKey) -> None:
    # Created 0600 from the start: never readable by others, not even for a moment.
    fd = os.open(_dir() / f"{key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(multikey.private_multibase(private))


def add_key() -> SigningKey:
    """Generate a key, make it the active one, retire the previous active key."""
    with _registry_lock():
        return _add_key_locked()


def _add_key_locked() -> SigningKey:
    private = Ed25519PrivateKey.generate()
    key_id = _new_key_id()
    _write_private(key_id, private)
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
    with _registry_lock():
        _mark_compromised_locked(key_id)


def _mark_compromised_locked(key_id: str) -> None:
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


class NoSigningKey(RuntimeError):
    pass


def _load_private(key_id: str) -> Ed25519PrivateKey:
    path = _dir() / f"{key_id}.key"
    if not path.exists():
        raise NoSigningKey(f"the private key file for {key_id} is missing from {_dir()}")
    return multikey.private_from_multibase(path.read_text().strip())


def _env_key() -> SigningKey:
    """CREDENTIAL_SIGNING_KEY: its public half is recorded in the manifest (so did:web
    publishes it and rotation history stays complete); the private half stays in the env."""
    private = multikey.private_from_multibase(settings.CREDENTIAL_SIGNING_KEY)
    public = multikey.public_multibase(private.public_key())
    entry = next((e for e in _read_manifest()["keys"] if e["public"] == public), None)
    if entry is None:
        with _registry_lock():
            entry = _record_env_key_locked(public)
    if entry["state"] == "compromised":
        raise NoSigningKey("CREDENTIAL_SIGNING_KEY holds a key reported compromised")
    return SigningKey(entry["id"], private.public_key(), private, "active")


def _record_env_key_locked(public: str) -> dict:
    manifest = _read_manifest()
    entry = next((e for e in manifest["keys"] if e["public"] == public), None)
    if entry is None:
        for other in manifest["keys"]:
            if other["state"] == "active":
                other["state"] = "retired"
                other["retired_at"] = datetime.now(UTC).isoformat()
        entry = {
            "id": _new_key_id(),
            "public": public,
            "state": "active",
            "source": "environment",
            "created_at": datetime.now(UTC).isoformat(),
        }
        manifest["keys"].append(entry)
        _write_manifest(manifest)
    return entry


def active_key() -> SigningKey:
    """The key that signs now. Without one, a key is created on first use unless
    CREDENTIAL_AUTO_CREATE_KEY is False (production), which raises NoSigningKey."""
    if settings.CREDENTIAL_SIGNING_KEY:
        return _env_key()
    entry = next((e for e in _read_manifest()["keys"] if e["state"] == "active"), None)
    if entry is None:
        if not conf.auto_create_key():
            raise NoSigningKey(f"no active signing key in {_dir()}; run rotate_signing_key")
        with _registry_lock():  # another issuer may have created it meanwhile
            entry = next((e for e in _read_manifest()["keys"] if e["state"] == "active"), None)
            if entry is None:
                return _add_key_locked()
    private = _load_private(entry["id"])
    return SigningKey(entry["id"], private.public_key(), private, "active")


def key_for_issuer(issuer: str) -> SigningKey:
    """A key that may sign for ``issuer``: for did:web any current key of ours, so the active
    one; for did:key only the very key the DID is (a retired key keeps signing the status lists
    of the credentials it issued, so their list and their issuer stay the same)."""
    active = active_key()
    if not issuer.startswith("did:key:") or issuer == multikey.did_key(active.public):
        return active
    mb = issuer.removeprefix("did:key:")
    entry = next(
        (e for e in _read_manifest()["keys"] if e["public"] == mb and e["state"] != "compromised"),
        None,
    )
    if entry is None:
        raise NoSigningKey(f"no usable key for {issuer}")
    private = _load_private(entry["id"])
    return SigningKey(entry["id"], private.public_key(), private, entry["state"])


# --- issuer identity -----------------------------------------------------------------------


def uses_did_web() -> bool:
    return settings.CREDENTIAL_ISSUER_METHOD == "did:web"


def did_web() -> str:
    domain = settings.CREDENTIAL_DID_WEB_DOMAIN or settings.PUBLIC_BASE_URL.split("://", 1)[-1]
    return did.did_web(domain)


def issuer_id(key: SigningKey) -> str:
    return did_web() if uses_did_web() else multikey.did_key(key.public)


def verification_method(key: SigningKey) -> str:
    if uses_did_web():
        return f"{did_web()}#{key.key_id}"
    return multikey.did_key_verification_method(key.public)


def published_keys() -> list[SigningKey]:
    """Every key that ever signed, unless it was reported compromised."""
    return [k for k in all_keys() if k.state != "compromised"]


def did_document() -> dict:
    """The did:web DID document: every key that ever signed, unless compromised."""
    return did.did_document(did_web(), [(k.key_id, k.public) for k in published_keys()])


def _did_web_key(method: str) -> Ed25519PublicKey | None:
    """This platform's did:web keys come from its own registry, never from the network."""
    owner, _, fragment = method.partition("#")
    if owner != did_web():
        return None
    return next((k.public for k in published_keys() if k.key_id == fragment), None)


def _compromised_did_key(method: str) -> bool:
    mb = method.removeprefix("did:key:").partition("#")[0]
    return any(k.public_multibase == mb and k.state == "compromised" for k in all_keys())


def resolve(method: str) -> Ed25519PublicKey:
    """Public key of a verification method: did:key offline, this platform's did:web from the
    manifest. A key reported compromised never resolves. Raises KeyResolutionError."""
    if method.startswith("did:key:") and _compromised_did_key(method):
        raise KeyResolutionError("this key was reported compromised")
    if method.startswith("did:web:") and method.partition("#")[0] != did_web():
        raise KeyResolutionError(
            f"{method.partition('#')[0]} is another issuer's did:web; this verifier resolves only "
            "its own (it never fetches from the network)"
        )
    return key_resolver(_did_web_key)(method)
