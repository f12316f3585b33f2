"""Writes on employers: accounts and members (by programme staff), API keys (by members). Every
change writes an audit row in its transaction."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from audit.services import audit_record
from config.errors import Conflict, InvalidRequest

from . import keys
from .models import ApiKey, Employer, EmployerMember

# Words the page URLs use under /employers/: never an employer's slug.
RESERVED_SLUGS = {"volume", "keys", "verify", "new"}
MAX_ACTIVE_KEYS = 20


def employer_create(*, actor: User, name: str, slug: str = "") -> Employer:
    """Create an employer account (programme staff). InvalidRequest for an empty name or a
    reserved slug; Conflict when the slug is taken."""
    name = name.strip()
    slug = slugify(slug or name)[:50]
    if not name or not slug:
        raise InvalidRequest("Give the employer a name.", code="invalid_employer")
    if slug in RESERVED_SLUGS:
        raise InvalidRequest(f"'{slug}' is reserved; choose another slug.", code="invalid_employer")
    try:
        with transaction.atomic():
            employer = Employer.objects.create(name=name, slug=slug)
            audit_record(
                actor=actor, action="employer.created", target=employer, data={"slug": slug}
            )
    except IntegrityError as error:
        raise Conflict(f"An employer with the slug '{slug}' exists.", code="slug_taken") from error
    return employer


def employer_rename(*, actor: User, employer: Employer, name: str) -> Employer:
    """Rename an employer (programme staff); the slug, in its URLs, stays."""
    name = name.strip()
    if not name:
        raise InvalidRequest("Give the employer a name.", code="invalid_employer")
    with transaction.atomic():
        Employer.objects.filter(pk=employer.pk).update(name=name)
        audit_record(actor=actor, action="employer.renamed", target=employer, data={"name": name})
    employer.refresh_from_db()
    return employer


def member_add(*, actor: User, employer: Employer, user: User) -> EmployerMember:
    """Make ``user`` a member of ``employer`` (programme staff). Idempotent."""
    with transaction.atomic():
        current = EmployerMember.objects.filter(
            employer=employer, user=user, removed_at__isnull=True
        ).first()
        if current:
            return current
        member = EmployerMember.objects.create(employer=employer, user=user)
        audit_record(
            actor=actor, action="employer.member_added", target=employer, data={"user": user.pk}
        )
    return member


def member_remove(*, actor: User, member: EmployerMember) -> EmployerMember:
    """End a membership (programme staff); the person loses the employer's pages at once. The
    keys they created stay valid (they belong to the employer): revoke them separately."""
    with transaction.atomic():
        updated = EmployerMember.objects.filter(pk=member.pk, removed_at__isnull=True).update(
            removed_at=timezone.now()
        )
        if updated:
            audit_record(
                actor=actor,
                action="employer.member_removed",
                target=member.employer,
                data={"user": member.user_id},
            )
    member.refresh_from_db()
    return member


def api_key_create(*, actor: User, employer: Employer, name: str) -> tuple[ApiKey, str]:
    """A new API key for ``employer``: returns the row and the key itself, which is never
    stored and cannot be shown again. InvalidRequest for a missing name or too many active
    keys (``MAX_ACTIVE_KEYS``)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidRequest(
            "Name the key (at most 100 characters), e.g. 'ATS import'.", code="invalid_key_name"
        )
    with transaction.atomic():
        Employer.objects.select_for_update().get(pk=employer.pk)  # counts below stay true
        if ApiKey.objects.filter(employer=employer, revoked_at__isnull=True).count() >= (
            MAX_ACTIVE_KEYS
        ):
            raise InvalidRequest(
                f"At most {MAX_ACTIVE_KEYS} active keys: revoke one you no longer use.",
                code="too_many_keys",
            )
        plaintext, prefix, digest = keys.generate()
        key = ApiKey.objects.create(
            employer=employer, name=name, prefix=prefix, digest=digest, created_by=actor
        )
        audit_record(
            actor=actor, action="employer.api_key_created", target=key, data={"prefix": prefix}
        )
    return key, plaintext


def api_key_revoke(*, actor: User, key: ApiKey) -> ApiKey:
    """Revoke a key: requests with it are refused (401) from now on. Conflict if it already is."""
    with transaction.atomic():
        updated = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if not updated:
            raise Conflict("This key is already revoked.", code="key_revoked")
        audit_record(
            actor=actor, action="employer.api_key_revoked", target=key, data={"prefix": key.prefix}
        )
    key.refresh_from_db()
    return key


def api_key_touch(*, key: ApiKey, every_seconds: int = 60) -> None:
    """Record that ``key`` was used: one conditional UPDATE, at most once a minute per key."""
    now = timezone.now()
    stale = now - timedelta(seconds=every_seconds)
    ApiKey.objects.filter(pk=key.pk).exclude(last_used_at__gte=stale).update(last_used_at=now)
    key.last_used_at = now
