"""Whom this platform's verification trusts: its own issuer ids and the issuers an operator
lists in ``TRUSTED_ISSUERS``.

Its own ids are its did:web and the did:key of every key that ever signed (current or retired),
unless the key was reported compromised. A correctly signed credential from any other issuer is
"signature valid, not issued by Practica" (``untrusted_issuer``), never "Valid": anyone can sign
a credential with a key of their own and write "Practica" as the issuer's name.
"""

from django.conf import settings

from . import keys
from .documents import ISSUER_NAME
from .vc import multikey
from .vc.verify import IssuerTrust

_own: dict[tuple[str, str], frozenset[str]] = {}


def own_issuer_ids() -> frozenset[str]:
    """This platform's issuer ids, recomputed only when the key registry (or the did:web
    domain) changes."""
    stamp = (keys.generation(), keys.did_web())
    found = _own.get(stamp)
    if found is None:
        found = frozenset(
            [keys.did_web(), *(multikey.did_key(k.public) for k in keys.published_keys())]
        )
        _own.clear()
        _own[stamp] = found
    return found


def trusted(issuer: str) -> str | None:
    """Why ``issuer`` is trusted, or None when it is not."""
    if issuer in own_issuer_ids():
        return f"{issuer} is one of {ISSUER_NAME}'s own issuer ids"
    if issuer in settings.TRUSTED_ISSUERS:
        return f"{issuer} is listed as trusted by this platform's operator"
    return None


PLATFORM = IssuerTrust(name=ISSUER_NAME, trusted=trusted)
