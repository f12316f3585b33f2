"""Reads on credentials. The public surfaces go through these."""

from django.core.cache import cache
from django.db.models import F, QuerySet

from .models import Credential
from .verification import verify_document

VERIFY_CACHE_SECONDS = 300


def credential_public(credential_id) -> Credential | None:
    """A credential for the public surfaces, with what they show in one query."""
    return (
        Credential.objects.select_related("certification", "status_list")
        .filter(pk=credential_id)
        .annotate(successor=F("superseded_by__pk"))
        .first()
    )


def credentials_of(user) -> QuerySet[Credential]:
    return Credential.objects.filter(holder=user).select_related("certification")


def _expires_within(credential: Credential) -> int:
    from django.utils import timezone

    left = (credential.valid_until - timezone.now()).total_seconds()
    return max(1, min(VERIFY_CACHE_SECONDS, int(left)))


def verify_stored(credential: Credential) -> dict:
    """Verification of a credential issued here, cached until anything it depends on changes:
    the key carries the status-list version, the suspension state, the successor and the
    signing key (a re-sign changes it), and the entry lives no longer than the credential's
    validity, so expiry is never served stale. ``credential`` should come from
    ``credential_public`` (status list and successor loaded)."""
    successor = getattr(credential, "successor", None)
    version = credential.status_list.version
    suspended = credential.suspended_at.timestamp() if credential.suspended_at else 0
    key = (
        f"cred-verify:{credential.pk}:{version}:{suspended}:{successor}:{credential.signing_key_id}"
    )
    result = cache.get(key)
    if result is None:
        result = verify_document(credential.document)
        cache.set(key, result, timeout=_expires_within(credential))
    return result
