"""Who may see what of a scenario. Candidates see the brief, roles, agents, systems, policies and
rubric; only programme staff see exemplars, flawed designs and the hidden adversarial cases."""

from rest_framework.permissions import BasePermission


def can_see_full_pack(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_staff or getattr(user, "is_programme_admin", False))
    )


class IsScenarioStaff(BasePermission):
    message = "Only programme staff see the full pack."

    def has_permission(self, request, view) -> bool:
        return can_see_full_pack(request.user)
