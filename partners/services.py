"""Writes for partner firms: invitations and the ends of memberships.

Memberships are written only through ``accounts.services`` (which keeps their history and
audits joins and leaves); this module adds the invitation around them and its own audit rows.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Membership, PartnerOrganisation, User
from audit.services import audit_record
from config.errors import Conflict, Forbidden, InvalidRequest, NotFound

from .models import Invitation
from .snapshots import invalidate

DEFAULT_INVITATION_DAYS = 14


def invitation_days() -> int:
    return int(getattr(settings, "PARTNERS_INVITATION_DAYS", DEFAULT_INVITATION_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("partner-invitation", args=[token])


@transaction.atomic
def invitation_create(
    *, organisation: PartnerOrganisation, email: str, invited_by: User
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation``; returns (the invitation, the token for the link).

    The token is mailed (after commit) and not stored. A pending invitation for the same
    address is cancelled first, so only the newest link works."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise InvalidRequest("Give the email address to invite.", code="invalid_email")
    if Membership.objects.filter(
        organisation=organisation,
        user__email__iexact=email,
        kind=Membership.Kind.CONSULTANT,
        left_at__isnull=True,
    ).exists():
        raise Conflict(
            f"{email} is already a member of {organisation.name}.", code="already_member"
        )
    now = timezone.now()
    for old in Invitation.objects.select_for_update().filter(
        organisation=organisation, email=email, status=Invitation.Status.PENDING
    ):
        old.status, old.responded_at = Invitation.Status.CANCELLED, now
        old.save(update_fields=["status", "responded_at"])
        audit_record(actor=invited_by, action="invitation.cancelled", target=old, reason="reissued")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        token_hash=hash_token(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=invitation_days()),
    )
    audit_record(
        actor=invited_by,
        action="invitation.created",
        target=invitation,
        data={"organisation": organisation.slug, "email": email},
    )
    transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation, token


def _send_invitation(invitation: Invitation, token: str) -> None:
    context = {"invitation": invitation, "url": invitation_url(token)}
    send_mail(
        subject=f"Join {invitation.organisation.name} on Practica",
        message=render_to_string("partners/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link names, whatever its state (callers check it); NotFound if none."""
    queryset = Invitation.objects.select_related("organisation")
    if lock:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=hash_token(token or "")).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid.", code="invitation_not_found")
    return invitation


def check_open(invitation: Invitation) -> None:
    """Conflict unless the invitation can still be answered (pending and not expired)."""
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict(
            f"This invitation has already been {invitation.status}.", code="invitation_used"
        )
    if invitation.is_expired:
        raise Conflict(
            "This invitation has expired: ask the firm for a new one.", code="invitation_expired"
        )


def _check_recipient(invitation: Invitation, user: User) -> None:
    if user.email.lower() != invitation.email.lower():
        raise Forbidden(
            f"This invitation is for {invitation.email}; sign in with that address.",
            code="invitation_other_address",
        )


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """The invited person (signed in as the invited address) joins the firm as a consultant."""
    invitation = invitation_for_token(token, lock=True)
    check_open(invitation)
    _check_recipient(invitation, user)
    membership = accounts_services.membership_join(
        user=user, organisation=invitation.organisation, actor=user
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.membership = membership
    invitation.save(update_fields=["status", "responded_at", "membership"])
    audit_record(actor=user, action="invitation.accepted", target=invitation)
    invalidate(organisation_id=invitation.organisation_id)
    return membership


@transaction.atomic
def invitation_accept_new_account(*, token: str, full_name: str, password: str) -> User:
    """For an address with no account yet: the link itself proves the address, so accepting
    creates the account (a consultant) with the password given, and the membership."""
    invitation = invitation_for_token(token, lock=True)
    check_open(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise Conflict("An account exists for this address: sign in first.", code="account_exists")
    if not (full_name or "").strip():
        raise InvalidRequest("Give your name.", code="name_required")
    try:
        validate_password(password, user=User(email=invitation.email, full_name=full_name))
    except ValidationError as error:
        raise InvalidRequest(" ".join(error.messages), code="weak_password") from error
    user = accounts_services.user_create(
        email=invitation.email, full_name=full_name.strip(), password=password
    )
    audit_record(actor=user, action="account.created_from_invitation", target=user)
    invitation_accept(token=token, user=user)
    return user


@transaction.atomic
def invitation_decline(*, token: str, user: User | None) -> Invitation:
    """Decline: the link's holder (signed in as the address, or not signed in at all)."""
    invitation = invitation_for_token(token, lock=True)
    check_open(invitation)
    if user is not None and user.is_authenticated:
        _check_recipient(invitation, user)
    invitation.status = Invitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit_record(actor=user, action="invitation.declined", target=invitation)
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, actor: User) -> Invitation:
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict("Only a pending invitation can be cancelled.", code="invitation_used")
    invitation.status = Invitation.Status.CANCELLED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit_record(actor=actor, action="invitation.cancelled", target=invitation)
    return invitation


def membership_leave_own(*, membership: Membership, user: User) -> Membership:
    """A consultant leaves a firm. They stop counting from now; past months keep them."""
    if membership.user_id != user.pk:
        raise NotFound("No such membership.", code="membership_not_found")
    if not membership.is_active:
        raise Conflict("You have already left this firm.", code="membership_ended")
    invalidate(organisation_id=membership.organisation_id)
    return accounts_services.membership_leave(membership=membership, actor=user, reason="left")


def membership_end(
    *, membership: Membership, organisation: PartnerOrganisation, actor: User
) -> Membership:
    """A manager ends a consultant's membership of their firm."""
    if (
        membership.organisation_id != organisation.pk
        or membership.kind != Membership.Kind.CONSULTANT
    ):
        raise NotFound("No such membership.", code="membership_not_found")
    if not membership.is_active:
        raise Conflict("This membership has already ended.", code="membership_ended")
    invalidate(organisation_id=organisation.pk)
    return accounts_services.membership_leave(
        membership=membership, actor=actor, reason="ended_by_manager"
    )
