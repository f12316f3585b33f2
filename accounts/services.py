"""Writes about people and firms."""

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from audit.services import audit_record

from .models import Membership, PartnerOrganisation, Role, User


@transaction.atomic
def user_create(
    *, email: str, full_name: str, password: str | None, role: str = Role.CANDIDATE, **extra
) -> User:
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        role=role,
        is_staff=role == Role.PROGRAMME_ADMIN,
        **extra,
    )
    return user


@transaction.atomic
def membership_join(
    *,
    user: User,
    organisation: PartnerOrganisation,
    kind: str = Membership.Kind.CONSULTANT,
    actor: User | None = None,
) -> Membership:
    """Start a membership; joining a firm you already belong to (same kind) returns the
    existing one instead of creating a duplicate."""
    existing = Membership.objects.filter(
        user=user, organisation=organisation, kind=kind, left_at__isnull=True
    ).first()
    if existing:
        return existing
    membership = Membership.objects.create(user=user, organisation=organisation, kind=kind)
    audit_record(actor=actor, action="membership.joined", target=membership)
    return membership


@transaction.atomic
def membership_leave(
    *, membership: Membership, actor: User | None = None, reason: str = ""
) -> Membership:
    """End a membership now (``reason``: e.g. ``left``, ``ended_by_manager``); the row stays."""
    updated = Membership.objects.filter(pk=membership.pk, left_at__isnull=True).update(
        left_at=timezone.now()
    )
    membership.refresh_from_db()
    if updated:
        audit_record(actor=actor, action="membership.left", target=membership, reason=reason)
    return membership


def token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for ``user``: (the stored row, the token itself, shown once). It
    expires after ``REST_KNOX["TOKEN_TTL"]``."""
    return AuthToken.objects.create(user=user)


def token_revoke(*, token: AuthToken) -> None:
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, user: User, actor: User | None = None, reason: str) -> int:
    """Revoke every API token ``user`` holds ("log out everywhere"); returns how many. Audited
    with ``reason`` (``logout_all``, ``password_changed``)."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    if count:
        audit_record(
            actor=actor,
            action="auth.tokens_revoked",
            target=user,
            reason=reason,
            data={"count": count},
        )
    return count
