"""Reads for partner pages: which firms a person may see, rosters and invitations.

Every question "may this user see firm X" goes through ``firm_for_manager``: a firm the caller
does not manage is *not found* (404), never "forbidden", so its existence does not leak.
"""

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Membership, PartnerOrganisation, Role, User
from accounts.selectors import organisations_managed_by
from config.errors import NotFound

from .models import Invitation


def may_manage_firms(user: User) -> bool:
    return bool(
        user.is_authenticated and (user.role == Role.PARTNER_MANAGER or user.is_programme_admin)
    )


def firms_for_manager(*, user: User) -> QuerySet[PartnerOrganisation]:
    """The firms ``user`` manages (programme admins: all), with their current consultants."""
    if not may_manage_firms(user):
        return PartnerOrganisation.objects.none()
    current = Q(memberships__kind=Membership.Kind.CONSULTANT, memberships__left_at__isnull=True)
    return (
        organisations_managed_by(user=user)
        .annotate(active_consultants=Count("memberships", filter=current))
        .order_by("name")
    )


def firm_for_manager(*, user: User, slug: str) -> PartnerOrganisation:
    if not may_manage_firms(user):
        raise NotFound("No such firm.", code="firm_not_found")
    firm = organisations_managed_by(user=user).filter(slug=slug).first()
    if firm is None:
        raise NotFound("No such firm.", code="firm_not_found")
    return firm


def current_consultant_ids(*, firm: PartnerOrganisation):
    """A subquery of the user ids of the firm's current consultants."""
    return Membership.objects.filter(
        organisation=firm, kind=Membership.Kind.CONSULTANT, left_at__isnull=True
    ).values("user_id")


def roster(*, firm: PartnerOrganisation, include_former: bool = False) -> QuerySet[Membership]:
    """The firm's consultant memberships, newest first, with the person (one query)."""
    queryset = Membership.objects.filter(organisation=firm, kind=Membership.Kind.CONSULTANT)
    if not include_former:
        queryset = queryset.filter(left_at__isnull=True)
    return queryset.select_related("user").order_by("-joined_at", "-pk")


def pending_invitations(*, firm: PartnerOrganisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=firm, status=Invitation.Status.PENDING
    ).select_related("invited_by")


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """A consultant's own memberships, current first, with the firm."""
    return (
        Membership.objects.filter(user=user, kind=Membership.Kind.CONSULTANT)
        .select_related("organisation")
        .order_by(F("left_at").desc(nulls_first=True), "-joined_at")
    )
