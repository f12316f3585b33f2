"""API key material, plain Python: generating a key, its lookup prefix and its digest.

A key reads ``prk_<prefix>_<secret>``: ``prk_`` says what it is (secret scanners can match it),
the prefix (10 characters) finds the row, the secret is 32 random bytes (256 bits). Only the
SHA-256 of the whole key is stored: a salted slow hash protects guessable passwords, but a key
this long cannot be guessed, and a fast digest keeps every request cheap.
"""

import hashlib
import hmac
import re
import secrets

SCHEME = "prk"
_SHAPE = re.compile(r"prk_([a-z0-9]{10})_([A-Za-z0-9_-]{43})")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def generate() -> tuple[str, str, str]:
    """(key, prefix, digest) of a new key."""
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    key = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, digest(key)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    match = _SHAPE.fullmatch(key)
    return match.group(1) if match else None


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key), stored_digest)
