"""The proof seal: what issuance (and re-signing) knew of a credential's proof, kept on its row
so that by-ID verification need not re-canonicalise the document to check it again.

RDF canonicalisation (eddsa-rdfc-2022) costs about 10 ms a credential; a bulk of 10,000 IDs
on cold caches spent nearly all of its time there. A credential is never edited after it is
signed (only a re-sign replaces document and key together), so the answer of the proof check
for a given (credential, signing key, document) never changes. The seal records it:

    seal = HMAC-SHA256(key derived from SECRET_KEY, credential id | signing key id | SHA-256 of
           the document's JSON with sorted keys)

A seal is written only by the code that signed the document (``credential_issue``,
``credentials_resign_for_key``) or after a full proof check passed (``seal_credentials``).
Verification recomputes it from the row it reads: a document edited in the database (or a
seal copied to another row) no longer matches and the full check runs, which fails. The
seal is derived from the server's secret, so whoever can write the database cannot forge one.

What the seal does *not* settle is read live on every verification, as before: whether the
signing key still resolves (rotation keeps it, a compromise does not), whether the issuer is
trusted, the dates, the status list bit and suspension.
"""

import hashlib
import hmac
import json
import uuid

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "practica.certification.proof-seal.v1"


def _digest(document: dict) -> bytes:
    # Sorted keys: PostgreSQL's jsonb gives keys back in its own order, SQLite in the order
    # written; the seal must not depend on which.
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).digest()


def _message(pk: uuid.UUID | str, signing_key_id: str, document: dict) -> bytes:
    return f"{pk}|{signing_key_id}|".encode() + _digest(document)


def compute(*, pk: uuid.UUID | str, signing_key_id: str, document: dict) -> str:
    """The seal of a credential whose proof was checked (or just made) by this platform."""
    return salted_hmac(SALT, _message(pk, signing_key_id, document), algorithm="sha256").hexdigest()


def matches(seal: str, *, pk: uuid.UUID | str, signing_key_id: str, document: object) -> bool:
    """Whether ``seal`` is this row's seal, under the current secret or a fallback one
    (``SECRET_KEY_FALLBACKS``: rotating the secret does not make every credential slow)."""
    if not seal or not isinstance(document, dict):
        return False
    message = _message(pk, signing_key_id, document)
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        expected = salted_hmac(SALT, message, secret=secret, algorithm="sha256").hexdigest()
        if hmac.compare_digest(expected, seal):
            return True
    return False
