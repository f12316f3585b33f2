"""The proof seal: what issuance (and re-signing) knew of a credential's proof, kept on its row
so that by-ID verification need not re-canonicalise the document to check it again.

RDF canonicalisation (eddsa-rdfc-2022) costs about 10 ms a credential; a bulk of 10,000 IDs
on cold caches spent nearly all of its time there. A credential is never edited after it is
signed (only a re-sign replaces document and key together), so the answer of the proof check
for a given (credential, signing key, document) never changes. The seal records it:

    seal = HMAC-SHA256(key derived from SECRET_KEY, credential id | signing key id | SHA-256 of
           the document's text as the database stores it)

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
import uuid

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.crypto import salted_hmac

SALT = "practica.certification.proof-seal.v2"


def stored_text():
    """The document as the database itself writes it out (PostgreSQL's jsonb text, SQLite's
    stored text): the seal covers these exact characters, so checking it is one SHA-256 of
    the row's text, with no JSON decoding or re-encoding. Its bytes depend only on the stored
    value; if a database upgrade ever wrote it differently, seals would stop matching and
    verification would fall back to the full check (slower, never wrong)."""
    return Cast("document", TextField())


def _message(pk: uuid.UUID | str, signing_key_id: str, text: str) -> bytes:
    return f"{pk}|{signing_key_id}|".encode() + hashlib.sha256(text.encode()).digest()


def compute(*, pk: uuid.UUID | str, signing_key_id: str, text: str) -> str:
    """The seal of a credential whose proof was made or checked by this platform, over the
    database's text of its document (``stored_text``)."""
    return salted_hmac(SALT, _message(pk, signing_key_id, text), algorithm="sha256").hexdigest()


def matches(seal: str, *, pk: uuid.UUID | str, signing_key_id: str, text: object) -> bool:
    """Whether ``seal`` is this row's seal, under the current secret or a fallback one
    (``SECRET_KEY_FALLBACKS``: rotating the secret does not make every credential slow)."""
    if not seal or not isinstance(text, str):
        return False
    message = _message(pk, signing_key_id, text)
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        expected = salted_hmac(SALT, message, secret=secret, algorithm="sha256").hexdigest()
        if hmac.compare_digest(expected, seal):
            return True
    return False
