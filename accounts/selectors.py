"""Reads about people and firms. Every question "which firms may this user see" goes here."""

from django.db.models import QuerySet

from .models import Membership, PartnerOrganisation, User


def active_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, left_at__isnull=True)


def organisations_managed_by(*, user: User) -> QuerySet[PartnerOrganisation]:
    if user.is_programme_admin:
        return PartnerOrganisation.objects.all()
    managed = Membership.objects.filter(
        user=user, kind=Membership.Kind.MANAGER, left_at__isnull=True
    ).values("organisation_id")
    # A subquery, not a join, so that callers can annotate counts over memberships freely.
    return PartnerOrganisation.objects.filter(id__in=managed)


def organisation_ids_of(*, user: User) -> set[int]:
    """Firms the user currently belongs to in any capacity (used to avoid conflicts of interest,
    e.g. never assigning a grader to a candidate from their own firm)."""
    return set(active_memberships(user=user).values_list("organisation_id", flat=True))
