from django.core.cache import cache

from .models import Credential
from .verification import verify_document


def verify_stored(credential: Credential) -> dict:
    """Verification of a stored credential, cached until its state or its status list changes
    (the key carries the list version and the suspension state)."""
    list_version = (
        type(credential.status_list)
        .objects.filter(pk=credential.status_list_id)
        .values_list("version", flat=True)
        .first()
    )
    key = f"verify:{credential.pk}:{list_version}:{credential.suspended_at}:{credential.superseded_by_id}"
    result = cache.get(key)
    if result is None:
        result = verify_document(credential.document)
        cache.set(key, result, timeout=60)
    return result
