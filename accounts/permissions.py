"""Role-based DRF permission classes. Views name the roles they admit explicitly."""

from rest_framework.permissions import BasePermission

from .models import Role


class IsProgrammeAdmin(BasePermission):
    message = "Only programme staff may do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_programme_admin)


class IsGrader(BasePermission):
    """Graders and programme admins."""

    message = "Only graders may do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_grader)


class IsPartnerManager(BasePermission):
    """Partner managers (scoped to their firms by the selectors) and programme admins."""

    message = "Only partner managers may do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.role == Role.PARTNER_MANAGER or user.is_programme_admin)
        )


class IsCandidate(BasePermission):
    """Anyone who may sit exams: consultants (and managers who are also consultants)."""

    message = "Only candidates may do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and user.role in (Role.CANDIDATE, Role.PARTNER_MANAGER)
        )
