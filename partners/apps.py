from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner firms: membership invitations, the partner dashboard, exports and (helper P2)
    playbooks. Reads accounts, assessments and certification through their selectors and models
    and writes to them only through their services; none of those apps imports partners."""

    name = "partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config.landing import register_landing

        register_landing(_manager_landing)


def _manager_landing(user) -> str | None:
    """A partner manager lands on the firms they manage (their dashboard when there is one)."""
    from django.urls import reverse

    from accounts.models import Role

    from .selectors import firms_for_manager

    if user.role != Role.PARTNER_MANAGER:
        return None
    firms = list(firms_for_manager(user=user)[:2])
    if len(firms) == 1:
        return reverse("partner-dashboard", kwargs={"slug": firms[0].slug})
    return reverse("partner-firms")
