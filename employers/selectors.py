"""Reads on employers. Who may see an employer goes through here: its current members (a
programme admin manages employers in the Django admin and sees volume, not an employer's keys).
Another employer's object is "not found", never "forbidden"."""

from django.db.models import QuerySet

from accounts.models import User
from config.errors import NotFound

from . import keys
from .models import ApiKey, Employer


def employers_for(*, user: User) -> QuerySet[Employer]:
    """The employers ``user`` is a current member of."""
    if not user.is_authenticated:
        return Employer.objects.none()
    return Employer.objects.filter(members__user=user, members__removed_at__isnull=True).distinct()


def is_employer_member(user: User) -> bool:
    return employers_for(user=user).exists()


def employer_for_member(*, user: User, slug: str) -> Employer:
    employer = employers_for(user=user).filter(slug=slug).first()
    if employer is None:
        raise NotFound("No such employer.", code="employer_not_found")
    return employer


def api_keys_of(*, employer: Employer) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(employer=employer).select_related("created_by", "revoked_by")


def api_key_of(*, employer: Employer, key_id: int) -> ApiKey:
    key = api_keys_of(employer=employer).filter(pk=key_id).first()
    if key is None:
        raise NotFound("No such API key.", code="api_key_not_found")
    return key


def api_key_for(plaintext: str) -> ApiKey | None:
    """The key row ``plaintext`` is (revoked or not), or None when it is no key of ours."""
    prefix = keys.prefix_of(plaintext)
    if prefix is None:
        return None
    key = ApiKey.objects.select_related("employer").filter(prefix=prefix).first()
    if key is None or not keys.matches(plaintext, key.digest):
        return None
    return key
